"""Letter, card and SMS text: filled, discreet, and recorded as a contact attempt."""

import pytest
from django.urls import reverse

from cases.models import Case, CaseState
from outreach.models import ContactAttempt, ContactKind
from signals.tests.csvfiles import csv_bytes, row
from signals.tests.factories import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def picked_up_case(partner, caseworker, client):
    from datetime import timedelta

    from django.utils import timezone

    deliver(partner, csv_bytes([row()]), received_on=timezone.localdate() - timedelta(days=2))
    case = Case.objects.get()
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW})
    return case


@pytest.mark.parametrize("kind, contact_kind", [("brief", ContactKind.LETTER), ("kaartje", ContactKind.CARD), ("sms", ContactKind.SMS)])
def test_message_is_filled_discreet_and_recorded(client, caseworker, picked_up_case, kind, contact_kind):
    page = client.get(reverse("case-message", args=[picked_up_case.pk, kind])).content.decode()
    assert "J. de Vries" in page and "Voorbeeldstad" in page
    assert caseworker.get_full_name() in page
    assert "1.248" not in page and "1248" not in page  # no amount on paper
    client.post(reverse("case-message", args=[picked_up_case.pk, kind]))
    attempt = ContactAttempt.objects.get(case=picked_up_case)
    assert (attempt.kind, attempt.reached) == (contact_kind, False)


def test_letter_names_the_kind_of_partner_not_the_company(client, picked_up_case):
    page = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    assert "uw verhuurder" in page and "Woonstichting Test" not in page
    assert "Dorpsstraat 12<br>1234 AB VOORBEELDSTAD" in page


def test_unknown_message_is_not_found(client, picked_up_case):
    assert client.get(reverse("case-message", args=[picked_up_case.pk, "fax"])).status_code == 404
