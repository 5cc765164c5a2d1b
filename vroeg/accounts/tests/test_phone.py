"""A caseworker's telephone number, for the letters they sign: filled in by the
functional admin in the user form, refused when it is no number one can call."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from vroeg.accounts import roles
from vroeg.accounts.models import validate_phone
from vroeg.accounts.services import user_upsert

pytestmark = pytest.mark.django_db


def _post(client, user, phone: str):
    return client.post(
        f"/beheer/accounts/user/{user.pk}/change/",
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": phone,
            "groups": [Group.objects.get(name=roles.CASEWORKER).pk],
            "municipalities": [m.pk for m in user.municipalities.all()],
            "is_active": "on",
        },
    )


def test_the_functional_admin_fills_in_a_phone_number(client, functional_admin, caseworker):
    client.force_login(functional_admin)
    page = client.get(f"/beheer/accounts/user/{caseworker.pk}/change/").content.decode()
    assert 'name="phone"' in page and "Telefoonnummer" in page
    assert _post(client, caseworker, "020 123 4567").status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.phone == "020 123 4567"  # as written: so the letter shows it

    response = _post(client, caseworker, "12345")
    assert response.status_code == 200
    assert "Vul een telefoonnummer in, bijvoorbeeld 020 123 4567 of 06 12345678." in response.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.phone == "020 123 4567"


@pytest.mark.parametrize("number", ["020 123 4567", "06-12345678", "+32 2 123 45 67", "14 020", "140591"])
def test_numbers_one_can_call(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["12345", "020 123 456", "bel de balie", "14 20", "0031 6 1234"])
def test_no_numbers(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


def test_user_upsert_sets_and_checks_the_phone(municipality):
    user = user_upsert(username="m", password="pw-m-12345678", role=roles.CASEWORKER, phone="06 12345678")
    assert user.phone == "06 12345678"
    with pytest.raises(ValidationError):
        user_upsert(username="m", password="pw-m-12345678", role=roles.CASEWORKER, phone="06 1234")
