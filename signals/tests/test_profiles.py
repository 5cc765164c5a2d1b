"""Import profiles: a platform's multi-partner Excel export and a partner's own CSV layout
read through profiles made here, with hand-counted outcomes by source line."""

import html
import io
import json
import tracemalloc
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from signals.models import Delivery, ImportProfile, PartnerType, ProfileImport, Signal
from signals.profiles import FileRefused, translate
from signals.selectors import profile_import_lines
from signals.services import delivery_process, delivery_receive
from signals.services_profiles import (
    import_profile_export,
    import_profile_import,
    import_profile_save,
    profile_import_receive,
    profile_preview,
)
from testkit.factories import PartnerFactory

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 11, 27)


@pytest.fixture
def energy(municipality):
    p = PartnerFactory(code="test-energie", name="Energie Test", partner_type=PartnerType.ENERGIE)
    p.municipalities.add(municipality)
    return p


PLATFORM_COLUMNS = {
    "Dossiernr": "partner_referentie",
    "Soort": "signaal_type",
    "Crisis": "crisissignaal",
    "Schuld": "bedrag_achterstand",
    "Ontstaan": "datum_ontstaan",
    "Signaal": "signaaldatum",
    "BSN": "bsn",
    "Naam": "achternaam",
    "Straat": "straat",
    "Nr": "huisnummer",
    "Postcode": "postcode",
    "Plaats": "woonplaats",
    "Opmerking": "niet inlezen",
}


def platform_profile(**changes) -> ImportProfile:
    fields = {
        "file_kind": "xlsx",
        "header_row": 2,
        "date_format": "%d-%m-%Y",
        "decimal_separator": ",",
        "columns": PLATFORM_COLUMNS,
        "value_maps": {
            "signaal_type": {"Huurachterstand": "huur", "Elektra": "elektra"},
            "crisissignaal": {"J": "ja", "N": "nee"},
        },
        "partner_column": "Crediteur",
        "partner_values": {"Woonstichting Test BV": "test-huur", "Energie Test NV": "test-energie"},
        **changes,
    }
    return import_profile_save(name="RIS-export", **fields)


HEADER = [
    "Dossiernr",
    "Soort",
    "Crisis",
    "Schuld",
    "Ontstaan",
    "Signaal",
    "BSN",
    "Naam",
    "Straat",
    "Nr",
    "Postcode",
    "Plaats",
    "Crediteur",
    "Opmerking",
]


def platform_row(ref, kind="Huurachterstand", creditor="Woonstichting Test BV", signal="01-11-2026", **changes):
    values = {
        "Dossiernr": ref,
        "Soort": kind,
        "Crisis": "J",
        "Schuld": 1248.68,
        "Ontstaan": datetime(2026, 8, 1),
        "Signaal": signal,
        "BSN": 999999990,
        "Naam": f"Jansen {ref}",
        "Straat": "Dorpsstraat",
        "Nr": 12,
        "Postcode": "1234 ab",
        "Plaats": "Voorbeeldstad",
        "Crediteur": creditor,
        "Opmerking": "belt vaak boos",
    }
    values.update(changes)
    return [values[c] for c in HEADER]


