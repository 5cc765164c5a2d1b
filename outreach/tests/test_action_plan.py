"""Plan van Aanpak: only after help is accepted, versioned, printable; the resident's
copy recorded, and required before the case closes with a result of help."""

import pytest
from django.urls import reverse

from cases.models import HELP_OUTCOMES, CaseState, Outcome
from cases.services import CaseActionRefused, case_close
from outreach.models import ActionPlan, CopyHow, QuickFix
from outreach.services import action_plan_save
from testkit.action_plans import plan_with_copy
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_every_change_is_a_new_version_and_old_ones_stay_readable(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    client.force_login(caseworker)
    response = client.post(
        reverse("action-plan-edit", args=[case.pk]),
        {
            "arrears": "Huur € 1.248",
            "quick_fixes": [QuickFix.PAYMENT_ARRANGEMENTS, QuickFix.ALLOWANCES],
            "who_0": "Inwoner",
            "what_0": "Betalingsregeling met Woonstichting bellen",
            "when_0": "2026-12-01",
        },
    )
    assert response.url == reverse("action-plan-print", args=[case.pk, 1])
    client.post(
        reverse("action-plan-edit", args=[case.pk]),
        {
            "arrears": "Huur € 1.248, water € 200",
            "handover_organisation": "Schuldhulp Voorbeeldstad",
            "handover_contact": "mw. Bos",
            "three_way_talk": "on",
        },
    )
    assert list(ActionPlan.objects.filter(case=case).values_list("version", flat=True)) == [2, 1]
    old = client.get(reverse("action-plan-print", args=[case.pk, 1])).content.decode()
    assert "Betalingsregeling met Woonstichting bellen" in old and "betalingsregelingen" in old
    assert "een nieuwere versie" in old
    new = client.get(reverse("action-plan-print", args=[case.pk, 2])).content.decode()
    assert "Schuldhulp Voorbeeldstad" in new and "een nieuwere versie" not in new


def test_edit_form_starts_from_the_latest_version(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    action_plan_save(
        case_id=case.pk,
        user=caseworker,
        data={
            "arrears": "Gas € 300",
            "actions": [{"who": "Medewerker", "what": "Toeslagen nagaan", "when": "2026-12-02"}],
        },
    )
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


def _close(client, case, outcome):
    return client.post(
        reverse("case-close", args=[case.pk]),
        {"outcome": outcome, "expected_state": CaseState.HELP_ACCEPTED},
        follow=True,
    )


@pytest.mark.parametrize("outcome", HELP_OUTCOMES)
def test_a_result_of_help_needs_a_plan_whose_copy_the_resident_got(client, caseworker, municipality, outcome):
    """NVVK module: once help is accepted there is a Plan van Aanpak, and the resident
    and the caseworker each get a copy. Without it the case does not close with a
    result of help, and the case page says why."""
    from django.utils import timezone

    case = CaseFactory(household__municipality=municipality, help_accepted=True)  # accepted 6 November 2026
    client.force_login(caseworker)
    page = _close(client, case, outcome).content.decode()
    assert f"Sluiten met “{outcome}” kan pas als er een Plan van Aanpak is" in page
    case.refresh_from_db()
    assert case.state == CaseState.HELP_ACCEPTED

    edit = reverse("action-plan-edit", args=[case.pk])
    client.post(edit, {"what_0": "Betalingsregeling met de verhuurder"})  # version 1, no copy yet
    page = _close(client, case, outcome).content.decode()
    assert "pas als de inwoner een exemplaar van het Plan van Aanpak (versie 1) heeft gekregen" in page
    assert "Versie 1: nog geen exemplaar voor de inwoner vastgelegd." in page

    today = timezone.localdate()
    response = client.post(
        edit,
        {"what_0": "Betalingsregeling met de verhuurder", "copy_given_on": today.isoformat(), "copy_how": CopyHow.POST},
    )
    assert response.url == reverse("action-plan-print", args=[case.pk, 2])
    printed = client.get(response.url).content.decode()
    assert f"De inwoner kreeg op {today:%d-%m-%Y} een exemplaar van deze versie (per post)." in printed
    page = _close(client, case, outcome).content.decode()
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, outcome)
    assert f"Versie 2: de inwoner kreeg op {today:%d-%m-%Y} een exemplaar (per post)." in page


def test_the_copy_of_the_latest_version_counts(client, caseworker, municipality):
    """A changed plan is a new version: the resident needs a copy of that one."""
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    plan_with_copy(case, caseworker)
    action_plan_save(
        case_id=case.pk,
        user=caseworker,
        data={"arrears": "x", "actions": [{"who": "Medewerker", "what": "Doorverwijzen", "when": ""}]},
    )
    with pytest.raises(CaseActionRefused, match=r"exemplaar van het Plan van Aanpak \(versie 2\)"):
        case_close(case_id=case.pk, user=caseworker, outcome=Outcome.FOLLOW_UP)


def test_no_reaction_after_help_was_accepted_needs_no_plan(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    client.force_login(caseworker)
    _close(client, case, Outcome.NO_REACTION)
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.NO_REACTION)


@pytest.mark.parametrize(
    "copy, message",
    [
        ({"copy_given_on": "2099-01-01", "copy_how": CopyHow.IN_PERSON}, "De datum kan niet in de toekomst liggen."),
        (
            {"copy_given_on": "2026-11-05", "copy_how": CopyHow.IN_PERSON},
            "De inwoner kan geen exemplaar hebben gekregen vóór de hulp werd geaccepteerd (06-11-2026).",
        ),
        ({"copy_given_on": "2026-11-20"}, "Zeg hoe de inwoner het exemplaar kreeg."),
        ({"copy_how": CopyHow.EMAIL}, "Zeg wanneer de inwoner het exemplaar kreeg."),
    ],
)
def test_the_copy_is_recorded_with_a_possible_date_and_how(client, caseworker, municipality, copy, message):
    case = CaseFactory(household__municipality=municipality, help_accepted=True)  # accepted 6 November 2026
    client.force_login(caseworker)
    response = client.post(reverse("action-plan-edit", args=[case.pk]), {"what_0": "Toeslagen nagaan", **copy})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_the_printed_plan_gives_action_dates_the_dutch_way(client, caseworker, municipality):
    """Issue 16: the printed Plan van Aanpak showed its action dates as 2026-12-02."""
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    action_plan_save(
        case_id=case.pk,
        user=caseworker,
        data={
            "arrears": "Gas € 300",
            "actions": [
                {"who": "Medewerker", "what": "Toeslagen nagaan", "when": "2026-12-02"},
                {"who": "Inwoner", "what": "Post openen", "when": ""},
            ],
        },
    )
    client.force_login(caseworker)
    page = client.get(reverse("action-plan-print", args=[case.pk, 1])).content.decode()
    assert "<td>02-12-2026</td>" in page and "2026-12-02" not in page
    assert "<td>Post openen</td><td>–</td>" in page
