"""The queue's stored sort key (cases/queue_keys.py, ADR 0021): read while the sweep's
stamp holds for today and the weights, computed per request otherwise, so the order is
never wrong; the sweep brings it up to date on a new day and after a weights change.
(That every writer keeps it is checked after every database test: conftest.py.)"""

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from cases.models import Case, QueueKeyStamp
from cases.queue_keys import queue_keys_current, queue_keys_sweep
from cases.selectors import queue_for_user
from cases.tasks import refresh_queue_keys
from signals.models import PARTNER_TYPE_BITS
from testkit.factories import CaseFactory
from testkit.priority_cases import resident_born
from vroeg.celery import app

pytestmark = pytest.mark.django_db

HEALTH = PARTNER_TYPE_BITS["Zorg"]
RENT = PARTNER_TYPE_BITS["Huur"]


def _queue(user, today):
    return [(c.pk, c.priority_score) for c in queue_for_user(user=user, today=today)]


def _case(municipality, today, **fields):
    return CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=20), **fields)


def test_a_resident_turning_18_today_counts_from_today_and_the_sweep_stores_it(municipality, caseworker):
    """Only health-insurance signals and a resident aged 18 to 27: +15 (young adult).
    Turning 18 today, yesterday's stored rank lacks it; the queue computes until the
    day's sweep, which refreshes only the cases whose rank depends on the day."""
    today = timezone.localdate()
    later = _case(municipality, today, partner_type_mask=HEALTH)  # lower id, no young adult
    young = _case(municipality, today, partner_type_mask=HEALTH)
    resident_born(young, today - relativedelta(years=18))
    rent = _case(municipality, today, partner_type_mask=RENT)
    resident_born(rent, today - relativedelta(years=18))  # not health only: no points, not day-dependent
    queue_keys_sweep(today=today - timedelta(days=1), everything=True)  # yesterday's keys and stamp
    assert Case.objects.get(pk=young.pk).queue_rank == 10  # 1 signal; aged 17 yesterday
    assert not queue_keys_current(today=today)
    # 1 signal (+10) and young adult (+15) = 25, before the two with 1 signal (10) by id.
    expected = [(young.pk, 25), (later.pk, 10), (rent.pk, 10)]
    assert _queue(caseworker, today) == expected  # computed: right before the sweep

    assert queue_keys_sweep(today=today) == 2  # the two health-only cases, not the rent case
    assert Case.objects.get(pk=young.pk).queue_rank == 25
    assert queue_keys_current(today=today)
    assert _queue(caseworker, today) == expected  # read from the stored key
    assert queue_keys_sweep(today=today) == 0  # nothing left to do today


def test_new_weights_order_the_queue_at_once_and_the_sweep_stores_them(municipality, caseworker, settings):
    today = timezone.localdate()
    three = _case(municipality, today, signal_count=3)  # 3 x 10 = 30
    proposal = _case(municipality, today, crisis_proposed_on=today, has_crisis=True)  # 10 + 25 = 35
    assert queue_keys_current(today=today)
    assert _queue(caseworker, today) == [(proposal.pk, 35), (three.pk, 30)]

    settings.VROEG_PRIORITY_WEIGHTS = {"per_signal": 20}  # 3 x 20 = 60 against 20 + 25 = 45
    assert not queue_keys_current(today=today)
    assert _queue(caseworker, today) == [(three.pk, 60), (proposal.pk, 45)]
    assert queue_keys_sweep(today=today) == 2  # every open case
    assert queue_keys_current(today=today)
    assert Case.objects.get(pk=three.pk).queue_rank == 60
    assert _queue(caseworker, today) == [(three.pk, 60), (proposal.pk, 45)]

    settings.VROEG_PRIORITY_WEIGHTS = {}
    queue_keys_sweep(today=today)
    assert Case.objects.get(pk=three.pk).queue_rank == 30


def test_the_queue_reads_the_stored_key_and_the_command_repairs_it(municipality, caseworker):
    """While the stamp holds the queue sorts on the stored columns (the index), not on
    the rules: a key changed outside the services shows, until `refresh_queue_keys
    --all` puts it right."""
    today = timezone.localdate()
    one = _case(municipality, today)  # 10
    three = _case(municipality, today, signal_count=3)  # 30
    assert _queue(caseworker, today) == [(three.pk, 30), (one.pk, 10)]
    Case.objects.filter(pk=one.pk).update(queue_rank=99)  # a repair by hand, say
    assert [pk for pk, _score in _queue(caseworker, today)] == [one.pk, three.pk]

    out = StringIO()
    call_command("refresh_queue_keys", "--all", stdout=out)
    assert out.getvalue().strip() == "Wachtrijsleutels bijgewerkt: 2 zaken."
    assert _queue(caseworker, today) == [(three.pk, 30), (one.pk, 10)]


def test_beat_runs_the_sweep_and_a_second_run_does_nothing(municipality):
    entry = app.conf.beat_schedule["refresh-queue-keys"]
    assert entry["task"] == "cases.refresh_queue_keys" and entry["schedule"] == 600.0
    today = timezone.localdate()
    _case(municipality, today)
    QueueKeyStamp.objects.all().delete()  # a fresh installation: nothing stamped yet
    refresh_queue_keys.apply().get()
    stamp = QueueKeyStamp.objects.get()
    assert stamp.day == today
    refresh_queue_keys.apply().get()
    assert QueueKeyStamp.objects.get().refreshed_at == stamp.refreshed_at
