"""A real worker killed mid-file: after a restart the delivery ends as if nothing happened."""

import io
from datetime import timedelta

import pytest

from cases.models import Case
from signals.models import Delivery, DeliveryStatus, Signal
from signals.services import deliveries_resume_stalled, delivery_receive
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from testkit.workers import start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 30_000


def _file() -> bytes:
    rows = [row(partner_referentie=f"K{i:05d}", huisnummer=str(1 + i % 4000), bsn="") for i in range(ROWS)]
    for i in range(0, ROWS, 1000):
        rows[i]["postcode"] = "0000XX"  # 30 rejected lines
    return csv_bytes(rows)


def test_worker_killed_mid_file_then_restarted(partner, municipality, tasks_to_test_worker, tmp_path):
    data = _file()
    delivery = delivery_receive(partner=partner, stream=io.BytesIO(data), original_name="groot.csv")

    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PROCESSING).exists(),
        worker=tasks_to_test_worker,
    )
    tasks_to_test_worker.process.kill()  # SIGKILL: no clean shutdown, mid-transaction
    tasks_to_test_worker.process.wait()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PROCESSING
    assert not Signal.objects.filter(delivery=delivery).exists()  # nothing half-stored

    restarted = start_worker(tasks_to_test_worker.queue, tmp_path / "restarted.log")
    try:
        assert deliveries_resume_stalled(older_than=timedelta(0)) == [delivery.pk]
        wait_for(
            lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DONE).exists(),
            timeout=120,
            worker=restarted,
        )
    finally:
        restarted.stop()

    # One case per household, none twice; households 1, 1001, 2001 and 3001 sent only
    # rejected rows (every 1000th row), so they have none.
    assert Case.objects.count() == 4000 - 4
    assert sum(Case.objects.values_list("signal_count", flat=True)) == ROWS - 30

    # The same file for another partner, processed without interruption, for comparison.
    other = PartnerFactory(code="vergelijking")
    other.municipalities.add(municipality)
    undisturbed = deliver(other, data)
    delivery.refresh_from_db()
    counts = lambda d: (d.rows_read, d.accepted_count, d.repeated_count, d.rejected_count)  # noqa: E731
    assert counts(delivery) == counts(undisturbed) == (ROWS, ROWS - 30, 0, 30)
    assert Signal.objects.filter(delivery=delivery).count() == ROWS - 30
