"""The way back to a platform: the feedback file per period in the layout of the
import profile the signals came in through (ADR 0015, "The way back")."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.models import Feedback, FeedbackResult
from feedback.services_platform import platform_feedback_export
from signals.models import ImportProfile, PartnerType
from signals.services_profiles import import_profile_export, import_profile_import, import_profile_save
from testkit.factories import CaseFactory, PartnerFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

DECEMBER = {"date_from": date(2026, 12, 1), "date_to": date(2026, 12, 31)}
# The platform's file, by hand: "|" between fields, its own column names in its own
# order, its result codes (a result it has no code for keeps Vroeg's), dates as
# DD-MM-YYYY, Windows-1252 (the é), and only the feedback of December in Amsterdam.
EXPECTED = (
    "Crediteur|Code|Dossiernr|Signaaldatum|Datum|Uitkomst|Pauze tot\r\n"
    "Waterbedrijf Eén NV|test-water|WATER-3|20-11-2026|01-12-2026|NO|\r\n"
    "Woonstichting Test BV|test-huur|HUUR-7|20-11-2026|05-12-2026|HA|04-01-2027\r\n"
    "Woonstichting Test BV|test-huur|HUUR-8|20-11-2026|31-12-2026|herhaalde_melding|\r\n"
).encode("cp1252")
WAY_BACK = {
    "feedback_columns": [
        ["Crediteur", "partner_waarde"],
        ["Code", "partner_code"],
        ["Dossiernr", "partner_referentie"],
        ["Signaaldatum", "signaaldatum"],
        ["Datum", "datum_terugkoppeling"],
        ["Uitkomst", "resultaat"],
        ["Pauze tot", "incassopauze_tot"],
    ],
    "feedback_results": {"hulp_geaccepteerd": "HA", "niet_opgepakt": "NO"},
    "feedback_date_format": "%d-%m-%Y",
    "feedback_delimiter": "|",
    "feedback_encoding": "cp1252",
}


def ris_profile(**changes) -> ImportProfile:
    fields = {
        "file_kind": "csv",
        "delimiter": ";",
        "header_row": 1,
        "decimal_separator": ",",
        "date_format": "%d-%m-%Y",
        "columns": {
            "Dossiernr": "partner_referentie",
            "Soort": "signaal_type",
            "Schuld": "bedrag_achterstand",
            "Ontstaan": "datum_ontstaan",
            "Signaal": "signaaldatum",
            "Naam": "achternaam",
            "Straat": "straat",
            "Nr": "huisnummer",
            "Postcode": "postcode",
            "Plaats": "woonplaats",
        },
        "partner_column": "Crediteur",
        "partner_values": {"Woonstichting Test BV": "test-huur", "Waterbedrijf Eén NV": "test-water"},
        **WAY_BACK,
        **changes,
    }
    return import_profile_save(name="RIS-export", **fields)


@pytest.fixture
def feedback_given(partner, water, municipality):
    """Feedback to the profile's two partners and to one outside it, around the
    bounds of December in local time (Europe/Amsterdam, UTC+1 in winter)."""
    energy = PartnerFactory(code="test-energie", name="Energie Test", partner_type=PartnerType.ENERGIE)
    case = CaseFactory(household__municipality=municipality, first_received_on=date(2026, 11, 21))

    def give(who, reference: str, result: str, at: datetime, pause: date | None = None) -> None:
        signal = SignalFactory(
            case=case,
            partner=who,
            partner_referentie=reference,
            signal_date=date(2026, 11, 20),
            resident__surname="Geheimzinnig",
        )
        Feedback.objects.create(
            signal=signal, partner=who, case=case, result=result, given_at=at, pause_ends_on=pause, detail=""
        )

    give(partner, "HUUR-9", FeedbackResult.NOT_PICKED_UP, datetime(2026, 11, 30, 22, 59, tzinfo=UTC))  # 30-11 23:59
    give(water, "WATER-3", FeedbackResult.NOT_PICKED_UP, datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # 01-12 00:30
    give(
        partner,
        "HUUR-7",
        FeedbackResult.HELP_ACCEPTED,
        datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
        pause=date(2027, 1, 4),
    )
    give(energy, "ENERGIE-1", FeedbackResult.HELP_ACCEPTED, datetime(2026, 12, 6, 10, 0, tzinfo=UTC))
    give(partner, "HUUR-8", FeedbackResult.REPEATED, datetime(2026, 12, 31, 22, 30, tzinfo=UTC))  # 31-12 23:30
    give(water, "WATER-4", FeedbackResult.NOT_PICKED_UP, datetime(2026, 12, 31, 23, 10, tzinfo=UTC))  # 01-01 00:10
    return case


def content(export) -> bytes:
    return b"".join(export.chunks)


def test_the_feedback_file_holds_the_periods_feedback_to_the_profiles_partners_in_its_layout(feedback_given):
    export = platform_feedback_export(profile=ris_profile(), **DECEMBER)

    assert content(export) == EXPECTED
    assert export.filename == "terugkoppeling-RIS-export-2026-12-01-2026-12-31.csv"
    assert export.content_type == "text/csv; charset=cp1252"


def test_the_feedback_file_holds_nothing_about_the_resident(feedback_given):
    text = content(platform_feedback_export(profile=ris_profile(), **DECEMBER)).decode("cp1252")

    for personal in ("Geheimzinnig", "999999990", "Dorpsstraat", feedback_given.household.postcode, "Voorbeeldstad"):
        assert personal not in text
    assert "ENERGIE-1" not in text  # a partner outside the profile


def test_a_fixed_partner_profile_feeds_back_that_partners_feedback_only(feedback_given, partner):
    profile = ris_profile(partner=partner, partner_column="", partner_values={})

    lines = content(platform_feedback_export(profile=profile, **DECEMBER)).decode("cp1252").splitlines()

    assert lines[1:] == [
        "test-huur|test-huur|HUUR-7|20-11-2026|05-12-2026|HA|04-01-2027",
        "test-huur|test-huur|HUUR-8|20-11-2026|31-12-2026|herhaalde_melding|",
    ]


def test_the_download_and_the_command_write_the_same_bytes_and_are_audited(
    feedback_given, client, functional_admin, tmp_path
):
    profile = ris_profile()
    client.force_login(functional_admin)

    page = client.get(reverse("platform-feedback", args=[profile.pk]))
    response = client.get(
        reverse("platform-feedback", args=[profile.pk]), {"date_from": "2026-12-01", "date_to": "2026-12-31"}
    )
    out = tmp_path / "ris.csv"
    call_command(
        "export_feedback", "--profile", "RIS-export", "--from", "2026-12-01", "--to", "2026-12-31", "--output", str(out)
    )

    assert page.status_code == 200 and 'type="date"' in page.content.decode()
    assert (
        response["Content-Disposition"] == 'attachment; filename="terugkoppeling-RIS-export-2026-12-01-2026-12-31.csv"'
    )
    assert b"".join(response.streaming_content) == EXPECTED == out.read_bytes()
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="feedback.platform_csv")
    assert [(e.actor, e.object_id, e.detail) for e in entries.order_by("pk")] == [
        (functional_admin, str(profile.pk), {"date_from": "2026-12-01", "date_to": "2026-12-31"}),
        (None, str(profile.pk), {"date_from": "2026-12-01", "date_to": "2026-12-31"}),
    ]


def test_the_profiles_admin_page_links_to_the_download(client, functional_admin, partner, water):
    profile = ris_profile()
    without = ris_profile(feedback_columns=[], feedback_results={})
    client.force_login(functional_admin)

    with_link = client.get(reverse("admin:signals_importprofile_change", args=[profile.pk])).content.decode()
    no_link = client.get(reverse("admin:signals_importprofile_change", args=[without.pk])).content.decode()

    assert reverse("platform-feedback", args=[profile.pk]) in with_link
    assert reverse("platform-feedback", args=[without.pk]) not in no_link


def test_a_wrong_period_or_a_profile_without_a_way_back_is_refused(client, functional_admin, partner, water):
    profile = ris_profile()
    client.force_login(functional_admin)

    backwards = client.get(
        reverse("platform-feedback", args=[profile.pk]), {"date_from": "2026-12-31", "date_to": "2026-12-01"}
    )
    ris_profile(feedback_columns=[], feedback_results={})
    with pytest.raises(CommandError, match="heeft geen kolommen voor een terugkoppelbestand"):
        call_command("export_feedback", "--profile", "RIS-export", "--from", "2026-12-01", "--to", "2026-12-31")

    assert backwards.status_code == 200
    assert "De begindatum ligt na de einddatum." in backwards.content.decode()
    assert not AuditEntry.objects.filter(object_type="feedback.platform_csv").exists()


def test_the_way_back_is_checked_with_dutch_messages(partner, water):
    with pytest.raises(ValidationError) as refused:
        ris_profile(
            feedback_columns=[["Ref", "partner_referentie"], ["ref", "achternaam"]],
            feedback_results={"gelukt": "OK"},
            feedback_date_format="%Y",
            feedback_delimiter="||",
            feedback_encoding="klingon",
        )

    assert refused.value.messages == [
        "Terugkoppelbestand: een kolomnaam staat meer dan eens in het bestand.",
        "Terugkoppelbestand: achternaam is geen veld van de terugkoppeling; kies uit partner_code, "
        "partner_waarde, partner_referentie, signaal_type, signaaldatum, datum_terugkoppeling, resultaat, "
        "toelichting, incassopauze_tot.",
        "Terugkoppelbestand: onbekend resultaat gelukt.",
        "Terugkoppelbestand: datumnotatie '%Y' is onbruikbaar; gebruik bijvoorbeeld %d-%m-%Y.",
        "Terugkoppelbestand: het scheidingsteken is één teken, bijvoorbeeld ; of ,.",
        "Terugkoppelbestand: onbekende tekenset 'klingon' (bijvoorbeeld utf-8 of cp1252).",
    ]
    assert not ImportProfile.objects.exists()


def test_the_way_back_travels_with_the_profile_and_a_change_is_a_new_version(partner, water):
    first = ris_profile()
    data = import_profile_export(first)
    second = ris_profile(feedback_results={"hulp_geaccepteerd": "HA"})
    imported = import_profile_import({**data, "name": "RIS-elders"})

    assert {k: data[k] for k in WAY_BACK} == WAY_BACK
    assert second.version == 2
    assert ImportProfile.objects.get(pk=first.pk).feedback_results == WAY_BACK["feedback_results"]
    assert {k: getattr(imported, k) for k in WAY_BACK} == WAY_BACK
