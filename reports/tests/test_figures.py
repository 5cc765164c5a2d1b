"""Each figure against a hand-counted fixture (built through intake and the case
services), and unchanged after the personal data is wiped (retention)."""

from datetime import date

import pytest

from cases.models import Household, Outcome, Resident
from cases.services import case_accept_help
from outreach.services import contact_attempt_record
from reports import periods
from reports.figures import report
from signals.models import Signal
from testkit.report_world import at

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 31)


def _tables(municipality, period=None):
    return {t.key: t for t in report(municipality, period or periods.year(2026), today=TODAY)}


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
    # spoken to on 8 October and accepted help; address 2 only got a letter (approached,
    # never spoken to, no help accepted). W1 (address 3) received 3 November: LCV target
    # 17 November, legal term 1 December (3 Nov + 28); closed "niet opgepakt: andere
    # reden" without contact: both missed. D (address 3 again) received 20 November: LCV
    # target 4 December, legal term 18 December (a Friday); still open, never picked up:
    # both missed. All four ended in 2026 before today (31 December).
    assert rows["Eerste gesprek binnen 2 weken (LCV-streefnorm)"] == [1, 4, "25,0 %"]
    assert rows["Binnen 4 weken benaderd en, bij hulpacceptatie, een eerste gesprek gevoerd (wettelijke termijn)"] == [
        2,
        4,
        "50,0 %",
    ]
    assert rows["Crisis: contact binnen 3 werkdagen"] == [0, 0, "–"]
    assert t.note.startswith("Mediaan aantal dagen van ontvangst tot eerste gesprek: 3,0 (1 zaken). Niet meegeteld: 0 ")


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
    Signal.objects.update(
        bsn="", initials="", prefix="", surname="", birth_date=None, street="", city="", phone="", email=""
    )
    Resident.objects.update(bsn="", initials="", prefix="", surname="", birth_date=None)
    Household.objects.update(street="", city="")
    from outreach.models import ContactAttempt, Note

    ContactAttempt.objects.update(note="")
    Note.objects.all().delete()
    after = {k: (t.rows, t.note) for k, t in _tables(world).items()}
    assert after == before


# --- deadlines: every term that ended in the period counts (issue 13) ----------------

NOV = periods.month(2026, 11)
NOV_30 = date(2026, 11, 30)  # "today" of these reports: terms ending today have not ended


def _deadline_rows(municipality, today=NOV_30) -> dict:
    return _rows({t.key: t for t in report(municipality, NOV, today=today)}["termijnen"])


def _closed(outcome, closed_from, on: date, **fields):
    from cases.models import CaseState

    return dict(state=CaseState.CLOSED, outcome=outcome, closed_from=closed_from, closed_at=at(on), **fields)


def test_every_case_term_that_ended_counts_met_or_missed(municipality, other_municipality):
    """Legal term, LCV target and CAK term, each case built with its dates by hand; the
    period is November 2026 and today is 30 November."""
    from cases.models import CaseState
    from testkit.factories import CaseFactory

    def case(**fields):
        return CaseFactory(household__municipality=municipality, **{"lcv_target": date(2026, 10, 19), **fields})

    legal = date(2026, 11, 16)  # the 4-week term of most cases below: received 19 Oct + 28
    case(contact_due=legal)  # a: open, never picked up, never approached: missed
    case(contact_due=legal, outreach=True, first_attempt_on=date(2026, 11, 3))  # b: letter in time: met
    # c: letter in time, first conversation on 20 Nov (after the term), help accepted: missed
    case(
        contact_due=legal,
        **_closed(
            Outcome.BUDGET_ADVICE,
            CaseState.HELP_ACCEPTED,
            date(2026, 11, 25),
            first_attempt_on=date(2026, 11, 3),
            first_contact_on=date(2026, 11, 20),
            help_accepted_on=date(2026, 11, 21),
        ),
    )
    # d: the same, but help declined: approached in time is enough: met
    case(
        contact_due=legal,
        **_closed(
            Outcome.DECLINED,
            CaseState.CONTACT,
            date(2026, 11, 25),
            first_attempt_on=date(2026, 11, 3),
            first_contact_on=date(2026, 11, 20),
        ),
    )
    # e: "geen inwoner" found on 10 Nov, before the term ended: nobody to approach, not counted
    case(contact_due=legal, **_closed(Outcome.NOT_A_RESIDENT, CaseState.NEW, date(2026, 11, 10)))
    # e2: "geen inwoner" only found on 20 Nov, after the term ended: missed
    case(contact_due=legal, **_closed(Outcome.NOT_A_RESIDENT, CaseState.NEW, date(2026, 11, 20)))
    # f: "niet opgepakt: andere reden" (e.g. no staff) on 10 Nov: missed
    case(contact_due=legal, **_closed(Outcome.NOT_PICKED_UP_OTHER, CaseState.NEW, date(2026, 11, 10)))
    case(contact_due=NOV_30)  # g: ends today: not yet ended
    case(contact_due=date(2026, 10, 30))  # h: ended in October
    CaseFactory(household__municipality=other_municipality, contact_due=legal)  # another municipality
    # LCV target (first conversation within 2 weeks); their legal terms end in December.
    case(contact_due=date(2026, 12, 11), lcv_target=date(2026, 11, 13))  # i: open, never spoken to: missed
    case(
        contact_due=date(2026, 12, 11), lcv_target=date(2026, 11, 13), contact=True, first_contact_on=date(2026, 11, 12)
    )  # j: spoken to on 12 Nov: met
    # CAK list: the municipality's own term (effort duty), no legal term or LCV target.
    case(
        contact_due=None,
        lcv_target=None,
        effort_due=date(2026, 11, 20),
        outreach=True,
        first_attempt_on=date(2026, 11, 19),
    )  # k: approached in time: met
    case(contact_due=None, lcv_target=None, effort_due=date(2026, 11, 20))  # l: never picked up: missed

    rows = _deadline_rows(municipality)
    # legal: a, b, c, d, e2, f counted; b and d met
    assert rows["Binnen 4 weken benaderd en, bij hulpacceptatie, een eerste gesprek gevoerd (wettelijke termijn)"] == [
        2,
        6,
        "33,3 %",
    ]
    assert rows["Eerste gesprek binnen 2 weken (LCV-streefnorm)"] == [1, 2, "50,0 %"]  # i, j
    assert rows["CAK-lijst: benaderd binnen de eigen termijn van de gemeente"] == [1, 2, "50,0 %"]  # k, l
    # e is not counted, and the report says so (no duty to offer help to a non-resident).
    note = {t.key: t for t in report(municipality, NOV, today=NOV_30)}["termijnen"].note
    assert "Niet meegeteld: 1 wettelijke termijnen van zaken die uiterlijk op de laatste dag zijn afgesloten" in note
    # A day later, today is 1 December: g's term (30 Nov) has ended too, missed.
    assert _deadline_rows(municipality, today=date(2026, 12, 1))[
        "Binnen 4 weken benaderd en, bij hulpacceptatie, een eerste gesprek gevoerd (wettelijke termijn)"
    ] == [2, 7, "28,6 %"]


