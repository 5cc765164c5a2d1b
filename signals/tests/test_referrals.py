"""Referrals registered by hand: same rules as the CSV contract, one household case,
consent required for warm referrals, warmeOverdracht in the DDAS export."""

import io
import json
import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.urls import reverse

from cases.models import Case
from signals.csvformat import ALL_COLUMNS
from signals.locks import MUNICIPALITY_LOCKS
from signals.models import Delivery, Referral, Signal
from signals.referrals import ReferralRefused, referral_register
from signals.services import delivery_process
from testkit.case_steps import case_walk_to
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.outbox import OutboxMessage

pytestmark = pytest.mark.django_db

FORM = {
    "postcode": "1234 AB",
    "huisnummer": "12",
    "straat": "Dorpsstraat",
    "woonplaats": "Voorbeeldstad",
    "achternaam": "Vries",
    "voorvoegsel": "de",
    "voorletters": "J.",
    "geboortedatum": "1980-05-17",
    "bsn": "999999990",
    "bedrag_achterstand": "850,00",
    "datum_ontstaan": "2026-09-01",
    "kind": "intern",
    "origin": "Wmo-loket",
}


def _post(client, municipality, **changes):
    return client.post(reverse("referral-create"), {**FORM, "municipality": municipality.pk, **changes})


def test_an_internal_referral_starts_a_case_like_any_signal(client, caseworker, municipality):
    client.force_login(caseworker)
    response = _post(client, municipality)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("case-detail", args=[case.pk])
    signal = case.signals.get()
    assert (signal.partner.code, signal.partner.partner_type, signal.signal_type) == (
        "verwijzing-intern",
        "Overige",
        "overig",
    )
    assert signal.warm_handover is False and signal.amount == 850
    assert case.contact_due is not None  # the same terms as any signal
    page = client.get(response.url).content.decode()
    assert 'data-testid="referral">: Wmo-loket' in page


def test_a_warm_referral_needs_the_residents_consent(client, caseworker, municipality):
    client.force_login(caseworker)
    page = _post(client, municipality, kind="warm", origin="Huisartsenpraktijk De Linde").content.decode()
    assert "Een warme verwijzing kan alleen met toestemming van de inwoner" in page
    assert "Geef aan hoe de inwoner toestemming gaf." in page
    assert not Delivery.objects.exists() and not Signal.objects.exists() and not Referral.objects.exists()


def test_a_warm_referral_with_consent_is_a_warm_handover_in_ddas(client, caseworker, municipality, settings):
    from reports.ddas.export import ddas_export

    client.force_login(caseworker)
    _post(
        client,
        municipality,
        kind="warm",
        origin="Huisartsenpraktijk De Linde",
        consent_on="2026-11-20",
        consent_how="schriftelijk",
    )
    referral = Referral.objects.get()
    assert (referral.kind, referral.consent_how) == ("warm", "schriftelijk")
    signal = Signal.objects.get()
    assert signal.warm_handover is True
    out = io.StringIO()
    ddas_export(municipalities=[municipality], start=signal.received_on, end=signal.received_on, out=out)
    [sent] = json.loads(out.getvalue())["leveringen"][0]["vroegsignalen"]
    assert sent["warmeOverdracht"] is True and sent["signaalpartner"] == {"type": "Overige"}
    page = client.get(reverse("case-detail", args=[signal.case_id])).content.decode()
    assert "toestemming 20-11-2026, schriftelijk" in page


def test_the_contracts_rules_apply_with_the_message_at_the_field(client, caseworker, municipality):
    client.force_login(caseworker)
    page = _post(client, municipality, postcode="12345", bsn="123456789").content.decode()
    assert "postcode &#x27;12345&#x27; is geen Nederlandse postcode" in page or "is geen Nederlandse postcode" in page
    assert "elfproef" in page
    assert 'id="id_postcode_error"' in page and 'id="id_bsn_error"' in page
    assert not Signal.objects.exists()


def test_it_joins_the_households_open_case(client, caseworker, municipality, partner):
    deliver(partner, csv_bytes([row(partner_referentie="H-1")]))
    client.force_login(caseworker)
    _post(client, municipality)
    case = Case.objects.get()
    assert case.signal_count == 2 and {s.partner.code for s in case.signals.all()} == {"test-huur", "verwijzing-intern"}


