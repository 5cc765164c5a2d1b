"""Retention: past its term, personal data is gone from every table; facts stay.
Time is passed in (`now`), so each term is checked on the day before and after."""

from datetime import date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState, Outcome
from cases.services import case_close, case_mark_threatening, crisis_term_withdraw
from outreach.services import contact_attempt_record, note_add
from privacy.retention import retention_plan, retention_purge
from reports import periods
from reports.figures import report
from testkit.action_plans import plan_with_copy
from testkit.case_steps import case_walk_to
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

CLOSED = timezone.make_aware(datetime(2026, 1, 15, 12))
PEOPLE = {  # house number → (surname, BSN, street, phone, e-mail, birth date, reference)
    "1": ("Zeldzaamnaam", "111222333", "Geheimsteeg", "06-11112222", "z1@geheim.example", "1977-03-04", "GEHEIM-1"),
    "2": ("Verborgenhuis", "123456782", "Stillelaan", "06-33334444", "z2@geheim.example", "1981-06-07", "GEHEIM-2"),
    "3": ("Anoniemstra", "", "Zwijgpad", "06-55556666", "z3@geheim.example", "1990-09-10", "GEHEIM-3"),
}


def _secrets() -> list[str]:
    return [value for person in PEOPLE.values() for value in person if value]


