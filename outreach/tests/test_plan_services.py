"""Contact plans through the real services: which plan a case follows, the stored next
step (Case.next_step_*) kept on every change, skipping and moving a step, the team
lead's plans and the hourly sweep."""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cases.models import Approach, Case, CaseState, Outcome
from cases.queue_keys import cases_queue_refresh
from cases.services import CaseActionRefused, case_close, case_pick_up, case_reopen, work_tray_delete, work_tray_save
from cases.timeline import case_timeline
from outreach.models import CasePlanState, ContactAttempt, ContactKind, ContactPlan, PlanStepChange
from outreach.plans import DEFAULT_PLAN_NAME, PICKUP, PREVIOUS
from outreach.selectors import home_visits_due
from outreach.services import (
    REFRESH_CHUNK,
    cases_plan_sweep,
    contact_attempt_record,
    contact_plan_delete,
    contact_plan_save,
    default_plan_for,
    message_sent_record,
    plan_step_move,
    plan_step_skip,
)
from outreach.tasks import refresh_case_plans
from testkit.factories import CaseFactory, MunicipalityFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.models import OutboxMessage

pytestmark = pytest.mark.django_db

PHONE, VISIT, LETTER, CARD = ContactKind.PHONE, ContactKind.HOME_VISIT, ContactKind.LETTER, ContactKind.CARD


def _at(day, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def _this_morning(today) -> datetime:
    """09:00 today, or now when the suite runs before nine (an attempt is never in the future)."""
    return min(_at(today, 9), timezone.now())


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def picked_up(municipality, caseworker, today):
    """A case received a week ago, picked up today (the legal term is three weeks away)."""
    case = CaseFactory(household__municipality=municipality, first_received_on=today - timedelta(days=7))
    case_pick_up(case_id=case.pk, user=caseworker, on=today)
    case.refresh_from_db()
    return case


def _steps(*kinds_and_days):
    return [
        {"kind": kind, "offset_days": days, "offset_from": PICKUP if i == 0 else PREVIOUS, "part_of_day": ""}
        for i, (kind, days) in enumerate(kinds_and_days)
    ]


def test_a_municipality_gets_its_default_plan_on_first_use_and_by_the_migration(municipality):
    assert not ContactPlan.objects.filter(municipality=municipality).exists()
    plan = default_plan_for(municipality_id=municipality.pk)
    assert plan.is_default and plan.name == DEFAULT_PLAN_NAME
    assert "Divosa" in plan.description and "59 %" in plan.description
    assert [(s.kind, s.offset_days, s.offset_from) for s in plan.steps.all()] == [
        (PHONE, 0, PICKUP),
        (PHONE, 1, PREVIOUS),
        (VISIT, 1, PREVIOUS),
        (LETTER, 2, PREVIOUS),
        (PHONE, 3, PREVIOUS),
    ]
    assert default_plan_for(municipality_id=municipality.pk) == plan  # once

    other = MunicipalityFactory(code="0344", name="Utrecht")
    migration = __import__("outreach.migrations.0005_default_contact_plans", fromlist=["create_default_plans"])
    migration.create_default_plans(apps, None)
    assert ContactPlan.objects.filter(municipality=other, is_default=True).count() == 1
    assert ContactPlan.objects.filter(municipality=municipality).count() == 1


def test_pick_up_gives_the_case_its_first_step(picked_up, today):
    assert (picked_up.next_step_kind, picked_up.next_step_part_of_day) == (PHONE, "Ochtend")
    assert picked_up.next_step_on >= today and not picked_up.next_step_pulled_forward
    state = CasePlanState.objects.get(case=picked_up)
    assert state.plan.is_default and state.next_position == 1 and state.term_on == picked_up.contact_due


def test_a_new_case_has_no_next_step(municipality):
    case = CaseFactory(household__municipality=municipality)
    assert case.next_step_on is None and case.next_step_kind == ""


def test_an_attempt_advances_the_plan_and_names_its_step(picked_up, caseworker, today):
    attempt = contact_attempt_record(
        case_id=picked_up.pk, user=caseworker, kind=PHONE, reached=False, attempted_at=_this_morning(today)
    )
    attempt.refresh_from_db()
    picked_up.refresh_from_db()
    plan = ContactPlan.objects.get(municipality=picked_up.municipality, is_default=True)
    assert (attempt.plan, attempt.plan_position) == (plan, 1)
    assert picked_up.next_step_kind == PHONE and picked_up.next_step_on > today
    assert CasePlanState.objects.get(case=picked_up).next_position == 2
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="outreach.contactattempt")
    assert entry.detail == {"case": picked_up.pk, "contact_plan": plan.pk, "plan_step": 1}
    assert "(stap 1 van het contactplan)" in next(e for e in case_timeline(picked_up) if e.kind == "attempt").title