def platform_xlsx(header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Export RIS november 2026"])  # row 1: a title above the header
    sheet.append(header)  # row 2
    sheet.append(platform_row("H-1"))  # 3: huur partner, accepted
    sheet.append(platform_row("E-1", kind="Elektra", creditor="Energie Test NV", BSN=123456782))  # 4: accepted
    sheet.append(platform_row("E-2", creditor="Energie Test NV"))  # 5: huur from an energy supplier: rejected
    sheet.append(platform_row("W-1", creditor="Waterbedrijf Oost"))  # 6: unknown partner
    sheet.append([None] * len(header))  # 7: blank, skipped
    sheet.append(platform_row("H-1", Naam="Pietersen"))  # 8: H-1 again in the file: rejected
    sheet.append(platform_row("H-2", signal="31-02-2026"))  # 9: no such date: rejected
    sheet.append(platform_row("E-3", kind="Elektra", creditor="energie test nv", BSN=None))  # 10: accepted
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_file(profile, data, name="export.xlsx", **kwargs) -> ProfileImport:
    return profile_import_receive(
        profile=profile, stream=io.BytesIO(data), original_name=name, received_on=RECEIVED, process_now=True, **kwargs
    )


def outcomes(record):
    return [(o.line, o.partner, o.outcome) for o in profile_import_lines(profile_import=record)]


def test_platform_excel_export_with_many_partners(partner, energy):
    record = import_file(platform_profile(), platform_xlsx())

    assert record.status == "done" and record.rows_read == 7
    assert outcomes(record) == [
        (3, "test-huur", "accepted"),
        (4, "test-energie", "accepted"),
        (5, "test-energie", "rejected"),
        (6, "", "rejected"),
        (8, "test-huur", "rejected"),
        (9, "test-huur", "rejected"),
        (10, "test-energie", "accepted"),
    ]
    reasons = {o.line: " ".join(o.reasons) for o in profile_import_lines(profile_import=record)}
    assert "signaal_type 'huur' hoort niet bij deze partner" in reasons[5]
    assert "Onbekende partner 'Waterbedrijf Oost' in kolom 'crediteur'" in reasons[6]
    assert "staat al op regel 3 van dit bestand" in reasons[8]
    assert "signaaldatum '31-02-2026 (verwacht DD-MM-JJJJ)' is geen datum" in reasons[9]

    huur, energie = Delivery.objects.get(partner=partner), Delivery.objects.get(partner=energy)
    assert (huur.accepted_count, huur.rejected_count) == (1, 2)
    assert (energie.accepted_count, energie.rejected_count) == (2, 1)
    for delivery in (huur, energie):
        assert delivery.profile.name == "RIS-export" and delivery.profile.version == 1
        assert delivery.profile_import == record

    signal = Signal.objects.get(partner_referentie="H-1")
    assert signal.line_number == 3
    assert signal.amount == Decimal("1248.68") and signal.crisis  # number cell, "J" → ja
    assert signal.arrears_since == date(2026, 8, 1) and signal.signal_date == date(2026, 11, 1)
    assert signal.signal_type == "huur" and Signal.objects.get(partner_referentie="E-1").signal_type == "elektra"


def test_the_same_file_again_is_answered_like_the_form(partner, energy):
    profile = platform_profile()
    export = platform_xlsx()  # once: a workbook records the second it was written
    first = import_file(profile, export)
    again = import_file(profile, export, name="nogmaals.xlsx")
    assert again.status == "refused" and again.duplicate_of == first
    assert "al ontvangen op" in again.refusal_reason and "export.xlsx" in again.refusal_reason
    assert Delivery.objects.count() == 2 and Signal.objects.count() == 3


def test_preview_shows_the_outcomes_of_the_import_and_stores_nothing(partner, energy):
    profile = platform_profile()
    preview = profile_preview(profile=profile, stream=io.BytesIO(platform_xlsx()), received_on=RECEIVED)
    assert not Delivery.objects.exists() and not ProfileImport.objects.exists() and not Signal.objects.exists()
    row = next(r for r in preview if r.line == 3)
    assert row.values["signaal_type"] == "huur" and row.values["datum_ontstaan"] == "2026-08-01"
    assert "Opmerking" not in row.values and "opmerking" not in row.values

    record = import_file(profile, platform_xlsx())
    assert [(r.line, r.partner, r.outcome, r.reasons) for r in preview] == [
        (o.line, o.partner, o.outcome, o.reasons) for o in profile_import_lines(profile_import=record)
    ]


def test_a_column_the_profile_does_not_know_refuses_the_file(partner, energy):
    record = import_file(platform_profile(), platform_xlsx(header=[*HEADER[:-1], "IBAN"]))
    assert record.status == "refused"
    assert "Onbekende kolom: 'iban'" in record.refusal_reason
    assert not Delivery.objects.exists() and not Signal.objects.exists()


def _own_layout_fields(partner) -> dict:
    return {
        "name": "Woonstichting eigen",
        "file_kind": "csv",
        "encoding": "cp1252",
        "delimiter": ",",
        "header_row": 1,
        "date_format": "%Y%m%d",
        "decimal_separator": ",",
        "columns": {
            "Contract": "partner_referentie",
            "Soort": "signaal_type",
            "Bedrag": "bedrag_achterstand",
            "Sinds": "datum_ontstaan",
            "Gemeld": "signaaldatum",
            "Achternaam": "achternaam",
            "Adres": "straat",
            "Huisnr": "huisnummer",
            "PC": "postcode",
            "Woonplaats": "woonplaats",
            "Crisis": "crisissignaal",
            "Telefoon": "niet inlezen",
        },
        "value_maps": {"signaal_type": {"Huurschuld": "huur"}, "crisissignaal": {"Ja": "ja", "Nee": "nee"}},
        "partner": partner,
    }


def own_layout_profile(partner) -> ImportProfile:
    return import_profile_save(**_own_layout_fields(partner))


OWN_CSV = (
    "Contract,Soort,Bedrag,Sinds,Gemeld,Achternaam,Adres,Huisnr,PC,Woonplaats,Crisis,Telefoon\r\n"
    'C-1,Huurschuld,"1.248,68",20260801,20261101,Vries,Dorpsstraat,12,1234AB,Voorbeeldstad,Ja,0612345678\r\n'
    "C-2,Huurschuld,300,2026-08-01,20261101,Bakker,Dorpsstraat,14,1234AB,Voorbeeldstad,Nee,0612345678\r\n"
    "\r\n"
    'C-3,Huurschuld,"12,5",20260901,20261101,Daëls,Kerkstraat,1,1234AB,Voorbeeldstad,Nee,\r\n'
    'C-4,Huurschuld,"1,248.68",20260901,20261101,Smit,Kerkstraat,3,1234AB,Voorbeeldstad,Nee,\r\n'
).encode("cp1252")


def test_a_partners_own_csv_layout(partner):
    record = import_file(own_layout_profile(partner), OWN_CSV, name="eigen.csv")

    assert outcomes(record) == [
        (2, "test-huur", "accepted"),
        (3, "test-huur", "rejected"),
        (5, "test-huur", "accepted"),
        (6, "test-huur", "rejected"),
    ]
    reasons = {o.line: " ".join(o.reasons) for o in profile_import_lines(profile_import=record)}
    assert "datum_ontstaan '2026-08-01 (verwacht JJJJMMDD)' is geen datum" in reasons[3]
    assert "bedrag_achterstand '1,248.68 (verwacht decimaalteken ',')'" in reasons[6]
    first = Signal.objects.get(partner_referentie="C-1")
    assert first.amount == Decimal("1248.68") and first.crisis and first.arrears_since == date(2026, 8, 1)
    assert first.phone == ""  # "niet inlezen": never stored
    third = Signal.objects.get(partner_referentie="C-3")
    assert third.surname == "Daëls" and third.amount == Decimal("12.50") and not third.crisis


def test_a_profile_must_map_every_required_field_and_know_its_partner(partner):
    with pytest.raises(ValidationError) as caught:
        import_profile_save(
            name="Half",
            file_kind="csv",
            columns={"Contract": "partner_referentie", "X": "iban"},
            partner_column="Crediteur",
            partner_values={"A": "bestaat-niet"},
        )
    messages = " ".join(caught.value.messages)
    assert "Verplichte velden zijn aan geen kolom gekoppeld: signaal_type" in messages
    assert "iban is geen veld van Signaal-CSV v1" in messages
    assert "onbekende partnercode bestaat-niet" in messages


def test_a_change_is_a_new_version_and_deliveries_keep_theirs(partner, energy):
    first = platform_profile()
    import_file(first, platform_xlsx())
    assert platform_profile() == first  # unchanged: no new version
    second = platform_profile(date_format="%d/%m/%Y")
    assert second.version == 2 and ImportProfile.objects.get(pk=first.pk).date_format == "%d-%m-%Y"
    assert set(Delivery.objects.values_list("profile__version", flat=True)) == {1}


def test_json_export_and_import_round_trip_keeps_the_profile(partner, energy, tmp_path):
    profile = platform_profile()
    path = tmp_path / "profielen.json"
    call_command("export_profiles", "--output", str(path))
    data = json.loads(path.read_text())
    assert [d["name"] for d in data] == ["RIS-export"]

    ImportProfile.objects.all().delete()  # another installation
    call_command("import_profiles", str(path), stdout=io.StringIO())
    copy = ImportProfile.objects.get()
    assert import_profile_export(copy) == import_profile_export(profile)
    assert import_profile_import(data[0]) == copy  # the same again saves nothing


def test_functional_admin_uploads_through_a_profile(client, functional_admin, partner, energy):
    platform_profile()
    client.force_login(functional_admin)
    page = client.get(reverse("delivery-upload")).content.decode()
    assert '<select name="profile"' in page
    profile = ImportProfile.objects.get()
    response = client.post(
        reverse("delivery-upload"),
        {"profile": profile.pk, "file": SimpleUploadedFile("export.xlsx", platform_xlsx())},
    )
    record = ProfileImport.objects.get()
    assert response.url == reverse("admin:signals_profileimport_change", args=[record.pk])
    for delivery in record.deliveries.all():
        delivery_process(delivery_id=delivery.pk)  # what the worker does
    page = client.get(response.url).content.decode()
    assert "Onbekende partner &#x27;Waterbedrijf Oost&#x27;" in page
    assert "Energie Test" in page and "Woonstichting Test" in page


def test_admin_preview_page_shows_each_rows_outcome(client, functional_admin, partner, energy):
    profile = platform_profile()
    client.force_login(functional_admin)
    url = reverse("admin:signals_importprofile_preview", args=[profile.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"file": SimpleUploadedFile("export.xlsx", platform_xlsx())}).content.decode()
    assert page.count('data-testid="preview-row"') == 7
    assert "Waterbedrijf Oost" in page
    assert not Delivery.objects.exists()


def test_admin_saves_a_change_as_the_next_version(client, functional_admin, partner):
    profile = own_layout_profile(partner)
    client.force_login(functional_admin)
    url = reverse("admin:signals_importprofile_change", args=[profile.pk])
    assert client.get(url).status_code == 200
    data = {
        **{f: getattr(profile, f) for f in ["name", "file_kind", "encoding", "delimiter", "header_row"]},
        "active": "on",
        "description": "",
        "date_format": "%d%m%Y",
        "decimal_separator": ",",
        "columns": json.dumps(profile.columns),
        "value_maps": json.dumps(profile.value_maps),
        "partner": partner.pk,
        "partner_column": "",
        "partner_values": "{}",
        # the way back (none here), as the form fills it in
        "feedback_date_format": "%d-%m-%Y",
        "feedback_delimiter": ";",
        "feedback_encoding": "utf-8",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    versions = list(ImportProfile.objects.order_by("version").values_list("version", "date_format"))
    assert versions == [(1, "%Y%m%d"), (2, "%d%m%Y")]
    data["columns"] = json.dumps({**profile.columns, "contract": "niet inlezen"})
    page = client.post(url, data).content.decode()
    assert "Verplichte velden zijn aan geen kolom gekoppeld: partner_referentie" in page
    assert ImportProfile.objects.count() == 2


def test_import_signals_command_with_a_profile(partner, energy, tmp_path):
    platform_profile()
    path = tmp_path / "export.xlsx"
    path.write_bytes(platform_xlsx())
    out = io.StringIO()
    call_command("import_signals", str(path), "--profile", "RIS-export", "--received-on", "2026-11-27", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1] == "accepted=3 repeated=0 rejected=4"
    assert any(line.startswith("regel 6 (geen partner): Onbekende partner 'Waterbedrijf Oost'") for line in lines)
    assert any(line.startswith("regel 9 (H-2): signaaldatum") for line in lines)


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        # UTF-16 while the profile says Windows-1252: its nul bytes are no text.
        (OWN_CSV.decode("cp1252").encode("utf-16"), "het bevat nul-bytes"),
        (b"\r\n" + OWN_CSV, "Regel 1 bevat geen kolomnamen"),
        (OWN_CSV.replace(b"Smit,", b'"Smit,'), "een aanhalingsteken wordt niet gesloten"),
        (OWN_CSV.replace(b"Telefoon", b"IBAN"), "Onbekende kolom: 'iban'. Het profiel 'Woonstichting eigen' kent"),
    ],
)
def test_a_partners_own_csv_goes_through_the_one_csv_reader(partner, data, refusal):
    """The same reader as every other upload (vroeg/csvfile.py), with the profile's
    encoding, delimiter and header line: the same refusals, in the same words."""
    record = import_file(own_layout_profile(partner), data, name="eigen.csv")
    assert record.status == "refused" and refusal in record.refusal_reason
    assert not Delivery.objects.exists()


