"""Plan van Aanpak: only after help is accepted, versioned, printable."""

import pytest
from django.urls import reverse

from cases.services import CaseActionRefused
from cases.tests.factories import CaseFactory
from outreach.models import ActionPlan, QuickFix
from outreach.services import action_plan_save

pytestmark = pytest.mark.django_db


def test_every_change_is_a_new_version_and_old_ones_stay_readable(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    client.force_login(caseworker)
    response = client.post(reverse("action-plan-edit", args=[case.pk]), {
        "arrears": "Huur € 1.248", "quick_fixes": [QuickFix.PAYMENT_ARRANGEMENTS, QuickFix.ALLOWANCES],
        "who_0": "Inwoner", "what_0": "Betalingsregeling met Woonstichting bellen", "when_0": "2026-12-01",
    })  # fmt: skip
    assert response.url == reverse("action-plan-print", args=[case.pk, 1])
    client.post(reverse("action-plan-edit", args=[case.pk]), {
        "arrears": "Huur € 1.248, water € 200", "handover_organisation": "Schuldhulp Voorbeeldstad",
        "handover_contact": "mw. Bos", "three_way_talk": "on",
    })  # fmt: skip
    assert list(ActionPlan.objects.filter(case=case).values_list("version", flat=True)) == [2, 1]
    old = client.get(reverse("action-plan-print", args=[case.pk, 1])).content.decode()
    assert "Betalingsregeling met Woonstichting bellen" in old and "betalingsregelingen" in old
    assert "een nieuwere versie" in old
    new = client.get(reverse("action-plan-print", args=[case.pk, 2])).content.decode()
    assert "Schuldhulp Voorbeeldstad" in new and "een nieuwere versie" not in new


def test_edit_form_starts_from_the_latest_version(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    action_plan_save(case_id=case.pk, user=caseworker, data={"arrears": "Gas € 300", "actions": [
        {"who": "Medewerker", "what": "Toeslagen nagaan", "when": "2026-12-02"}]})  # fmt: skip
    client.force_login(caseworker)
    page = client.get(reverse("action-plan-edit", args=[case.pk])).content.decode()
    assert "Gas € 300" in page and 'value="Toeslagen nagaan"' in page


def test_a_plan_needs_something_agreed(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    client.force_login(caseworker)
    response = client.post(reverse("action-plan-edit", args=[case.pk]), {"arrears": "x", "who_0": "Inwoner"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Spreek ten minste één actie" in page and "Zeg wat er gebeurt" in page
    assert not ActionPlan.objects.exists()


def test_no_plan_before_help_is_accepted(caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, contact=True)
    with pytest.raises(CaseActionRefused, match="hulp is geaccepteerd"):
        action_plan_save(case_id=case.pk, user=caseworker, data={"arrears": "x"})
