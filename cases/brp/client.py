"""A client for the Haal Centraal BRP API Personen 2.x (POST /personen).

It asks only the fields it needs (data minimisation) and at most three questions:
with a BSN `RaadpleegMetBurgerservicenummer`; without one, `ZoekMetPostcodeEnHuisnummer`
(surname and birth date as filters), then `ZoekMetGeslachtsnaamEnGeboortedatum`
within and outside the municipality to tell "elsewhere in the municipality" from
"not a resident".
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

from . import BrpCheck, BrpError, BrpResult, Person

SOURCE = "BRP API Personen (Haal Centraal)"
BSN_FIELDS = [
    "burgerservicenummer",
    "overlijden.datum",
    "gemeenteVanInschrijving",
    "verblijfplaats.verblijfadres.postcode",
    "verblijfplaats.verblijfadres.huisnummer",
    "verblijfplaats.verblijfadres.huisletter",
    "verblijfplaats.verblijfadres.huisnummertoevoeging",
]
SEARCH_FIELDS = ["burgerservicenummer"]

_HTTP_ERRORS = {
    400: "De BRP wees de vraag af als ongeldig.",
    401: "De BRP weigert de toegang: controleer de API-sleutel (BRP_API_KEY).",
    403: "Deze gemeente is niet gemachtigd voor deze gegevens in de BRP.",
    404: "Het BRP-adres (BRP_API_URL) klopt niet.",
    429: "Te veel vragen aan de BRP; probeer het later opnieuw.",
}


class HaalCentraalClient:
    def __init__(self, *, url: str, api_key: str, timeout: float):
        self.url = url.rstrip("/") + "/personen"
        self.api_key = api_key
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "HaalCentraalClient":
        return cls(
            url=settings.VROEG_BRP_API_URL,
            api_key=settings.VROEG_BRP_API_KEY,
            timeout=settings.VROEG_BRP_TIMEOUT,
        )

    def check(self, person: Person, *, municipality_code: str) -> BrpCheck:
        if person.bsn:
            return self._by_bsn(person, municipality_code)
        return self._by_search(person, municipality_code)

    def _by_bsn(self, person: Person, municipality_code: str) -> BrpCheck:
        found = self._ask(
            {"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": [person.bsn], "fields": BSN_FIELDS}
        )
        if not found:
            return BrpCheck(BrpResult.NOT_FOUND, SOURCE, "Geen persoon met dit BSN.")
        record = found[0]
        if record.get("overlijden"):
            return BrpCheck(BrpResult.DECEASED, SOURCE)
        code = (record.get("gemeenteVanInschrijving") or {}).get("code", "")
        if code != municipality_code:
            return BrpCheck(BrpResult.NOT_A_RESIDENT, SOURCE, f"Ingeschreven in gemeente {code or 'onbekend'}.")
        address = (record.get("verblijfplaats") or {}).get("verblijfadres") or {}
        if _same_address(address, person):
            return BrpCheck(BrpResult.AT_ADDRESS, SOURCE)
        return BrpCheck(BrpResult.ELSEWHERE, SOURCE, "Ingeschreven op een ander adres in de gemeente.")

    def _by_search(self, person: Person, municipality_code: str) -> BrpCheck:
        name = {"geslachtsnaam": person.surname}
        if person.prefix:
            name["voorvoegsel"] = person.prefix
        born = {"geboortedatum": person.birth_date.isoformat()} if person.birth_date else {}
        if person.postcode and person.house_number:
            at_address = self._ask(
                {
                    "type": "ZoekMetPostcodeEnHuisnummer",
                    "postcode": person.postcode,
                    "huisnummer": person.house_number,
                    "geslachtsnaam": person.surname,
                    "gemeenteVanInschrijving": municipality_code,
                    "fields": SEARCH_FIELDS,
                    **born,
                }
            )
            if at_address:
                return BrpCheck(BrpResult.AT_ADDRESS, SOURCE)
        if not born:
            return BrpCheck(
                BrpResult.NOT_FOUND,
                SOURCE,
                "Niet op dit adres gevonden; zonder geboortedatum kan de BRP niet verder zoeken.",
            )
        query = {"type": "ZoekMetGeslachtsnaamEnGeboortedatum", "fields": SEARCH_FIELDS, **name, **born}
        if self._ask({**query, "gemeenteVanInschrijving": municipality_code}):
            return BrpCheck(BrpResult.ELSEWHERE, SOURCE, "Ingeschreven op een ander adres in de gemeente.")
        if self._ask(query):
            return BrpCheck(BrpResult.NOT_A_RESIDENT, SOURCE, "Ingeschreven in een andere gemeente.")
        return BrpCheck(BrpResult.NOT_FOUND, SOURCE)

    def _ask(self, query: dict) -> list[dict]:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(query).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "X-API-KEY": self.api_key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise BrpError(_HTTP_ERRORS.get(exc.code, f"De BRP gaf een fout ({exc.code}).")) from exc
        except (urllib.error.URLError, TimeoutError) as exc:
            raise BrpError("De BRP is niet bereikbaar of antwoordt niet op tijd.") from exc
        except ValueError as exc:
            raise BrpError("De BRP gaf een antwoord dat niet te lezen is.") from exc
        return body.get("personen") or []


def _same_address(address: dict, person: Person) -> bool:
    postcode = (address.get("postcode") or "").replace(" ", "").upper()
    suffix = f"{address.get('huisletter') or ''}{address.get('huisnummertoevoeging') or ''}"
    return (
        postcode == person.postcode
        and address.get("huisnummer") == person.house_number
        and suffix.replace(" ", "").upper() == person.house_number_suffix
    )
