"""The guides and example files for partners, served by the web app: every example
passes intake for a partner of its sector, a partner finds the one of its own sector,
and every guide renders with working links."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from signals.docs import DOCS_DIR, DOCUMENTS, EXAMPLE_FILES, example_bytes
from signals.markdown import heading_id, render
from testkit.factories import PartnerFactory
from testkit.signal_files import deliver
from vroeg.partners.models import SECTOR_BGS_TYPES, PartnerType

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda e: e.name)
def test_each_example_file_passes_intake_for_a_partner_of_its_sector(example, municipality):
    partner = PartnerFactory(code=f"voorbeeld-{example.partner_type.lower()}", partner_type=example.partner_type)
    partner.municipalities.add(municipality)
    data = example_bytes(example)
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))

    delivery = deliver(partner, data, received_on=date(2026, 11, 30), name=example.filename)

    assert (delivery.rows_read, delivery.rejected_count) == (len(lines), 0)
    assert delivery.accepted_count == len(lines) >= 10
    # Only the Bgs types of the sector, each of them at least once.
    assert {line["signaal_type"] for line in lines} == set(SECTOR_BGS_TYPES[example.partner_type])


def test_every_sector_has_an_example_file_in_the_partner_docs():
    assert sorted(e.partner_type for e in EXAMPLE_FILES) == sorted(SECTOR_BGS_TYPES)
    assert {e.filename for e in EXAMPLE_FILES} == {p.name for p in DOCS_DIR.glob("voorbeeld-signalen-*.csv")}


def test_a_partner_finds_the_example_of_its_own_sector(client, partner_user):
    client.force_login(partner_user)  # a landlord
    page = client.get(reverse("delivery-upload")).content.decode()
    assert "Voorbeeldbestand voor uw sector: voorbeeld-signalen-huur.csv" in page
    assert "voorbeeld-signalen-energie" not in page
    assert reverse("document", args=["signaal-csv-v1"]) in page

    response = client.get(reverse("example-file", args=["voorbeeld-signalen-huur"]))
    assert response["Content-Disposition"] == 'attachment; filename="voorbeeld-signalen-huur.csv"'
    assert response.content == (DOCS_DIR / "voorbeeld-signalen-huur.csv").read_bytes()


def test_a_partner_without_a_sector_example_sees_none(client, make_user, municipality):
    cak = PartnerFactory(code="cak", partner_type=PartnerType.CAK_ZORGVERZEKERINGEN)
    client.force_login(make_user("partner_user", username="cak-user", partner=cak))
    page = client.get(reverse("delivery-upload")).content.decode()
    assert 'data-testid="example-file"' not in page
    assert reverse("document", args=["signaal-csv-v1"]) in page


def test_the_functional_admin_sees_every_sectors_example(client, functional_admin):
    client.force_login(functional_admin)
    page = client.get(reverse("delivery-upload")).content.decode()
    assert page.count('data-testid="example-file"') == 4
    assert "Voorbeeldbestand voor zorgverzekeraars: voorbeeld-signalen-zorg.csv" in page


def test_unknown_documents_and_files_are_not_found(client, partner_user):
    client.force_login(partner_user)
    assert client.get(reverse("document", args=["README"])).status_code == 404
    assert client.get(reverse("document", args=["etc-passwd"])).status_code == 404
    assert client.get(reverse("example-file", args=["signaal-csv-v1"])).status_code == 404


@pytest.mark.parametrize("slug", sorted(DOCUMENTS))
def test_every_guide_renders_with_working_links(client, partner_user, slug):
    client.force_login(partner_user)
    page = client.get(reverse("document", args=[slug])).content.decode()
    body = page.split('data-testid="document">', 1)[1].split("</article>", 1)[0]
    assert body.count("<h1 ") == 1
    ids = set(re.findall(r' id="([^"]+)"', body))
    for href in re.findall(r'href="([^"]+)"', body):
        path, _, anchor = href.partition("#")
        if not path:
            assert anchor in ids, href  # a link within the guide
        else:
            assert not path.endswith(".md") and path.startswith("/documenten/"), href
            target = client.get(path)
            assert target.status_code == 200, href
            if anchor:  # a section of another guide
                assert f' id="{anchor}"' in target.content.decode(), href


def test_the_laa_upload_page_links_its_format_instead_of_a_repository_path(client, functional_admin):
    client.force_login(functional_admin)
    page = client.get(reverse("laa-upload")).content.decode()
    assert "docs/partners" not in page
    assert f'<a href="{reverse("document", args=["laa-csv"])}">Het formaat van de LAA-lijst</a>' in page
    guide = client.get(reverse("document", args=["laa-csv"])).content.decode()
    assert '<h2 id="het-bestand">Het bestand</h2>' in guide


def test_markdown_by_hand():
    text = (
        "# Titel <script>\n\n"
        "Een **vette** en *schuine* zin met `<code>` en een\n[link](andere.md#kop).\n\n"
        "- eerste punt\n- tweede\n\n"
        "| Kolom | Inhoud |\n|---|---|\n| `a` | b & c |\n\n"
        "```\nx;y <z>\n```\n\n"
        "## Wanneer weigert Vroeg het hele bestand?\n\n## Wanneer weigert Vroeg het hele bestand?\n"
    )
    html = render(text, link=lambda href: "/" + href).replace("\n", "")
    assert '<h1 id="titel-script">Titel &lt;script&gt;</h1>' in html
    assert "<strong>vette</strong> en <em>schuine</em> zin met <code>&lt;code&gt;</code>" in html
    assert '<a href="/andere.md#kop">link</a>' in html
    assert "<ul><li>eerste punt</li><li>tweede</li></ul>" in html
    assert '<table class="table"><thead><tr><th scope="col">Kolom</th><th scope="col">Inhoud</th></tr></thead>' in html
    assert "<td><code>a</code></td><td>b &amp; c</td>" in html
    assert "<pre><code>x;y &lt;z&gt;</code></pre>" in html
    assert '<h2 id="wanneer-weigert-vroeg-het-hele-bestand">' in html
    assert '<h2 id="wanneer-weigert-vroeg-het-hele-bestand-1">' in html


def test_markdown_passes_no_html_or_script_links_on():
    html = render('<img src=x onerror="alert(1)">\n\n[klik](javascript:alert(1)) <b>vet</b>')
    assert "<img" not in html and "<b>" not in html and 'href="javascript' not in html
    assert "&lt;img" in html and "&lt;b&gt;vet&lt;/b&gt;" in html


def test_heading_ids_are_githubs():
    assert heading_id("Dezelfde partner_referentie twee keer in één bestand") == (
        "dezelfde-partner_referentie-twee-keer-in-één-bestand"
    )
    assert heading_id("Mijn bestand is groter dan 50 MB") == "mijn-bestand-is-groter-dan-50-mb"


def test_links_in_a_guide_become_urls_of_this_site():
    from signals.docs import _url_of

    assert _url_of("signaal-csv-v1.md#zo-levert-u-aan") == "/documenten/signaal-csv-v1/#zo-levert-u-aan"
    assert _url_of("README.md") == "/documenten/informatie/"
    assert _url_of("voorbeeld-signalen-water.csv") == "/documenten/voorbeeld-signalen-water.csv"
    assert _url_of("#bsn") == "#bsn"
    assert _url_of("https://www.rijksoverheid.nl/") == "https://www.rijksoverheid.nl/"
    assert _url_of("javascript:alert(1)") == "#"  # never a script, whatever a file says
