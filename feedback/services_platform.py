"""The feedback file for a platform: per period, in the layout of the import
profile's way back (ADR 0015, "The way back"; feedback/platform.py)."""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from signals.models import ImportProfile
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvexport import safe_cell
from vroeg.partners.models import Partner

from .selectors import feedback_for_partners

OBJECT_TYPE = "feedback.platform_csv"


@dataclass
class PlatformFile:
    filename: str
    content_type: str
    chunks: Iterator[bytes]  # the file, line by line, in the profile's encoding


class _Echo:
    def write(self, value: str) -> str:
        return value


def _partners_of(profile: ImportProfile) -> tuple[list[Partner], dict[str, str]]:
    """The partners the profile maps, and per partner code the platform's value for it
    (the smallest value of the partner column that names it; a fixed partner: its code)."""
    if profile.partner_id:
        return [profile.partner], {profile.partner.code: profile.partner.code}
    values: dict[str, str] = {}
    for value, code in sorted((profile.partner_values or {}).items()):
        values.setdefault(str(code), str(value))
    return list(Partner.objects.filter(code__in=values)), values


def _cells(row: dict, profile: ImportProfile, platform_values: dict[str, str]) -> dict[str, str]:
    fmt = profile.feedback_date_format
    pause = row["pause_ends_on"]
    return {
        "partner_code": row["partner__code"],
        "partner_waarde": platform_values.get(row["partner__code"], row["partner__code"]),
        "partner_referentie": row["signal__partner_referentie"],
        "signaal_type": row["signal__signal_type"],
        "signaaldatum": row["signal__signal_date"].strftime(fmt),
        "datum_terugkoppeling": timezone.localtime(row["given_at"]).date().strftime(fmt),
        "resultaat": (profile.feedback_results or {}).get(row["result"], row["result"]),
        "toelichting": row["detail"],
        "incassopauze_tot": pause.strftime(fmt) if pause else "",
    }


@transaction.atomic
def platform_feedback_export(
    *, profile: ImportProfile, date_from: date, date_to: date, actor=None, request=None
) -> PlatformFile:
    """The feedback file of `profile` for the feedback given from `date_from` up to and
    including `date_to` (local days): one row per feedback to any partner the profile
    maps, oldest first, in the profile's columns, date format, delimiter and encoding,
    holding only what that partner's own feedback CSV shows. Audited; raises
    ValidationError (Dutch) when the profile has no way back or the period is wrong."""
    if not profile.feedback_columns:
        raise ValidationError(f"Het importprofiel {profile} heeft geen kolommen voor een terugkoppelbestand.")
    if date_from > date_to:
        raise ValidationError("De begindatum ligt na de einddatum.")
    partners, platform_values = _partners_of(profile)
    audit_log(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        object_type=OBJECT_TYPE,
        object_id=profile.pk,
        detail={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
    )
    rows = feedback_for_partners(partners=partners, date_from=date_from, date_to=date_to)
    columns = [(str(column), str(field)) for column, field in profile.feedback_columns]
    encoding = profile.feedback_encoding or "utf-8"
    writer = csv.writer(_Echo(), delimiter=profile.feedback_delimiter or ";")

    def chunks() -> Iterator[bytes]:
        yield writer.writerow([column for column, _field in columns]).encode(encoding, errors="replace")
        for row in rows.iterator(chunk_size=2000):
            cells = _cells(row, profile, platform_values)
            line = writer.writerow([safe_cell(cells[field]) for _column, field in columns])
            yield line.encode(encoding, errors="replace")

    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in profile.name)
    return PlatformFile(
        filename=f"terugkoppeling-{name}-{date_from.isoformat()}-{date_to.isoformat()}.csv",
        content_type=f"text/csv; charset={encoding}",
        chunks=chunks(),
    )
