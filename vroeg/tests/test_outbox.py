"""Broker down: pages keep working, nothing is lost, queued work is sent once it is back."""

import io
from contextlib import contextmanager

import pytest
from django.urls import reverse

from signals.models import Delivery, DeliveryStatus
from testkit.signal_files import csv_bytes, row
from testkit.workers import wait_for
from vroeg.celery import app
from vroeg.models import OutboxMessage
from vroeg.outbox import outbox_publish

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker_at(url: str):
    """Point the web process's Celery app at another broker (a real, failing one) for
    sending. (broker_url would not do: Celery prefers the CELERY_BROKER_URL variable.)"""
    previous = app.conf.get("broker_write_url")

    def switch(to):
        # The outbox opens its own connection (connection_for_write), so no pool
        # needs resetting; closing Celery's pools here would break later tests.
        app.conf.broker_write_url = to

    switch(url)
    try:
        yield
    finally:
        switch(previous)


@pytest.mark.django_db(transaction=True)
def test_upload_works_while_the_broker_is_down_and_the_task_waits(client, partner_user):
    client.force_login(partner_user)
    with broker_at(UNREACHABLE):
        file = io.BytesIO(csv_bytes([row(partner_referentie="BROKER-1")]))
        file.name = "levering.csv"
        response = client.post(reverse("delivery-upload"), {"file": file})
        assert response.status_code == 302  # to the delivery's page: no error for the partner
        assert client.get(response.url).status_code == 200
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RECEIVED
    message = OutboxMessage.objects.get()
    assert message.published_at is None and message.attempts == 1 and message.last_error
    assert message.kwargs == {"delivery_id": delivery.pk}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_when_the_broker_is_back_the_drain_sends_it_and_the_worker_processes_it(
    client, partner_user, tasks_to_test_worker
):
    client.force_login(partner_user)
    with broker_at(UNREACHABLE):
        file = io.BytesIO(csv_bytes([row(partner_referentie="BROKER-2")]))
        file.name = "levering.csv"
        client.post(reverse("delivery-upload"), {"file": file})
    delivery = Delivery.objects.get()
    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 1

    from datetime import timedelta

    assert outbox_publish(older_than=timedelta(0)) == 1  # what beat's drain job does
    assert outbox_publish(older_than=timedelta(0)) == 0  # sent once
    wait_for(
        lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DONE).exists(),
        worker=tasks_to_test_worker,
    )
    assert delivery.signals.count() == 1