def test_a_letter_sent_carries_out_the_plans_letter_step(picked_up, caseworker, partner):
    SignalFactory(case=picked_up, partner=partner)
    resident = picked_up.household.residents.first()
    message_sent_record(case_id=picked_up.pk, user=caseworker, kind="brief", resident=resident, text="Beste bewoner")
    attempt = ContactAttempt.objects.get(case=picked_up)
    assert (attempt.kind, attempt.plan_position) == (LETTER, 4)
    picked_up.refresh_from_db()
    assert picked_up.next_step_kind == PHONE  # the first call is still to do


def test_reaching_the_resident_ends_the_plan_and_reopening_brings_it_back(picked_up, caseworker, teamlead, today):
    attempt = contact_attempt_record(
        case_id=picked_up.pk, user=caseworker, kind=PHONE, reached=True, attempted_at=_this_morning(today)
    )
    attempt.refresh_from_db()
    picked_up.refresh_from_db()
    assert picked_up.state == CaseState.CONTACT
    assert attempt.plan_position == 1  # the step that reached the resident
    assert (picked_up.next_step_on, picked_up.next_step_kind, picked_up.next_step_part_of_day) == (None, "", "")
    assert not CasePlanState.objects.filter(case=picked_up).exists()


def test_closing_clears_the_next_step_and_reopening_computes_it_again(picked_up, caseworker, teamlead):
    case_close(case_id=picked_up.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    picked_up.refresh_from_db()
    assert picked_up.next_step_on is None
    case_reopen(case_id=picked_up.pk, user=teamlead, reason="Te vroeg gesloten")
    picked_up.refresh_from_db()
    assert picked_up.state == CaseState.OUTREACH and picked_up.next_step_kind == PHONE


def test_the_first_tray_by_name_with_a_plan_gives_the_plan(municipality, teamlead, caseworker, today):
    case = CaseFactory(household__municipality=municipality, signal_count=3, first_received_on=today)
    case_pick_up(case_id=case.pk, user=caseworker, on=today)
    b = work_tray_save(
        user=teamlead, data={"municipality": municipality, "name": "B meerdere", "approach": Approach.HOME_VISIT}
    )
    a = work_tray_save(
        user=teamlead,
        data={"municipality": municipality, "name": "A ook meerdere", "approach": Approach.PHONE, "min_signals": 2},
    )
    visit_first = contact_plan_save(
        user=teamlead,
        data={"municipality": municipality, "name": "Huisbezoek eerst"},
        steps=_steps((VISIT, 0)),
        trays=[b],
    )
    case.refresh_from_db()
    assert case.next_step_kind == VISIT
    assert CasePlanState.objects.get(case=case).plan == visit_first
    call_first = contact_plan_save(
        user=teamlead, data={"municipality": municipality, "name": "Bellen"}, steps=_steps((CARD, 0)), trays=[a]
    )
    case.refresh_from_db()
    assert case.next_step_kind == CARD  # "A ook meerdere" comes before "B meerdere"
    assert CasePlanState.objects.get(case=case).plan == call_first

    # The tray's filter changes: the case leaves it and follows the next tray's plan.
    work_tray_save(
        user=teamlead,
        tray_id=a.pk,
        data={"municipality": municipality, "name": a.name, "approach": Approach.PHONE, "min_signals": 5},
    )
    case.refresh_from_db()
    assert case.next_step_kind == VISIT
    work_tray_delete(user=teamlead, tray_id=b.pk)
    case.refresh_from_db()
    assert case.next_step_kind == PHONE and CasePlanState.objects.get(case=case).plan.is_default


def test_editing_a_plan_refreshes_its_open_cases(picked_up, teamlead):
    plan = default_plan_for(municipality_id=picked_up.municipality_id)
    contact_plan_save(
        user=teamlead, plan_id=plan.pk, data={"name": plan.name}, steps=_steps((VISIT, 0), (PHONE, 1)), trays=[]
    )
    picked_up.refresh_from_db()
    assert picked_up.next_step_kind == VISIT


def test_many_cases_are_refreshed_by_the_worker_in_chunks_safe_to_run_twice(municipality, teamlead, caseworker, today):
    tray = work_tray_save(
        user=teamlead, data={"municipality": municipality, "name": "Alle", "approach": Approach.PHONE}
    )
    cases = [
        CaseFactory(household__municipality=municipality, outreach=True, picked_up_on=today)
        for _ in range(REFRESH_CHUNK + 1)
    ]
    contact_plan_save(
        user=teamlead, data={"municipality": municipality, "name": "Brief"}, steps=_steps((LETTER, 0)), trays=[tray]
    )
    messages = list(OutboxMessage.objects.filter(task="outreach.refresh_case_plans").order_by("pk"))
    assert [len(m.kwargs["case_ids"]) for m in messages] == [REFRESH_CHUNK, 1]
    for message in messages * 2:  # a message sent twice does no harm
        refresh_case_plans.run(**message.kwargs)
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("next_step_kind", flat=True)) == {LETTER}
    assert CasePlanState.objects.filter(plan__name="Brief").count() == REFRESH_CHUNK + 1


