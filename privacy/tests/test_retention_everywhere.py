"""Issue 15: the purge leaves nothing personal. One closed case past its term, built
through the real services with a marker in every name and every free-text field
(intake, LAA investigation, referral, objection, finding, notes, contact attempts,
Plan van Aanpak, crisis judgement, collection pause, feedback, notifications,
audited searches); after the purge no text column of any table holds the marker, the
BSN, the phone number or the postcode. The audit entries themselves stay (they are
within their own term): their free text and search terms are blanked."""

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.brp import BrpResult
from cases.laa import investigation_to_case, laa_import
from cases.models import AddressInvestigation, Case, CaseState, Objection, ObjectionSource, Outcome, Resident
from cases.objections import objection_record
from cases.services import (
    case_accept_help,
    case_close,
    case_make_contact,
    case_mark_threatening,
    crisis_proposal_dismiss,
    crisis_term_withdraw,
    finding_record_brp_check,
)
from feedback.models import CollectionPause, Feedback
from feedback.reminders import reminders_collection_pauses
from feedback.services import collection_pause_follow_up, feedback_consent_record
from outreach.models import CopyHow
from outreach.services import action_plan_save, contact_attempt_record, note_add, plan_step_skip
from privacy.retention import retention_purge
from signals.models import Signal
from signals.referrals import referral_register
from testkit.case_steps import case_walk_to
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log

pytestmark = pytest.mark.django_db

MARKER = "Zzqmarker"
BSN = "123456782"
PHONE = "0698765432"
POSTCODE = "9876ZX"
# What no column may hold after the purge (compared case-insensitively).
NEEDLES = [MARKER, BSN, PHONE, POSTCODE, "9876 ZX"]
# An objection stays in force after the purge: it refuses the person's future signals
# by these keys (BSN, or surname and birth date), so they are kept on purpose
# (docs/operators/retention.md). Its note is blanked.
KEPT_ON_PURPOSE = {"cases_objection.person_key", "cases_objection.bsn", "cases_objection.name_key"}

PERSON = {
    "bsn": BSN,
    "voorletters": "Z.Q.",
    "voorvoegsel": "van",
    "achternaam": MARKER,
    "geboortedatum": "1979-02-03",
    "telefoonnummer": PHONE,
    "email": f"{MARKER.lower()}@example.nl",
}
ADDRESS = {"straat": f"{MARKER}straat", "huisnummer": "7", "postcode": "9876 ZX", "woonplaats": f"{MARKER}dorp"}


def _text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'jsonb', 'json') "
            "ORDER BY table_name, column_name"
        )
        return cursor.fetchall()


def _found() -> dict[str, int]:
    """table.column → how many rows hold one of the needles, in every table."""
    found = {}
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            holds = " OR ".join([f'"{column}"::text ILIKE %s'] * len(NEEDLES))
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {holds}', [f"%{n}%" for n in NEEDLES])
            if count := cursor.fetchone()[0]:
                found[f"{table}.{column}"] = count
    return found


def _found_by_the_orm() -> dict[str, int]:
    """The same through the models, on any database: model.field → rows."""
    found: dict[str, int] = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [f for f in model._meta.concrete_fields]
        for values in model.objects.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, values, strict=True):
                if value is not None and any(n.lower() in str(value).lower() for n in NEEDLES):
                    name = f"{model._meta.db_table}.{field.column}"
                    found[name] = found.get(name, 0) + 1
    return found


def _text(what: str) -> str:
    return f"{MARKER} {what}: de inwoner {MARKER} aan de {MARKER}straat 7"


