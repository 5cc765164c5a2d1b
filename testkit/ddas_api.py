"""Calling the DDAS pull API as CBS does, over real HTTP, and checking every answer
against the specification's OpenAPI document (reports/ddas/schema/api/DDAS-VS.yaml,
a copy of the draft koppelvlakspecificatie, with its Uitwisselmodel JSON schema).

    cbs = Cbs(url=live_server.url + "/ddas/v1/gegevens", pki=ddas_pki)
    answer = cbs.post({"aanleverperiodeStartdatum": "2026-10-01", ...})

`post` signs the exact body bytes with the test PKI's signer (Digest and
nlgov-adr-payload-sig), sends a fresh bearer token of the test issuer, and checks the
answer by the contract: the status is one the operation lists, the Content-Type and
body are those of that status (FscError, ProblemDetails, the 200 object with the
Uitwisselmodel), the required headers are there (Fsc-Error-Code, as in the body;
WWW-Authenticate on 401; Digest and nlgov-adr-payload-sig on 200).
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from testkit.pki import Identity, Pki

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "reports" / "ddas" / "schema"
SPEC_PATH = SCHEMA_DIR / "api" / "DDAS-VS.yaml"
MODEL_PATH = SCHEMA_DIR / "v1.2" / "json_schema_Uitwisselmodel.json"


def _format_checker() -> FormatChecker:
    """The 2020-12 formats (date, date-time, email, ...) plus `uri` and `uri-reference`,
    which jsonschema checks only with an extra package: an absolute URI has a scheme."""
    checker = FormatChecker()
    checker.checks("uri")(lambda value: not isinstance(value, str) or bool(re.match(r"^[A-Za-z][\w+.-]*:\S+$", value)))
    checker.checks("uri-reference")(lambda value: not isinstance(value, str) or " " not in value)
    return checker


@dataclass
class Contract:
    """DDAS-VS.yaml with its Uitwisselmodel $ref resolved to the copy of the schema."""

    document: dict = field(default_factory=dict)
    registry: Registry = field(default_factory=Registry)
    checked: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.document = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
        schemas = self.document["components"]["schemas"]
        assert schemas["Uitwisselmodel"] == {"$ref": "../v1.2/json_schema_Uitwisselmodel.json"}
        # The relative file reference becomes the model's own $id, found in the registry.
        model = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        schemas["Uitwisselmodel"] = {"$ref": model["$id"]}
        self.registry = Registry().with_resource(model["$id"], Resource.from_contents(model))

    @property
    def operation(self) -> dict:
        return self.document["paths"]["/gegevens"]["post"]

    def validator(self, schema: dict) -> Draft202012Validator:
        return Draft202012Validator(
            {**schema, "components": self.document["components"]},
            format_checker=_format_checker(),
            registry=self.registry,
        )

    def errors(self, schema: dict, instance: Any) -> list[str]:
        return [f"{list(e.absolute_path)}: {e.message}" for e in self.validator(schema).iter_errors(instance)]

    def model_errors(self, document: dict) -> list[str]:
        """A document checked against the Uitwisselmodel alone."""
        return self.errors({"$ref": "#/components/schemas/Uitwisselmodel"}, document)

    def request_errors(self, body: Any) -> list[str]:
        return self.errors(self.operation["requestBody"]["content"]["application/json"]["schema"], body)

    def check(self, response: requests.Response) -> None:
        status = str(response.status_code)
        responses = self.operation["responses"]
        assert status in responses, f"{status} is not an answer DDAS-VS.yaml lists"
        spec = responses[status]
        content_type = response.headers.get("Content-Type", "")
        for name, header in spec.get("headers", {}).items():
            value = response.headers.get(name)
            header = header if "$ref" not in header else self._ref(header["$ref"])
            if header.get("required") or name in ("Fsc-Error-Code", "WWW-Authenticate"):
                assert value, f"{status}: header {name} missing"
            if value is not None and "schema" in header:
                assert self.errors(header["schema"], value) == [], (name, value)
        if "content" not in spec:  # 429: no body described; ours is a problem too
            assert content_type == "application/problem+json", content_type
            body = response.json()
            assert self.errors({"$ref": "#/components/schemas/ProblemDetails"}, body) == [], body
        else:
            [(media_type, content)] = spec["content"].items()
            assert content_type.split(";")[0].strip() == media_type, (status, content_type)
            if media_type == "application/json":
                assert content_type == "application/json; charset=utf-8", content_type
            body = response.json()
            errors = self.errors(content["schema"], body)
            assert errors == [], errors[:10]
        if "Fsc-Error-Code" in spec.get("headers", {}):
            assert body["code"] == response.headers["Fsc-Error-Code"]
            assert body["status"] == response.status_code
        if status == "401":
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        if "type" in body:
            assert body["status"] == response.status_code
        self.checked.append((response.status_code, content_type))

    def _ref(self, ref: str) -> dict:
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node


@dataclass
class Cbs:
    """CBS's side of the connection: a signed POST with a bearer token, the answer
    checked against the contract. Every Cbs has a client id of its own (the rate limit
    counts per client id in the shared cache)."""

    url: str
    pki: Pki
    contract: Contract = field(default_factory=Contract)
    client_id: str = field(default_factory=lambda: f"cbs-test-{uuid.uuid4().hex[:12]}")

    def token(self, **claims: Any) -> str:
        return self.pki.token(**{"client_id": self.client_id, **claims})

    def post(
        self,
        body: dict | bytes,
        *,
        token: str | None | object = ...,
        signer: Identity | None = None,
        headers: dict[str, str | None] | None = None,
        **tamper: Any,
    ) -> requests.Response:
        """POST `body` (a dict is sent as JSON) signed by `signer` (the good one) with a
        fresh token (`token=None`: no Authorization header). `headers` overrides or,
        with None, removes headers; `tamper` goes to Pki.signed_headers."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent: dict[str, str | None] = dict(self.pki.signed_headers(raw, signer, **tamper))
        if token is ...:
            token = self.token()
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers or {})
        response = requests.post(
            self.url, data=raw, headers={k: v for k, v in sent.items() if v is not None}, timeout=60
        )
        self.contract.check(response)
        return response

    def request(self, method: str, **kwargs: Any) -> requests.Response:
        """Any other call (a GET, a PUT), checked by the contract too."""
        response = requests.request(method, self.url, timeout=60, **kwargs)
        self.contract.check(response)
        return response