def test_skipping_a_step_needs_a_reason_and_is_logged(picked_up, caseworker):
    with pytest.raises(CaseActionRefused, match="Geef een reden op"):
        plan_step_skip(case_id=picked_up.pk, user=caseworker, position=1, reason="  ")
    plan_step_skip(case_id=picked_up.pk, user=caseworker, position=1, reason="Geen telefoonnummer bekend")
    picked_up.refresh_from_db()
    assert CasePlanState.objects.get(case=picked_up).next_position == 2
    change = PlanStepChange.objects.get()
    assert (change.position, change.kind, change.action, change.by) == (1, PHONE, "skip", caseworker)
    event = case_timeline(picked_up)[0]
    assert (event.kind, event.detail) == ("plan", "Geen telefoonnummer bekend")
    assert event.title == "Contactplan: stap 1 (Telefoon) overgeslagen"
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_id=str(picked_up.pk))
    assert entry.reason == "Geen telefoonnummer bekend" and entry.detail["plan_step_skipped"] is True

    with pytest.raises(CaseActionRefused, match="al gezet of overgeslagen"):
        plan_step_skip(case_id=picked_up.pk, user=caseworker, position=1, reason="Nog eens")


def test_moving_a_later_step_forward(picked_up, caseworker):
    with pytest.raises(CaseActionRefused, match="al de volgende stap"):
        plan_step_move(case_id=picked_up.pk, user=caseworker, position=1, reason="Eerst dit")
    plan_step_move(case_id=picked_up.pk, user=caseworker, position=3, reason="Buurman zegt: overdag thuis")
    picked_up.refresh_from_db()
    assert picked_up.next_step_kind == VISIT
    assert case_timeline(picked_up)[0].title == "Contactplan: stap 3 (Huisbezoek) naar voren gehaald"
    assert AuditEntry.objects.get(action=AuditAction.CHANGE, object_id=str(picked_up.pk)).detail["plan_step_moved"]


def test_no_plan_changes_outside_outreach(municipality, caseworker):
    case = CaseFactory(household__municipality=municipality)
    with pytest.raises(CaseActionRefused, match="zolang de zaak is opgepakt"):
        plan_step_skip(case_id=case.pk, user=caseworker, position=1, reason="x")


