"""The documents for partners that Vroeg serves from docs/partners/: the guides,
rendered from their Markdown, and one example Signaal-CSV v1 file per sector (each
valid under the contract for a partner of that sector)."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vroeg.partners.models import PartnerType

from .markdown import render

DOCS_DIR: Path = settings.BASE_DIR / "docs" / "partners"

# The slug in the URL → the file. Only these are served.
DOCUMENTS = {
    "informatie": "README.md",
    "signaal-csv-v1": "signaal-csv-v1.md",
    "terugkoppeling": "terugkoppeling.md",
    "laa-csv": "laa-csv.md",
    "api": "api.md",
}


@dataclass(frozen=True)
class ExampleFile:
    partner_type: str
    name: str  # the file in DOCS_DIR without ".csv", and the slug in the URL
    sector: Promise

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


EXAMPLE_FILES = [
    ExampleFile(PartnerType.HUUR, "voorbeeld-signalen-huur", _("landlords")),
    ExampleFile(PartnerType.ENERGIE, "voorbeeld-signalen-energie", _("energy suppliers")),
    ExampleFile(PartnerType.WATER, "voorbeeld-signalen-water", _("drinking-water companies")),
    ExampleFile(PartnerType.ZORG, "voorbeeld-signalen-zorg", _("health insurers")),
]


def example_file(name: str) -> ExampleFile | None:
    return next((e for e in EXAMPLE_FILES if e.name == name), None)


def example_for(partner_type: str) -> ExampleFile | None:
    """The example file of a partner's own sector (None for a sector without one)."""
    return next((e for e in EXAMPLE_FILES if e.partner_type == partner_type), None)


def example_bytes(example: ExampleFile) -> bytes:
    return (DOCS_DIR / example.filename).read_bytes()


@dataclass(frozen=True)
class Document:
    title: str
    html: str  # escaped by the renderer


def document(slug: str) -> Document | None:
    """A guide as HTML, its links to other guides and example files made into URLs."""
    if slug not in DOCUMENTS:
        return None
    text = (DOCS_DIR / DOCUMENTS[slug]).read_text(encoding="utf-8")
    title = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("# ")), slug)
    return Document(title=title, html=render(text, link=_url_of))


def _url_of(href: str) -> str:
    """A link in a guide: another guide or an example file becomes its URL here; an
    anchor or a web address stays as it is."""
    parts = urlsplit(href)
    if parts.scheme:
        return href if parts.scheme in ("http", "https", "mailto") else "#"
    if not parts.path:
        return href
    anchor = f"#{parts.fragment}" if parts.fragment else ""
    for slug, filename in DOCUMENTS.items():
        if parts.path == filename:
            return reverse("document", args=[slug]) + anchor
    if parts.path.endswith(".csv") and (example := example_file(parts.path.removesuffix(".csv"))):
        return reverse("example-file", args=[example.name])
    return href
