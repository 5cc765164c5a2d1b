"""Every role's pages in a real browser, asked for in Dutch and in English (issue 16):
each page is Dutch either way and reads the same, the browser reports no error or
warning (the `page` fixture fails on any), and axe-core finds no violation of any
rule. (`make screenshots` photographs the main pages with the demo data.)"""

import re

import pytest
from django.urls import reverse

from testkit.browser import ConsoleWatch, assert_accessible, log_in
from testkit.url_matrix import ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN, EXPECTED, ROLES, url_args

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Downloads and machine endpoints are not pages to read.
NOT_PAGES = {"healthz", "report-csv", "report-xlsx", "report-ddas", "audit-export", "delivery-rejected-csv"}
NOT_PAGES |= {"partner-feedback-csv", "two-factor", "home"}
DOWNLOADS = (".csv", ".xlsx", ".json", ".txt")
# Admin models whose rows only the application writes (deliveries come by upload).
NO_ADD_PAGE = {"signals.delivery", "audit.auditentry"}
# The page each role starts on.
MAIN_PAGE = {
    "anonymous": "login",
    "caseworker": "caseworker-dashboard",
    "teamlead": "team-dashboard",
    "partner_user": "partner-dashboard",
    "functional_admin": "admin:index",
    "privacy_officer": "audit-search",
}
USERNAMES = {
    "caseworker": "cw",
    "teamlead": "tl",
    "partner_user": "pu",
    "functional_admin": "fb",
    "privacy_officer": "fg",
}
# English words of our own menu and buttons that must never show: if gettext fell
# back to English for a page, these would be there.
ENGLISH = re.compile(r"\b(Log out|Notifications|My work|Deliveries|Search|Save|Reports|Work trays|Audit trail)\b")


# A check box sits left of its label, on the label's first line (issue 16: they sat
# above or below their labels).
CHECKBOXES_APART = """
Array.from(document.querySelectorAll("input[type=checkbox][id]")).filter(box => {
  const label = document.querySelector(`label[for="${box.id}"]`);
  const b = box.getBoundingClientRect();
  if (!label || b.width === 0) return false;
  const l = label.getBoundingClientRect();
  const middle = (b.top + b.bottom) / 2;
  const firstLine = middle >= l.top && middle <= l.top + 1.6 * (parseFloat(getComputedStyle(label).lineHeight) || 24);
  // Either before its label, or first inside it (Django's multiple check boxes).
  const left = label.contains(box) ? b.left <= l.left + 2 : b.right <= l.left + 1;
  return !(left && firstLine);
}).map(box => box.id)
"""


def _pages_of(role: str, args: dict, partner, functional_admin) -> list[str]:
    column = ROLES.index(role)
    urls = [
        reverse(name, args=args.get(name, []))
        for name, statuses in EXPECTED.items()
        if statuses[column] == 200 and name not in NOT_PAGES
    ]
    urls = [url for url in urls if not url.endswith(DOWNLOADS)]
    if role == "functional_admin":
        for label in sorted(ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN):
            app, model = label.split(".")
            urls.append(reverse(f"admin:{app}_{model}_changelist"))
            if functional_admin.has_perm(f"{app}.add_{model}") and label not in NO_ADD_PAGE:
                urls.append(reverse(f"admin:{app}_{model}_add"))
        urls += [
            reverse("admin:partners_partner_change", args=[partner.pk]),
            reverse("admin:municipalities_municipality_change", args=[functional_admin.municipalities.get().pk]),
            reverse("admin:accounts_user_change", args=[functional_admin.pk]),
        ]
    return urls


def _read(page, url: str, watch: ConsoleWatch, problems: list[str]) -> list[str]:
    """The interface's words on the page; what is wrong with it goes into `problems`,
    so one run names every page that fails, not only the first."""
    complaints = len(watch.problems)
    response = page.goto(url)
    text = page.locator("body").inner_text()
    try:
        assert response.status == 200, f"status {response.status}"
        assert page.locator("html").get_attribute("lang") == "nl", "not lang=nl"
        english = ENGLISH.search(text)
        assert not english, f"English on the page: {english and english[0]!r}"
        apart = page.evaluate(CHECKBOXES_APART)
        assert not apart, f"check boxes not beside their labels: {apart}"
        assert_accessible(page)
    except AssertionError as error:
        problems.append(f"{url}: {error}")
    problems += [f"{url}: {complaint}" for complaint in watch.problems[complaints:]]
    return _words(page)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_is_dutch_quiet_and_accessible_in_both_browsers(
    role, page, users, partner, functional_admin, live_server
):
    args = url_args(partner, functional_admin)
    urls = _pages_of(role, args, partner, functional_admin)
    assert urls, role
    if role != "anonymous":
        log_in(page, USERNAMES[role])
    problems: list[str] = []
    watch = ConsoleWatch(page)
    dutch = {url: _read(page, url, watch, problems) for url in urls}

    # The same pages for the same user in a browser that asks for English.
    english_context = page.context.browser.new_context(base_url=live_server.url, locale="en-US")
    english_context.add_cookies(page.context.cookies())
    english = english_context.new_page()
    english_watch = ConsoleWatch(english)
    try:
        for url in urls:
            words = _read(english, url, english_watch, problems)
            if words != dutch[url]:
                different = sorted(set(words) ^ set(dutch[url]))[:5]
                problems.append(f"{url}: reads differently in an English browser: {different}")
    finally:
        english_context.close()
    assert problems == [], "\n".join(problems)

    # WCAG 1.4.10: at 320 CSS pixels wide the main page reflows, nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(reverse(MAIN_PAGE[role]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{role}: the page scrolls sideways"


def _words(page) -> list[str]:
    """What the interface itself says (headings, menu, labels, buttons, column heads),
    not the data in it: a second visit may show new data (the audit trail lists the
    first visit), but the words around it are the same in either browser."""
    return page.locator("h1, h2, h3, nav a, label, button, th[scope=col], legend, summary").all_inner_texts()
