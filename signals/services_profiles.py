"""Writes for import profiles: saving a version, importing a file through a profile,
and the preview (the same import of the first rows, rolled back). ADR 0015."""

import codecs
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .csvformat import ALL_COLUMNS, REQUIRED_COLUMNS, RowValidator
from .hooks import profile_problems
from .models import NOT_READ, DecimalSeparator, DeliveryStatus, FileKind, ImportProfile, Partner, ProfileImport
from .profiles import CONSTANT_FIELDS, FileRefused, norm, translate
from .selectors import LineOutcome, profile_import_lines
from .services import _digest, delivery_process, delivery_receive

PREVIEW_ROWS = 20
# The fields of a profile version, as saved, exported and imported (partner: its code);
# a field missing from an export (one made before it existed) is saved with its default.
PROFILE_FIELDS = (
    "active",
    "description",
    "file_kind",
    "sheet",
    "encoding",
    "delimiter",
    "header_row",
    "date_format",
    "decimal_separator",
    "columns",
    "value_maps",
    "constants",
    "partner",
    "partner_column",
    "partner_values",
    "feedback_columns",
    "feedback_results",
    "feedback_date_format",
    "feedback_delimiter",
    "feedback_encoding",
)


def usable_date_format(fmt: str) -> bool:
    """Whether `fmt` (Python notation) writes and reads a date back unchanged, with day and month."""
    try:
        sample = date(2026, 11, 27)
        return all(c in fmt for c in ("%d", "%m")) and datetime.strptime(sample.strftime(fmt), fmt).date() == sample
    except ValueError:
        return False


def import_profile_problems(*, name: str, **fields: Any) -> list[str]:
    """What keeps these fields from being a usable profile, in Dutch; empty when none."""
    problems: list[str] = []
    if not name.strip():
        problems.append("Geef het profiel een naam.")
    if fields.get("file_kind") not in FileKind.values:
        problems.append("Kies het soort bestand: csv of xlsx.")
    if fields.get("encoding"):
        try:
            codecs.lookup(fields["encoding"])
        except LookupError:
            problems.append(f"Onbekende tekenset: {fields['encoding']} (bijvoorbeeld utf-8 of cp1252).")
    if fields.get("file_kind") == FileKind.CSV and len(fields.get("delimiter") or "") != 1:
        problems.append("Het scheidingsteken is één teken, bijvoorbeeld ; of ,.")
    sheet = fields.get("sheet") or ""
    if not isinstance(sheet, str) or len(sheet.strip()) > 31:
        problems.append("Het werkblad is de naam van een blad in het Excel-bestand, van hoogstens 31 tekens.")
    if not isinstance(fields.get("header_row"), int) or fields["header_row"] < 1:
        problems.append("De kopregel is een regelnummer vanaf 1.")
    fmt = fields.get("date_format") or ""
    if not usable_date_format(fmt):
        problems.append(f"Datumnotatie '{fmt}' is onbruikbaar; gebruik bijvoorbeeld %d-%m-%Y of %Y%m%d.")
    if fields.get("decimal_separator") not in DecimalSeparator.values:
        problems.append("Het decimaalteken is een komma of een punt.")
    problems += _column_problems(fields.get("columns"), fields.get("value_maps"), fields.get("constants"))
    partner_problems = _partner_problems(fields)
    problems += partner_problems
    if not partner_problems:  # a fixed value is checked against the partners, once they are right
        problems += _constant_problems(fields)
    for listener_problems in profile_problems(**fields):  # the way back: feedback checks it
        problems += listener_problems
    return problems