def test_only_team_leads_keep_plans_in_their_own_municipality(municipality, other_municipality, caseworker, teamlead):
    with pytest.raises(PermissionDenied):
        contact_plan_save(
            user=caseworker, data={"municipality": municipality, "name": "X"}, steps=_steps((PHONE, 0)), trays=[]
        )
    with pytest.raises(PermissionDenied):
        contact_plan_save(
            user=teamlead, data={"municipality": other_municipality, "name": "X"}, steps=_steps((PHONE, 0)), trays=[]
        )
    with pytest.raises(CaseActionRefused, match="minstens één stap"):
        contact_plan_save(user=teamlead, data={"municipality": municipality, "name": "X"}, steps=[], trays=[])


def test_a_plan_worked_by_or_the_default_is_not_deleted(picked_up, caseworker, teamlead, today):
    default = default_plan_for(municipality_id=picked_up.municipality_id)
    with pytest.raises(CaseActionRefused, match="standaardplan"):
        contact_plan_delete(user=teamlead, plan_id=default.pk)
    tray = work_tray_save(
        user=teamlead, data={"municipality": picked_up.municipality, "name": "Alle", "approach": Approach.PHONE}
    )
    used = contact_plan_save(
        user=teamlead,
        data={"municipality": picked_up.municipality, "name": "Bel"},
        steps=_steps((PHONE, 0)),
        trays=[tray],
    )
    contact_attempt_record(
        case_id=picked_up.pk, user=caseworker, kind=PHONE, reached=False, attempted_at=_this_morning(today)
    )
    with pytest.raises(CaseActionRefused, match="al gewerkt"):
        contact_plan_delete(user=teamlead, plan_id=used.pk)
    unused = contact_plan_save(
        user=teamlead, data={"municipality": picked_up.municipality, "name": "Later"}, steps=_steps((MAIL, 0)), trays=[]
    )
    contact_plan_delete(user=teamlead, plan_id=unused.pk)
    assert not ContactPlan.objects.filter(pk=unused.pk).exists()


MAIL = ContactKind.MAIL


def test_home_visits_due(municipality, other_municipality, caseworker, teamlead, today):
    tray = work_tray_save(
        user=teamlead, data={"municipality": municipality, "name": "Alle", "approach": Approach.HOME_VISIT}
    )
    contact_plan_save(
        user=teamlead,
        data={"municipality": municipality, "name": "Bezoek"},
        steps=_steps((VISIT, 0), (VISIT, 3)),
        trays=[tray],
    )
    due = CaseFactory(household__municipality=municipality, first_received_on=today)
    case_pick_up(case_id=due.pk, user=caseworker, on=today)
    not_picked_up = CaseFactory(household__municipality=municipality, first_received_on=today)
    elsewhere = CaseFactory(household__municipality=other_municipality, outreach=True, picked_up_on=today)
    cases_plan_sweep()
    due.refresh_from_db()
    assert list(home_visits_due(municipality=municipality, on=due.next_step_on)) == [due]
    assert list(home_visits_due(municipality=municipality.pk, on=due.next_step_on - timedelta(days=1))) == []
    assert not_picked_up not in home_visits_due(municipality=municipality, on=today + timedelta(days=30))
    elsewhere.refresh_from_db()
    assert elsewhere.next_step_kind == PHONE  # the other municipality's default plan


def test_the_sweep_puts_right_what_no_step_refreshed(municipality, today):
    # Picked up before contact plans existed (a factory writes no next step)...
    old = CaseFactory(household__municipality=municipality, outreach=True, picked_up_on=today)
    # ... a closed case with a stale next step, and a case whose term moved earlier.
    stale = CaseFactory(household__municipality=municipality, closed=True, next_step_on=today, next_step_kind=PHONE)
    moved = CaseFactory(household__municipality=municipality, outreach=True, picked_up_on=today - timedelta(days=2))
    assert cases_plan_sweep() == 3
    assert cases_plan_sweep() == 0  # nothing left to put right
    earlier = moved.contact_due - timedelta(days=1)
    Case.objects.filter(pk=moved.pk).update(contact_due=earlier)
    cases_queue_refresh(case_ids=[moved.pk])  # as cases/deadline_updates.py does; the plan is left behind
    assert cases_plan_sweep() == 1
    old.refresh_from_db(), stale.refresh_from_db()
    assert old.next_step_kind == PHONE and stale.next_step_on is None
    assert CasePlanState.objects.get(case=moved).term_on == earlier
