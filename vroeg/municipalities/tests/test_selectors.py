import pytest
from django.urls import reverse

from signals.models import Partner
from testkit.factories import PartnerFactory
from vroeg.municipalities.selectors import municipalities_for_user, scope_to_user_municipalities


@pytest.mark.django_db
def test_user_sees_only_their_own_active_municipalities(make_user, municipality, other_municipality):
    user = make_user("caseworker")
    assert list(municipalities_for_user(user=user)) == [municipality]
    user.municipalities.add(other_municipality)
    assert set(municipalities_for_user(user=user)) == {municipality, other_municipality}
    other_municipality.active = False
    other_municipality.save()
    assert list(municipalities_for_user(user=user)) == [municipality]


@pytest.mark.django_db
def test_scoping_filters_data_to_the_users_municipalities(make_user, municipality, other_municipality):
    ours = PartnerFactory(code="ours")
    ours.municipalities.add(municipality)
    theirs = PartnerFactory(code="theirs")
    theirs.municipalities.add(other_municipality)
    user = make_user("teamlead")
    scoped = scope_to_user_municipalities(Partner.objects.all(), user=user, field="municipalities")
    assert list(scoped) == [ours]


@pytest.mark.django_db
def test_header_shows_the_users_municipality_not_others(client, make_user, other_municipality):
    client.force_login(make_user("caseworker"))
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    assert "Voorbeeldstad" in page
    assert "Amsterdam" not in page
