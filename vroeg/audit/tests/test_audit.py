import pytest
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse

from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log


@pytest.mark.django_db
def test_audit_log_records_who_what_object_and_ip(caseworker, municipality):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    request.user = caseworker
    entry = audit_log(action=AuditAction.VIEW, request=request, obj=municipality, reason="check")
    assert (entry.actor, entry.actor_username) == (caseworker, "cw")
    assert (entry.object_type, entry.object_id) == ("municipalities.municipality", str(municipality.pk))
    assert entry.ip_address == "198.51.100.7"
    assert entry.at is not None


@pytest.mark.django_db
def test_forwarded_for_is_only_trusted_when_configured(settings, caseworker):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
    request.user = caseworker
    assert audit_log(action=AuditAction.SEARCH, request=request).ip_address == "10.0.0.1"
    settings.VROEG_TRUST_X_FORWARDED_FOR = True
    assert audit_log(action=AuditAction.SEARCH, request=request).ip_address == "203.0.113.5"


@pytest.mark.django_db
def test_admin_can_read_but_not_change_or_delete_entries(client, functional_admin, caseworker):
    entry = audit_log(action=AuditAction.EXPORT, actor=caseworker, object_type="report", object_id="2026")
    client.force_login(functional_admin)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # read-only view
    assert client.post(change_url, {"action": "view"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.action == AuditAction.EXPORT
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_refuses_update_and_delete_of_entries(caseworker):
    entry = audit_log(action=AuditAction.VIEW, actor=caseworker, object_type="x", object_id="1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.reason == ""


@pytest.mark.django_db
def test_entries_written_by_services_record_the_address_too(client, caseworker, teamlead, partner):
    """Transitions, assignments and new contact attempts had no IP address (issue 16)."""
    from testkit.factories import CaseFactory

    case = CaseFactory(signals=[partner])
    client.force_login(teamlead)
    client.post(reverse("case-assign"), {"cases": [case.pk], "assignee": caseworker.pk}, REMOTE_ADDR="192.0.2.31")
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), REMOTE_ADDR="192.0.2.32")
    attempt = {"kind": "Telefoon", "reached": "0", "date": "2026-11-30", "time": "10:00", "part_of_day": "ochtend"}
    client.post(reverse("contact-attempt-create", args=[case.pk]), attempt, REMOTE_ADDR="192.0.2.33")
    entries = AuditEntry.objects.exclude(action=AuditAction.LOGIN).order_by("pk")
    addresses = {(e.action, e.object_type): e.ip_address for e in entries}
    assert addresses[(AuditAction.CHANGE, "cases.case")] == "192.0.2.31"
    assert addresses[(AuditAction.TRANSITION, "cases.case")] == "192.0.2.32"
    assert addresses[(AuditAction.CREATE, "outreach.contactattempt")] == "192.0.2.33"
    assert None not in addresses.values()
