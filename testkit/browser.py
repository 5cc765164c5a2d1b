"""Driving Debian's chromium in tests: logging in, axe-core's check with every rule,
and the console watch that fails a test on any browser error or warning."""

import os

from axe_playwright_python.sync_playwright import Axe

from testkit.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every rule axe-core has, of any impact: the WCAG 2.1 A/AA rules and the best
# practices ("region", "heading-order", "landmark-unique", ...) alike (issue 16).
# Without preloading: axe re-reads @import-ed stylesheets into <style> elements of
# its own, which our Content-Security-Policy rightly blocks; the one rule that needs
# them (css-orientation-lock) we keep by having no orientation media queries at all
# (vroeg/tests/test_browser.py checks the stylesheets).
ALL_RULES = {"preload": False}


def assert_accessible(page):
    results = Axe().run(page, options=ALL_RULES)
    violations = [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]
    assert violations == [], f"{page.url}: {violations}"


def log_in(page, username):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


class ConsoleWatch:
    """Collects what the browser complains about: console errors and warnings,
    uncaught script errors, and sub-resources (CSS, scripts, images) that failed.
    A page the test opens on purpose with a 4xx (a refused URL) is not a complaint:
    the browser's "Failed to load resource" line for it is left out, while a missing
    stylesheet or script still counts, through its response."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.request.resource_type} {response.url}")
