"""Every URL × every role: deny by default, checked against an explicit table.

A new URL without an entry here fails `test_every_url_has_an_expectation`, so
this table grows with every issue.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vroeg.tests.factories import PASSWORD

ROLES = ["anonymous", "caseworker", "teamlead", "partner_user", "functional_admin", "privacy_officer"]
LOGIN = "login"  # a redirect to the login page

# url name → expected GET status per role (in ROLES order).
EXPECTED = {
    "home": (LOGIN, 302, 302, 302, 302, 302),
    "login": (200, 302, 302, 302, 302, 302),
    "logout": (LOGIN, 405, 405, 405, 405, 405),  # logging out is a POST
    "healthz": (200, 200, 200, 200, 200, 200),
    "caseworker-dashboard": (LOGIN, 200, 200, 403, 403, 403),
    "team-dashboard": (LOGIN, 403, 200, 403, 403, 403),
    "partner-dashboard": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-upload": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-detail": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-rejected-csv": (LOGIN, 403, 403, 200, 200, 403),
    "case-detail": (LOGIN, 200, 200, 403, 403, 403),
    "case-assign": (LOGIN, 405, 405, 405, 405, 405),
    "tray-list": (LOGIN, 403, 200, 403, 403, 403),
    "tray-create": (LOGIN, 403, 200, 403, 403, 403),
    "tray-edit": (LOGIN, 403, 200, 403, 403, 403),
    # Changes to a case are POST only; a GET is refused before anything else.
    "case-step": (LOGIN, 405, 405, 405, 405, 405),
    "case-close": (LOGIN, 405, 405, 405, 405, 405),
    "case-reopen": (LOGIN, 405, 405, 405, 405, 405),
    "case-threatening": (LOGIN, 405, 405, 405, 405, 405),
    "crisis-proposal-dismiss": (LOGIN, 405, 405, 405, 405, 405),
    "crisis-term-withdraw": (LOGIN, 405, 405, 405, 405, 405),
    "case-brp-check": (LOGIN, 405, 405, 405, 405, 405),
    "finding-confirm": (LOGIN, 405, 405, 405, 405, 405),
    "contact-attempt-create": (LOGIN, 405, 405, 405, 405, 405),
    "note-create": (LOGIN, 405, 405, 405, 405, 405),
    "action-plan-edit": (LOGIN, 200, 200, 403, 403, 403),
    "action-plan-print": (LOGIN, 200, 200, 403, 403, 403),
    "case-message": (LOGIN, 200, 200, 403, 403, 403),
    # The second factor (switched off in the test settings; see test_two_factor.py):
    # asking for a code without needing one goes home; anyone may set up an app.
    "referral-create": (LOGIN, 200, 200, 403, 403, 403),
    "laa-list": (LOGIN, 200, 200, 403, 403, 403),
    "laa-detail": (LOGIN, 200, 200, 403, 403, 403),
    "laa-close": (LOGIN, 405, 405, 405, 405, 405),
    "laa-upload": (LOGIN, 403, 403, 403, 200, 403),
    "two-factor": (LOGIN, 302, 302, 302, 302, 302),
    "two-factor-setup": (LOGIN, 200, 200, 200, 200, 200),
    "objection-create": (LOGIN, 405, 405, 405, 405, 405),
    "objection-withdraw": (LOGIN, 405, 405, 405, 405, 405),
    "feedback-consent": (LOGIN, 405, 405, 405, 405, 405),
    "feedback-consent-told": (LOGIN, 405, 405, 405, 405, 405),
    "pause-follow-up": (LOGIN, 405, 405, 405, 405, 405),
    # Every signed-in user has their own notifications.
    "notifications": (LOGIN, 200, 200, 200, 200, 200),
    # Feedback is the partner's own: only a partner's users, not the functional admin.
    "partner-feedback": (LOGIN, 403, 403, 200, 403, 403),
    "partner-feedback-csv": (LOGIN, 403, 403, 200, 403, 403),
    "partner-figures": (LOGIN, 403, 403, 200, 403, 403),
    # Reports are for team leads only.
    "reports": (LOGIN, 403, 200, 403, 403, 403),
    "report-csv": (LOGIN, 403, 200, 403, 403, 403),
    "report-xlsx": (LOGIN, 403, 200, 403, 403, 403),
    "report-ddas": (LOGIN, 403, 200, 403, 403, 403),
    "admin:index": (LOGIN, 403, 403, 403, 200, 403),
    # The privacy officer reviews the audit trail, and nothing else.
    "audit-search": (LOGIN, 403, 403, 403, 403, 200),
    "audit-export": (LOGIN, 403, 403, 403, 403, 200),
}

# Admin pages the functional admin may open; every other admin model is refused.
ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN = {
    "accounts.user",
    "auth.group",
    "municipalities.municipality",
    "partners.partner",
    "calendar.closureday",
    "audit.auditentry",
    "signals.delivery",
}


def _named_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _named_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


@pytest.fixture
def url_args(partner, functional_admin):
    """Sample arguments for URLs that need them: a delivery of the partner user's partner."""
    from cases.assessment import case_assess
    from signals.tests.csvfiles import csv_bytes, row
    from signals.tests.factories import deliver

    delivery = deliver(partner, csv_bytes([row()]))
    case = delivery.signals.get().case
    [finding, *_] = case_assess(case_id=case.pk)
    from cases.models import Approach, WorkTray

    tray = WorkTray.objects.create(
        municipality=case.municipality, name="Crisis", approach=Approach.PHONE, created_by=functional_admin
    )
    from outreach.models import ActionPlan

    plan = ActionPlan.objects.create(case=case, version=1, created_by=functional_admin, arrears="x")
    from feedback.models import CollectionPause

    pause = CollectionPause.objects.create(
        case=case, partner=partner, starts_on=delivery.received_on, ends_on=delivery.received_on
    )
    from cases.models import AddressInvestigation

    laa = AddressInvestigation.objects.create(
        municipality=case.municipality,
        laa_reference="L-1",
        postcode="1234AB",
        house_number=1,
        street="Dorpsstraat",
        city="Voorbeeldstad",
        signal_date=delivery.received_on,
        received_on=delivery.received_on,
    )
    return {
        "feedback-consent": [case.pk],
        "feedback-consent-told": [case.pk],
        "objection-create": [case.pk],
        "laa-detail": [laa.pk],
        "laa-close": [laa.pk],
        "objection-withdraw": [case.pk, 1],
        "report-csv": ["eindresultaten"],
        "pause-follow-up": [case.pk, pause.pk],
        "delivery-detail": [delivery.public_id],
        "delivery-rejected-csv": [delivery.public_id],
        "case-detail": [case.pk],
        "case-step": [case.pk, "pick_up"],
        "case-close": [case.pk],
        "case-reopen": [case.pk],
        "case-threatening": [case.pk],
        "crisis-proposal-dismiss": [case.pk],
        "crisis-term-withdraw": [case.pk, 1],
        "case-brp-check": [case.pk],
        "finding-confirm": [case.pk, finding.pk],
        "tray-edit": [tray.pk],
        "contact-attempt-create": [case.pk],
        "note-create": [case.pk],
        "action-plan-edit": [case.pk],
        "action-plan-print": [case.pk, plan.version],
        "case-message": [case.pk, "brief"],
    }


