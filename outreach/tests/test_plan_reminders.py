"""A contact plan step that comes due reminds the assigned caseworker exactly once (the
key: case, plan, step and day), on working days only; through a real worker too,
fired twice as beat can."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.queue_keys import cases_queue_refresh
from cases.services import case_pick_up
from outreach.models import ContactAttempt, ContactKind, PartOfDay
from outreach.reminders import reminders_plan_steps
from outreach.services import cases_plan_refresh, plan_step_skip
from testkit.factories import CaseFactory
from testkit.workers import start_worker, tasks_routed_to, wait_for
from vroeg.celery import app
from vroeg.notifications.models import Notification

MONDAY = date(2026, 11, 23)  # the cases are picked up on this day; their first step is due on it
SATURDAY = date(2026, 11, 28)


def _case(municipality, worker, **kwargs) -> Case:
    case = CaseFactory(
        household__municipality=municipality,
        first_received_on=MONDAY - timedelta(days=7),
        assigned_to=worker,
        **kwargs,
    )
    case_pick_up(case_id=case.pk, user=worker, on=MONDAY)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_a_step_due_reminds_the_caseworker_once(municipality, caseworker):
    case = _case(municipality, caseworker)
    unassigned = _case(municipality, caseworker)
    Case.objects.filter(pk=unassigned.pk).update(assigned_to=None)
    assert case.next_step_on == MONDAY

    assert reminders_plan_steps(today=MONDAY - timedelta(days=3)) == 0  # a Friday before: nothing due yet
    assert reminders_plan_steps(today=MONDAY) == 1
    assert reminders_plan_steps(today=MONDAY) == 0  # the hourly run again
    assert reminders_plan_steps(today=MONDAY + timedelta(days=1)) == 0  # still due, reminded already
    note = Notification.objects.get()
    assert note.user == caseworker and note.url == f"/zaken/{case.pk}/"
    assert note.subject.startswith("Telefoon vandaag: ")
    assert "Telefoon, ochtend, gepland op 23-11-2026" in note.body

    # The first step skipped on Tuesday: the second comes due on Wednesday and reminds again.
    plan_step_skip(case_id=case.pk, user=caseworker, position=1, reason="Geen nummer")
    case.refresh_from_db()
    assert reminders_plan_steps(today=case.next_step_on) == 1
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_no_reminders_at_the_weekend_monday_catches_up(municipality, caseworker):
    case = _case(municipality, caseworker)
    Case.objects.filter(pk=case.pk).update(next_step_on=SATURDAY - timedelta(days=1))
    assert reminders_plan_steps(today=SATURDAY) == 0
    assert reminders_plan_steps(today=SATURDAY + timedelta(days=2)) == 1
    assert "sinds 27-11-2026" in Notification.objects.get().subject


@pytest.mark.django_db
def test_a_pulled_forward_step_says_why(municipality, caseworker):
    # Calls on Monday and Tuesday; the legal term ends on Tuesday: the home visit (by the
    # plan on Wednesday) is pulled forward to Tuesday.
    case = _case(municipality, caseworker)
    Case.objects.filter(pk=case.pk).update(contact_due=MONDAY + timedelta(days=1))
    for day in (MONDAY, MONDAY + timedelta(days=1)):
        ContactAttempt.objects.create(
            case=case,
            kind=ContactKind.PHONE,
            reached=False,
            attempted_at=timezone.make_aware(datetime.combine(day, time(9))),
            part_of_day=PartOfDay.MORNING,
            recorded_by=caseworker,
        )
    cases_plan_refresh(case_ids=[case.pk])
    cases_queue_refresh(case_ids=[case.pk])  # the attempts above bypass outreach's service
    case.refresh_from_db()
    assert (case.next_step_kind, case.next_step_on, case.next_step_pulled_forward) == (
        ContactKind.HOME_VISIT,
        MONDAY + timedelta(days=1),
        True,
    )
    reminders_plan_steps(today=MONDAY + timedelta(days=1))
    assert "de termijn om de inwoner te benaderen loopt af op 24-11-2026" in Notification.objects.get().body


CASES = 30


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fired_twice_reminds_each_caseworker_once_per_step(municipality, make_user, tmp_path):
    worker_user = make_user("caseworker", username="cw-plan", email="cw@voorbeeldstad.nl")
    cases = [_case(municipality, worker_user) for _ in range(CASES)]
    queue = f"test-plans-{tmp_path.name[-8:]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with tasks_routed_to(queue):
        worker = start_worker(queue, tmp_path / "worker.log", {"EMAIL_URL": f"filemail:///{mail_dir}"})
        try:
            for _ in range(2):  # beat double-fire
                app.send_task("outreach.send_plan_reminders", kwargs={"day": MONDAY.isoformat()})
            wait_for(lambda: Notification.objects.count() >= CASES, timeout=60, worker=worker)
            app.send_task("outreach.send_plan_reminders", kwargs={"day": MONDAY.isoformat()})
            wait_for(
                lambda: len(re.findall(r"send_plan_reminders\[[^]]+\] succeeded", worker.log())) == 3, worker=worker
            )
        finally:
            worker.stop()
    keys = set(Notification.objects.values_list("key", flat=True))
    assert Notification.objects.count() == len(keys) == CASES
    assert all(f"plan-step:{c.pk}:" in " ".join(keys) for c in cases)
