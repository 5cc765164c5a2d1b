"""Two uploads or two workers at the same moment store one set (PostgreSQL)."""

import io
import threading

import pytest
from django.db import connection

from signals.models import Delivery, DeliveryStatus, Signal
from signals.services import delivery_process, delivery_receive
from testkit.signal_files import csv_bytes, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(target, *args_per_thread):
    barrier = threading.Barrier(len(args_per_thread))
    results, errors = [], []

    def run(args):
        try:
            barrier.wait()
            results.append(target(*args))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args_per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    return results


def test_the_same_file_uploaded_twice_at_once_is_stored_once(partner):
    data = csv_bytes([row(partner_referentie=f"R{i}", huisnummer=str(i + 1)) for i in range(50)])

    def upload(name):
        return delivery_receive(partner=partner, stream=io.BytesIO(data), original_name=name)

    deliveries = _at_once(upload, ("a.csv",), ("b.csv",))
    statuses = sorted(d.status for d in deliveries)
    assert statuses == [DeliveryStatus.RECEIVED, DeliveryStatus.REFUSED]
    kept = next(d for d in deliveries if d.status == DeliveryStatus.RECEIVED)
    refused = next(d for d in deliveries if d.status == DeliveryStatus.REFUSED)
    assert refused.duplicate_of_id == kept.pk

    _at_once(lambda: delivery_process(delivery_id=kept.pk), (), ())  # two workers, one delivery
    kept.refresh_from_db()
    assert (kept.status, kept.accepted_count) == (DeliveryStatus.DONE, 50)
    assert Signal.objects.count() == 50
    assert Delivery.objects.filter(status=DeliveryStatus.DONE).count() == 1
