"""Searches whose terms can name a person (a surname, a BSN, an address, a partner's
reference) are posted, kept in the user's session under a short random id, and the
result is shown at `?zoek=<id>`. The terms never stand in a URL, so they never reach
a web server's access log, the browser's history or a Referer header.

A page that searches this way: on POST, `search_redirect(request)`; on GET, read its
criteria from `search_query(request)` instead of `request.GET`. A plain GET with the
criteria in the query string still works (a bookmarked filter without personal data).
"""

import secrets

from django.http import HttpRequest, HttpResponseRedirect, QueryDict

PARAM = "zoek"
SESSION_KEY = "vroeg_searches"
KEEP = 20  # the user's most recent searches; an older id shows the unfiltered page


def search_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """Keep the posted criteria (not the CSRF token) and send the browser to the same
    page at ?zoek=<id>."""
    criteria = request.POST.copy()
    criteria.pop("csrfmiddlewaretoken", None)
    search_id = secrets.token_urlsafe(9)
    searches = dict(request.session.get(SESSION_KEY, {}))
    searches[search_id] = criteria.urlencode()
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return HttpResponseRedirect(f"{request.path}?{PARAM}={search_id}")


def search_query(request: HttpRequest) -> QueryDict:
    """The criteria of this page: the stored search of ?zoek=<id>, with the URL's own
    parameters (the page number) on top; without an id, the query string itself."""
    stored = request.session.get(SESSION_KEY, {}).get(request.GET.get(PARAM, ""))
    if stored is None:
        return request.GET
    query = QueryDict(stored, mutable=True)
    for key in request.GET:
        if key != PARAM:
            query.setlist(key, request.GET.getlist(key))
    return query


def search_id(request: HttpRequest) -> str:
    """The id of the stored search this page shows, or ''."""
    key = request.GET.get(PARAM, "")
    return key if key in request.session.get(SESSION_KEY, {}) else ""
