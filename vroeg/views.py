"""The start page and the dashboard of each role.

Every view checks a permission (deny by default); role names never appear here.
The dashboards themselves live with their apps (the team lead's in reports/).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

# First match wins: the dashboard a user lands on after logging in.
DASHBOARDS = [
    ("accounts.lead_team", "team-dashboard"),
    ("accounts.work_cases", "caseworker-dashboard"),
    ("accounts.use_partner_portal", "partner-dashboard"),
    ("accounts.review_audit_log", "audit-search"),
]


def home(request: HttpRequest) -> HttpResponse:
    for perm, url_name in DASHBOARDS:
        if request.user.has_perm(perm):
            return redirect(url_name)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "dashboards/no_role.html", status=403)