def _remnants() -> list[str]:
    """Every stored value of every table that contains one of the secrets."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for values in model.objects.values_list():
            text = " | ".join(str(v) for v in values)
            found += [f"{model._meta.label}: {s}" for s in _secrets() if s.lower() in text.lower()]
    return found


@pytest.fixture
def closed_cases(partner, caseworker):
    """Three households, all closed on 15 January 2026: not picked up (1), without
    help after contact (2), after help was accepted (3); notes and attempts on each."""
    rows = [
        row(
            partner_referentie=ref,
            huisnummer=n,
            achternaam=name,
            bsn=bsn,
            straat=street,
            telefoonnummer=phone,
            email=email,
            geboortedatum=born,
            postcode="9876 ZX",
            signaaldatum="2025-11-20",
            datum_ontstaan="2025-08-01",
        )
        for n, (name, bsn, street, phone, email, born, ref) in PEOPLE.items()
    ]
    deliver(partner, csv_bytes(rows), received_on=date(2025, 12, 1))
    one, two, three = Case.objects.order_by("household__house_number")
    for case in (one, two, three):
        note_add(case_id=case.pk, user=caseworker, text=f"Gesproken met {PEOPLE[str(case.household.house_number)][0]}")
    case_close(case_id=one.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_UNJUSTIFIED, reason="reden Zeldzaamnaam")
    case_walk_to(CaseState.CONTACT, two, caseworker, on=date(2026, 11, 20))
    contact_attempt_record(
        case_id=two.pk,
        user=caseworker,
        kind="Telefoon",
        reached=True,
        attempted_at=timezone.make_aware(datetime(2025, 12, 3, 10)),
        note="Verborgenhuis belde terug",
    )
    case_close(case_id=two.pk, user=caseworker, outcome=Outcome.DECLINED)
    case_walk_to(CaseState.HELP_ACCEPTED, three, caseworker, on=date(2026, 11, 20))
    case_mark_threatening(case_id=three.pk, user=caseworker, on=date(2025, 12, 5), reason="Anoniemstra: ontruiming")
    crisis_term_withdraw(
        case_id=three.pk, term_id=three.crisis_terms.get().pk, user=caseworker, reason="Anoniemstra had al een regeling"
    )
    plan_with_copy(three, caseworker)
    case_close(case_id=three.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE)
    Case.objects.update(closed_at=CLOSED)
    return one, two, three


def test_dry_run_says_what_would_go_on_each_day_and_changes_nothing(closed_cases):
    just_before = CLOSED + relativedelta(months=12) - relativedelta(days=1)
    assert retention_plan(now=just_before)["not_picked_up"] == 0
    after_a_year = CLOSED + relativedelta(months=12, days=1)
    plan = retention_plan(now=after_a_year)
    assert (plan["not_picked_up"], plan["closed_without_help"], plan["closed_after_help"]) == (1, 1, 0)
    assert retention_plan(now=CLOSED + relativedelta(months=24, days=1))["closed_after_help"] == 1
    call_command("purge_personal_data", "--dry-run")
    assert len(_remnants()) > 0 and not Case.objects.filter(purged_at__isnull=False).exists()


def test_after_every_term_no_personal_data_remains_anywhere(closed_cases):
    """Also not in the audit trail: its entries (here: the closing reason, which named
    the resident) go when their own term has passed."""
    later = timezone.now() + relativedelta(months=24, days=1)
    retention_purge(now=later)
    assert _remnants() == []
    assert Case.objects.filter(purged_at=later).count() == 3
    assert str(closed_cases[0].household.__class__.objects.get(pk=closed_cases[0].household_id)).endswith(
        "(gegevens verwijderd)"
    )
    entry = AuditEntry.objects.get(action=AuditAction.PURGE)  # the run itself is logged
    assert entry.detail["not_picked_up"] == 1 and entry.detail["closed_after_help"] == 1


def test_within_its_term_a_case_keeps_its_data(closed_cases):
    retention_purge(now=CLOSED + relativedelta(months=12, days=1))
    # The audit trail keeps the closing reason until its own term (tested above).
    left = [r for r in _remnants() if not r.startswith("audit.")]
    assert left and all(
        "Anoniemstra" in r
        or "z3@" in r
        or "06-55556666" in r
        or "1990-09-10" in r
        or "Zwijgpad" in r
        or "GEHEIM-3" in r
        for r in left
    )
    assert Case.objects.get(pk=closed_cases[2].pk).purged_at is None


def test_open_cases_and_their_household_are_never_touched(closed_cases, partner):
    # A new signal at address 1 opens a new case for the same household.
    deliver(
        partner,
        csv_bytes(
            [
                row(
                    partner_referentie="NIEUW",
                    huisnummer="1",
                    achternaam="Zeldzaamnaam",
                    bsn="111222333",
                    postcode="9876 ZX",
                    straat="Geheimsteeg",
                )
            ]
        ),
    )
    retention_purge(now=CLOSED + relativedelta(months=24, days=1))
    open_case = Case.objects.get(closed_at__isnull=True)
    assert open_case.purged_at is None
    assert open_case.household.street == "Geheimsteeg"
    assert open_case.signals.get().surname == "Zeldzaamnaam"


def test_reports_are_the_same_after_the_purge(closed_cases):
    year = periods.custom(date(2025, 1, 1), date(2026, 12, 31))
    before = [(t.key, t.rows, t.note) for t in report(closed_cases[0].municipality, year, today=date(2026, 12, 31))]
    retention_purge(now=CLOSED + relativedelta(months=24, days=1))
    after = [(t.key, t.rows, t.note) for t in report(closed_cases[0].municipality, year, today=date(2026, 12, 31))]
    assert after == before


def test_purging_twice_changes_nothing_more(closed_cases):
    later = CLOSED + relativedelta(months=24, days=1)
    first = retention_purge(now=later)
    second = retention_purge(now=later)
    assert sum(first[k] for k in ("not_picked_up", "closed_without_help", "closed_after_help")) == 3
    assert all(second[k] == 0 for k in ("not_picked_up", "closed_without_help", "closed_after_help"))


def test_audit_entries_past_their_term_are_removed_and_newer_ones_kept(caseworker):
    """Purged at a moment 24 months after the first entry and before 24 months after
    the second; on PostgreSQL this goes through the trigger's purge door."""
    import time as clock

    from vroeg.audit.services import audit_log

    old = audit_log(action=AuditAction.VIEW, actor=caseworker, object_type="cases.case", object_id=1)
    clock.sleep(0.01)
    new = audit_log(action=AuditAction.VIEW, actor=caseworker, object_type="cases.case", object_id=2)
    retention_purge(now=old.at + relativedelta(months=24) + (new.at - old.at) / 2)
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=new.pk).exists()


def test_the_command_reports_in_dutch(closed_cases, capsys):
    call_command("purge_personal_data", "--dry-run")
    assert "zaken niet opgepakt: 0 zou verwijderen" in capsys.readouterr().out


def test_the_purge_removes_ended_sessions_and_the_searches_they_hold(client, caseworker):
    client.force_login(caseworker)
    client.post(reverse("caseworker-dashboard"), {"q": "999999990"})
    session = Session.objects.get()
    assert "999999990" in str(session.get_decoded())
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    retention_purge()
    assert not Session.objects.exists()