def test_every_crisis_term_that_ended_counts_also_several_per_case(municipality, caseworker):
    """Crisis terms are counted from the judgements (CrisisTerm), not withdrawn, whose
    last day fell in the period: 3 working days from the judgement."""
    from cases.services import case_make_contact, case_mark_threatening, crisis_term_withdraw
    from testkit.factories import CaseFactory

    def case(**fields):
        return CaseFactory(
            household__municipality=municipality,
            first_received_on=date(2026, 10, 26),
            contact_due=date(2026, 12, 14),
            lcv_target=date(2026, 11, 9),
            **fields,
        )

    x = case(outreach=True)
    # Judged Mon 2 Nov: Tue 3, Wed 4, Thu 5 Nov. Reached at home on 4 Nov: met.
    case_mark_threatening(case_id=x.pk, user=caseworker, on=date(2026, 11, 2))
    contact_attempt_record(
        case_id=x.pk, user=caseworker, kind="Huisbezoek", reached=True, attempted_at=at(date(2026, 11, 4))
    )
    case_accept_help(case_id=x.pk, user=caseworker, on=date(2026, 11, 10))
    # After help was accepted the situation turns out threatening again on Mon 16 Nov:
    # a second term, Tue 17, Wed 18, Thu 19 Nov; nobody spoke to the resident: missed.
    case_mark_threatening(case_id=x.pk, user=caseworker, on=date(2026, 11, 16))
    # Judged Tue 17 Nov: Wed 18, Thu 19, Fri 20 Nov; contact made on 18 Nov: met.
    w = case(outreach=True)
    case_mark_threatening(case_id=w.pk, user=caseworker, on=date(2026, 11, 17))
    case_make_contact(case_id=w.pk, user=caseworker, on=date(2026, 11, 18))
    # Judged Mon 9 Nov (due Thu 12 Nov), then withdrawn: not counted.
    y = case()
    case_mark_threatening(case_id=y.pk, user=caseworker, on=date(2026, 11, 9))
    crisis_term_withdraw(case_id=y.pk, term_id=y.crisis_terms.get().pk, user=caseworker, reason="Verkeerde zaak")
    # Judged Wed 25 Nov: Thu 26, Fri 27, Mon 30 Nov = today: not yet ended.
    z = case()
    case_mark_threatening(case_id=z.pk, user=caseworker, on=date(2026, 11, 25))
    # Judged Mon 26 Oct: Tue 27, Wed 28, Thu 29 Oct: ended in October.
    u = case()
    case_mark_threatening(case_id=u.pk, user=caseworker, on=date(2026, 10, 26))

    rows = _deadline_rows(municipality)
    assert rows["Crisis: contact binnen 3 werkdagen"] == [2, 3, "66,7 %"]  # x (twice) and w
