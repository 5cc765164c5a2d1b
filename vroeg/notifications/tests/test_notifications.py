"""The bell, reading notifications, and e-mail: once per notification."""

import pytest
from django.core import mail
from django.urls import reverse

from vroeg.models import OutboxMessage
from vroeg.notifications.models import Notification
from vroeg.notifications.services import notification_create, notification_send_email

pytestmark = pytest.mark.django_db


def test_bell_counts_unread_and_opening_one_marks_it_read(client, caseworker):
    first = notification_create(user=caseworker, key="a", subject="Termijn verloopt morgen", url="/werk/")
    notification_create(user=caseworker, key="b", subject="Tweede melding")
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    assert 'data-testid="bell-count">2<' in page
    response = client.post(reverse("notifications"), {"id": first.pk, "next": first.url})
    assert response.status_code == 302 and response.url == "/werk/"
    page = client.get(reverse("notifications")).content.decode()
    assert 'data-testid="bell-count">1<' in page and "Termijn verloopt morgen" in page
    client.post(reverse("notifications"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_one_cannot_read_or_mark_anothers_notifications(client, caseworker, teamlead):
    theirs = notification_create(user=teamlead, key="x", subject="Alleen voor de teamleider")
    client.force_login(caseworker)
    assert "Alleen voor de teamleider" not in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_external_next_url_is_not_followed(client, caseworker):
    n = notification_create(user=caseworker, key="x", subject="s")
    client.force_login(caseworker)
    response = client.post(reverse("notifications"), {"id": n.pk, "next": "https://evil.example/"})
    assert response.url == reverse("notifications")


def test_same_key_notifies_once_and_emails_once(caseworker, settings, django_capture_on_commit_callbacks):
    settings.VROEG_BASE_URL = "https://vroeg.voorbeeldstad.nl"
    caseworker.email = "cw@voorbeeldstad.nl"
    caseworker.save()
    with django_capture_on_commit_callbacks() as callbacks:
        n = notification_create(user=caseworker, key="deadline:1:2026-11-30", subject="Termijn", url="/zaken/1/")
        assert notification_create(user=caseworker, key="deadline:1:2026-11-30", subject="Termijn") is None
    assert len(callbacks) == 1  # one message for the broker, stored in the outbox first
    assert OutboxMessage.objects.get().kwargs == {"notification_id": n.pk}
    assert notification_send_email(notification_id=n.pk) is True
    assert notification_send_email(notification_id=n.pk) is False  # a retry or second worker
    [message] = mail.outbox
    assert message.to == ["cw@voorbeeldstad.nl"]
    assert "https://vroeg.voorbeeldstad.nl/zaken/1/" in message.body


def test_no_email_address_no_email(caseworker):
    caseworker.email = ""
    caseworker.save()
    notification_create(user=caseworker, key="k", subject="s")
    assert not OutboxMessage.objects.exists()
