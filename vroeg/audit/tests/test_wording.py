"""An audit entry reads as Dutch words and one Dutch sentence (issue 16: not
`outreach.contactattempt 3` or `transition: close`)."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.wording import entry_words

# 13:05:09 UTC is 14:05:09 in Amsterdam in November (CET).
AT = datetime(2026, 11, 30, 13, 5, 9, tzinfo=UTC)


def _words(language="nl", **fields):
    fields.setdefault("actor_username", "mila")
    with translation.override(language):
        return entry_words(AuditEntry(at=AT, ip_address="192.0.2.7", **fields))


def test_a_view_of_a_case():
    words = _words(action=AuditAction.VIEW, object_type="cases.case", object_id="3")
    assert (words.when, words.who, words.what, words.object, words.ip_address) == (
        "30-11-2026 14:05:09",
        "mila",
        "bekeken",
        "zaak 3",
        "192.0.2.7",
    )
    assert words.sentence == "mila heeft zaak 3 bekeken."
    assert words.details == ""


def test_an_export_of_the_audit_trail():
    words = _words(action=AuditAction.EXPORT, actor_username="fg", object_type="audit.csv", detail={"bsn": "999999990"})
    assert (words.what, words.object) == ("geëxporteerd", "de audittrail als CSV-bestand")
    assert words.sentence == "fg heeft de audittrail als CSV-bestand geëxporteerd."
    assert words.details == "BSN: 999999990"


def test_transitions_in_the_words_of_the_step_and_its_states():
    closing = _words(
        action=AuditAction.TRANSITION,
        object_type="cases.case",
        object_id="3",
        reason="Onterecht signaal",
        detail={"transition": "close", "from": "new", "to": "closed"},
    )
    assert (closing.what, closing.object) == ("gesloten", "zaak 3")
    assert closing.sentence == "mila heeft zaak 3 gesloten."
    assert (closing.details, closing.reason) == ("vorige status: nieuw", "Onterecht signaal")
    contact = _words(
        action=AuditAction.TRANSITION,
        object_type="cases.case",
        object_id="3",
        detail={"transition": "make_contact", "from": "outreach", "to": "contact"},
    )
    assert contact.sentence == "mila heeft zaak 3 op ‘in contact’ gezet."
    assert contact.details == "vorige status: opgepakt: contact zoeken"


def test_an_assignment_and_its_removal():
    assigned = _words(
        action=AuditAction.CHANGE,
        actor_username="tl",
        object_type="cases.case",
        object_id="3",
        detail={"assigned_to": "mila"},
    )
    assert (assigned.who, assigned.what, assigned.object) == ("tl", "toegewezen aan mila", "zaak 3")
    assert assigned.sentence == "tl heeft zaak 3 toegewezen aan mila."
    assert assigned.details == ""
    removed = _words(
        action=AuditAction.CHANGE,
        actor_username="tl",
        object_type="cases.case",
        object_id="3",
        detail={"assigned_to": None},
    )
    assert (removed.what, removed.sentence) == ("toewijzing opgeheven", "tl heeft de toewijzing van zaak 3 opgeheven.")


def test_a_new_contact_attempt_names_its_case():
    words = _words(action=AuditAction.CREATE, object_type="outreach.contactattempt", object_id="12", detail={"case": 3})
    assert (words.what, words.object) == ("aangemaakt", "contactpoging 12 (zaak 3)")
    assert words.sentence == "mila heeft contactpoging 12 (zaak 3) aangemaakt."
    assert words.details == ""


def test_a_search_of_the_queue_shows_its_terms_in_words():
    words = _words(
        action=AuditAction.SEARCH, object_type="cases.queue", detail={"q": "999999990", "crisis": True, "page": 2}
    )
    assert words.sentence == "mila heeft gezocht in de werkvoorraad."
    assert words.details == "zoekterm: 999999990; alleen crisis: ja; pagina: 2"


def test_entries_without_an_account_or_an_object():
    failed = _words(action=AuditAction.LOGIN_FAILED, actor_username="", detail={"username": "mila"})
    assert (failed.who, failed.what, failed.object) == ("iemand", "mislukte inlogpoging", "gebruikersnaam ‘mila’")
    assert failed.sentence == "Iemand kon niet inloggen met gebruikersnaam ‘mila’."
    login = _words(action=AuditAction.LOGIN, detail={"second_factor": "verified"})
    assert (login.sentence, login.object, login.details) == ("mila is ingelogd.", "", "tweede factor: gecontroleerd")
    purge = _words(
        action=AuditAction.PURGE, actor_username="", object_type="retention.purge", detail={"not_picked_up": 2}
    )
    assert purge.who == "het systeem"
    assert purge.sentence == "Het systeem heeft persoonsgegevens verwijderd waarvan de bewaartermijn voorbij was."
    assert purge.details == "niet opgepakte zaken: 2"


def test_dates_in_the_detail_read_the_dutch_way():
    words = _words(
        action=AuditAction.CHANGE,
        object_type="calendar.closureday",
        object_id="4",
        detail={"deleted": "2026-12-24", "reason": "Kerstavond", "records_moved": 0},
    )
    assert words.sentence == "mila heeft gelijkgestelde dag 4 verwijderd."
    assert words.details == "verwijderd: 24-12-2026; reden: Kerstavond; verschoven termijnen: 0"


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        (
            {"action": "approve", "object_type": "foo.bar", "object_id": "7"},
            "mila heeft actie ‘approve’ uitgevoerd op object ‘foo.bar’ 7.",
        ),
        ({"action": "sign_off"}, "mila heeft actie ‘sign off’ uitgevoerd."),
        (
            {
                "action": "transition",
                "object_type": "cases.case",
                "object_id": "3",
                "detail": {"transition": "escalate", "to": "closed"},
            },
            "mila heeft zaak 3 op ‘gesloten’ gezet.",
        ),
        (
            {"action": "transition", "object_type": "cases.case", "object_id": "3"},
            "mila heeft de status van zaak 3 gewijzigd.",
        ),
        (
            {"action": "view", "object_type": "gone.model", "detail": ["not", "a", "dict"]},
            "mila heeft object ‘gone.model’ bekeken.",
        ),
    ],
)
def test_unknown_codes_still_read_as_dutch(fields, sentence):
    assert _words(**fields).sentence == sentence


def test_an_english_installation_reads_english():
    assert (
        _words("en", action=AuditAction.VIEW, object_type="cases.case", object_id="3").sentence == "mila viewed case 3."
    )
    assigned = _words(
        "en", action=AuditAction.CHANGE, object_type="cases.case", object_id="3", detail={"assigned_to": "jan"}
    )
    assert assigned.sentence == "mila assigned case 3 to jan."


@pytest.mark.django_db
def test_the_admin_list_of_entries_says_the_same_sentence(client, functional_admin):
    AuditEntry.objects.create(
        at=AT, actor_username="mila", action=AuditAction.VIEW, object_type="cases.case", object_id="3"
    )
    client.force_login(functional_admin)
    page = client.get("/beheer/audit/auditentry/").content.decode()
    assert "mila heeft zaak 3 bekeken." in page and "Omschrijving" in page
    assert ">cases.case<" not in page  # neither in the list nor in the filter


@pytest.mark.django_db
def test_the_admin_filters_entries_by_kind_of_object_in_words(client, functional_admin):
    AuditEntry.objects.create(
        at=AT, actor_username="mila", action=AuditAction.VIEW, object_type="cases.case", object_id="3"
    )
    AuditEntry.objects.create(at=AT, actor_username="fg", action=AuditAction.EXPORT, object_type="audit.csv")
    client.force_login(functional_admin)
    page = client.get("/beheer/audit/auditentry/").content.decode()
    assert ">zaak</a>" in page
    only_cases = client.get("/beheer/audit/auditentry/?object_type=cases.case").content.decode()
    assert "mila heeft zaak 3 bekeken." in only_cases and "fg heeft" not in only_cases


@pytest.mark.parametrize("odd", [["closed"], {"a": 1}, True, 3.5])
def test_an_entry_with_an_odd_state_value_still_reads(odd):
    words = _words(
        action=AuditAction.TRANSITION,
        object_type="cases.case",
        object_id="3",
        detail={"transition": "close", "from": odd, "to": odd},
    )
    assert words.sentence.startswith("mila heeft zaak 3 ")
