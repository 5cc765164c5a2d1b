"""Each figure against a hand-counted fixture (built through intake and the case
services), and unchanged after the personal data is wiped (retention)."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from cases.models import Case, Household, Outcome, Resident
from cases.services import case_accept_help, case_close, case_pick_up, cases_assign
from outreach.services import contact_attempt_record
from signals.models import PartnerType, Signal
from signals.tests.csvfiles import csv_bytes, row
from signals.tests.factories import deliver
from vroeg.reports import periods
from vroeg.reports.figures import report
from vroeg.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 31)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


@pytest.fixture
def world(municipality, partner, caseworker):
    """Addresses 1, 2, 3 (see the module's counts in each test)."""
    water = PartnerFactory(code="w", name="Waterbedrijf", partner_type=PartnerType.WATER, signal_types=["drinkwater"])
    water.municipalities.add(municipality)
    deliver(partner, csv_bytes([row(partner_referentie="A", huisnummer="1", signaaldatum="2026-10-01"),
                                row(partner_referentie="B", huisnummer="2", signaaldatum="2026-10-01", bsn=""),
                                row(partner_referentie="C", huisnummer="2", signaaldatum="2026-10-01", bsn="",
                                    voorletters="K.", achternaam="Jong", geboortedatum="1990-01-01")]),
            received_on=date(2026, 10, 5))  # fmt: skip
    one, two = Case.objects.order_by("household__house_number")
    _set(one, opened_at=at(date(2026, 10, 5)))
    _set(two, opened_at=at(date(2026, 10, 5)))
    deliver(water, csv_bytes([row(partner_referentie="W1", huisnummer="3", signaal_type="drinkwater", bsn=""),
                              row(partner_referentie="W2", huisnummer="1", signaal_type="drinkwater")]),
            received_on=date(2026, 11, 3))  # fmt: skip
    three = Case.objects.get(household__house_number=3)
    _set(three, opened_at=at(date(2026, 11, 3)))
    cases_assign(user=caseworker, case_ids=[one.pk, two.pk], assignee=caseworker)

    case_pick_up(case_id=one.pk, user=caseworker, on=date(2026, 10, 6))
    contact_attempt_record(case_id=one.pk, user=caseworker, kind="Telefoon", reached=False, attempted_at=at(date(2026, 10, 6), 9))
    contact_attempt_record(case_id=one.pk, user=caseworker, kind="Huisbezoek", reached=True, attempted_at=at(date(2026, 10, 8), 19))
    case_accept_help(case_id=one.pk, user=caseworker, on=date(2026, 10, 9))
    case_close(case_id=one.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE)
    _set(one, closed_at=at(date(2026, 11, 1)))

    case_pick_up(case_id=two.pk, user=caseworker, on=date(2026, 10, 7))
    contact_attempt_record(case_id=two.pk, user=caseworker, kind="Brief", reached=False, attempted_at=at(date(2026, 10, 7), 14))
    case_close(case_id=two.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    _set(two, closed_at=at(date(2026, 11, 15)))

    case_close(case_id=three.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    _set(three, closed_at=at(date(2026, 11, 5)))
    deliver(partner, csv_bytes([row(partner_referentie="A", huisnummer="1", signaaldatum="2026-11-01"),
                                row(partner_referentie="D", huisnummer="3", signaaldatum="2026-11-01", bsn="")]),
            received_on=date(2026, 11, 20))  # fmt: skip
    again = Case.objects.get(household__house_number=3, closed_at__isnull=True)
    _set(again, opened_at=at(date(2026, 11, 20)))
    return municipality


def _tables(municipality, period=periods.year(2026)):
    return {t.key: t for t in report(municipality, period, today=TODAY)}


def _rows(table) -> dict:
    return {str(r[0]): r[1:] for r in table.rows}


def test_signals_per_month_and_per_1000_inhabitants(world):
    t = _tables(world)["signalen-per-maand"]
    assert [str(c) for c in t.columns] == ["Maand", "Huur", "Water", "Totaal", "Per 1.000 inwoners"]
    rows = _rows(t)
    assert rows["okt 2026"] == [3, 0, 3, "0,03"]
    assert rows["nov 2026"] == [2, 2, 4, "0,04"]  # a repeat and D (rent), W1 and W2 (water)
    assert rows["jan 2026"] == [0, 0, 0, "0,00"]
    assert len(t.rows) == 12


def test_from_signal_to_case(world):
    rows = _rows(_tables(world)["signalen-en-zaken"])
    assert rows["Ontvangen signalen"] == [7, ""]
    assert rows["Signalen in een zaak die is opgepakt"] == [4, "57,1 %"]  # A, W2, B, C
    assert rows["Geopende zaken"] == [4, ""]
    assert rows["Enkelvoudig (één signaal)"] == [2, "50,0 %"]  # address 3 twice
    assert rows["Meervoudig (meer dan één signaal)"] == [2, "50,0 %"]
    assert rows["Opeenvolgend (zelfde adres binnen 6 maanden)"] == [1, "25,0 %"]


def test_reach_and_help(world):
    rows = _rows(_tables(world)["bereik-en-hulp"])
    assert rows["Opgepakte zaken"] == [2, ""]
    assert rows["Bereikt (contact gelegd)"] == [1, "50,0 %"]
    assert rows["Hulp geaccepteerd, van de bereikten"] == [1, "100,0 %"]
    assert rows["Hulp geaccepteerd, van alle opgepakte"] == [1, "50,0 %"]


def test_end_results_list_all_sixteen(world):
    t = _tables(world)["eindresultaten"]
    rows = _rows(t)
    assert len(t.rows) == 17  # 16 DDAS end results and the total
    assert rows["(Budget)advies en/of quick fix"] == [1, "33,3 %"]
    assert rows["Definitief geen contact kunnen krijgen"] == [1, "33,3 %"]
    assert rows["Niet opgepakt: andere reden"] == [1, "33,3 %"]
    assert rows["Inwoner is overleden"] == [0, "0,0 %"]
    assert rows["Totaal"] == [3, ""]


def test_contact_attempts_by_kind(world):
    rows = _rows(_tables(world)["contactpogingen"])
    assert rows["Telefoon"] == [1, 0, "0,0 %"]
    assert rows["Huisbezoek"] == [1, 1, "100,0 %"]
    assert rows["Brief"] == [1, 0, "0,0 %"]
    assert rows["Mail"] == [0, 0, "–"]
    assert rows["Totaal"] == [3, 1, "33,3 %"]


def test_deadline_compliance_and_median_days(world):
    t = _tables(world)["termijnen"]
    rows = _rows(t)
    # Received 5 October: LCV target 19 October, legal term 2 November. Address 1 was
    # spoken to on 8 October; address 2 only got a letter (approached, never spoken to).
    assert rows["Eerste gesprek binnen 2 weken (LCV-streefnorm)"] == [1, 2, "50,0 %"]
    assert rows["Benaderd binnen 4 weken (wettelijke termijn)"] == [2, 2, "100,0 %"]
    assert rows["Crisis: contact binnen 3 werkdagen"] == [0, 0, "–"]
    assert t.note == "Mediaan aantal dagen van ontvangst tot eerste gesprek: 3,0 (1 zaken)."


def test_workload_and_partners(world, caseworker):
    tables = _tables(world)
    workers = _rows(tables["werklast-medewerkers"])
    assert workers[caseworker.get_full_name()] == [0, 2, 2]
    assert workers["Niet toegewezen"] == [1, "", ""]
    partners = _rows(tables["per-partner"])
    assert partners["Woonstichting Test"] == [5, 1, "20,0 %", 0, "0,0 %"]
    assert partners["Waterbedrijf"] == [2, 0, "0,0 %", 0, "0,0 %"]


def test_a_month_counts_only_that_month(world):
    tables = _tables(world, periods.month(2026, 10))
    assert _rows(tables["signalen-en-zaken"])["Ontvangen signalen"] == [3, ""]
    assert _rows(tables["eindresultaten"])["Totaal"] == [0, ""]
    assert _rows(tables["contactpogingen"])["Totaal"] == [3, 1, "33,3 %"]


def test_figures_survive_the_removal_of_personal_data(world):
    """Retention (issue 8) wipes names, numbers, birth dates and addresses; the
    figures are counted from what remains."""
    before = {k: (t.rows, t.note) for k, t in _tables(world).items()}
    Signal.objects.update(bsn="", initials="", prefix="", surname="", birth_date=None, street="", city="",
                          phone="", email="")  # fmt: skip
    Resident.objects.update(bsn="", initials="", prefix="", surname="", birth_date=None)
    Household.objects.update(street="", city="")
    from outreach.models import ContactAttempt, Note

    ContactAttempt.objects.update(note="")
    Note.objects.all().delete()
    after = {k: (t.rows, t.note) for k, t in _tables(world).items()}
    assert after == before
