"""The foundation in a real browser: login, navigation per role, keyboard access."""

import pytest

from testkit.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_caseworker_logs_in_sees_their_dashboard_and_logs_out(page, make_user):
    make_user("caseworker", username="mila")
    _log_in(page, "mila")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn werk"
    assert page.get_by_test_id("municipality").inner_text().strip() == "Voorbeeldstad"
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Mijn werk", "Huisbezoeken"]
    assert nav.get_by_role("link", name="Mijn werk").get_attribute("aria-current") == "page"

    page.get_by_role("button", name="Uitloggen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen"


def test_partner_user_sees_only_partner_pages(page, make_user, partner):
    make_user("partner_user", username="priya", partner=partner)
    _log_in(page, "priya")
    assert page.get_by_test_id("partner-name").inner_text() == "Woonstichting Test"
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    assert nav.get_by_role("link").all_inner_texts() == ["Leveringen", "Terugkoppeling", "Cijfers"]
    response = page.goto("/werk/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"


def test_wrong_password_gives_a_dutch_message(page, make_user):
    make_user("caseworker", username="mila")
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("mila")
    page.get_by_label("Wachtwoord").fill("not-the-password")
    page.get_by_role("button", name="Inloggen").click()
    assert "horen niet bij elkaar" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Wachtwoord").get_attribute("aria-invalid") == "true"


def test_skip_link_is_first_visible_on_focus_and_moves_focus(page, make_user):
    make_user("teamlead", username="thijs")
    _log_in(page, "thijs")
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.textContent.trim().slice(0, 40)]")
    assert focused == ["A", "Naar de inhoud"]
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # on screen while focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus indicator
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_the_demo_banner_sits_inside_a_landmark(page, settings):
    """axe's "region" rule: the banner stood outside every landmark on every page."""
    from axe_playwright_python.sync_playwright import Axe

    settings.VROEG_DEMO = True
    page.goto("/inloggen/")
    assert page.get_by_role("note").inner_text() == "Demo-omgeving: alleen verzonnen gegevens."
    result = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["region"]}})
    assert result.response["violations"] == []


def test_no_stylesheet_locks_the_screen_orientation():
    """WCAG 1.3.4: content works in portrait and landscape. axe's own check of this
    (css-orientation-lock) needs stylesheet preloading, which the browser tests leave
    off (testkit/browser.py), so this test reads every stylesheet we serve instead."""
    import re
    from pathlib import Path

    import django.contrib.admin

    sheets = [*Path("static").rglob("*.css"), *(Path(django.contrib.admin.__file__).parent / "static").rglob("*.css")]
    assert len(sheets) > 5
    locking = [str(sheet) for sheet in sheets if re.search(r"orientation\s*:", sheet.read_text(encoding="utf-8"))]
    assert locking == []
