"""Address investigations from the Landelijke Aanpak Adreskwaliteit (LAA).

An admin uploads the LAA list (a small CSV, docs/partners/laa-csv.md): each line
becomes an open investigation, not a debt case. A caseworker visits the address and
then either closes it ("no reason for a case") or turns it into a case with what the
visit found: that goes through intake as a referral of kind LAA (signals/referrals.py),
so it is validated and matched like any signal.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from signals.models import ReferralKind
from signals.referrals import referral_register
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvfile import CsvFile, CsvLine
from vroeg.dutch import is_number, normalise_postcode, parse_date
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import scope_to_user_municipalities

from .models import AddressInvestigation, InvestigationState
from .services import CaseActionRefused

LAA_COLUMNS = [
    "laa_referentie",
    "postcode",
    "huisnummer",
    "huisnummertoevoeging",
    "straat",
    "woonplaats",
    "signaaldatum",
    "toelichting",
]
LAA_REQUIRED = ["laa_referentie", "postcode", "huisnummer", "straat", "woonplaats", "signaaldatum"]
MAX_BYTES = 5 * 1024 * 1024
# The longest value each text column may hold: the field's own length. A longer value
# rejects its line (as the Signaal-CSV contract does); nothing is cut short.
LAA_MAX_LENGTHS = {
    column: AddressInvestigation._meta.get_field(field_name).max_length
    for column, field_name in (
        ("laa_referentie", "laa_reference"),
        ("huisnummertoevoeging", "house_number_suffix"),
        ("straat", "street"),
        ("woonplaats", "city"),
        ("toelichting", "explanation"),
    )
}
NOTE_MAX_LENGTH = AddressInvestigation._meta.get_field("outcome_note").max_length


@dataclass
class LaaImport:
    accepted: int = 0
    already_known: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)


def _check_admin(user) -> None:
    if not user.has_perm("signals.upload_for_any_partner"):
        raise PermissionDenied


def laa_import(*, user, municipality: Municipality, stream, received_on: date | None = None) -> LaaImport:
    """Read the LAA list; every line is accepted, known already, or rejected with its
    reasons (nothing is dropped silently). All or nothing: one transaction."""
    _check_admin(user)
    received_on = received_on or timezone.localdate()
    result = LaaImport()
    known = set(AddressInvestigation.objects.filter(municipality=municipality).values_list("laa_reference", flat=True))
    new: list[AddressInvestigation] = []
    # The one reader of every upload (vroeg/csvfile.py); FileRefused for the file as a whole.
    with CsvFile(stream, columns=LAA_COLUMNS, required=LAA_REQUIRED, max_bytes=MAX_BYTES) as table:
        for line in table:
            outcome = _laa_line(line, known=known, municipality=municipality, received_on=received_on)
            if isinstance(outcome, AddressInvestigation):
                new.append(outcome)
            elif outcome[0] == "known":
                result.already_known.append((line.line, outcome[1]))
            else:
                result.rejected.append((line.line, outcome[1]))
    with transaction.atomic():
        AddressInvestigation.objects.bulk_create(new)
        audit_log(
            action=AuditAction.CREATE,
            actor=user,
            object_type="cases.laa_import",
            municipality=municipality,
            object_id=municipality.code,
            detail={"accepted": len(new), "known": len(result.already_known), "rejected": len(result.rejected)},
        )
    result.accepted = len(new)
    return result


def _laa_line(line: CsvLine, *, known: set[str], municipality: Municipality, received_on: date):
    """A new investigation, ("known", reference) or ("rejected", reasons)."""
    if line.values is None:
        return ("rejected", [line.problem])
    row = line.values
    reasons = [f"{c} ontbreekt." for c in LAA_REQUIRED if not row.get(c)]
    postcode = normalise_postcode(row.get("postcode", "")) if row.get("postcode") else None
    if row.get("postcode") and postcode is None:
        reasons.append(f"postcode '{row['postcode']}' is geen Nederlandse postcode.")
    number = row.get("huisnummer", "")
    if number and not (is_number(number) and 0 < int(number) < 100000):
        reasons.append(f"huisnummer '{number}' is geen getal.")
    signal_date = parse_date(row["signaaldatum"]) if row.get("signaaldatum") else None
    if row.get("signaaldatum") and signal_date is None:
        reasons.append(f"signaaldatum '{row['signaaldatum']}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ).")
    reasons += [f"{c} is langer dan {n} tekens." for c, n in LAA_MAX_LENGTHS.items() if len(row.get(c, "")) > n]
    if reasons:
        return ("rejected", reasons)
    reference = row["laa_referentie"]
    if reference in known:
        return ("known", reference)
    known.add(reference)
    return AddressInvestigation(
        municipality=municipality,
        laa_reference=reference,
        postcode=postcode,
        house_number=int(number),
        house_number_suffix=row.get("huisnummertoevoeging", ""),
        street=row["straat"],
        city=row["woonplaats"],
        signal_date=signal_date,
        explanation=row.get("toelichting", ""),
        received_on=received_on,
    )


def investigations_for_user(*, user) -> QuerySet[AddressInvestigation]:
    if not user.has_perm("accounts.work_cases"):
        return AddressInvestigation.objects.none()
    return scope_to_user_municipalities(AddressInvestigation.objects.all(), user=user)


def _lock(investigation_id: int, user) -> AddressInvestigation:
    """The open investigation, locked until the transaction ends: whoever comes second
    (a double submit, a colleague at the same moment) waits, then is refused."""
    investigation = investigations_for_user(user=user).select_for_update().get(pk=investigation_id)
    if investigation.state != InvestigationState.OPEN:
        raise CaseActionRefused("Dit adresonderzoek is al afgehandeld.")
    return investigation


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise CaseActionRefused(
            f"Beschrijf in hoogstens {NOTE_MAX_LENGTH} tekens wat het huisbezoek opleverde (nu {len(note)})."
        )
    return note


@transaction.atomic
def investigation_close(*, investigation_id: int, user, note: str) -> AddressInvestigation:
    """After the visit: no reason for a debt case."""
    note = _note(note)
    if not note:
        raise CaseActionRefused("Beschrijf kort wat het huisbezoek opleverde.")
    investigation = _lock(investigation_id, user)
    investigation.state = InvestigationState.NO_CASE
    investigation.closed_at = timezone.now()
    investigation.outcome_note = note
    investigation.handled_by = user
    investigation.save()
    audit_log(action=AuditAction.CHANGE, actor=user, obj=investigation, detail={"state": investigation.state})
    return investigation


@transaction.atomic
def investigation_to_case(
    *, investigation_id: int, user, person: dict[str, str], note: str = ""
) -> AddressInvestigation:
    """After the visit: a debt case, with the person found at the address. The signal
    goes through intake like a referral (kind LAA), so it joins or starts the case.

    One transaction that locks the investigation first: a second attempt (a double
    submit) or a close at the same moment waits for it and is then refused; a refused
    or failing attempt stores nothing (no case without its investigation saying so)."""
    note = _note(note)
    investigation = _lock(investigation_id, user)
    row = {
        **person,
        "postcode": investigation.postcode,
        "huisnummer": str(investigation.house_number),
        "huisnummertoevoeging": investigation.house_number_suffix,
        "straat": investigation.street,
        "woonplaats": investigation.city,
        "signaaldatum": timezone.localdate().isoformat(),
        "crisissignaal": "nee",
    }
    delivery = referral_register(
        user=user,
        municipality=investigation.municipality,
        kind=ReferralKind.LAA,
        origin=f"LAA {investigation.laa_reference}",
        row=row,
        lock_wait=None,  # the investigation's row stays locked until its case exists
    )
    investigation.state = InvestigationState.CASE_OPENED
    investigation.case_id = delivery.signals.get().case_id
    investigation.closed_at = timezone.now()
    investigation.outcome_note = note
    investigation.handled_by = user
    investigation.save()
    audit_log(action=AuditAction.CHANGE, actor=user, obj=investigation, detail={"case": investigation.case_id})
    return investigation
