"""The way back to a platform (ADR 0015, "The way back"): the feedback fields a
profile's feedback file may hold, and the check of that layout.

The fields are exactly what a partner's own feedback CSV shows
(feedback.views.partner_feedback_csv), plus which partner a row is for; never
anything about the resident. The layout itself is stored on the import profile
(signals.models.ImportProfile.feedback_*), so it is versioned, exported and imported
with the profile; signals asks this module to check it (signals.hooks.profile_problems).
"""

import codecs
from typing import Any

from signals.models import ImportProfile
from signals.services_profiles import usable_date_format

from .models import FeedbackResult

# field → what it holds (for the operators' guide; docs/operators/import-profiles.md)
FIELDS = {
    "partner_code": "the partner's code in Vroeg",
    "partner_waarde": "the partner's value in the platform's partner column (else its code)",
    "partner_referentie": "the partner's own reference of the signal",
    "signaal_type": "the signal type",
    "signaaldatum": "the signal date",
    "datum_terugkoppeling": "the day the feedback was given (local time)",
    "resultaat": "the result, through the profile's result values",
    "toelichting": "the end result, only with the resident's consent",
    "incassopauze_tot": "the last day of the collection pause, if any",
}
LAYOUT_FIELDS = (
    "feedback_columns",
    "feedback_results",
    "feedback_date_format",
    "feedback_delimiter",
    "feedback_encoding",
)


def _or_default(fields: dict, name: str) -> Any:
    """A field not given is saved with the model's default (an export made before the way back)."""
    value = fields.get(name)
    return ImportProfile._meta.get_field(name).get_default() if value is None else value


def way_back_problems(**fields: Any) -> list[str]:
    """What keeps a profile's feedback_* fields from being a usable layout, in Dutch.
    No columns at all is fine: the profile has no way back."""
    fields = {f: _or_default(fields, f) for f in LAYOUT_FIELDS}
    columns = fields.get("feedback_columns") or []
    results = fields.get("feedback_results") or {}
    if not columns and not results:
        return []
    problems = []
    if not isinstance(columns, list) or not all(
        isinstance(pair, list | tuple) and len(pair) == 2 and str(pair[0]).strip() for pair in columns
    ):
        return ['Terugkoppelbestand: geef de kolommen op volgorde als [["kolom", "veld"], ...].']
    if not columns:
        problems.append("Terugkoppelbestand: resultaatwaarden zonder kolommen; geef ook de kolommen.")
    names = [str(column).strip().casefold() for column, _field in columns]
    if len(set(names)) != len(names):
        problems.append("Terugkoppelbestand: een kolomnaam staat meer dan eens in het bestand.")
    unknown = sorted({str(f) for _column, f in columns if f not in FIELDS})
    if unknown:
        problems.append(
            f"Terugkoppelbestand: {', '.join(unknown)} is geen veld van de terugkoppeling; "
            f"kies uit {', '.join(FIELDS)}."
        )
    if not isinstance(results, dict):
        problems.append('Terugkoppelbestand: geef de resultaatwaarden als {"resultaat": "waarde"}.')
    else:
        wrong = sorted(set(map(str, results)) - set(FeedbackResult.values))
        if wrong:
            problems.append(f"Terugkoppelbestand: onbekend resultaat {', '.join(wrong)}.")
    fmt = fields.get("feedback_date_format") or ""
    if not usable_date_format(fmt):
        problems.append(f"Terugkoppelbestand: datumnotatie '{fmt}' is onbruikbaar; gebruik bijvoorbeeld %d-%m-%Y.")
    if len(fields.get("feedback_delimiter") or "") != 1:
        problems.append("Terugkoppelbestand: het scheidingsteken is één teken, bijvoorbeeld ; of ,.")
    encoding = fields.get("feedback_encoding") or ""
    try:
        codecs.lookup(encoding)
    except LookupError:
        problems.append(f"Terugkoppelbestand: onbekende tekenset '{encoding}' (bijvoorbeeld utf-8 of cp1252).")
    return problems
