"""Demo data for `make run`: one municipality, four partners, one account per role.

Idempotent: loading twice adds nothing twice. Later issues add signals and cases
here, so that every page shows something.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from signals.models import PartnerType
from signals.services import partner_upsert
from vroeg.accounts import roles
from vroeg.accounts.services import user_upsert
from vroeg.municipalities.models import Municipality

DEMO_PASSWORD = "vroeg-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


DEMO_LOGINS = [
    DemoLogin("medewerker", roles.CASEWORKER),
    DemoLogin("teamleider", roles.TEAM_LEAD),
    DemoLogin("partner", roles.PARTNER_USER),
    DemoLogin("beheerder", roles.FUNCTIONAL_ADMIN),
]

_PARTNERS = [
    ("demo-huur", "Woonstichting Voorbeeldstad", PartnerType.HUUR),
    ("demo-energie", "Energie Voorbeeld", PartnerType.ENERGIE),
    ("demo-water", "Waterbedrijf Voorbeeld", PartnerType.WATER),
    ("demo-zorg", "Zorgverzekeraar Voorbeeld", PartnerType.ZORG),
]

_NAMES = {
    "medewerker": ("Mila", "de Vries"),
    "teamleider": ("Thijs", "Bakker"),
    "partner": ("Priya", "Jansen"),
    "beheerder": ("Bram", "Visser"),
}


@transaction.atomic
def demo_load() -> None:
    """Load the demo data; refuses outside demo mode."""
    if not settings.VROEG_DEMO:
        raise ImproperlyConfigured(
            "Demo data can only be loaded in demo mode (DJANGO_DEBUG=true or VROEG_DEMO=true)."
        )
    municipality, _ = Municipality.objects.update_or_create(
        code="9999", defaults={"name": "Voorbeeldstad", "inhabitants": 100_000}
    )
    partners = {
        code: partner_upsert(
            code=code, name=name, partner_type=ptype, municipalities=[municipality]
        )
        for code, name, ptype in _PARTNERS
    }
    for login in DEMO_LOGINS:
        first, last = _NAMES[login.username]
        user_upsert(
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            municipalities=[municipality],
            partner=partners["demo-huur"] if login.role == roles.PARTNER_USER else None,
            first_name=first,
            last_name=last,
            email=f"{login.username}@voorbeeldstad.example",
            is_demo=True,
        )
