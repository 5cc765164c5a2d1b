"""BRP check: is the person registered at the signal's address in this municipality?

Two backends, chosen by BRP_BACKEND: `haalcentraal` (client.py, the Haal Centraal
BRP API Personen 2.x; spec in openapi-brp-personen-2.7.yaml) and `none` (default),
which answers "not checked" so the caseworker records a manual check.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BrpResult(models.TextChoices):
    NOT_CHECKED = "not_checked", _("not checked in the BRP")
    AT_ADDRESS = "at_address", _("registered at this address")
    ELSEWHERE = "elsewhere", _("registered elsewhere in the municipality")
    NOT_A_RESIDENT = "not_resident", _("not a resident of the municipality")
    DECEASED = "deceased", _("deceased")
    NOT_FOUND = "not_found", _("not found in the BRP")


@dataclass(frozen=True)
class Person:
    """What the signal says about the person and their address."""

    surname: str
    prefix: str = ""
    bsn: str = ""
    birth_date: date | None = None
    postcode: str = ""
    house_number: int | None = None
    house_number_suffix: str = ""


@dataclass(frozen=True)
class BrpCheck:
    result: str
    source: str
    detail: str = ""


class BrpError(Exception):
    """The BRP could not be asked; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def brp_check(person: Person, *, municipality_code: str) -> BrpCheck:
    if settings.VROEG_BRP_BACKEND == "haalcentraal":
        from .client import HaalCentraalClient

        return HaalCentraalClient.from_settings().check(person, municipality_code=municipality_code)
    return BrpCheck(BrpResult.NOT_CHECKED, source="geen BRP-koppeling ingesteld")
