"""Searching and filtering the queue; every search is audit-logged."""

import pytest
from django.urls import reverse

from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(partner, municipality):
    """Two households with a case each, from one file: J. de Vries, and a crisis signal
    about Bakker without a BSN."""
    delivery = DeliveryFactory(partner=partner)
    vries = CaseFactory(household__municipality=municipality, household__postcode="1234AB", household__house_number=12)
    SignalFactory(case=vries, partner=partner, delivery=delivery, partner_referentie="HUUR-1")
    bakker = CaseFactory(household__municipality=municipality, household__postcode="5678CD", household__house_number=3)
    SignalFactory(
        case=bakker,
        partner=partner,
        delivery=delivery,
        partner_referentie="HUUR-2",
        resident__bsn="",
        resident__surname="Bakker",
        crisis=True,
    )
    return {"1234AB": vries, "5678CD": bakker}


def _shown(client, **params) -> set[str]:
    """Search as the page's form does: posted, then shown at ?zoek=<id>."""
    page = client.post(reverse("caseworker-dashboard"), params, follow=True).content.decode()
    return {pc for pc in ("1234AB", "5678CD") if f"{pc} Voorbeeldstad" in page}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "1234 ab 12"}, {"1234AB"}),
        ({"q": "999999990"}, {"1234AB"}),
        ({"q": "HUUR-2"}, {"5678CD"}),
        ({"q": "bakk"}, {"5678CD"}),
        ({"q": "niemand"}, set()),
        ({"crisis": "on"}, {"5678CD"}),
        ({"postcode_from": "5000", "postcode_to": "5999"}, {"5678CD"}),
        ({"partner_type": "Water"}, set()),
        ({"state": "new"}, {"1234AB", "5678CD"}),
        ({}, {"1234AB", "5678CD"}),
    ],
)
def test_search_and_filters(client, caseworker, cases, params, expected):
    client.force_login(caseworker)
    assert _shown(client, **params) == expected


def test_search_terms_never_stand_in_a_url(client, caseworker, make_user, cases):
    """A BSN or surname would otherwise reach the web server's access log."""
    client.force_login(caseworker)
    response = client.post(reverse("caseworker-dashboard"), {"q": "999999990"})
    assert response.status_code == 302 and "999999990" not in response.url
    assert response.url.startswith(f"{reverse('caseworker-dashboard')}?zoek=")
    page = client.get(response.url).content.decode()
    assert "1234AB Voorbeeldstad" in page and "5678CD Voorbeeldstad" not in page
    assert "999999990" in page  # the search field still shows what was searched for
    # The id means nothing in another session: a colleague sees the whole queue.
    client.force_login(make_user("caseworker", username="colleague"))
    assert "5678CD Voorbeeldstad" in client.get(response.url).content.decode()


def test_every_search_is_audit_logged_with_what_was_searched(client, caseworker, cases):
    client.force_login(caseworker)
    client.post(reverse("caseworker-dashboard"), {"q": "999999990"}, follow=True)
    entry = AuditEntry.objects.get(action=AuditAction.SEARCH, actor=caseworker)
    assert entry.detail == {"q": "999999990"}


def test_invalid_filter_is_explained_not_ignored(client, caseworker, cases):
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), {"postcode_from": "12"}).content.decode()
    assert "field-error" in page


def test_counts_of_overdue_and_due_this_week(client, caseworker, municipality):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    CaseFactory(household__municipality=municipality, contact_due=today - timedelta(days=1))
    CaseFactory(
        household__municipality=municipality,
        contact_due=today + timedelta(days=20),
        crisis_due=today - timedelta(days=1),
    )  # next_due: the crisis term
    CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=3))
    CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=20))
    CaseFactory(household__municipality=municipality, contact=True, contact_due=today - timedelta(days=5))
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    assert 'data-testid="count-open">5<' in page
    assert 'data-testid="count-overdue" class="overdue">2<' in page
    assert 'data-testid="count-week">1<' in page


def test_paging_keeps_the_filters(client, caseworker, municipality):
    for _ in range(30):
        CaseFactory(household__municipality=municipality, has_crisis=True)
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), {"crisis": "on"}).content.decode()
    assert 'href="?crisis=on&amp;pagina=2"' in page
    second = client.get(reverse("caseworker-dashboard"), {"crisis": "on", "pagina": 2}).content.decode()
    assert second.count('href="/zaken/') == 5 and "Pagina 2" in second


@pytest.mark.parametrize("term", ["Vries", "vri", "de Vries", "van der vries"])
def test_search_by_the_start_of_a_surname_with_or_without_its_prefix(client, caseworker, cases, term):
    client.force_login(caseworker)
    assert _shown(client, q=term) == {"1234AB"}


def test_search_does_not_match_the_middle_of_a_surname(client, caseworker, cases):
    client.force_login(caseworker)
    assert _shown(client, q="ries") == set()
