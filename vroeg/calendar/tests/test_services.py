"""Closure days change through services that tell the apps above the core which dates
changed (the core never imports them; cases registers from its AppConfig.ready())."""

from datetime import date

import pytest
from django.urls import reverse

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


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 12, 25), "25-12-2026 is al een feestdag (Eerste Kerstdag) en telt dus al niet als werkdag."),
        (date(2027, 4, 27), "27-04-2027 is al een feestdag (Koningsdag) en telt dus al niet als werkdag."),
        (date(2026, 12, 5), "05-12-2026 valt in het weekend en telt dus al niet als werkdag."),
    ],
)
def test_a_day_that_is_no_working_day_already_is_refused_as_closure_day(client, functional_admin, day, message):
    with pytest.raises(services.ClosureDayRefused) as refused:
        closure_day_save(user=functional_admin, day=day, reason="Besluit")
    assert refused.value.message == message
    # The admin says the same next to the field, and keeps nothing.
    client.force_login(functional_admin)
    page = client.post(reverse("admin:calendar_closureday_add"), {"date": day.isoformat(), "reason": "Besluit"})
    assert page.status_code == 200 and message in page.content.decode()
    assert not ClosureDay.objects.exists()
