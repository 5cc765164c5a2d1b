"""The one way to write the audit log."""

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from .models import AuditAction, AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; X-Forwarded-For only when the proxy is trusted."""
    if request is None:
        return None
    if settings.VROEG_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    action: AuditAction | str,
    actor=None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. The actor defaults to the request's user.

    Pass either `obj` or `object_type`/`object_id` (for things that are not a
    model instance, such as a search or an export).
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None else "",
        object_type=object_type,
        object_id=str(object_id),
        ip_address=client_ip(request),
        reason=reason,
        detail=detail or {},
    )
