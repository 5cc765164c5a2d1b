"""The report page, its downloads and who may see them."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

YEAR = {"period": "year", "year": "2026"}


def _params(municipality, **extra):
    return {"municipality": municipality.pk, **YEAR, **extra}


def test_team_lead_sees_chart_and_tables_for_the_year(client, teamlead, world):
    client.force_login(teamlead)
    page = client.get(reverse("reports"), _params(world)).content.decode()
    assert 'data-testid="report-title">Voorbeeldstad, 2026<' in page
    assert page.count('<rect x="') == 3  # bars: October rent; November rent and water
    assert 'data-testid="table-eindresultaten"' in page and "Totaal" in page
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="reports.report").exists()


def test_the_chart_coordinates_are_plain_numbers_in_a_dutch_interface(client, teamlead, world):
    """With Dutch formats, y="232,0" made every bar invalid: the chart drew nothing."""
    client.force_login(teamlead)
    page = client.get(reverse("reports"), _params(world)).content.decode()
    svg = page[page.index('<svg class="chart"') : page.index("</svg>", page.index('<svg class="chart"'))]
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?%?", n) for n in numbers), numbers
    bars = re.findall(r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="([^"]*)"', svg)
    assert bars and any(float(h) > 0 for h in bars)


def test_first_visit_shows_this_month(client, teamlead, municipality):
    client.force_login(teamlead)
    response = client.get(reverse("reports"))
    assert response.status_code == 200 and 'data-testid="report-title"' in response.content.decode()


def test_custom_period_without_dates_is_explained_in_dutch(client, teamlead, municipality):
    client.force_login(teamlead)
    page = client.get(
        reverse("reports"), {"municipality": municipality.pk, "period": "custom", "year": "2026"}
    ).content.decode()
    assert "Geef de eerste dag van de periode op." in page and "Geef de laatste dag van de periode op." in page
    assert 'data-testid="report-title"' not in page


def test_another_municipality_cannot_be_chosen(client, teamlead, other_municipality):
    client.force_login(teamlead)
    page = client.get(reverse("reports"), _params(other_municipality)).content.decode()
    assert 'data-testid="report-title"' not in page and "field-error" in page
    assert client.get(reverse("report-csv", args=["eindresultaten"]), _params(other_municipality)).status_code == 404


def test_csv_download_of_one_table(client, teamlead, world):
    client.force_login(teamlead)
    response = client.get(reverse("report-csv", args=["contactpogingen"]), _params(world))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Soort (DDAS);Pogingen;Bereikt;Slagingspercentage"
    assert "Huisbezoek;1;1;100,0 %" in lines
    assert 'filename="vroeg-9999-20260101-20261231-contactpogingen.csv"' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id="contactpogingen").exists()
    assert client.get(reverse("report-csv", args=["onbekend"]), _params(world)).status_code == 404


def test_xlsx_has_every_table_as_a_sheet(client, teamlead, world):
    client.force_login(teamlead)
    response = client.get(reverse("report-xlsx"), _params(world))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "eindresultaten" in book.sheetnames and len(book.sheetnames) == 10
    rows = list(book["per-partner"].iter_rows(values_only=True))
    # Numbers as numbers (issue 16: percentages and rates were text), shown as such.
    assert ("Woonstichting Test", 5, 1, 0.2, 0, 0) in rows
    partner_row = next(r for r in book["per-partner"].iter_rows() if r and r[0].value == "Woonstichting Test")
    assert partner_row[3].number_format == "0.0%"
    month = next(r for r in book["signalen-per-maand"].iter_rows() if len(r) > 2 and isinstance(r[-1].value, float))
    assert month[-1].number_format == "0.00"


def test_query_count_does_not_grow_with_the_data(client, teamlead, municipality, partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from testkit.signal_files import csv_bytes, deliver, row

    client.force_login(teamlead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("reports"), _params(municipality))
        return len(ctx)

    deliver(partner, csv_bytes([row(partner_referentie="X1")]))
    few = count()
    deliver(partner, csv_bytes([row(partner_referentie=f"Y{i}", huisnummer=str(i)) for i in range(1, 40)]))
    assert count() == few


def test_ddas_download_validates_and_is_audited(client, teamlead, world):
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    client.force_login(teamlead)
    response = client.get(reverse("report-ddas"), _params(world))
    assert response["Content-Disposition"] == 'attachment; filename="ddas-9999-20260101-20261231.json"'
    document = json.loads(b"".join(response.streaming_content))
    schema_path = Path(__file__).resolve().parents[1] / "ddas" / "schema" / "v1.2" / "json_schema_Uitwisselmodel.json"
    schema = json.loads(schema_path.read_text())
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)
    [levering] = document["leveringen"]
    assert len(levering["vroegsignalen"]) == 7 and len(levering["vroegsignaalzaken"]) == 4
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="ddas.levering")
    assert entry.detail["signals"] == 7


def test_ddas_download_with_a_broken_configuration_says_so(client, teamlead, world, settings):
    settings.DDAS_SUPPLIER_CODE = ""
    client.force_login(teamlead)
    response = client.get(reverse("report-ddas"), _params(world), follow=True)
    assert "DDAS_SUPPLIER_CODE" in response.content.decode()