def test_a_line_with_a_field_too_many_is_rejected_with_both_counts(partner):
    data = OWN_CSV.replace(b"Smit,Kerkstraat,3,", b"Smit,Kerkstraat,3,extra,")
    record = import_file(own_layout_profile(partner), data, name="eigen.csv")
    reasons = {o.line: " ".join(o.reasons) for o in profile_import_lines(profile_import=record)}
    assert "De regel heeft 13 velden; de kopregel heeft er 12." in reasons[6]


# -- fixed values (constants) -------------------------------------------------------


@pytest.fixture
def water(municipality):
    p = PartnerFactory(code="test-water", name="Waterbedrijf Test", partner_type=PartnerType.WATER)
    p.municipalities.add(municipality)
    return p


def water_profile(partner, **changes) -> ImportProfile:
    """A water company's own layout: no column for the signal type, so always drinkwater."""
    fields = {
        "file_kind": "csv",
        "encoding": "utf-8",
        "delimiter": ";",
        "date_format": "%d-%m-%Y",
        "columns": {
            "Klantnr": "partner_referentie",
            "Naam": "achternaam",
            "Straat": "straat",
            "Huisnr": "huisnummer",
            "Postcode": "postcode",
            "Plaats": "woonplaats",
            "Openstaand": "bedrag_achterstand",
            "Sinds": "datum_ontstaan",
            "Gemeld": "signaaldatum",
            "Notitie": "niet inlezen",
        },
        "constants": {"signaal_type": "drinkwater", "gemeentecode": "9999"},
        "partner": partner,
        **changes,
    }
    return import_profile_save(name="Water eigen", **fields)


