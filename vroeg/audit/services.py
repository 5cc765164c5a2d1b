"""The one way to write the audit log."""

from typing import Any

from django.db import models
from django.http import HttpRequest

from .client import client_ip
from .middleware import current_ip
from .models import AuditAction, AuditEntry


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
    municipality=None,
) -> AuditEntry:
    """Append one entry. The actor defaults to the request's user.

    Pass either `obj` or `object_type`/`object_id` (for things that are not a
    model instance, such as a search or an export). The entry's municipality is
    `municipality`, else the object's own (`obj.municipality_id`, or its case's when
    the case is at hand), else none: what belongs to no one municipality.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = obj.pk
    municipality_id = getattr(municipality, "pk", municipality) or _municipality_of(obj)
    return AuditEntry.objects.create(
        municipality_id=municipality_id,
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None else "",
        object_type=object_type,
        object_id=str(object_id),
        ip_address=client_ip(request) if request is not None else current_ip.get(),
        reason=reason,
        detail=detail or {},
    )


def _municipality_of(obj: models.Model | None) -> int | None:
    """The municipality an object belongs to, without a query: its own, or that of
    the case it is part of when that case is loaded already."""
    if obj is None:
        return None
    if getattr(obj, "municipality_id", None):
        return obj.municipality_id
    case_field = next((f for f in obj._meta.concrete_fields if f.name == "case" and f.is_relation), None)
    if case_field is not None and case_field.is_cached(obj) and obj.case is not None:
        return obj.case.municipality_id
    return None
