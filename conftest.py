"""Fixtures shared by all apps' tests."""

import pytest

from vroeg.tests.factories import MunicipalityFactory, PartnerFactory, UserFactory

ROLES = ["caseworker", "teamlead", "partner_user", "functional_admin"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests run without `collectstatic`: serve static files from the source folders."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(code="9999", name="Voorbeeldstad", inhabitants=100_000)


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(code="0363", name="Amsterdam", inhabitants=930_000)


@pytest.fixture
def partner(db, municipality):
    p = PartnerFactory(code="test-huur", name="Woonstichting Test")
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def make_user(db, municipality):
    """make_user("caseworker") → a user with that role in the default municipality."""

    def make(role: str | None = None, **kwargs):
        kwargs.setdefault("municipalities", [municipality])
        if role:
            kwargs[role] = True
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", username="cw")


@pytest.fixture
def teamlead(make_user):
    return make_user("teamlead", username="tl")


@pytest.fixture
def partner_user(make_user, partner):
    return make_user("partner_user", username="pu", partner=partner)


@pytest.fixture
def functional_admin(make_user):
    return make_user("functional_admin", username="fb")