def test_the_queue_filters_on_the_source(client, caseworker, municipality, partner):
    deliver(partner, csv_bytes([row(partner_referentie="H-1", huisnummer="1")]))
    client.force_login(caseworker)
    _post(client, municipality, huisnummer="2")
    referred = Case.objects.get(household__house_number=2)
    from_partner = Case.objects.get(household__house_number=1)
    page = client.get(reverse("caseworker-dashboard"), {"source": "verwijzing"}).content.decode()
    assert f'href="/zaken/{referred.pk}/"' in page and f'href="/zaken/{from_partner.pk}/"' not in page
    page = client.get(reverse("caseworker-dashboard"), {"source": "partner"}).content.decode()
    assert f'href="/zaken/{from_partner.pk}/"' in page and f'href="/zaken/{referred.pk}/"' not in page


def test_referrals_are_never_fed_back_as_if_to_a_creditor(client, caseworker, municipality):
    from cases.models import CaseState
    from feedback.models import CollectionPause, Feedback

    client.force_login(caseworker)
    _post(client, municipality)
    case_walk_to(CaseState.HELP_ACCEPTED, Case.objects.get(), caseworker, on=date(2026, 11, 20))
    assert not Feedback.objects.exists() and not CollectionPause.objects.exists()


def test_a_referral_joining_a_case_in_help_gets_no_pause(client, caseworker, municipality, partner):
    from cases.models import CaseState
    from feedback.models import CollectionPause, Feedback

    deliver(partner, csv_bytes([row(partner_referentie="H-1")]))
    case_walk_to(CaseState.HELP_ACCEPTED, Case.objects.get(), caseworker, on=date(2026, 11, 20))
    client.force_login(caseworker)
    _post(client, municipality)
    assert set(Feedback.objects.values_list("partner__code", flat=True)) == {"test-huur"}
    assert set(CollectionPause.objects.values_list("partner__code", flat=True)) == {"test-huur"}


def test_an_over_long_origin_is_refused_not_cut(caseworker, municipality):
    """The service itself refuses (a form of another page, or a script, could send it)."""
    row = {k: v for k, v in FORM.items() if k in ALL_COLUMNS}
    with pytest.raises(ReferralRefused) as refused:
        referral_register(
            user=caseworker, municipality=municipality, kind="intern", origin="W" * 201, row=row, contact="X" * 201
        )
    assert refused.value.errors["origin"] == ["Dit veld is langer dan 200 tekens; kort het zelf in."]
    assert refused.value.errors["contact"] == ["Dit veld is langer dan 200 tekens; kort het zelf in."]
    assert not Referral.objects.exists() and not Delivery.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_referral_does_not_wait_for_a_delivery_that_holds_intake(client, caseworker, municipality):
    """A 400,000-line delivery held the form for 50 s (gunicorn gives up at 60 s). Here a
    delivery for the same municipality holds its intake lock (signals/locks.py)."""
    holding, release = threading.Event(), threading.Event()

    def large_delivery():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [MUNICIPALITY_LOCKS, municipality.pk])
            holding.set()
            release.wait(30)
        connection.close()

    worker = threading.Thread(target=large_delivery)
    worker.start()
    assert holding.wait(10)
    client.force_login(caseworker)
    started = time.monotonic()
    try:
        response = _post(client, municipality)
    finally:
        waited = time.monotonic() - started
        release.set()
        worker.join()
    assert waited < 10 and response.status_code == 302 and response.url == reverse("caseworker-dashboard")
    page = client.get(response.url).content.decode()
    assert "Er wordt nu een grote levering verwerkt" in page
    delivery = Delivery.objects.get()
    assert delivery.status == "received" and Referral.objects.filter(delivery=delivery).exists()
    assert OutboxMessage.objects.filter(task="signals.process_delivery", kwargs={"delivery_id": delivery.pk}).exists()

    # What the intake worker then does: the case is there, with the referral.
    assert delivery_process(delivery_id=delivery.pk).status == "done"
    assert Case.objects.get().signals.get().delivery == delivery
