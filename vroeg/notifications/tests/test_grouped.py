"""The notification list: one entry per case, its notifications under it, newest
first; opening the entry marks all of them read, and only them. Notifications that
link elsewhere (a partner's feedback page) are each an entry of their own."""

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

    client.post(reverse("notifications"), {"topic": _topic(case), "next": "/zaken/7/"})
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("key", flat=True))
    assert unread == {"b", "d", "e", "g"}


def _topic(entry: str) -> str:
    return entry.split('name="topic" value="')[1].split('"', 1)[0]


def test_notices_that_share_a_page_but_not_a_case_stay_apart(client, partner_user):
    """Each "pauzeer de incasso" notice is about another resident: opening one must not
    mark the others read unseen."""
    for n in range(3):
        notification_create(user=partner_user, key=f"p{n}", subject=f"Pauzeer {n}", url="/partner/terugkoppeling/")
    client.force_login(partner_user)
    entries = _entries(client.get(reverse("notifications")).content.decode())
    assert len(entries) == 3 and all("Eerder hierover" not in entry for entry in entries)
    client.post(reverse("notifications"), {"topic": _topic(entries[0])})
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_a_long_running_case_shows_its_newest_notifications_and_counts_the_rest(client, caseworker):
    for day in range(EARLIER_SHOWN + 4):  # a crisis reminder every working day
        notification_create(user=caseworker, key=f"crisis:{day}", subject=f"Crisis dag {day + 1}", url="/zaken/7/")
    client.force_login(caseworker)
    [entry] = _entries(client.get(reverse("notifications")).content.decode())
    assert f"<h2>Crisis dag {EARLIER_SHOWN + 4}" in entry
    assert f"Eerder hierover: {EARLIER_SHOWN + 3} meldingen" in entry
    assert f"Crisis dag {4}<" in entry and "Crisis dag 3<" not in entry  # 10 earlier shown
    assert "en 3 oudere" in entry
    client.post(reverse("notifications"), {"topic": _topic(entry)})  # opening it marks every one read
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_an_entry_read_already_opens_without_marking_all(client, caseworker):
    """Its form sends its topic all the same: nothing at all would mean "mark all as read"."""
    read = notification_create(user=caseworker, key="a", subject="Gelezen", url="/zaken/7/")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-30T10:00:00Z")
    notification_create(user=caseworker, key="b", subject="Ongelezen", url="/zaken/8/")
    client.force_login(caseworker)
    _unread, done = _entries(client.get(reverse("notifications")).content.decode())
    assert _topic(done) == "/zaken/7/"
    client.post(reverse("notifications"), {"topic": _topic(done), "next": "/zaken/7/"})
    assert Notification.objects.get(key="b").read_at is None
