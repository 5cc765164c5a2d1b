"""The BRP client against a local server that keeps to the Haal Centraal spec."""

from datetime import date

import pytest

from cases.brp import BrpError, BrpResult, Person
from cases.brp.client import HaalCentraalClient
from testkit.brp_server import API_KEY, BrpPerson, BrpStandIn

OURS = "9999"


@pytest.fixture(scope="module")
def brp_server():
    stand_in = BrpStandIn(
        [
            BrpPerson("999999990", "Vries", "1980-05-17", OURS, "1234AB", 12),
            BrpPerson("123456782", "Bakker", "1970-01-01", OURS, "1234AB", 14, huisletter="A"),
            BrpPerson("111222333", "Jansen", "1990-02-02", OURS, "5678CD", 3),
            BrpPerson("222333444", "Smit", "1985-03-03", "0363", "1011AA", 1),
            BrpPerson("333444555", "Bos", "1950-04-04", OURS, "1234AB", 16, deceased=True),
        ]
    )
    yield stand_in
    stand_in.close()


@pytest.fixture
def brp(brp_server):
    brp_server.requests.clear()
    brp_server.violations.clear()
    brp_server.force_status = None
    return brp_server


def client(brp, key=API_KEY, timeout=5.0):
    return HaalCentraalClient(url=brp.url, api_key=key, timeout=timeout)


@pytest.mark.parametrize(
    "person, result",
    [
        (Person("Vries", bsn="999999990", postcode="1234AB", house_number=12), BrpResult.AT_ADDRESS),
        (
            Person("Bakker", bsn="123456782", postcode="1234AB", house_number=14, house_number_suffix="A"),
            BrpResult.AT_ADDRESS,
        ),
        (Person("Bakker", bsn="123456782", postcode="1234AB", house_number=14), BrpResult.ELSEWHERE),
        (Person("Jansen", bsn="111222333", postcode="1234AB", house_number=12), BrpResult.ELSEWHERE),
        (Person("Smit", bsn="222333444", postcode="1234AB", house_number=12), BrpResult.NOT_A_RESIDENT),
        (Person("Bos", bsn="333444555", postcode="1234AB", house_number=16), BrpResult.DECEASED),
        (Person("Onbekend", bsn="444555666", postcode="1234AB", house_number=12), BrpResult.NOT_FOUND),
        # Without BSN: search by address, then by name and birth date.
        (
            Person("Vries", prefix="de", birth_date=date(1980, 5, 17), postcode="1234AB", house_number=12),
            BrpResult.AT_ADDRESS,
        ),
        (Person("Jansen", birth_date=date(1990, 2, 2), postcode="1234AB", house_number=12), BrpResult.ELSEWHERE),
        (Person("Smit", birth_date=date(1985, 3, 3), postcode="1234AB", house_number=12), BrpResult.NOT_A_RESIDENT),
        (Person("Onbekend", birth_date=date(2000, 1, 1), postcode="1234AB", house_number=12), BrpResult.NOT_FOUND),
        (Person("Jansen", postcode="1234AB", house_number=12), BrpResult.NOT_FOUND),
    ],
)
def test_findings(brp, person, result):
    assert client(brp).check(person, municipality_code=OURS).result == result
    assert brp.violations == []  # every request kept to the spec


def test_asks_only_the_fields_it_needs(brp):
    client(brp).check(Person("Vries", bsn="999999990", postcode="1234AB", house_number=12), municipality_code=OURS)
    [query] = brp.requests
    assert query["type"] == "RaadpleegMetBurgerservicenummer"
    assert all(
        f.startswith(("burgerservicenummer", "overlijden", "gemeenteVanInschrijving", "verblijfplaats.verblijfadres"))
        for f in query["fields"]
    )
    client(brp).check(
        Person("Jansen", birth_date=date(1990, 2, 2), postcode="1234AB", house_number=12), municipality_code=OURS
    )
    assert all(q["fields"] == ["burgerservicenummer"] for q in brp.requests[1:])


@pytest.mark.parametrize(
    "status, message",
    [(401, "API-sleutel"), (403, "niet gemachtigd"), (429, "Te veel vragen"), (503, r"fout \(503\)")],
)
def test_errors_are_clear(brp, status, message):
    brp.force_status = status
    with pytest.raises(BrpError, match=message):
        client(brp).check(Person("Vries", bsn="999999990"), municipality_code=OURS)


def test_wrong_key_and_unreachable_server(brp):
    with pytest.raises(BrpError, match="API-sleutel"):
        client(brp, key="fout").check(Person("Vries", bsn="999999990"), municipality_code=OURS)
    dead = HaalCentraalClient(url="http://127.0.0.1:9/brp", api_key=API_KEY, timeout=1)
    with pytest.raises(BrpError, match="niet bereikbaar"):
        dead.check(Person("Vries", bsn="999999990"), municipality_code=OURS)


def test_stand_in_notices_requests_that_break_the_spec(brp):
    """The check is real: a query with a bad BSN or an unknown property is refused."""
    bad = HaalCentraalClient(url=brp.url, api_key=API_KEY, timeout=5)
    with pytest.raises(BrpError, match="ongeldig"):
        bad._ask(
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": ["12"],
                "fields": ["burgerservicenummer"],
            }
        )
    with pytest.raises(BrpError, match="ongeldig"):
        bad._ask(
            {
                "type": "ZoekMetPostcodeEnHuisnummer",
                "postcode": "1234AB",
                "huisnummer": 1,
                "straat": "x",
                "fields": ["burgerservicenummer"],
            }
        )
    assert len(brp.violations) == 2
