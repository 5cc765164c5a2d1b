"""Reads for notifications. The list shows them grouped by what they are about: the
notifications linking to the same case page form one group, one entry per case; any
other notification is a group of its own (a partner's "pauzeer de incasso" notices
all link to the feedback page, yet each is about another resident)."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import Cast, Concat, RowNumber
from django.urls import reverse

from .models import Notification

EARLIER_SHOWN = 10  # of a group, besides its newest notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _case_page() -> str:
    """The pattern of a case page's link, from the URL configuration."""
    return "^" + re.escape(reverse("case-detail", args=[0])).replace("0", "[0-9]+", 1) + "$"


def _with_topic(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """`topic`: a case page's link, or for any other notification its own id."""
    own = Concat(Value("#"), Cast("pk", CharField()))
    return queryset.annotate(
        topic=Case(When(url__regex=_case_page(), then=F("url")), default=own, output_field=CharField())
    )


def notification_topics_for_user(*, user) -> QuerySet:
    """One row per group (topic, latest), the group with the newest notification first;
    paginate these, then fetch the page's groups with notification_groups."""
    return (
        _with_topic(Notification.objects.filter(user=user))
        .values("topic")
        .annotate(latest=Max("created_at"), newest_pk=Max("pk"))
        .order_by("-latest", "-newest_pk")
    )


@dataclass
class NotificationGroup:
    """The notifications about one thing, newest first: at most the newest and
    EARLIER_SHOWN earlier ones are loaded; `total` and `unread` count them all."""

    topic: str
    notifications: list[Notification] = field(default_factory=list)
    total: int = 0
    unread: int = 0

    @property
    def newest(self) -> Notification:
        return self.notifications[0]

    @property
    def earlier(self) -> list[Notification]:
        return self.notifications[1 : EARLIER_SHOWN + 1]

    @property
    def earlier_count(self) -> int:
        return self.total - 1

    @property
    def not_shown(self) -> int:
        return max(self.total - 1 - EARLIER_SHOWN, 0)

    @property
    def url(self) -> str:
        return self.newest.url


def notification_groups(*, user, topics: list[str]) -> list[NotificationGroup]:
    """The user's notifications of these topics, grouped, in the order of `topics`;
    two queries, whatever the number of notifications in a group."""
    groups = {topic: NotificationGroup(topic) for topic in topics}
    mine = _with_topic(Notification.objects.filter(user=user)).filter(topic__in=topics)
    counts = mine.values("topic").annotate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    for row in counts:
        groups[row["topic"]].total, groups[row["topic"]].unread = row["total"], row["unread"]
    newest_first = [F("created_at").desc(), F("pk").desc()]
    shown = mine.annotate(rank=Window(RowNumber(), partition_by=F("topic"), order_by=newest_first))
    for notification in shown.filter(rank__lte=EARLIER_SHOWN + 1).order_by(*newest_first):
        groups[notification.topic].notifications.append(notification)
    return [group for group in groups.values() if group.notifications]


def topic_filter(topic: str) -> Q:
    """The notifications of one group (what opening or marking its entry reads)."""
    if topic.startswith("#"):
        return Q(pk=int(topic[1:])) if topic[1:].isdigit() else Q(pk__in=[])
    return Q(url=topic) if re.match(_case_page(), topic) else Q(pk__in=[])
