"""A delivery whose processing meets an unexpected error (a bug in a step that takes
part in intake, a time limit) ends as "mislukt": nothing of it stored, a readable
message for the partner, the functional admin told, the file kept for the admin's
retry and removed by the retention purge; it is never resumed by itself."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.retention import retention_purge
from signals import hooks as signal_hooks
from signals.models import Delivery, DeliveryFile, DeliveryStatus, Signal
from signals.services import deliveries_resume_stalled, delivery_process
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.notifications.models import Notification
from vroeg.outbox import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_step(monkeypatch):
    """A listener of the delivery hook with a bug, as a future step might have."""

    def broken(*, delivery):
        raise RuntimeError("a bug in a step of intake")

    hook = signal_hooks.delivery_ingested
    monkeypatch.setattr(hook, "_listeners", [*hook.listeners, broken])
    return lambda: monkeypatch.setattr(hook, "_listeners", [x for x in hook.listeners if x is not broken])


def test_an_unexpected_error_fails_the_delivery_and_keeps_nothing_but_the_file(
    client, partner, partner_user, functional_admin, broken_step
):
    delivery = deliver(partner, csv_bytes([row(), row(partner_referentie="REF-2", huisnummer="14")]))
    assert delivery.status == DeliveryStatus.FAILED
    assert not Signal.objects.exists()
    assert DeliveryFile.objects.filter(delivery=delivery).exists()

    client.force_login(partner_user)
    page = client.get(reverse("delivery-detail", args=[delivery.public_id])).content.decode()
    assert "Verwerken mislukt" in page
    assert "mislukt door een fout bij de gemeente, niet in uw bestand" in page

    told = Notification.objects.get(user=functional_admin)
    assert told.subject == f"Levering van {partner.name} mislukt" and "Opnieuw verwerken" in told.body

    # Never resumed by itself, however long it waits; processing it again changes nothing.
    Delivery.objects.filter(pk=delivery.pk).update(received_at=timezone.now() - timedelta(days=1))
    assert deliveries_resume_stalled() == []
    assert delivery_process(delivery_id=delivery.pk).status == DeliveryStatus.FAILED


def test_the_admin_has_it_processed_again_once_the_bug_is_fixed(client, partner, functional_admin, broken_step):
    delivery = deliver(partner, csv_bytes([row()]))
    fix = broken_step
    fix()
    # Fixed, but a failed delivery is final until an admin retries it: a second message
    # of its task (a redelivery, the outbox) changes nothing.
    assert delivery_process(delivery_id=delivery.pk).status == DeliveryStatus.FAILED
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:signals_delivery_changelist"),
        {"action": "retry", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "1 opnieuw in de wachtrij gezet" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED
    assert OutboxMessage.objects.filter(task="signals.process_delivery", kwargs={"delivery_id": delivery.pk}).exists()

    assert delivery_process(delivery_id=delivery.pk).status == DeliveryStatus.DONE
    assert Signal.objects.count() == 1 and not DeliveryFile.objects.exists()


def test_a_delivery_that_did_not_fail_is_not_retried(client, partner, functional_admin):
    delivery = deliver(partner, csv_bytes([row()]))
    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:signals_delivery_changelist"),
        {"action": "retry", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "0 opnieuw in de wachtrij gezet; 1 overgeslagen" in response.content.decode()
    assert Delivery.objects.get().status == DeliveryStatus.DONE


def test_the_purge_removes_a_failed_deliverys_file_after_the_report_term(partner, broken_step):
    delivery = deliver(partner, csv_bytes([row()]))
    assert retention_purge(now=delivery.received_at + timedelta(days=80))["failed_delivery_files"] == 0
    assert retention_purge(now=delivery.received_at + timedelta(days=95))["failed_delivery_files"] == 1
    assert not DeliveryFile.objects.exists()


def test_a_referral_that_fails_is_registered_once_and_the_caseworker_told(
    client, caseworker, municipality, broken_step
):
    client.force_login(caseworker)
    form = {
        "municipality": municipality.pk,
        "postcode": "1234 AB",
        "huisnummer": "12",
        "straat": "Dorpsstraat",
        "woonplaats": "Voorbeeldstad",
        "achternaam": "Vries",
        "bedrag_achterstand": "850,00",
        "datum_ontstaan": "2026-09-01",
        "kind": "intern",
        "origin": "Wmo-loket",
    }
    response = client.post(reverse("referral-create"), form, follow=True)
    assert "een fout in Vroeg hield de verwerking tegen" in response.content.decode()
    assert Delivery.objects.get().status == DeliveryStatus.FAILED
