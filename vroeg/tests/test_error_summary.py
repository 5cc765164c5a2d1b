"""Forms with errors show one summary at the top of the page, each error a link to
its field (the NL Design System / GOV.UK pattern; issue 16)."""

import pytest
from django import forms
from django.template import Context, Template
from playwright.sync_api import expect

from testkit.browser import assert_accessible

SUMMARY = Template("{% load vroeg_forms %}{% error_summary %}")


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="Datum bezoek")
    reached = forms.BooleanField(label="Bereikt")
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Deze zaak is al gesloten.")


def test_every_error_is_listed_with_a_link_to_its_field_non_field_errors_first():
    form = VisitForm(data={"visited_on": "31-02-2026"})
    html = SUMMARY.render(Context({"form": form}))
    assert html.index("Deze zaak is al gesloten.") < html.index("Datum bezoek")
    assert '<a href="#id_visited_on">Datum bezoek: Voer een geldige datum in.</a>' in html
    assert '<a href="#id_reached">Bereikt: Dit veld is verplicht.</a>' in html
    # A hidden field has nothing to move to: its error is listed without a link.
    assert "<li>Dit veld is verplicht.</li>" in html
    assert "Er zijn 4 problemen" in html


def test_one_error_is_one_problem_and_valid_or_unbound_forms_show_nothing():
    form = VisitForm(data={"visited_on": "2026-02-03", "reached": "on", "secret": "x"})
    html = SUMMARY.render(Context({"form": form, "blank": VisitForm()}))
    assert "Er is een probleem" in html and "<li>Deze zaak is al gesloten.</li>" in html

    assert SUMMARY.render(Context({"blank": VisitForm()})).strip() == ""
    assert SUMMARY.render(Context({"ok": forms.Form(data={})})).strip() == ""


def test_a_form_in_the_context_twice_is_summarised_once():
    form = VisitForm(data={"visited_on": "2026-02-03", "reached": "on", "secret": "x"})
    html = SUMMARY.render(Context({"form": form, "attempt_form": form}))
    assert html.count("Deze zaak is al gesloten.") == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale", ["nl-NL", "en-US"])
def test_the_login_form_summary_takes_focus_and_its_links_reach_the_fields(page, caseworker, live_server, locale):
    context = page.context.browser.new_context(base_url=live_server.url, locale=locale)
    page = context.new_page()
    page.goto("/inloggen/")
    page.get_by_label("Wachtwoord").fill("secret")
    page.get_by_role("button", name="Inloggen").click()
    summary = page.get_by_test_id("error-summary")
    assert page.title().startswith("Fout: Inloggen")
    assert summary.get_by_role("heading").inner_text() == "Er is een probleem"
    expect(summary).to_be_focused()  # not the username field: no autofocus with errors
    summary.get_by_role("link", name="Gebruikersnaam: Dit veld is verplicht.").click()
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Gebruikersnaam").fill("cw")
    page.get_by_label("Wachtwoord").fill("wrong")
    page.get_by_role("button", name="Inloggen").click()
    assert (
        page.get_by_role("alert")
        .inner_text()
        .endswith("Gebruikersnaam en wachtwoord horen niet bij elkaar. Probeer het opnieuw.")
    )
    context.close()
