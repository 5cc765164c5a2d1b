"""Letter, card, SMS text and the announcement of a home visit: filled for the
addressee the caseworker picks, naming only that resident's own arrears, discreet,
and recorded as a contact attempt."""

import pytest
from django.urls import reverse

from outreach.models import ContactAttempt, ContactKind
from testkit.factories import CaseFactory, SignalFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind, contact_kind", [("brief", ContactKind.LETTER), ("kaartje", ContactKind.CARD), ("sms", ContactKind.SMS)]
)
def test_message_is_filled_discreet_and_recorded(client, caseworker, picked_up_case, kind, contact_kind):
    page = client.get(reverse("case-message", args=[picked_up_case.pk, kind])).content.decode()
    assert "J. de Vries" in page and "Voorbeeldstad" in page
    assert caseworker.get_full_name() in page
    assert "1.248" not in page and "1248" not in page  # no amount on paper
    resident = picked_up_case.household.residents.get()
    client.post(reverse("case-message", args=[picked_up_case.pk, kind]), {"resident": resident.pk})
    attempt = ContactAttempt.objects.get(case=picked_up_case)
    assert (attempt.kind, attempt.reached) == (contact_kind, False)


def test_letter_names_the_kind_of_partner_not_the_company(client, picked_up_case):
    page = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    assert "uw verhuurder" in page and "Woonstichting Test" not in page
    assert "Dorpsstraat 12<br>1234 AB VOORBEELDSTAD" in page


def test_unknown_message_is_not_found(client, picked_up_case):
    assert client.get(reverse("case-message", args=[picked_up_case.pk, "fax"])).status_code == 404


def _letter(page: str) -> str:
    """What the resident reads: the text itself, not the page around it."""
    return page.split('data-testid="message">', 1)[1].split("</article>", 1)[0]


@pytest.mark.parametrize("kind", ["brief", "kaartje", "sms", "huisbezoek"])
def test_each_resident_reads_only_about_their_own_arrears(client, two_residents, kind):
    case, vries, jansen = two_residents
    url = reverse("case-message", args=[case.pk, kind])
    page = client.get(url).content.decode()
    assert 'data-testid="message"' not in page  # two residents: the caseworker chooses first
    assert 'data-testid="choose-addressee"' in page
    visit = {"visit_on": "2099-01-02", "visit_part": "Middag"} if kind == "huisbezoek" else {}
    to_vries = _letter(client.get(url, {"resident": vries.pk, **visit}).content.decode())
    to_jansen = _letter(client.get(url, {"resident": jansen.pk, **visit}).content.decode())
    assert "J. de Vries" in to_vries and "Jansen" not in to_vries
    assert "M. Jansen" in to_jansen and "Vries" not in to_jansen
    if kind in ("brief", "huisbezoek"):  # the card and the text name no partner at all
        assert "uw verhuurder" in to_vries and "energieleverancier" not in to_vries
        assert "uw energieleverancier" in to_jansen and "verhuurder" not in to_jansen
    for text in (to_vries, to_jansen):
        assert "Woonstichting Test" not in text and "Stroom Test" not in text


def test_the_announcement_of_a_home_visit_names_the_day_and_part_of_day(client, two_residents):
    case, vries, _jansen = two_residents
    url = reverse("case-message", args=[case.pk, "huisbezoek"])
    page = client.get(url, {"resident": vries.pk, "visit_on": "2099-01-02", "visit_part": "Middag"}).content.decode()
    letter = _letter(page)
    assert "<p>Onderwerp: aankondiging huisbezoek</p>" in letter
    assert "Ik kom graag bij u langs op vrijdag 2 januari 2099, in de middag." in letter
    past = client.get(url, {"resident": vries.pk, "visit_on": "2020-01-02", "visit_part": "Middag"}).content.decode()
    assert 'data-testid="message"' not in past and "Kondig een huisbezoek aan voor een dag na vandaag." in past
    client.post(url, {"resident": vries.pk, "visit_on": "2099-01-02", "visit_part": "Middag"})
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.kind, attempt.reached) == (ContactKind.LETTER, False)
    heading, text = attempt.note.split("\n\n", 1)
    assert heading == "Aankondiging huisbezoek verstuurd aan J. de Vries (huisbezoek 02-01-2099, middag):"
    assert "Ik kom graag bij u langs op vrijdag 2 januari 2099, in de middag." in text  # what was sent


def test_a_message_for_someone_outside_the_household_is_refused(client, partner, two_residents):
    """Only a resident with a signal in this case can be the addressee."""
    from cases.models import Resident

    case, _vries, _jansen = two_residents
    neighbours = CaseFactory(household__municipality=case.municipality, household__house_number=99)
    SignalFactory(
        case=neighbours, partner=partner, partner_referentie="X-1", resident__bsn="", resident__surname="Buurman"
    )
    stranger = Resident.objects.get(surname="Buurman")
    page = client.get(reverse("case-message", args=[case.pk, "brief"]), {"resident": stranger.pk}).content.decode()
    assert 'data-testid="message"' not in page
    client.post(reverse("case-message", args=[case.pk, "brief"]), {"resident": stranger.pk})
    assert not ContactAttempt.objects.filter(case=case).exists()
