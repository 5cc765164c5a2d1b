"""Vroeg speaks Dutch whatever the browser asks for (issue 16: with an English browser
every page turned English, mixed with Dutch fragments), and the Django admin's
JavaScript widgets speak Dutch with it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_gets_the_dutch_login_page(client):
    page = client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()
    assert 'lang="nl"' in page and "Gebruikersnaam" in page and "Wachtwoord" in page
    assert "Username" not in page and "Password" not in page


def test_an_english_browser_gets_dutch_pages_and_dutch_amounts(client, caseworker, partner):
    from testkit.factories import CaseFactory

    CaseFactory(signals=[partner], signals__amount=2893.20)
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), **ENGLISH_BROWSER).content.decode()
    assert "Zoeken" in page and "Search" not in page
    assert "€ 2.893,20" in page


def test_the_admin_javascript_catalog_is_dutch(client, functional_admin):
    client.force_login(functional_admin)
    catalog = client.get(reverse("admin:jsi18n"), **ENGLISH_BROWSER).content.decode()
    assert '"Choose": "Kiezen"' in catalog and '"Available %s": "Beschikbare %s"' in catalog


def test_date_fields_get_iso_values_for_the_date_picker():
    """'30-11-2026' in an <input type=date> shows empty, so a required date had to be
    typed by hand."""
    from datetime import date

    from outreach.forms import ContactAttemptForm
    from privacy.forms import AuditSearchForm

    attempt = ContactAttemptForm(initial={"date": date(2026, 11, 30)})
    assert 'type="date"' in str(attempt["date"]) and 'value="2026-11-30"' in str(attempt["date"])
    search = AuditSearchForm(initial={"date_from": date(2026, 11, 1)})
    assert 'value="2026-11-01"' in str(search["date_from"])


def test_every_word_of_djangos_admin_and_login_templates_has_dutch():
    """Django's Dutch catalogue lacks a few words of its own admin (the add-user help,
    hidden column heads); vroeg/django_words.py supplies them."""
    import re
    from pathlib import Path

    import django
    from django.utils import translation

    contrib = Path(django.__file__).parent / "contrib"
    english = set()
    with translation.override("nl"):
        for app in ("admin", "auth"):
            for template in (contrib / app / "templates").rglob("*.html"):
                for match in re.finditer(r"""\{% (?:translate|trans) (['"])(.+?)\1""", template.read_text()):
                    if translation.gettext(match[2]) == match[2]:
                        english.add(match[2])
    assert english == set()


def test_the_add_user_page_explains_itself_in_dutch(client, functional_admin):
    client.force_login(functional_admin)
    page = client.get(reverse("admin:accounts_user_add"), **ENGLISH_BROWSER).content.decode()
    assert "After you" not in page and "Model name" not in page


def test_forms_keep_djangos_dutch_whatever_other_apps_translate():
    """An app's catalogue is read before Django's own: Django REST framework's would
    turn "Dit veld is verplicht." into "Dit veld is vereist." on every form."""
    import gettext
    from pathlib import Path

    import django
    from django.apps import apps
    from django.utils import translation

    def catalogue(mo: Path) -> dict:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)._catalog

    djangos = {}
    for mo in Path(django.__file__).parent.rglob("locale/nl/LC_MESSAGES/django.mo"):
        djangos.update(catalogue(mo))
    with translation.override("nl"):
        for app in apps.get_app_configs():
            mo = Path(app.path) / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
            if not mo.exists() or app.name.startswith("django."):
                continue
            for msgid, dutch in catalogue(mo).items():
                if isinstance(msgid, str) and msgid and msgid in djangos and djangos[msgid] != dutch:
                    assert translation.gettext(msgid) == djangos[msgid], (app.name, msgid)
