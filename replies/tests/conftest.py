"""A case in outreach with one resident (J. Zwartkop at Geheimstraat 7, 1234 ZZ, an
arrear of € 1.248,68 with Woonstichting Verborgen) assigned to the caseworker, and a
reply code for that resident issued by opening the letter, as the caseworker does."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from testkit.factories import CaseFactory, PartnerFactory, SignalFactory

CODE = re.compile(r"\b[0-9A-Z]{6}-[0-9A-Z]{6}-[0-9A-Z]{6}\b")


@pytest.fixture(autouse=True)
def _counters_of_its_own(settings):
    """The rate limits count in the configured cache; each test counts apart."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"replies-{uuid.uuid4().hex}"}}


@pytest.fixture
def case(municipality, caseworker):
    today = timezone.localdate()
    case = CaseFactory(
        outreach=True,
        assigned_to=caseworker,
        household__municipality=municipality,
        household__street="Geheimstraat",
        household__house_number=7,
        household__postcode="1234ZZ",
        household__city="Voorbeeldstad",
        first_received_on=today - timedelta(days=10),
        picked_up_on=today - timedelta(days=9),
    )
    SignalFactory(
        case=case,
        partner=PartnerFactory(name="Woonstichting Verborgen"),
        resident__surname="Zwartkop",
        resident__prefix="",
        resident__initials="J.",
    )
    return case


@pytest.fixture
def letter_code(client, caseworker):
    """letter_code(case, kind="brief") → the code printed on the letter (and the page's HTML)."""

    def issue(case, kind="brief"):
        client.force_login(caseworker)
        response = client.get(reverse("case-message", args=[case.pk, kind]))
        assert response.status_code == 200
        html = response.content.decode()
        client.logout()
        return CODE.search(html).group(0), html

    return issue