WATER_CSV = (
    b"Klantnr;Naam;Straat;Huisnr;Postcode;Plaats;Openstaand;Sinds;Gemeld;Notitie\r\n"
    b"K-1;Vries;Dorpsstraat;12;1234AB;Voorbeeldstad;120,50;01-08-2026;01-11-2026;NIET-OPSLAAN-41\r\n"  # 2: accepted
    b"K-2;Bakker;Dorpsstraat;14;1234AB;Voorbeeldstad;0;01-08-2026;01-11-2026;\r\n"  # 3: amount 0, rejected
    b"K-3;Smit;Kerkstraat;3;1234AB;Voorbeeldstad;75,00;01-09-2026;01-11-2026;NIET-OPSLAAN-41\r\n"  # 4: accepted
)


def test_a_fixed_value_fills_a_field_the_file_has_no_column_for(water):
    profile = water_profile(water)
    preview = profile_preview(profile=profile, stream=io.BytesIO(WATER_CSV), received_on=RECEIVED)
    record = import_file(profile, WATER_CSV, name="water.csv")

    assert outcomes(record) == [
        (2, "test-water", "accepted"),
        (3, "test-water", "rejected"),
        (4, "test-water", "accepted"),
    ]
    assert [(r.line, r.outcome) for r in preview] == [(2, "accepted"), (3, "rejected"), (4, "accepted")]
    assert {r.values["signaal_type"] for r in preview} == {"drinkwater"}  # the preview shows it
    assert {r.values["gemeentecode"] for r in preview} == {"9999"}
    assert sorted(Signal.objects.values_list("partner_referentie", "signal_type")) == [
        ("K-1", "drinkwater"),
        ("K-3", "drinkwater"),
    ]


