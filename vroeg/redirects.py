"""Where to go after a form: the `next` the page passed along, if it stays on this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """`next` from the POST or the query string when it is a path on this host (and,
    on HTTPS, stays on HTTPS); otherwise `default`. Guards against open redirects, and
    against a bare word that `redirect()` would try to resolve as a view name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
