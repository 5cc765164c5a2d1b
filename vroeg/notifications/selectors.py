"""Reads for notifications. The list shows them grouped by what they are about: the
notifications with the same link (a case's page) form one group, one entry per case;
one without a link is a group of its own."""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Max, QuerySet, Value, When
from django.db.models.functions import Cast, Concat

from .models import Notification

EARLIER_SHOWN = 10  # of a group, besides its newest notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _with_topic(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """`topic`: the link, or for a notification without one its own id."""
    own = Concat(Value("#"), Cast("pk", CharField()))
    return queryset.annotate(topic=Case(When(url="", then=own), default=F("url"), output_field=CharField()))


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
    """The notifications about one thing, newest first."""

    topic: str
    notifications: list[Notification] = field(default_factory=list)

    @property
    def newest(self) -> Notification:
        return self.notifications[0]

    @property
    def earlier(self) -> list[Notification]:
        return self.notifications[1 : EARLIER_SHOWN + 1]

    @property
    def not_shown(self) -> int:
        return max(len(self.notifications) - 1 - EARLIER_SHOWN, 0)

    @property
    def unread(self) -> int:
        return sum(n.read_at is None for n in self.notifications)

    @property
    def ids_to_mark(self) -> list[int]:
        """What opening the group marks read: its unread notifications (never none:
        an empty list would mean all of the user's)."""
        return [n.pk for n in self.notifications if n.read_at is None] or [self.newest.pk]

    @property
    def url(self) -> str:
        return self.newest.url


def notification_groups(*, user, topics: list[str]) -> list[NotificationGroup]:
    """The user's notifications of these topics, grouped, in the order of `topics`."""
    groups = {topic: NotificationGroup(topic) for topic in topics}
    found = _with_topic(Notification.objects.filter(user=user)).filter(topic__in=topics)
    for notification in found.order_by("-created_at", "-pk"):
        groups[notification.topic].notifications.append(notification)
    return [group for group in groups.values() if group.notifications]
