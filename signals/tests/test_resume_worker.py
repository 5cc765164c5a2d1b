"""Beat's `resume-stalled-deliveries` really runs: a delivery whose worker died is
finished by a real worker, sent the way beat sends it (issue 14)."""

from datetime import timedelta

import pytest
from celery.beat import ScheduleEntry, Scheduler
from django.utils import timezone

from cases.models import Case
from signals.models import Delivery, DeliveryFile, DeliveryStatus, Signal
from signals.services import STALLED_AFTER
from testkit.signal_files import csv_bytes, row
from testkit.workers import wait_for
from vroeg.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _stalled_delivery(partner) -> Delivery:
    """What a worker killed mid-file leaves behind: `processing`, the file still
    stored, received longer ago than STALLED_AFTER, and nothing of it stored."""
    data = csv_bytes([row(partner_referentie="A", huisnummer="12"), row(partner_referentie="B", huisnummer="14")])
    received_at = timezone.now() - STALLED_AFTER - timedelta(minutes=1)
    delivery = Delivery.objects.create(
        partner=partner,
        received_at=received_at,
        received_on=timezone.localdate(received_at),
        sha256="0" * 64,
        original_name="vastgelopen.csv",
        size=len(data),
        status=DeliveryStatus.PROCESSING,
    )
    DeliveryFile.objects.create(delivery=delivery, content=data)
    return delivery


def test_beat_entry_resumes_a_stalled_delivery_in_a_real_worker(partner, municipality, tasks_to_test_worker):
    delivery = _stalled_delivery(partner)
    app.loader.import_default_modules()  # beat finds every task module at its start
    spec = app.conf.beat_schedule["resume-stalled-deliveries"]
    entry = ScheduleEntry(name="resume-stalled-deliveries", task=spec["task"], schedule=spec["schedule"], app=app)
    # Sent exactly as beat sends it (beat logged "soft_time_limit must be less than or
    # equal to time_limit" here every five minutes, and nothing was resumed).
    Scheduler(app, lazy=True).apply_async(entry, advance=False)

    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DONE).exists(),
        timeout=60,
        worker=tasks_to_test_worker,
    )
    delivery.refresh_from_db()
    assert (delivery.rows_read, delivery.accepted_count, delivery.rejected_count) == (2, 2, 0)
    assert Signal.objects.filter(delivery=delivery).count() == 2
    assert Case.objects.filter(municipality=municipality).count() == 2
    assert not DeliveryFile.objects.filter(delivery=delivery).exists()  # removed once processed