@pytest.mark.parametrize(
    ("constants", "message"),
    [
        ({"signaal_type": "water"}, "Vaste waarde: signaal_type 'water' bestaat niet."),
        ({"signaal_type": "huur"}, "Vaste waarde: signaal_type 'huur' hoort niet bij deze partner"),
        (
            {"signaal_type": "drinkwater", "crisissignaal": "soms"},
            "Vaste waarde: crisissignaal 'soms' is geen ja of nee",
        ),
        (
            {"signaal_type": "drinkwater", "gemeentecode": "0363"},
            "Vaste waarde: gemeentecode '0363' hoort niet bij een gemeente waaraan u levert.",
        ),
        ({"signaal_type": "drinkwater", "postcode": "1234AB"}, "Vaste waarden: postcode kan geen vaste waarde hebben"),
        ({"signaal_type": "drinkwater", "woonplaats": "Voorbeeldstad"}, "woonplaats komt al uit een kolom"),
        ({"signaal_type": " "}, "Vaste waarden: geef signaal_type een waarde"),
        ({}, "Verplichte velden zijn aan geen kolom gekoppeld: signaal_type."),
    ],
)
def test_a_fixed_value_is_checked_like_any_value_when_saving(water, constants, message):
    with pytest.raises(ValidationError) as caught:
        water_profile(water, constants=constants)
    assert message in " ".join(caught.value.messages)
    assert not ImportProfile.objects.exists()


def test_a_fixed_value_of_a_platform_export_is_checked_for_each_of_its_partners(partner, energy):
    """A platform export for one sector: the fixed signal type must suit every partner
    the profile maps; only the partner it does not suit is named."""
    with pytest.raises(ValidationError) as caught:
        platform_profile(
            columns={
                **{k: v for k, v in PLATFORM_COLUMNS.items() if v != "signaal_type"},
                "Soort": "niet inlezen",
            },
            value_maps={"crisissignaal": {"J": "ja", "N": "nee"}},
            constants={"signaal_type": "elektra"},
        )
    assert caught.value.messages == [
        "Vaste waarde voor partner test-huur: signaal_type 'elektra' hoort niet bij deze partner: "
        "deze partner mag alleen huur leveren (de Bgs geeft elke soort schuldeiser een eigen signaal)."
    ]