def _column_problems(columns: Any, value_maps: Any, constants: Any) -> list[str]:
    if not isinstance(columns, dict) or not columns:
        return ['Kolommen: geef per kolom van het bestand het veld uit Signaal-CSV v1 of "niet inlezen".']
    problems = []
    constants = constants or {}
    if not isinstance(constants, dict):
        problems.append('Vaste waarden: per veld één waarde, {"signaal_type": "drinkwater"}.')
        constants = {}
    sources = [norm(s) for s in columns]
    if len(set(sources)) != len(sources):
        problems.append("Kolommen: een kolom staat meer dan eens in het profiel.")
    targets = [t for t in columns.values() if t != NOT_READ]
    wrong = sorted({str(t) for t in targets if t not in ALL_COLUMNS})
    if wrong:
        problems.append(
            f'Kolommen: {", ".join(wrong)} is geen veld van Signaal-CSV v1; gebruik een veld of "{NOT_READ}".'
        )
    doubles = sorted({t for t in targets if targets.count(t) > 1})
    if doubles:
        problems.append(f"Kolommen: het veld {', '.join(doubles)} is aan meer dan één kolom gekoppeld.")
    missing = [c for c in REQUIRED_COLUMNS if c not in targets and c not in constants]
    if missing:
        problems.append(f"Verplichte velden zijn aan geen kolom gekoppeld: {', '.join(missing)}.")
    not_fixed = sorted(str(f) for f in constants if f not in CONSTANT_FIELDS)
    if not_fixed:
        problems.append(
            f"Vaste waarden: {', '.join(not_fixed)} kan geen vaste waarde hebben: die verschilt per signaal of "
            f"per persoon. Een vaste waarde kan alleen voor {', '.join(CONSTANT_FIELDS)}."
        )
    both = sorted(str(f) for f in constants if f in targets)
    if both:
        problems.append(
            f"Vaste waarden: {', '.join(both)} komt al uit een kolom van het bestand; kies de kolom of de vaste waarde."
        )
    empty = sorted(str(f) for f, v in constants.items() if v is None or not str(v).strip())
    if empty:
        problems.append(f"Vaste waarden: geef {', '.join(empty)} een waarde (of laat het veld weg).")
    value_maps = value_maps or {}
    if not isinstance(value_maps, dict) or not all(isinstance(m, dict) for m in value_maps.values()):
        problems.append('Waardevertalingen: per veld een lijst {"waarde in het bestand": "waarde in Vroeg"}.')
    else:
        unmapped = sorted(f for f in value_maps if f not in targets)
        if unmapped:
            problems.append(f"Waardevertalingen voor een veld dat geen kolom heeft: {', '.join(unmapped)}.")
    return problems


def _constant_problems(fields: dict) -> list[str]:
    """A fixed value is checked like the same value in a file: by the contract's own
    row validator, for every partner the profile reads rows for (its signal types,
    the municipalities it delivers to). Only the fixed fields' reasons count."""
    constants = fields.get("constants") or {}
    if not isinstance(constants, dict):
        return []  # _column_problems says so
    constants = {f: str(v).strip() for f, v in constants.items() if f in CONSTANT_FIELDS and v is not None}
    constants = {f: v for f, v in constants.items() if v}  # an empty one: _column_problems says so
    if not constants:
        return []
    if fields.get("partner"):
        partners = [fields["partner"]]
    else:
        partners = list(Partner.objects.filter(code__in=set(map(str, fields["partner_values"].values()))))
    problems: list[str] = []
    for partner in sorted(partners, key=lambda p: p.code):
        validator = RowValidator(
            allowed_types=set(partner.allowed_signal_types),
            received_on=timezone.localdate(),
            municipality_codes=set(partner.municipalities.filter(active=True).values_list("code", flat=True)),
            default_municipality=None,
        )
        outcome = validator(0, constants)
        for reason in getattr(outcome, "reasons", []):
            if any(reason.startswith(f"{name} ") for name in constants):
                label = "Vaste waarde" if len(partners) == 1 else f"Vaste waarde voor partner {partner.code}"
                problems.append(f"{label}: {reason}")
    return problems


