"""LAA address investigations (issue 14): turning one into a case is one transaction
that locks the investigation first, so a double submit or a colleague's close at the
same moment is refused cleanly, in Dutch, without a second (or orphaned) case; and the
LAA list never cuts a field short: a too-long field rejects its line."""

import io
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.laa import investigation_close, investigation_to_case
from cases.models import AddressInvestigation, Case, InvestigationState
from cases.services import CaseActionRefused
from signals.locks import MUNICIPALITY_LOCKS
from signals.models import Delivery, Signal

HEADER = "laa_referentie;postcode;huisnummer;huisnummertoevoeging;straat;woonplaats;signaaldatum;toelichting\n"
PERSON = {
    "achternaam": "Jansen",
    "voorletters": "P.",
    "geboortedatum": "1970-01-01",
    "bedrag_achterstand": "300",
    "datum_ontstaan": "2026-09-01",
}
REFUSED = "Dit adresonderzoek is al afgehandeld."


def _upload(client, admin, municipality, text):
    client.force_login(admin)
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "laa.csv"
    return client.post(reverse("laa-upload"), {"municipality": municipality.pk, "file": file})


def _investigation(municipality, reference="LAA-1") -> AddressInvestigation:
    return AddressInvestigation.objects.create(
        municipality=municipality,
        laa_reference=reference,
        postcode="1234AB",
        house_number=12,
        street="Dorpsstraat",
        city="Voorbeeldstad",
        signal_date=timezone.localdate(),
        received_on=timezone.localdate(),
    )


def _contract_row():
    return {
        "voorletters": "P.",
        "achternaam": "Jansen",
        "geboortedatum": "1970-01-01",
        "bedrag_achterstand": "300,00",
        "datum_ontstaan": "2026-09-01",
    }


@pytest.mark.django_db
def test_a_too_long_field_rejects_the_line_instead_of_being_cut(client, functional_admin, municipality):
    street, explanation = "Lange" * 41, "x" * 501  # 205 and 501 characters
    page = _upload(
        client,
        functional_admin,
        municipality,
        HEADER
        + "LAA-1;1234 AB;12;;Dorpsstraat;Voorbeeldstad;2026-11-10;Veel inschrijvingen\n"
        + f"LAA-2;1234 AB;14;;{street};Voorbeeldstad;2026-11-10;\n"
        + f"LAA-3;1234 AB;16;;Dorpsstraat;Voorbeeldstad;2026-11-10;{explanation}\n"
        + f"{'R' * 65};1234 AB;18;;Dorpsstraat;Voorbeeldstad;2026-11-10;\n"
        + "LAA-5;1234 AB;20;bis-a;Dorpsstraat;Voorbeeldstad;2026-11-10;\n"
        + f"LAA-6;1234 AB;22;;Dorpsstraat;{'Woon' * 51};2026-11-10;\n",
    ).content.decode()
    assert "1 nieuwe adresonderzoeken, 0 al bekend, 5 regels afgewezen." in page, page[page.find("nieuwe") - 5 :][:80]
    for reason in (
        "straat is langer dan 200 tekens.",
        "toelichting is langer dan 500 tekens.",
        "laa_referentie is langer dan 64 tekens.",
        "huisnummertoevoeging is langer dan 4 tekens.",
        "woonplaats is langer dan 200 tekens.",
    ):
        assert reason in page
    assert list(AddressInvestigation.objects.values_list("laa_reference", flat=True)) == ["LAA-1"]


@pytest.mark.django_db
def test_a_second_submit_is_refused_in_dutch_without_a_second_case(client, caseworker, municipality):
    investigation = _investigation(municipality)
    client.force_login(caseworker)
    url = reverse("laa-detail", args=[investigation.pk])
    first = client.post(url, PERSON)
    case = Case.objects.get()
    assert first.status_code == 302 and first.url == reverse("case-detail", args=[case.pk])
    again = client.post(url, PERSON, follow=True)
    assert again.status_code == 200
    assert REFUSED in again.content.decode()
    assert Case.objects.count() == 1 and Signal.objects.count() == 1
    investigation.refresh_from_db()
    assert (investigation.state, investigation.case) == (InvestigationState.CASE_OPENED, case)


