import pytest
from django.utils import timezone

from vroeg.services import heartbeat_record


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["worker"] == "unknown"  # no heartbeat yet

    heartbeat_record(name="worker")
    assert client.get("/healthz").json()["worker"] == "ok"
    heartbeat_record(name="worker", at=timezone.now() - timezone.timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"] == "stale"


@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down_but_keeps_serving(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_counts_tasks_waiting_in_the_outbox(client):
    from vroeg.models import OutboxMessage

    assert client.get("/healthz").json()["outbox_waiting"] == 0
    late = OutboxMessage.objects.create(task="signals.process_delivery", kwargs={"delivery_id": 1})
    OutboxMessage.objects.create(task="signals.process_delivery", kwargs={"delivery_id": 2})  # just queued
    OutboxMessage.objects.filter(pk=late.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=5))
    assert client.get("/healthz").json()["outbox_waiting"] == 1
