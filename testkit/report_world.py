"""The hand-counted world of the team lead's report tests: three addresses, built
through intake and the case services (each test counts its figures from it)."""

from datetime import date, datetime, time

from django.utils import timezone

from cases.models import Case, Outcome
from cases.services import case_accept_help, case_close, case_pick_up, cases_assign
from outreach.services import contact_attempt_record
from signals.models import PartnerType
from testkit.action_plans import plan_with_copy
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def case_set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


def report_world(municipality, partner, caseworker):
    """Addresses 1, 2, 3 (see the module's counts in each test)."""
    water = PartnerFactory(code="w", name="Waterbedrijf", partner_type=PartnerType.WATER, signal_types=["drinkwater"])
    water.municipalities.add(municipality)
    deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="A", huisnummer="1", signaaldatum="2026-10-01"),
                row(partner_referentie="B", huisnummer="2", signaaldatum="2026-10-01", bsn=""),
                row(
                    partner_referentie="C",
                    huisnummer="2",
                    signaaldatum="2026-10-01",
                    bsn="",
                    voorletters="K.",
                    achternaam="Jong",
                    geboortedatum="1990-01-01",
                ),
            ]
        ),
        received_on=date(2026, 10, 5),
    )
    one, two = Case.objects.order_by("household__house_number")
    case_set(one, opened_at=at(date(2026, 10, 5)))
    case_set(two, opened_at=at(date(2026, 10, 5)))
    deliver(
        water,
        csv_bytes(
            [
                row(partner_referentie="W1", huisnummer="3", signaal_type="drinkwater", bsn=""),
                row(partner_referentie="W2", huisnummer="1", signaal_type="drinkwater"),
            ]
        ),
        received_on=date(2026, 11, 3),
    )
    three = Case.objects.get(household__house_number=3)
    case_set(three, opened_at=at(date(2026, 11, 3)))
    cases_assign(user=caseworker, case_ids=[one.pk, two.pk], assignee=caseworker)

    case_pick_up(case_id=one.pk, user=caseworker, on=date(2026, 10, 6))
    contact_attempt_record(
        case_id=one.pk, user=caseworker, kind="Telefoon", reached=False, attempted_at=at(date(2026, 10, 6), 9)
    )
    contact_attempt_record(
        case_id=one.pk, user=caseworker, kind="Huisbezoek", reached=True, attempted_at=at(date(2026, 10, 8), 19)
    )
    case_accept_help(case_id=one.pk, user=caseworker, on=date(2026, 10, 9))
    plan_with_copy(one, caseworker, copy_given_on=date(2026, 10, 9))
    case_close(case_id=one.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE)
    case_set(one, closed_at=at(date(2026, 11, 1)))

    case_pick_up(case_id=two.pk, user=caseworker, on=date(2026, 10, 7))
    contact_attempt_record(
        case_id=two.pk, user=caseworker, kind="Brief", reached=False, attempted_at=at(date(2026, 10, 7), 14)
    )
    case_close(case_id=two.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    case_set(two, closed_at=at(date(2026, 11, 15)))

    case_close(case_id=three.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    case_set(three, closed_at=at(date(2026, 11, 5)))
    deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="A", huisnummer="1", signaaldatum="2026-11-01"),
                row(partner_referentie="D", huisnummer="3", signaaldatum="2026-11-01", bsn=""),
            ]
        ),
        received_on=date(2026, 11, 20),
    )
    again = Case.objects.get(household__house_number=3, closed_at__isnull=True)
    case_set(again, opened_at=at(date(2026, 11, 20)))
    return municipality
