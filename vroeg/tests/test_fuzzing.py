"""Hostile input on every URL, as every role that may open it: huge and negative
numbers, far dates, malformed ids, very long strings, unicode, NUL bytes and repeated
parameters, in the query string of a GET and in the body of a POST. Whatever comes
in, the answer is never a server error (5xx); hypothesis picks the combinations,
bounded so the suite stays fast."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.url_matrix import EXPECTED, ROLES
from testkit.url_matrix import url_args as matrix_url_args

pytestmark = pytest.mark.django_db

# What an attacker tries first, each on every field singly; hypothesis then mixes
# these and random text over several fields at once, repeated names included.
KILLERS = ["99999999999999999999", "-99999999999999999999", "9999-12-31", "0001-01-01", "x" * 10_000]
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "99999999999999999999",
            "-99999999999999999999",
            "-1",
            "0",
            "1e400",
            "nan",
            "9999-12-31",
            "0001-01-01",
            "31-12-9999",
            "2026-02-30",
            "00000000-0000-0000-0000-00000000000g",
            "x" * 10_000,
            "\x00",
            "a\x00b",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ☃ \u202e",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=50),
)

# Each URL with the roles that may open it (a GET answered 200), and the POST-only
# URLs with the roles that may post to them (a GET refused with 405).
ALLOWED = sorted(
    (name, role)
    for name, expected in EXPECTED.items()
    for role, status in zip(ROLES, expected, strict=True)
    if status in (200, 405) and role != "anonymous" and not name.startswith("admin:") and name != "logout"
)


FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
ACTION = re.compile(r"\baction=\"([^\"]*)\"")
LINK_PARAM = re.compile(r"href=\"[^\"]*\?([^\"#]*)\"")


def _fields_by_action(html: str, page_url: str) -> dict[str, set[str]]:
    """The names a page's forms send, by the URL each form goes to, and the query
    parameters of its own links (paging, filters), as an attacker reads them."""
    found: dict[str, set[str]] = {}
    for attrs, body in FORM.findall(html):
        action = ACTION.search(attrs)
        target = (action.group(1) if action and action.group(1) else page_url).split("?")[0]
        found.setdefault(target, set()).update(n for n in FIELD.findall(body) if n != "csrfmiddlewaretoken")
    for query in LINK_PARAM.findall(html):
        found.setdefault(page_url, set()).update(p.split("=")[0] for p in query.replace("&amp;", "&").split("&") if p)
    return found


# The pages that hold the forms of the POST-only URLs.
FORM_PAGES = ["case-detail", "caseworker-dashboard", "team-dashboard", "laa-detail", "action-plan-edit"]


def _names(client, args, name: str, url: str, post: bool) -> list[str]:
    """The parameters to try on `url`: its page's own fields and links, or for a POST
    URL the fields of the forms that post to it."""
    pages = [n for n in FORM_PAGES if n != name] if post else [name]
    found: set[str] = {"pagina", "next"}
    for page in pages:
        page_url = reverse(page, args=args.get(page, []))
        response = client.get(page_url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found |= _fields_by_action(response.content.decode(), page_url).get(url, set())
    return sorted(found)


@pytest.mark.parametrize(("name", "role"), ALLOWED)
def test_hostile_parameters_never_cause_a_server_error(client, users, partner, functional_admin, name, role):
    args = matrix_url_args(partner, functional_admin)
    client.force_login(users[role])
    url = reverse(name, args=args.get(name, []))
    post = EXPECTED[name][ROLES.index(role)] == 405
    names = _names(client, args, name, url, post)

    def send(query: list[tuple[str, str]]) -> None:
        data = urlencode(query)
        if post:
            response = client.post(url, data, content_type="application/x-www-form-urlencoded")
        else:
            response = client.get(f"{url}?{data}")
        assert response.status_code < 500, (url, query)

    for field in names:
        for value in KILLERS:
            send([(field, value)])

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(query=st.lists(st.tuples(st.sampled_from(names), HOSTILE), min_size=1, max_size=6))
    def mixed(query):
        send(query)

    mixed()


# The rows of issue 15's table, each as it was found.


@pytest.mark.parametrize("name", ["caseworker-dashboard", "audit-search"])
def test_a_page_number_of_twenty_digits_shows_an_empty_page(client, users, name):
    role = "caseworker" if name == "caseworker-dashboard" else "privacy_officer"
    client.force_login(users[role])
    response = client.get(reverse(name), {"pagina": "99999999999999999999"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "role", "field"),
    [
        ("partner-feedback", "partner_user", "date_to"),
        ("partner-feedback-csv", "partner_user", "date_to"),
        ("audit-search", "privacy_officer", "date_to"),
        ("audit-export", "privacy_officer", "date_to"),
    ],
)
def test_the_year_9999_is_refused_in_dutch_not_with_a_server_error(client, users, name, role, field):
    client.force_login(users[role])
    response = client.get(reverse(name), {field: "9999-12-31"}, follow=True)
    assert response.status_code < 500
    if "html" in response["Content-Type"]:
        assert "Kies een datum tussen 2000 en 2100." in response.content.decode()


def test_a_next_that_is_not_a_path_falls_back_to_the_queue(client, users):
    client.force_login(users["caseworker"])
    response = client.post(reverse("case-assign"), {"next": "99999999999999999999"})
    assert response.status_code == 302 and response.url == reverse("caseworker-dashboard")