@pytest.fixture
def marked_case(client, partner, caseworker, functional_admin, privacy_officer, municipality):
    today = timezone.localdate()
    signal_date = (today - timedelta(days=3)).isoformat()
    laa = (
        "laa_referentie;postcode;huisnummer;huisnummertoevoeging;straat;woonplaats;signaaldatum;toelichting\n"
        f"LAA-{MARKER};9876 ZX;7;;{MARKER}straat;{MARKER}dorp;{signal_date};{_text('toelichting')}\n"
    )
    laa_import(user=functional_admin, municipality=municipality, stream=io.BytesIO(laa.encode()))
    deliver(
        partner,
        csv_bytes(
            [
                row(
                    partner_referentie=f"{MARKER}-1",
                    crisissignaal="ja",
                    signaaldatum=signal_date,
                    datum_ontstaan=(today - timedelta(days=90)).isoformat(),
                    **PERSON,
                    **ADDRESS,
                )
            ]
        ),
        received_on=today,
    )
    case = Case.objects.get()
    referral_row = {
        **PERSON,
        **ADDRESS,
        "crisissignaal": "nee",
        "bedrag_achterstand": "300",
        "datum_ontstaan": (today - timedelta(days=60)).isoformat(),
        "signaaldatum": today.isoformat(),
    }
    referral_register(
        user=caseworker,
        municipality=municipality,
        kind="warm",
        origin=_text("verwijzer"),
        contact=_text("contactpersoon"),
        row=referral_row,
        consent_on=today,
        consent_how="schriftelijk",
    )
    investigation_to_case(
        investigation_id=AddressInvestigation.objects.get().pk,
        user=caseworker,
        person={k: v for k, v in referral_row.items() if k not in ADDRESS and k != "signaaldatum"},
        note=_text("huisbezoek"),
    )
    assert Case.objects.count() == 1 and Signal.objects.filter(case=case).count() == 3

    finding_record_brp_check(case_id=case.pk, user=caseworker, result=BrpResult.AT_ADDRESS, note=_text("BRP"))
    crisis_proposal_dismiss(case_id=case.pk, user=caseworker, reason=_text("geen crisis"))
    case_walk_to(CaseState.OUTREACH, case, caseworker, on=today)
    plan_step_skip(case_id=case.pk, user=caseworker, position=1, reason=_text("stap overgeslagen"))
    case_make_contact(case_id=case.pk, user=caseworker, on=today)
    case_accept_help(case_id=case.pk, user=caseworker, on=today)
    case_mark_threatening(case_id=case.pk, user=caseworker, on=today, reason=_text("ontruiming"))
    crisis_term_withdraw(
        case_id=case.pk, term_id=case.crisis_terms.get().pk, user=caseworker, reason=_text("toch geen ontruiming")
    )
    resident = Resident.objects.get(household=case.household)
    objection_record(
        case_id=case.pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Energie"],
        no_contact=False,
        objected_on=today,
        source=ObjectionSource.LETTER,
        note=_text("bezwaar"),
    )
    note_add(case_id=case.pk, user=caseworker, text=_text("notitie"))
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind="Telefoon",
        reached=True,
        attempted_at=timezone.now() - timedelta(minutes=5),
        note=_text("gebeld"),
    )
    action_plan_save(
        case_id=case.pk,
        user=caseworker,
        data={
            "arrears": _text("achterstand"),
            "debts": _text("schulden"),
            "support_used": _text("voorzieningen"),
            "help_involved": _text("hulp"),
            "self_reliance": _text("zelfredzaamheid"),
            "actions": [{"who": MARKER, "what": _text("actie"), "when": MARKER}],
            "quick_fixes": [_text("quick fix")],
            "handover_organisation": _text("organisatie"),
            "handover_contact": _text("contact"),
            "copy_given_on": today,
            "copy_how": CopyHow.IN_PERSON,
        },
    )
    feedback_consent_record(case_id=case.pk, user=caseworker, given_on=today, how="schriftelijk")
    pause = CollectionPause.objects.get(case=case)
    reminders_collection_pauses(today=pause.ends_on + timedelta(days=1))
    collection_pause_follow_up(pause_id=pause.pk, user=caseworker, note=_text("regeling"))

    # Searches a caseworker and the privacy officer make, audited with their terms.
    client.force_login(caseworker)
    for term in (MARKER, f"van {MARKER.lower()}", BSN, "9876 ZX 7", f"{MARKER}-1"):
        assert client.get(reverse("caseworker-dashboard"), {"q": term}).status_code == 200
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 200
    client.force_login(privacy_officer)
    assert client.get(reverse("audit-search"), {"bsn": BSN}).status_code == 200
    assert client.get(reverse("audit-search"), {"postcode": "9876ZX", "house_number": 7}).status_code == 200
    assert client.get(reverse("audit-export"), {"bsn": BSN}).status_code == 200

    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE, reason=_text("afgesloten"))
    # Closed longer ago than any term; everything else (audit, notifications) is new.
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - relativedelta(months=25))
    return case


