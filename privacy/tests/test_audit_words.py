"""The audit trail reads as Dutch words, on the page and in its CSV alike (issue 16:
not `outreach.contactattempt 3` or `transition: close`)."""

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from outreach.models import ContactAttempt
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db

PAGE_COLUMNS = ["Wanneer", "Wie", "Wat", "Welk object", "IP-adres", "Reden", "Details"]


def _cells(row_html: str) -> list[str]:
    return [
        html.unescape(strip_tags(cell)).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)
    ]


def _page_table(page: str) -> tuple[list[str], list[list[str]]]:
    table = re.search(r'<table class="table" data-testid="audit-table">.*?</table>', page, re.S).group(0)
    header = _cells(re.search(r"<thead>.*?</thead>", table, re.S).group(0))
    rows = [_cells(row) for row in re.findall(r'<tr data-testid="audit-row">.*?</tr>', table, re.S)]
    return header, [["" if cell == "–" else cell for cell in row] for row in rows]  # "–": nothing


def _csv(response) -> tuple[list[str], list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return header, rows


@pytest.fixture
def worked_case(client, partner, teamlead, caseworker):
    """The team lead assigns a case; the caseworker picks it up, opens it and records a
    contact attempt. Every request comes from 127.0.0.1 (the test client)."""
    case = CaseFactory(signals=[partner])
    client.force_login(teamlead)
    client.post(reverse("case-assign"), {"cases": [case.pk], "assignee": caseworker.pk})
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]))
    client.get(reverse("case-detail", args=[case.pk]))
    attempt = {"kind": "Telefoon", "reached": "0", "date": "2026-11-30", "time": "10:00", "part_of_day": "ochtend"}
    client.post(reverse("contact-attempt-create", args=[case.pk]), attempt)
    return case, ContactAttempt.objects.get(case=case)


def test_page_and_csv_say_who_did_what_to_which_object_in_the_same_dutch_words(client, privacy_officer, worked_case):
    case, attempt = worked_case
    client.force_login(privacy_officer)
    assert client.get(reverse("audit-export")).status_code == 200  # an export, to read back
    response = client.post(reverse("audit-search"), {}, follow=True)
    page_header, page_rows = _page_table(response.content.decode())
    csv_header, csv_rows = _csv(client.get(reverse("audit-export")))

    assert page_header == PAGE_COLUMNS
    assert csv_header == [*PAGE_COLUMNS, "Omschrijving"]
    # Each search and export adds an entry of its own; everything else is the same, row by row.
    page_rows = [row for row in page_rows if row[2] != "gezocht"]
    csv_rows = [row for row in csv_rows if row[2] != "gezocht"]
    assert [row[:7] for row in csv_rows[1:]] == page_rows  # the first: the export being downloaded

    who_what_which = {tuple(row[1:4]) for row in page_rows}
    expected = {
        ("tl", "toegewezen aan cw", f"zaak {case.pk}"),
        ("cw", "opgepakt", f"zaak {case.pk}"),
        ("cw", "bekeken", f"zaak {case.pk}"),
        ("cw", "aangemaakt", f"contactpoging {attempt.pk} (zaak {case.pk})"),
        ("fg", "geëxporteerd", "de audittrail als CSV-bestand"),
    }
    assert expected <= who_what_which
    assert {row[4] for row in page_rows} == {"127.0.0.1"}
    assert all(re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d:\d\d", row[0]) for row in page_rows)
    sentences = {row[7] for row in csv_rows}
    assert {
        f"tl heeft zaak {case.pk} toegewezen aan cw.",
        f"cw heeft zaak {case.pk} opgepakt.",
        f"cw heeft contactpoging {attempt.pk} (zaak {case.pk}) aangemaakt.",
        "fg heeft de audittrail als CSV-bestand geëxporteerd.",
    } <= sentences


def test_no_codes_on_the_page_or_in_the_csv(client, privacy_officer, worked_case):
    client.force_login(privacy_officer)
    response = client.post(reverse("audit-search"), {}, follow=True)
    table = re.search(r'<table class="table" data-testid="audit-table">.*?</table>', response.content.decode(), re.S)
    _header, rows = _csv(client.get(reverse("audit-export")))
    for text in (strip_tags(table.group(0)), "\n".join(";".join(row) for row in rows)):
        assert re.findall(r"\b[a-z_]+\.[a-z_]+\b", text) == []  # cases.case, outreach.contactattempt, audit.csv
        for code in ("transition", "pick_up", "assigned_to", "login", "create", "view", "export"):
            assert re.search(rf"\b{code}\b", text) is None, code