def test_a_changed_fixed_value_is_a_new_version_and_travels_in_json(water, tmp_path):
    first = water_profile(water)
    assert water_profile(water) == first
    second = water_profile(water, constants={"signaal_type": "drinkwater"})
    assert second.version == 2 and ImportProfile.objects.get(pk=first.pk).constants["gemeentecode"] == "9999"

    path = tmp_path / "profielen.json"
    call_command("export_profiles", "--output", str(path))
    assert json.loads(path.read_text())[0]["constants"] == {"signaal_type": "drinkwater"}
    ImportProfile.objects.all().delete()
    call_command("import_profiles", str(path), stdout=io.StringIO())
    assert ImportProfile.objects.get().constants == {"signaal_type": "drinkwater"}


def test_admin_refuses_an_unknown_fixed_value_in_dutch(client, functional_admin, water):
    profile = water_profile(water)
    client.force_login(functional_admin)
    url = reverse("admin:signals_importprofile_change", args=[profile.pk])
    data = {
        **{f: getattr(profile, f) for f in ["name", "file_kind", "sheet", "encoding", "delimiter", "header_row"]},
        "active": "on",
        "description": "",
        "date_format": profile.date_format,
        "decimal_separator": profile.decimal_separator,
        "columns": json.dumps(profile.columns),
        "value_maps": "{}",
        "constants": json.dumps({"signaal_type": "water"}),
        "partner": water.pk,
        "partner_column": "",
        "partner_values": "{}",
        "feedback_date_format": "%d-%m-%Y",
        "feedback_delimiter": ";",
        "feedback_encoding": "utf-8",
    }
    page = html.unescape(client.post(url, data).content.decode())
    assert "Vaste waarde: signaal_type 'water' bestaat niet." in page
    assert ImportProfile.objects.count() == 1
    data["constants"] = json.dumps({"signaal_type": "drinkwater"})
    assert client.post(url, data).status_code == 302
    assert ImportProfile.objects.get(version=2).constants == {"signaal_type": "drinkwater"}


# -- the sheet of a workbook ----------------------------------------------------------


def two_sheet_xlsx() -> bytes:
    """A workbook whose first sheet explains the export and whose second holds it."""
    book = Workbook()
    notes = book.active
    notes.title = "Toelichting"
    notes.append(["Deze export bevat de signalen van november."])
    export = book.create_sheet("Export")
    export.append(["Export RIS november 2026"])
    export.append(HEADER)
    export.append(platform_row("H-1"))  # 3: accepted
    export.append(platform_row("W-1", creditor="Waterbedrijf Oost"))  # 4: unknown partner
    export.append(platform_row("E-1", kind="Elektra", creditor="Energie Test NV"))  # 5: accepted
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_profile_reads_the_sheet_it_names(partner, energy):
    profile = platform_profile(sheet="export")  # as Excel: case does not matter
    assert profile.sheet == "export"
    preview = profile_preview(profile=profile, stream=io.BytesIO(two_sheet_xlsx()), received_on=RECEIVED)
    record = import_file(profile, two_sheet_xlsx())
    assert outcomes(record) == [(3, "test-huur", "accepted"), (4, "", "rejected"), (5, "test-energie", "accepted")]
    assert [(r.line, r.partner, r.outcome) for r in preview] == outcomes(record)


def test_a_workbook_without_the_sheet_is_refused_naming_the_sheets_it_has(partner, energy):
    profile = platform_profile(sheet="Signalen")
    record = import_file(profile, two_sheet_xlsx())
    expected = (
        "Het werkblad 'Signalen' staat niet in het bestand; het profiel 'RIS-export' leest dat werkblad. "
        "Werkbladen in het bestand: 'Toelichting', 'Export'."
    )
    assert record.status == "refused" and record.refusal_reason == expected
    with pytest.raises(FileRefused) as caught:
        profile_preview(profile=profile, stream=io.BytesIO(two_sheet_xlsx()))
    assert caught.value.message == expected
    assert not Delivery.objects.exists()
    # Without a sheet the first is read: here the notes, which have no header on row 2.
    first = import_file(platform_profile(), two_sheet_xlsx(), name="eerste.xlsx")
    assert first.refusal_reason == "Rij 2 bevat geen kolomnamen; daar verwacht het profiel de kopregel."


def test_a_csv_profile_keeps_no_sheet(partner):
    assert import_profile_save(**{**_own_layout_fields(partner), "sheet": "Blad1"}).sheet == ""


# -- large files --------------------------------------------------------------------


