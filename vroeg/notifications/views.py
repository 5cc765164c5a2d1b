from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vroeg.dutch import is_number
from vroeg.redirects import safe_next

from .selectors import notifications_for_user
from .services import notifications_mark_read


@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's own notifications; POST marks one (id) or all as read, and follows
    the notification's link when asked."""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("id") if is_number(i)] or None
        notifications_mark_read(user=request.user, notification_ids=ids)
        return redirect(safe_next(request, reverse("notifications")))
    page = Paginator(notifications_for_user(user=request.user), 30).get_page(request.GET.get("pagina"))
    return render(request, "notifications/list.html", {"page": page})
