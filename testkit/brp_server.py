"""A local stand-in for the Haal Centraal BRP API Personen that answers as the spec
says and checks every request against it (cases/brp/openapi-brp-personen-2.7.yaml)."""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import yaml

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "cases" / "brp" / "openapi-brp-personen-2.7.yaml").read_text()
)
API_KEY = "test-sleutel"


def _validator(schema_name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator({"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]})


def _properties(schema_name: str) -> set[str]:
    """Every property a query type allows (its allOf parts and PersonenQuery)."""
    schema = SPEC["components"]["schemas"][schema_name]
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            names |= _properties(part["$ref"].rsplit("/", 1)[1])
        names |= set(part.get("properties", {}))
    return names


@dataclass
class BrpPerson:
    bsn: str
    surname: str
    birth_date: str
    gemeente: str
    postcode: str
    huisnummer: int
    huisletter: str = ""
    toevoeging: str = ""
    deceased: bool = False

    def full(self) -> dict:
        address = {"postcode": self.postcode, "huisnummer": self.huisnummer}
        if self.huisletter:
            address["huisletter"] = self.huisletter
        if self.toevoeging:
            address["huisnummertoevoeging"] = self.toevoeging
        record = {
            "burgerservicenummer": self.bsn,
            "gemeenteVanInschrijving": {"code": self.gemeente, "omschrijving": "Gemeente"},
            "verblijfplaats": {"type": "Adres", "verblijfadres": address},
        }
        if self.deceased:
            record["overlijden"] = {"datum": {"type": "Datum", "datum": "2026-10-01", "langFormaat": "1 oktober 2026"}}
        return record


class BrpStandIn:
    def __init__(self, persons: list[BrpPerson]):
        self.persons = persons
        self.requests: list[dict] = []
        self.violations: list[str] = []
        self.force_status: int | None = None
        self.calls = 0  # every request, also those answered with an error
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = stand_in.answer(self.path, self.headers, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/haalcentraal/api/brp"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()

    def _fail(self, status: int, title: str):
        return status, {"type": "about:blank", "title": title, "status": status}

    def answer(self, path, headers, body):
        self.calls += 1
        if self.force_status:
            return self._fail(self.force_status, "Geforceerde fout")
        if path != "/haalcentraal/api/brp/personen":
            self.violations.append(f"path {path}")
            return self._fail(404, "Niet gevonden")
        if headers.get("X-API-KEY") != API_KEY:
            return self._fail(401, "Niet geautoriseerd")
        if not headers.get("Content-Type", "").startswith("application/json"):
            self.violations.append("content type")
            return self._fail(415, "Mediatype niet ondersteund")
        query = json.loads(body)
        self.requests.append(query)
        kind = query.get("type")
        if kind not in SPEC["components"]["schemas"]["PersonenQuery"]["discriminator"]["mapping"]:
            self.violations.append(f"type {kind}")
            return self._fail(400, "Onbekend type")
        errors = [e.message for e in _validator(kind).iter_errors(query)]
        unknown = set(query) - _properties(kind)
        if errors or unknown:
            self.violations.extend(errors + [f"unknown property {u}" for u in sorted(unknown)])
            return self._fail(400, "Ongeldig verzoek")
        found = [p for p in self.persons if self._matches(kind, query, p)]
        if kind == "RaadpleegMetBurgerservicenummer":
            personen = [_only(p.full(), query["fields"]) for p in found]
        else:
            personen = [{"burgerservicenummer": p.bsn} for p in found if not p.deceased]
        answer = {"type": kind, "personen": personen}
        response_errors = [e.message for e in _validator(f"{kind}Response").iter_errors(answer)]
        assert not response_errors, response_errors  # the stand-in itself keeps to the spec
        return 200, answer

    @staticmethod
    def _matches(kind, q, p: BrpPerson) -> bool:
        if "gemeenteVanInschrijving" in q and q["gemeenteVanInschrijving"] != p.gemeente:
            return False
        if kind == "RaadpleegMetBurgerservicenummer":
            return p.bsn in q["burgerservicenummer"]
        same_name = q["geslachtsnaam"].lower() == p.surname.lower()
        born = q.get("geboortedatum") in (None, p.birth_date)
        if kind == "ZoekMetPostcodeEnHuisnummer":
            return (
                q["postcode"].replace(" ", "").upper() == p.postcode
                and q["huisnummer"] == p.huisnummer
                and same_name
                and born
            )
        return same_name and born


def _only(record: dict, fields: list[str]) -> dict:
    """The record reduced to the requested field paths (the spec's `fields`); a
    verblijfplaats keeps its `type`, which the spec requires."""
    out: dict = {}
    for path in fields:
        *parents, leaf = path.split(".")
        source, target = record, out
        for part in parents:
            source = source.get(part)
            if not isinstance(source, dict):
                break
            target = target.setdefault(part, {"type": source["type"]} if "type" in source else {})
        else:
            if leaf in source:
                target[leaf] = source[leaf]
    return out