def test_translating_a_large_file_keeps_memory_flat(partner):
    """The translated Signaal-CSV v1 file is written to a temporary file as it goes:
    the memory used while translating 40,000 rows stays well below the file's size."""
    rows = [
        f'C-{i},Huurschuld,"1.248,68",20260801,20261101,Vries,Dorpsstraat,{i % 300 + 1},1234AB,Voorbeeldstad,Nee,\r\n'
        for i in range(40_000)
    ]
    data = (OWN_CSV.decode("cp1252").splitlines(keepends=True)[0] + "".join(rows)).encode("cp1252")
    profile = own_layout_profile(partner)
    tracemalloc.start()
    try:
        translation = translate(profile, io.BytesIO(data), partner_code_of=lambda value: None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with translation:
        file = translation.files["test-huur"]
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        assert file.readline().startswith(b"partner_referentie;signaal_type;")
        assert translation.rows == 40_000 and size > 3_500_000
        assert peak < size * 0.75, (peak, size)
    assert file.closed  # the temporary file is gone with the translation


# -- what the "done when" asks, for CSV as for Excel ---------------------------


def platform_csv() -> bytes:
    """The platform's export as CSV: one line per row, the partner in a column."""
    lines = [";".join(HEADER)]
    rows = [
        platform_row("H-1", Schuld="1.248,68", Ontstaan="01-08-2026"),  # 2: accepted
        platform_row("W-1", creditor="Waterbedrijf Oost", Schuld="10,00", Ontstaan="01-08-2026"),  # 3: unknown
        platform_row("E-1", kind="Elektra", creditor="Energie Test NV", Schuld="5", Ontstaan="01-08-2026"),  # 4
        platform_row("X-1", creditor="", Schuld="5", Ontstaan="01-08-2026"),  # 5: no partner
        platform_row("E-2", kind="Elektra", creditor="Energie Test NV", Schuld="0", Ontstaan="01-08-2026"),  # 6
    ]
    lines += [";".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def csv_platform_profile() -> ImportProfile:
    return platform_profile(file_kind="csv", header_row=1, encoding="utf-8", delimiter=";")


def test_preview_and_import_agree_row_by_row_for_a_csv_file(partner, energy):
    profile = csv_platform_profile()
    preview = profile_preview(profile=profile, stream=io.BytesIO(platform_csv()), received_on=RECEIVED)
    record = import_file(profile, platform_csv(), name="export.csv")

    assert outcomes(record) == [
        (2, "test-huur", "accepted"),
        (3, "", "rejected"),
        (4, "test-energie", "accepted"),
        (5, "", "rejected"),
        (6, "test-energie", "rejected"),
    ]
    assert [(r.line, r.partner, r.outcome, r.reasons) for r in preview] == [
        (o.line, o.partner, o.outcome, o.reasons) for o in profile_import_lines(profile_import=record)
    ]
    reasons = {r.line: " ".join(r.reasons) for r in preview}
    assert reasons[3] == (
        "Onbekende partner 'Waterbedrijf Oost' in kolom 'crediteur': het profiel 'RIS-export' "
        "koppelt deze waarde aan geen partner."
    )
    assert reasons[5] == "De kolom 'crediteur' is leeg."
    assert reasons[6] == "bedrag_achterstand moet groter zijn dan 0."
    assert record.rejected_lines == [
        {"line": 3, "reasons": [reasons[3]]},
        {"line": 5, "reasons": [reasons[5]]},
    ]
    assert Signal.objects.get(partner_referentie="H-1").amount == Decimal("1248.68")


def tables_holding(text: str) -> list[str]:
    """Every table of the database with `text` in any column (bytea: as UTF-8 bytes)."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}" t WHERE t::text LIKE %s)', [f"%{text}%"])
            if cursor.fetchone()[0]:
                found.append(table)
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'bytea'"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT EXISTS (SELECT 1 FROM "{table}" WHERE position(%s::bytea in "{column}") > 0)',
                [text.encode()],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return sorted(found)


@pytest.mark.postgres
def test_a_column_marked_niet_inlezen_is_stored_nowhere(client, functional_admin, partner, energy, water):
    """The marked columns' values are in no table: not in the translated file kept for
    the worker, not after intake, not after a preview (the other values are, which
    shows the search finds what is there)."""
    profile = platform_profile()
    client.force_login(functional_admin)
    export = platform_xlsx()  # "Opmerking" is "belt vaak boos" on every row
    url = reverse("admin:signals_importprofile_preview", args=[profile.pk])
    client.post(url, {"file": SimpleUploadedFile("export.xlsx", export)})
    client.post(reverse("delivery-upload"), {"profile": profile.pk, "file": SimpleUploadedFile("export.xlsx", export)})
    assert tables_holding("Jansen H-1") == ["signals_deliveryfile.content"]  # kept for the worker
    assert tables_holding("belt vaak boos") == []
    for delivery in Delivery.objects.all():
        delivery_process(delivery_id=delivery.pk)
    import_file(water_profile(water), WATER_CSV, name="water.csv")  # "Notitie": NIET-OPSLAAN-41

    assert "signals_signal" in tables_holding("Jansen H-1") and "signals_signal" in tables_holding("K-3")
    assert tables_holding("belt vaak boos") == []
    assert tables_holding("NIET-OPSLAAN-41") == []


# -- the delivery shows its profile -------------------------------------------------


def test_the_delivery_page_names_the_profile_for_staff_only(client, functional_admin, partner_user, partner):
    record = import_file(own_layout_profile(partner), OWN_CSV, name="eigen.csv")
    delivery = record.deliveries.get()
    url = reverse("delivery-detail", args=[delivery.public_id])

    client.force_login(functional_admin)
    page = html.unescape(client.get(url).content.decode())
    assert "Ingelezen met importprofiel 'Woonstichting eigen' (versie 1)" in page
    assert reverse("admin:signals_profileimport_change", args=[record.pk]) in page
    admin_page = html.unescape(
        client.get(reverse("admin:signals_delivery_change", args=[delivery.pk])).content.decode()
    )
    assert "Ingelezen met importprofiel 'Woonstichting eigen' (versie 1)" in admin_page

    client.force_login(partner_user)  # the partner: that it was translated, not by what
    page = html.unescape(client.get(url).content.decode())
    assert "Door de gemeente ingelezen uit een bestand in een andere opmaak" in page
    assert "Woonstichting eigen" not in page and "importprofiel" not in page.lower()


def test_a_partners_own_file_names_no_profile(client, functional_admin, partner):
    own = delivery_receive(
        partner=partner,
        stream=io.BytesIO(
            b"partner_referentie;signaal_type;bedrag_achterstand;datum_ontstaan;signaaldatum;achternaam;"
            b"straat;huisnummer;postcode;woonplaats\n"
            b"R-1;huur;100;2026-08-01;2026-11-01;Vries;Dorpsstraat;1;1234AB;Voorbeeldstad\n"
        ),
        original_name="eigen.csv",
        received_on=RECEIVED,
        keep_file=False,
    )
    client.force_login(functional_admin)
    page = client.get(reverse("delivery-detail", args=[own.public_id])).content.decode()
    assert 'data-testid="profile"' not in page
    admin_page = client.get(reverse("admin:signals_delivery_change", args=[own.pk])).content.decode()
    assert "Signaal-CSV v1 (geen importprofiel)" in admin_page


def test_admin_preview_names_the_sheet_the_fixed_values_and_a_refusal(client, functional_admin, partner, energy, water):
    client.force_login(functional_admin)
    water_url = reverse("admin:signals_importprofile_preview", args=[water_profile(water).pk])
    page = client.post(water_url, {"file": SimpleUploadedFile("water.csv", WATER_CSV)}).content.decode()
    assert "Vaste waarden voor elke regel: gemeentecode = 9999, signaal_type = drinkwater" in page
    assert page.count('data-testid="preview-row"') == 3 and 'data-testid="preview-sheet"' not in page

    url = reverse("admin:signals_importprofile_preview", args=[platform_profile(sheet="Export").pk])
    page = html.unescape(client.post(url, {"file": SimpleUploadedFile("x.xlsx", two_sheet_xlsx())}).content.decode())
    assert "Gelezen werkblad: 'Export'." in page and page.count('data-testid="preview-row"') == 3
    unknown = platform_xlsx(header=[*HEADER[:-1], "IBAN"])
    page = html.unescape(client.post(url, {"file": SimpleUploadedFile("x.xlsx", unknown)}).content.decode())
    assert "Het werkblad 'Export' staat niet in het bestand" in page  # platform_xlsx has one sheet, "Sheet"
    url = reverse("admin:signals_importprofile_preview", args=[platform_profile().pk])
    page = html.unescape(client.post(url, {"file": SimpleUploadedFile("x.xlsx", unknown)}).content.decode())
    assert "Het bestand zou worden geweigerd: Onbekende kolom: 'iban'." in page
    assert 'data-testid="preview-row"' not in page and not Delivery.objects.exists()
