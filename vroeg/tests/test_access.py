"""Every URL × every role: deny by default, checked against an explicit table.

A new URL without an entry in testkit/url_matrix.py fails `test_every_url_has_an_expectation`, so
this table grows with every issue.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from testkit.factories import PASSWORD
from testkit.url_matrix import ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN, EXPECTED, LOGIN, ROLES
from testkit.url_matrix import url_args as matrix_url_args


def _named_patterns(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _named_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


@pytest.fixture
def url_args(partner, functional_admin):
    return matrix_url_args(partner, functional_admin)


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
