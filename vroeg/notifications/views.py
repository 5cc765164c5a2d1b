from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vroeg.dutch import is_number
from vroeg.redirects import safe_next

from .selectors import notification_groups, notification_topics_for_user
from .services import notifications_mark_read

GROUPS_PER_PAGE = 30


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, one entry per case with its notifications under
    it; POST marks one entry's (topic), some (id, repeated) or all as read, and follows
    the link when asked."""
    if request.method == "POST":
        if topic := request.POST.get("topic"):
            notifications_mark_read(user=request.user, topic=topic[:300])
        else:
            ids = [int(i) for i in request.POST.getlist("id") if is_number(i)] or None
            notifications_mark_read(user=request.user, notification_ids=ids)
        return redirect(safe_next(request, reverse("notifications")))
    page = Paginator(notification_topics_for_user(user=request.user), GROUPS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    groups = notification_groups(user=request.user, topics=[row["topic"] for row in page.object_list])
    return render(request, "notifications/list.html", {"page": page, "groups": groups})
