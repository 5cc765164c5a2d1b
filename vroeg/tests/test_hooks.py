"""The hooks through which a lower layer lets a higher one take part (vroeg/hooks.py,
ADR 0012): listeners run where the service calls them, inside its transaction, so a
failing listener undoes the whole step; and the apps register what the ADR says."""

import pytest
from django.db import transaction

from cases import hooks as case_hooks
from cases.models import Case, CaseState
from cases.services import case_close
from signals import hooks as signal_hooks
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.hooks import Hook


def test_a_listener_is_registered_once_and_called_in_order():
    hook = Hook("test.hook", "for the test")
    calls = []

    def first(*, n):
        calls.append(("first", n))
        return 1

    def second(*, n):
        calls.append(("second", n))
        return 2

    hook.register(first)
    hook.register(second)
    hook.register(first)  # ready() can run twice
    assert hook(n=7) == [1, 2]
    assert calls == [("first", 7), ("second", 7)]


def test_the_upper_apps_register_what_the_adr_names():
    import feedback.services
    import outreach.services

    assert feedback.services.feedback_case_closed in case_hooks.case_closed.listeners
    assert feedback.services.feedback_help_accepted in case_hooks.help_accepted.listeners
    assert feedback.services.feedback_for_delivery in signal_hooks.delivery_ingested.listeners
    assert outreach.services.action_plan_close_check in case_hooks.close_check.listeners
    assert case_hooks.state_changed.listeners == (outreach.services.plan_on_state_changed,)
    assert case_hooks.tray_changed.listeners == (outreach.services.plan_on_tray_changed,)
    import outreach.reach

    assert outreach.reach.reach_panel in case_hooks.case_panels.listeners
    assert sorted(f"{f.__module__}.{f.__name__}" for f in case_hooks.case_panels.listeners) == [
        "feedback.views.case_panel",
        "outreach.reach.reach_panel",
        "outreach.views.case_panel",
        "replies.views.case_panel",
    ]
    from cases.intake import match_into_cases, rows_objected_to

    assert signal_hooks.intake_matching.listeners == (match_into_cases,)
    assert signal_hooks.intake_refusals.listeners == (rows_objected_to,)


@pytest.mark.django_db
def test_a_failing_listener_undoes_the_step(partner, caseworker, monkeypatch):
    deliver(partner, csv_bytes([row()]))
    case = Case.objects.get()

    def broken(*, case, outcome):
        raise RuntimeError("partner feedback failed")

    monkeypatch.setattr(case_hooks.case_closed, "_listeners", [*case_hooks.case_closed.listeners, broken])
    with pytest.raises(RuntimeError), transaction.atomic():
        case_close(case_id=case.pk, user=caseworker, outcome="Inwoner is overleden")
    case.refresh_from_db()
    assert case.state == CaseState.NEW and case.closed_at is None