@pytest.fixture
def users(caseworker, teamlead, partner_user, functional_admin, privacy_officer):
    return {
        "anonymous": None,
        "caseworker": caseworker,
        "teamlead": teamlead,
        "partner_user": partner_user,
        "functional_admin": functional_admin,
        "privacy_officer": privacy_officer,
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        final = response.client.get(response.url, follow=True)
        assert final.request["PATH_INFO"] == reverse("login"), url
        assert final.status_code == 200, url
    else:
        assert response.status_code == expected, url


@pytest.mark.django_db
def test_every_url_has_an_expectation():
    names = set(_named_patterns(get_resolver().url_patterns))
    app_names = {n for n in names if not n.startswith("admin:")}
    assert app_names - set(EXPECTED) == set(), "add the new URL to EXPECTED"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_role_url_matrix(client, users, url_args, name, role):
    url = reverse(name, args=url_args.get(name, []))
    _check(_get(client, users[role], url), EXPECTED[name][ROLES.index(role)], url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_changelists_per_role(client, users, role):
    for model in admin.site._registry:
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = _get(client, users[role], url)
        if role == "anonymous":
            _check(response, LOGIN, url)
        elif role == "functional_admin" and label in ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN:
            _check(response, 200, url)
        else:
            _check(response, 403, url)


@pytest.mark.django_db
def test_admin_login_round_trip_lands_on_the_admin(client, functional_admin):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    next_url = response.context["next"]
    response = client.post(reverse("login"), {"username": "fb", "password": PASSWORD, "next": next_url}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("admin:index")


@pytest.mark.django_db
def test_partner_user_without_partner_is_refused(client, make_user, partner):
    user = make_user("partner_user", partner=partner)
    user.partner = None
    user.save()
    client.force_login(user)
    assert client.get(reverse("partner-dashboard")).status_code == 403


@pytest.mark.django_db
def test_user_without_role_gets_a_clear_page(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "heeft nog geen rol" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, dashboard",
    [
        ("caseworker", "caseworker-dashboard"),
        ("teamlead", "team-dashboard"),
        ("partner_user", "partner-dashboard"),
        ("functional_admin", "admin:index"),
        ("privacy_officer", "audit-search"),
    ],
)
def test_home_sends_each_role_to_its_dashboard(client, users, role, dashboard):
    client.force_login(users[role])
    assert client.get(reverse("home")).url == reverse(dashboard)
