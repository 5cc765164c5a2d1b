"""The partner API's test fixtures: a second partner, keys, OAuth2 clients, and `api`:
an HTTP client for the live server that checks every answer against the served
OpenAPI document."""

import re
from dataclasses import dataclass, field

import jsonschema
import pytest
import requests

from api.services import api_key_create, oauth_client_create
from testkit.factories import PartnerFactory

SCHEMA_PATH = "/api/v1/schema/"
TOKEN_PATH = "/api/v1/oauth/token/"


@pytest.fixture
def other_partner(db, municipality):
    p = PartnerFactory(code="test-huur-2", name="Woonstichting Ander")
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def other_partner_user(make_user, other_partner):
    return make_user("partner_user", username="pu2", partner=other_partner)


@pytest.fixture
def key(partner, partner_user):
    return api_key_create(partner=partner, name="incasso productie", created_by=partner_user).plain


@pytest.fixture
def other_key(other_partner, other_partner_user):
    return api_key_create(partner=other_partner, name="ander systeem", created_by=other_partner_user).plain


@pytest.fixture(autouse=True)
def feedback_settled_at_once(settings):
    """Feedback given in a test is served at once; test_feedback_pages checks the wait."""
    settings.VROEG_API_FEEDBACK_SETTLE_SECONDS = 0


@pytest.fixture
def oauth_on(settings):
    """OAuth2 client credentials switched on (before `api` reads the document)."""
    settings.VROEG_API_OAUTH_ENABLED = True


@pytest.fixture
def oauth_client(partner, partner_user):
    """A client of the partner: .client (the OAuthClient) and .secret (shown once)."""
    return oauth_client_create(partner=partner, name="incasso oauth", created_by=partner_user)


@pytest.fixture
def other_oauth_client(other_partner, other_partner_user):
    return oauth_client_create(partner=other_partner, name="ander oauth", created_by=other_partner_user)


@dataclass
class Contract:
    """The served OpenAPI document: validates a response body against the schema of
    its operation and status code, $refs resolved from the document's components."""

    document: dict
    checked: list = field(default_factory=list)

    def operation(self, method: str, path: str) -> dict:
        for template, item in self.document["paths"].items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if re.match(pattern, path) and method.lower() in item:
                return item[method.lower()]
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def check(self, method: str, path: str, response: requests.Response) -> None:
        responses = self.operation(method, path)["responses"]
        assert str(response.status_code) in responses, (method, path, response.status_code, "not documented")
        content = responses[str(response.status_code)].get("content", {})
        assert "application/json" in content, (method, path, response.status_code)
        schema = {**content["application/json"]["schema"], "components": self.document["components"]}
        jsonschema.validate(response.json(), schema, format_checker=jsonschema.FormatChecker())
        self.checked.append((method, path, response.status_code))


@dataclass
class Api:
    base: str
    contract: Contract | None

    def call(self, method: str, path: str, *, key: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        response = requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)
        if self.contract is not None and path != SCHEMA_PATH:
            self.contract.check(method, path.split("?")[0], response)
        return response

    def token(self, new_client, *, secret: str | None = None) -> requests.Response:
        """POST the token endpoint with the client's id and secret by HTTP Basic."""
        credentials = (new_client.client.client_id, new_client.secret if secret is None else secret)
        return self.call("post", TOKEN_PATH, auth=credentials, data={"grant_type": "client_credentials"})

    def access_token(self, new_client) -> str:
        answer = self.token(new_client)
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]


@pytest.fixture
def api(live_server, key):
    """Fetches the OpenAPI document over HTTP first, then checks every answer by it."""
    document = requests.get(live_server.url + SCHEMA_PATH, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert document.status_code == 200, document.text
    assert document.headers["Content-Type"].startswith("application/json")
    return Api(base=live_server.url, contract=Contract(document.json()))