@pytest.mark.postgres
def test_after_the_purge_no_table_holds_anything_personal(marked_case):
    before = _found()
    assert {"signals_signal.surname", "audit_auditentry.detail", "audit_auditentry.reason"} <= set(before), before
    searches = AuditEntry.objects.filter(action=AuditAction.SEARCH).count()
    feedback = sorted(Feedback.objects.values_list("result", "detail", "pause_ends_on"))

    retention_purge(now=timezone.now() + timedelta(days=1))

    left = {column: n for column, n in _found().items() if column not in KEPT_ON_PURPOSE}
    assert left == {}, f"personal data left after the purge in: {', '.join(sorted(left))}"
    # The facts stay: the audit entries (blanked, not deleted), feedback, the objection.
    assert Case.objects.get(pk=marked_case.pk).purged_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH).count() == searches
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH, detail__q="[verwijderd]").count() >= 4
    assert sorted(Feedback.objects.values_list("result", "detail", "pause_ends_on")) == feedback
    objection = Objection.objects.get()
    assert objection.bsn == BSN and objection.note == "" and objection.withdrawn_on is None


def test_after_the_purge_no_model_holds_anything_personal_on_any_database(marked_case):
    """The same case through the models (also on SQLite, where the audit trail has no
    trigger): the same columns before, none but the objection's keys after."""
    assert {
        "feedback_collectionpause.follow_up_note",
        "signals_referral.origin",
        "cases_objection.note",
        "outreach_planstepchange.reason",
    } <= set(_found_by_the_orm())
    retention_purge(now=timezone.now() + timedelta(days=1))
    left = {column: n for column, n in _found_by_the_orm().items() if column not in KEPT_ON_PURPOSE}
    assert left == {}, f"personal data left after the purge in: {', '.join(sorted(left))}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # real transactions: the door closes with its own
def test_the_blanking_door_of_the_audit_trigger_is_narrow(caseworker):
    """Only with the purge's setting, in its transaction, and only the reason (to
    empty) and the values of the detail (same keys) may change (migration audit/0005)."""
    entry = audit_log(
        action=AuditAction.CHANGE, actor=caseworker, object_type="x", object_id="1", reason="r", detail={"a": "b"}
    )
    entries = AuditEntry.objects.filter(pk=entry.pk)

    def refused(**changes) -> bool:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('vroeg.audit_purge_blank', 'on', true)")
                entries.update(**changes)
        except DatabaseError as error:
            assert "append-only" in str(error)
            return True
        return False

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entries.update(detail={"a": "[verwijderd]"})  # no door: refused
    assert refused(reason="other")
    assert refused(detail={"a": "b", "c": "d"})
    assert refused(detail={"c": "b"})
    assert refused(object_id="2")
    assert refused(action=AuditAction.VIEW)
    assert refused(actor_username="someone")
    assert not refused(reason="", detail={"a": "[verwijderd]"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entries.update(detail={"a": "again"})  # the door closed with its transaction
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('vroeg.audit_purge_blank', 'on', true)")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            entries.delete()  # the blanking door does not delete
    entry.refresh_from_db()
    assert (entry.reason, entry.detail, entry.object_id) == ("", {"a": "[verwijderd]"}, "1")
