"""The notification list: one entry per case (per link), its notifications under it,
newest first; opening the entry marks all of them read, and only them."""

import pytest
from django.urls import reverse

from vroeg.notifications.models import Notification
from vroeg.notifications.selectors import EARLIER_SHOWN
from vroeg.notifications.services import notification_create

pytestmark = pytest.mark.django_db


def _entries(page: str) -> list[str]:
    return page.split('data-testid="notification-group"')[1:]


def test_notifications_about_one_case_make_one_entry(client, caseworker, teamlead):
    notify = notification_create
    notify(user=caseworker, key="a", subject="Termijn verloopt morgen: Dorpsstraat 12", url="/zaken/7/")
    notify(user=caseworker, key="b", subject="Levering verwerkt", url="/werk/")
    notify(
        user=caseworker, key="c", subject="Bedreigende situatie: Dorpsstraat 12", body="Bel vandaag.", url="/zaken/7/"
    )
    notify(user=caseworker, key="d", subject="Zonder link 1")
    notify(user=caseworker, key="e", subject="Zonder link 2")
    notify(user=caseworker, key="f", subject="Incassopauzes lopen af: Dorpsstraat 12", url="/zaken/7/")
    notify(user=teamlead, key="g", subject="Van de teamleider", url="/zaken/7/")
    Notification.objects.filter(key="a").update(read_at="2026-11-30T10:00:00Z")
    client.force_login(caseworker)

    entries = _entries(client.get(reverse("notifications")).content.decode())
    assert len(entries) == 4  # the case, then the two without a link, then /werk/: newest first
    case, second, first, work = entries
    assert "<h2>Incassopauzes lopen af: Dorpsstraat 12" in case
    assert "Eerder hierover: 2 meldingen" in case
    assert case.index("Bedreigende situatie") < case.index("Termijn verloopt morgen")
    assert "Bel vandaag." in case and "Van de teamleider" not in case
    assert "Zonder link 2" in second and "Zonder link 1" in first and "Levering verwerkt" in work
    assert "Eerder hierover" not in work

    client.post(reverse("notifications"), {"id": _ids(case), "next": "/zaken/7/"})
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("key", flat=True))
    assert unread == {"b", "d", "e", "g"}


def _ids(entry: str) -> list[str]:
    return [part.split('"', 1)[0] for part in entry.split('name="id" value="')[1:]]


def test_a_long_running_case_shows_its_newest_notifications_and_counts_the_rest(client, caseworker):
    for day in range(EARLIER_SHOWN + 4):  # a crisis reminder every working day
        notification_create(user=caseworker, key=f"crisis:{day}", subject=f"Crisis dag {day + 1}", url="/zaken/7/")
    client.force_login(caseworker)
    [entry] = _entries(client.get(reverse("notifications")).content.decode())
    assert f"<h2>Crisis dag {EARLIER_SHOWN + 4}" in entry
    assert f"Eerder hierover: {EARLIER_SHOWN + 3} meldingen" in entry
    assert f"Crisis dag {4}<" in entry and "Crisis dag 3<" not in entry  # 10 earlier shown
    assert "en 3 oudere" in entry
    assert len(_ids(entry)) == EARLIER_SHOWN + 4  # opening it marks every one read


def test_an_entry_read_already_opens_without_marking_all(client, caseworker):
    """Its form sends an id all the same: no id at all would mean "mark all as read"."""
    read = notification_create(user=caseworker, key="a", subject="Gelezen", url="/zaken/7/")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-30T10:00:00Z")
    notification_create(user=caseworker, key="b", subject="Ongelezen", url="/zaken/8/")
    client.force_login(caseworker)
    _unread, done = _entries(client.get(reverse("notifications")).content.decode())
    assert _ids(done) == [str(read.pk)]
    client.post(reverse("notifications"), {"id": _ids(done), "next": "/zaken/7/"})
    assert Notification.objects.get(key="b").read_at is None
