"""LAA address investigations: uploaded by an admin, every line accounted for; a
caseworker closes one or turns it into a case after a home visit; reported apart."""

import io
from datetime import date

import pytest
from django.urls import reverse

from cases.models import AddressInvestigation, Case, InvestigationState
from reports import periods
from reports.figures import report

pytestmark = pytest.mark.django_db

LIST = (
    "laa_referentie;postcode;huisnummer;huisnummertoevoeging;straat;woonplaats;signaaldatum;toelichting\n"
    "LAA-1;1234 AB;12;;Dorpsstraat;Voorbeeldstad;2026-11-10;Veel inschrijvingen op één adres\n"
    "LAA-2;5678CD;3;A;Kerkstraat;Voorbeeldstad;10-11-2026;\n"
    "LAA-3;12345;x;;Molenweg;Voorbeeldstad;gisteren;\n"
    "LAA-1;1234 AB;12;;Dorpsstraat;Voorbeeldstad;2026-11-10;dubbel\n"
)


def _upload(client, admin, municipality, text=LIST):
    client.force_login(admin)
    file = io.BytesIO(text.encode("utf-8"))
    file.name = "laa.csv"
    return client.post(reverse("laa-upload"), {"municipality": municipality.pk, "file": file})


def test_upload_accounts_for_every_line(client, functional_admin, municipality):
    page = _upload(client, functional_admin, municipality).content.decode()
    assert "2 nieuwe adresonderzoeken, 1 al bekend, 1 regels afgewezen." in page
    assert (
        "postcode &#x27;12345&#x27; is geen Nederlandse postcode." in page
        and "huisnummer &#x27;x&#x27; is geen getal." in page
    )
    assert AddressInvestigation.objects.count() == 2
    assert not Case.objects.exists()  # not debt cases
    page = _upload(client, functional_admin, municipality).content.decode()  # the same list again
    assert "0 nieuwe adresonderzoeken, 3 al bekend" in page and AddressInvestigation.objects.count() == 2


def test_a_file_without_the_required_columns_is_refused_in_dutch(client, functional_admin, municipality):
    header = "laa_referentie;huisnummer;straat;woonplaats;signaaldatum\n"
    page = _upload(client, functional_admin, municipality, header + "X;1;Y;Z;2026-11-10\n").content.decode()
    assert "Verplichte kolom ontbreekt: postcode." in page and not AddressInvestigation.objects.exists()
    page = _upload(client, functional_admin, municipality, "referentie;adres\nX;Y\n").content.decode()
    assert "Onbekende kolommen: &#x27;referentie&#x27;, &#x27;adres&#x27;." in page


def test_caseworker_closes_one_and_turns_the_other_into_a_case(client, functional_admin, caseworker, municipality):
    _upload(client, functional_admin, municipality)
    first, second = AddressInvestigation.objects.order_by("laa_reference")
    client.force_login(caseworker)
    assert "Dorpsstraat 12" in client.get(reverse("laa-list")).content.decode()
    client.post(reverse("laa-close", args=[second.pk]), {"note": "Adres klopt, geen schulden"})
    second.refresh_from_db()
    assert second.state == InvestigationState.NO_CASE and second.handled_by == caseworker

    bad = client.post(
        reverse("laa-detail", args=[first.pk]),
        {"achternaam": "Jansen", "bsn": "123456789", "bedrag_achterstand": "300", "datum_ontstaan": "2026-09-01"},
    )
    assert "elfproef" in bad.content.decode() and not Case.objects.exists()
    response = client.post(
        reverse("laa-detail", args=[first.pk]),
        {
            "achternaam": "Jansen",
            "voorletters": "P.",
            "bedrag_achterstand": "300",
            "datum_ontstaan": "2026-09-01",
            "geboortedatum": "1970-01-01",
            "note": "Huurachterstand, bewoner wil hulp",
        },
    )
    first.refresh_from_db()
    case = Case.objects.get()
    assert response.url == reverse("case-detail", args=[case.pk])
    assert first.state == InvestigationState.CASE_OPENED and first.case == case
    signal = case.signals.get()
    assert (signal.partner.code, signal.postcode, signal.house_number) == ("verwijzing-laa", "1234AB", 12)
    assert client.post(reverse("laa-close", args=[first.pk]), {"note": "x"}, follow=True).status_code == 200
    first.refresh_from_db()
    assert first.state == InvestigationState.CASE_OPENED  # handled already: unchanged


def test_reported_apart_from_signals(client, functional_admin, caseworker, municipality):
    _upload(client, functional_admin, municipality)
    first = AddressInvestigation.objects.order_by("laa_reference").first()
    client.force_login(caseworker)
    client.post(reverse("laa-close", args=[first.pk]), {"note": "niets aan de hand"})
    received = first.received_on
    tables = {t.key: t for t in report(municipality, periods.custom(received, received), today=date(2099, 1, 1))}
    rows = {str(r[0]): r[1:] for r in tables["adresonderzoeken"].rows}
    assert rows["Ontvangen"] == [2, ""] and rows["afgesloten zonder zaak"] == [1, "50,0 %"]
    assert {str(r[0]): r[1:] for r in tables["signalen-en-zaken"].rows}["Ontvangen signalen"] == [0, ""]
