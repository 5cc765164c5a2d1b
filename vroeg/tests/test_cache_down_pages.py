"""Redis down is survivable: with the cache on a closed port, every page of the role ×
URL matrix still answers, as each role that may open it (no 5xx)."""

import pytest
from django.urls import reverse

from testkit.url_matrix import EXPECTED, ROLES
from testkit.url_matrix import url_args as matrix_url_args

pytestmark = pytest.mark.django_db

PAGES = sorted(
    (name, role)
    for name, expected in EXPECTED.items()
    for role, status in zip(ROLES, expected, strict=True)
    if status == 200 and role != "anonymous"
)


def test_every_page_answers_with_the_cache_down(client, users, partner, functional_admin, cache_down):
    args = matrix_url_args(partner, functional_admin)
    broken = []
    for name, role in PAGES:
        client.force_login(users[role])
        url = reverse(name, args=args.get(name, []))
        status = client.get(url).status_code
        if status != EXPECTED[name][ROLES.index(role)]:
            broken.append((url, role, status))
    client.logout()
    assert broken == []
    # Anonymous pages too: the login page and the health check.
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
