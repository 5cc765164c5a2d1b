"""Closure days change through services that tell the apps above the core which dates
changed (the core never imports them; cases registers from its AppConfig.ready())."""

from datetime import date

import pytest

from vroeg.audit.models import AuditEntry
from vroeg.calendar import services
from vroeg.calendar.models import ClosureDay
from vroeg.calendar.services import closure_day_delete, closure_day_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch):
    calls = []

    def callback(*, days):
        calls.append(sorted(days))
        return len(days)

    monkeypatch.setattr(services.closure_days_changed, "_listeners", [callback])
    return calls


def test_callbacks_hear_every_date_that_changed(heard, functional_admin):
    closure, moved = closure_day_save(user=functional_admin, day=date(2027, 5, 7), reason="Vrijdag na Hemelvaart")
    assert (heard, moved) == ([[date(2027, 5, 7)]], 1)
    closure_day_save(user=functional_admin, day=date(2027, 5, 7), reason="Besluit 2026/12", closure_day_id=closure.pk)
    assert len(heard) == 1  # only the reason changed: no working day changed
    closure_day_save(user=functional_admin, day=date(2027, 5, 14), reason="Besluit", closure_day_id=closure.pk)
    assert heard[-1] == [date(2027, 5, 7), date(2027, 5, 14)]
    closure_day_delete(user=functional_admin, closure_day_id=closure.pk)
    assert heard[-1] == [date(2027, 5, 14)] and not ClosureDay.objects.exists()
    assert AuditEntry.objects.filter(object_type="calendar.closureday", actor=functional_admin).count() == 4