@pytest.mark.django_db
def test_a_too_long_note_is_refused_not_cut(caseworker, municipality):
    investigation = _investigation(municipality)
    with pytest.raises(CaseActionRefused, match="hoogstens 500 tekens"):
        investigation_close(investigation_id=investigation.pk, user=caseworker, note="n" * 501)
    with pytest.raises(CaseActionRefused, match="hoogstens 500 tekens"):
        investigation_to_case(
            investigation_id=investigation.pk, user=caseworker, person=_contract_row(), note="n" * 501
        )
    investigation.refresh_from_db()
    assert investigation.state == InvestigationState.OPEN and not Case.objects.exists()


class _IntakeBusy:
    """Another delivery for the municipality being processed: holds its intake lock
    (PostgreSQL, signals/locks.py) until released."""

    def __init__(self, municipality):
        self.municipality = municipality
        self.release = threading.Event()
        self.held = threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MUNICIPALITY_LOCKS, self.municipality.pk])
                self.held.set()
                self.release.wait(30)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)


def _waiting_for(locktype: str, count: int = 1, timeout: float = 10) -> bool:
    """Whether `count` sessions of this test's database wait for a lock of this type
    (pg_locks; other test processes run in databases of their own)."""
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = %s AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                [locktype],
            )
            if cursor.fetchone()[0] >= count:
                return True
            time.sleep(0.05)
    return False


def _run(outcomes, key, service, **kwargs):
    def target():
        try:
            service(**kwargs)
            outcomes[key] = "won"
        except CaseActionRefused as refused:
            outcomes[key] = refused.message
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_close_while_the_case_is_being_made_is_refused_and_leaves_no_orphan_case(make_user, municipality):
    investigation = _investigation(municipality)
    visitor, colleague = make_user("caseworker"), make_user("caseworker")
    outcomes = {}
    with _IntakeBusy(municipality):
        # The visitor's case waits for intake (another delivery is being processed)...
        to_case = _run(
            outcomes,
            "to_case",
            investigation_to_case,
            investigation_id=investigation.pk,
            user=visitor,
            person=_contract_row(),
            note="Huurachterstand",
        )
        assert _waiting_for("advisory")
        # ...while a colleague closes the same investigation.
        close = _run(
            outcomes,
            "close",
            investigation_close,
            investigation_id=investigation.pk,
            user=colleague,
            note="Adres klopt",
        )
        close.join(3)  # it either finishes (no lock held) or waits for the visitor's lock
    to_case.join(30)
    close.join(30)
    investigation.refresh_from_db()
    # Never a case the investigation does not lead to (before: closed, and a case anyway).
    assert list(Case.objects.values_list("pk", flat=True)) == ([investigation.case_id] if investigation.case_id else [])
    assert outcomes == {"to_case": "won", "close": REFUSED}
    assert investigation.state == InvestigationState.CASE_OPENED and investigation.handled_by == visitor


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_the_same_moment_makes_one_case_and_refuses_the_other(caseworker, municipality):
    investigation = _investigation(municipality)
    url = reverse("laa-detail", args=[investigation.pk])
    responses = []

    def submit():
        try:
            client = Client()
            client.force_login(caseworker)
            responses.append(client.post(url, PERSON, follow=True))
        finally:
            connection.close()

    with _IntakeBusy(municipality):
        first = threading.Thread(target=submit)
        first.start()
        assert _waiting_for("advisory")
        second = threading.Thread(target=submit)
        second.start()
        second.join(3)  # it either waits for intake too (no lock held) or for the first's lock
    first.join(30)
    second.join(30)
    assert sorted(r.status_code for r in responses) == [200, 200]
    pages = [r.content.decode() for r in responses]
    assert sum(REFUSED in page for page in pages) == 1
    case = Case.objects.get()
    assert Signal.objects.count() == 1 and Delivery.objects.count() == 1
    investigation.refresh_from_db()
    assert (investigation.state, investigation.case) == (InvestigationState.CASE_OPENED, case)