def _partner_problems(fields: dict) -> list[str]:
    partner, column, values = fields.get("partner"), fields.get("partner_column") or "", fields.get("partner_values")
    if bool(partner) == bool(column):
        return ["Kies een vaste partner óf een kolom met de partner, niet allebei of geen van beide."]
    if not column:
        return []
    problems = []
    if norm(column) in {norm(s) for s, t in (fields.get("columns") or {}).items() if t != NOT_READ}:
        problems.append("De kolom met de partner kan niet ook een veld van Signaal-CSV v1 zijn.")
    if not isinstance(values, dict) or not values:
        return [*problems, 'Partnerwaarden: geef per waarde in de kolom de code van de partner, {"waarde": "code"}.']
    codes = {str(c) for c in values.values()}
    unknown = sorted(codes - set(Partner.objects.filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        problems.append(f"Partnerwaarden: onbekende partnercode {', '.join(unknown)}.")
    return problems


def _normalised(fields: dict) -> dict:
    fields = dict(fields)
    fields["columns"] = {norm(s): str(t) for s, t in fields["columns"].items()}
    fields["partner_column"] = norm(fields.get("partner_column") or "")
    fields["partner_values"] = {str(k).strip(): str(v) for k, v in (fields.get("partner_values") or {}).items()}
    fields["value_maps"] = fields.get("value_maps") or {}
    fields["constants"] = {str(f): str(v).strip() for f, v in (fields.get("constants") or {}).items()}
    fields["sheet"] = (fields.get("sheet") or "").strip()
    fields["feedback_columns"] = [[str(c).strip(), str(f)] for c, f in fields.get("feedback_columns") or []]
    fields["feedback_results"] = {str(k): str(v) for k, v in (fields.get("feedback_results") or {}).items()}
    if fields.get("file_kind") == FileKind.XLSX:
        fields["encoding"], fields["delimiter"] = "", ";"
    else:
        fields["sheet"] = ""
    return fields


def _content(profile: ImportProfile) -> dict:
    return {f: getattr(profile, f) for f in PROFILE_FIELDS}


@transaction.atomic
def import_profile_save(*, name: str, created_by=None, **fields: Any) -> ImportProfile:
    """Save a profile as the next version of `name` (versions never change: deliveries
    name the version they were read with). Unchanged content saves nothing and answers
    the current version. Raises ValidationError with every problem, in Dutch."""
    name = name.strip()
    fields = {f: fields.get(f, ImportProfile._meta.get_field(f).get_default()) for f in PROFILE_FIELDS}
    problems = import_profile_problems(name=name, **fields)
    if problems:
        raise ValidationError(problems)
    fields = _normalised(fields)
    # Lock the name's versions so two saves cannot both take the next number.
    current = ImportProfile.objects.select_for_update().filter(name=name).order_by("-version").first()
    if current is not None and _content(current) == fields:
        return current
    profile = ImportProfile.objects.create(
        name=name, version=(current.version + 1) if current else 1, created_by=created_by, **fields
    )
    audit_log(action=AuditAction.CREATE, actor=created_by, obj=profile)
    return profile


def import_profile_export(profile: ImportProfile) -> dict:
    """A profile version as JSON data (partner by code), as import_profile_save takes it."""
    data = {"name": profile.name, "version": profile.version, **_content(profile)}
    data["partner"] = profile.partner.code if profile.partner_id else None
    return data


def import_profile_import(data: dict, *, created_by=None) -> ImportProfile:
    """Save exported data as the next version of its name (unchanged: nothing saved)."""
    fields = {f: data[f] for f in PROFILE_FIELDS if f in data}
    if fields.get("partner"):
        partner = Partner.objects.filter(code=fields["partner"]).first()
        if partner is None:
            raise ValidationError([f"Onbekende partnercode {fields['partner']}."])
        fields["partner"] = partner
    return import_profile_save(name=str(data.get("name", "")), created_by=created_by, **fields)


def _partner_codes_of(profile: ImportProfile):
    values = {norm(k): v for k, v in (profile.partner_values or {}).items()}
    known = set(Partner.objects.filter(code__in=set(values.values())).values_list("code", flat=True))

    def code_of(value: str) -> str | None:
        code = values.get(norm(value))
        return code if code in known else None

    return code_of


def _refused(base: dict, reason: str, duplicate_of: ProfileImport | None = None) -> ProfileImport:
    return ProfileImport.objects.create(
        **base, status=ProfileImport.Status.REFUSED, refusal_reason=reason, duplicate_of=duplicate_of
    )


def _already(base: dict, earlier: ProfileImport) -> ProfileImport:
    when = timezone.localtime(earlier.received_at)
    return _refused(
        base,
        f"Dit bestand is al ontvangen op {when:%d-%m-%Y} om {when:%H:%M} ('{earlier.original_name}', "
        f"profiel {earlier.profile}); er is niets nieuws opgeslagen.",
        duplicate_of=earlier,
    )


def profile_import_receive(
    *,
    profile: ImportProfile,
    stream: BinaryIO,
    original_name: str,
    uploaded_by=None,
    via_command: bool = False,
    received_on: date | None = None,
    process_now: bool = False,
) -> ProfileImport:
    """Read a file through `profile` and receive one delivery per partner found in it,
    each with the rows of that partner on their source line numbers; lines without a
    partner are the import's own rejected lines. The same file through the same profile
    version again is refused, pointing to the earlier import, as the upload form does.

    Without `process_now` the deliveries are queued for the intake worker (the form);
    with it they are processed before returning (the command)."""
    sha256, size = _digest(stream)
    base = {
        "profile": profile,
        "uploaded_by": uploaded_by,
        "via_command": via_command,
        "received_at": timezone.now(),
        "received_on": received_on or timezone.localdate(),
        "sha256": sha256,
        "original_name": original_name[:255],
        "size": size,
    }
    if base["received_on"] > timezone.localdate():
        return _refused(
            base,
            f"De datum van ontvangst ({base['received_on']:%d-%m-%Y}) ligt in de toekomst; "
            "gebruik de dag waarop het bestand echt is ontvangen.",
        )
    if not profile.active:
        return _refused(base, f"Het importprofiel {profile} is niet actief.")
    earlier = ProfileImport.objects.filter(profile=profile, sha256=sha256).exclude(status="refused").first()
    if earlier is not None:
        return _already(base, earlier)
    try:
        translation = translate(profile, stream, partner_code_of=_partner_codes_of(profile))
    except FileRefused as refusal:
        return _refused(base, refusal.message)
    with translation:  # the translated files are temporary files, removed on leaving
        return _receive_translation(base, translation, process_now=process_now)


def _receive_translation(base: dict, translation, *, process_now: bool) -> ProfileImport:
    profile = base["profile"]
    received = []
    try:
        with transaction.atomic():
            record = ProfileImport.objects.create(
                **base,
                rows_read=translation.rows,
                rejected_lines=[{"line": line, "reasons": reasons} for line, reasons in translation.rejected],
            )
            partners = Partner.objects.in_bulk(list(translation.files), field_name="code")
            for code, file in translation.files.items():
                delivery = delivery_receive(
                    partner=partners[code],
                    stream=file,
                    original_name=base["original_name"],
                    uploaded_by=base["uploaded_by"],
                    via_command=base["via_command"],
                    received_on=base["received_on"],
                    keep_file=not process_now,
                    profile=profile,
                    profile_import=record,
                )
                received.append((delivery, file))
    except IntegrityError:  # the same file at the same moment: the other one counts
        earlier = ProfileImport.objects.filter(profile=profile, sha256=base["sha256"]).exclude(status="refused").first()
        if earlier is None:
            raise
        return _already(base, earlier)
    if process_now:
        for delivery, file in received:
            if delivery.status != DeliveryStatus.REFUSED:
                delivery_process(delivery_id=delivery.pk, stream=file)
    return record


@dataclass
class PreviewRow:
    line: int
    partner: str
    outcome: str  # accepted, repeated, rejected
    reasons: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # as Vroeg reads the row (v1 fields)


class _Rollback(Exception):
    pass


def profile_preview(
    *, profile: ImportProfile, stream: BinaryIO, rows: int = PREVIEW_ROWS, received_on: date | None = None
) -> list[PreviewRow]:
    """The first `rows` rows of a file as Vroeg will read them through `profile`, each
    with its outcome: the real import of those rows (same translation, engine, repeats
    and matching), rolled back, so nothing is stored. Raises FileRefused."""
    with translate(profile, stream, partner_code_of=_partner_codes_of(profile), limit=rows) as translation:
        outcomes = _preview_outcomes(profile, translation, received_on)
    return [
        PreviewRow(o.line, o.partner, o.outcome, o.reasons, translation.values.get(o.line, {}))
        for o in sorted(outcomes, key=lambda o: o.line)
    ]


def _preview_outcomes(profile: ImportProfile, translation, received_on: date | None) -> list[LineOutcome]:
    outcomes: list[LineOutcome] = []
    try:
        with transaction.atomic():
            record = ProfileImport.objects.create(
                profile=profile,
                received_at=timezone.now(),
                received_on=received_on or timezone.localdate(),
                sha256=uuid.uuid4().hex,  # never stored: the preview is rolled back
                original_name="preview",
                size=0,
                rejected_lines=[{"line": line, "reasons": reasons} for line, reasons in translation.rejected],
            )
            partners = Partner.objects.in_bulk(list(translation.files), field_name="code")
            for code, file in translation.files.items():
                delivery = delivery_receive(
                    partner=partners[code],
                    stream=file,
                    original_name="preview",
                    received_on=record.received_on,
                    keep_file=False,
                    profile=profile,
                    profile_import=record,
                    preview=True,
                )
                if delivery.status == DeliveryStatus.REFUSED:
                    outcomes += [
                        LineOutcome(line, code, "rejected", [delivery.refusal_reason])
                        for line in translation.lines[code]
                    ]
                else:
                    delivery_process(delivery_id=delivery.pk, stream=file)
            outcomes += profile_import_lines(profile_import=record)
            raise _Rollback
    except _Rollback:
        pass
    return outcomes
