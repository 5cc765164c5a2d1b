"""/healthz: database and broker status as JSON for load balancers and operators."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from .models import Heartbeat, OutboxMessage

WORKER_STALE_AFTER = timedelta(minutes=5)
OUTBOX_LATE_AFTER = timedelta(minutes=2)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001  (any failure means: not ok)
        return "error"
    return "ok"


def _broker_status() -> str:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"


def _worker_status() -> str:
    try:
        beat = Heartbeat.objects.filter(name="worker").values_list("at", flat=True).first()
    except Exception:  # noqa: BLE001
        return "unknown"
    if beat is None:
        return "unknown"
    return "ok" if timezone.now() - beat < WORKER_STALE_AFTER else "stale"


def _outbox_waiting() -> int | None:
    """Tasks that could not be sent to the broker for over two minutes (normally 0)."""
    try:
        return OutboxMessage.objects.filter(
            published_at__isnull=True, created_at__lt=timezone.now() - OUTBOX_LATE_AFTER
        ).count()
    except Exception:  # noqa: BLE001
        return None


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers (the web app can serve); 503 when it does not.

    A broker that is down is reported but does not make the web app unhealthy:
    pages keep working and side effects wait in the outbox (vroeg/outbox.py);
    `outbox_waiting` says how many have waited over two minutes.
    """
    database = _database_status()
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "broker": _broker_status(),
        "worker": _worker_status() if database == "ok" else "unknown",
        "outbox_waiting": _outbox_waiting() if database == "ok" else None,
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)
