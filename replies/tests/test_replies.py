"""Answering a letter on the public reply page: each answer lands on the case (reply,
contact attempt, timeline, notification), the code lives as long as the case is open
and until revoked, wrong codes and bursts are refused, nothing of the resident is
shown, what residents type is escaped and purged with the case."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState, Outcome
from cases.timeline import case_timeline
from outreach.models import CallbackRequest, ContactAttempt, ContactKind
from outreach.plans import callback_due
from privacy.retention import retention_purge
from replies.models import Reply, ReplyChoice, ReplyCode, ReplyPage
from testkit.factories import UserFactory
from vroeg.audit.models import AuditEntry
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _answer(client, code, lang="", **data):
    query = f"?lang={lang}" if lang else ""
    return client.post(reverse("reply-page", args=[code]) + query, {"lang": lang or "nl", **data})


ANSWERS = [
    ({"choice": ReplyChoice.CALL, "phone": "06 98765432", "part_of_day": "Avond"}, "bel mij"),
    ({"choice": ReplyChoice.VISIT, "part_of_day": "Ochtend"}, "kom langs"),
    ({"choice": ReplyChoice.APPOINTMENT}, "ik wil een afspraak op het gemeentehuis"),
    ({"choice": ReplyChoice.SELF, "note": "Ik heb een regeling getroffen."}, "ik wil geen hulp"),
    ({"choice": ReplyChoice.LETTER}, "stuur mij een brief"),
]


@pytest.mark.parametrize(("data", "words"), ANSWERS)
def test_each_answer_lands_on_the_case(client, case, caseworker, letter_code, data, words):
    code, _ = letter_code(case)
    response = _answer(client, code, **data)
    assert response.status_code == 302 and response.url.startswith(reverse("reply-thanks"))
    thanks = client.get(response.url)
    assert thanks.status_code == 200 and "Bedankt voor uw antwoord" in thanks.content.decode()

    reply = Reply.objects.get(case=case)
    assert (reply.choice, reply.phone, reply.part_of_day, reply.note) == (
        data["choice"],
        data.get("phone", ""),
        data.get("part_of_day", ""),
        data.get("note", ""),
    )
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.kind, attempt.reached, attempt.recorded_by) == (ContactKind.MAIL, True, caseworker)
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT  # reached: contact made
    event = next(e for e in case_timeline(case) if e.kind == "attempt")
    assert "Mail" in event.title and words in event.detail
    notification = Notification.objects.get(user=caseworker, key=f"reply:{reply.pk}")
    assert words in notification.body and notification.url == reverse("case-detail", args=[case.pk])
    assert AuditEntry.objects.filter(object_type="replies.reply", object_id=str(reply.pk)).exists()


def test_an_unassigned_case_notifies_the_team_leads(client, case, municipality, letter_code):
    lead = UserFactory(teamlead=True, username="lead2", municipalities=[municipality])
    UserFactory(teamlead=True, username="elders")  # another municipality's lead
    Case.objects.filter(pk=case.pk).update(assigned_to=None)
    code, _ = letter_code(case)
    _answer(client, code, choice=ReplyChoice.APPOINTMENT)
    assert list(Notification.objects.filter(key__startswith="reply:").values_list("user__username", flat=True)) == [
        lead.username
    ]
    # The attempt is recorded in the name of who printed the letter.
    assert ContactAttempt.objects.get(case=case).kind == ContactKind.MAIL


def test_call_me_needs_a_phone_number_and_a_part_of_day(client, case, letter_code):
    code, _ = letter_code(case)
    response = _answer(client, code, choice=ReplyChoice.CALL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul het telefoonnummer in" in html and "Kies het dagdeel" in html
    assert not Reply.objects.exists() and not ContactAttempt.objects.exists()


def test_too_long_a_note_is_refused_not_cut_off(client, case, letter_code):
    code, _ = letter_code(case)
    response = _answer(client, code, choice=ReplyChoice.LETTER, note="x" * 1001)
    assert response.status_code == 200 and "1000" in response.content.decode()
    assert not Reply.objects.exists()


def test_the_page_shows_nothing_of_the_resident(client, case, letter_code):
    ReplyPage.objects.create(
        municipality=case.municipality,
        team_phone="14 0123",
        team_hours="maandag tot en met vrijdag, 9.00 tot 17.00 uur",
        help_url="https://www.voorbeeldstad.nl/geldzorgen",
    )
    code, letter = letter_code(case)
    assert "Zwartkop" in letter  # the letter itself is addressed to the resident
    for lang in ("", "en"):
        response = client.get(reverse("reply-page", args=[code]) + (f"?lang={lang}" if lang else ""))
        html = response.content.decode()
        assert response.status_code == 200 and "Voorbeeldstad" in html
        for personal in ["Zwartkop", "Geheimstraat", "1234", "ZZ", "1.248", "1248", "Verborgen", f"zaken/{case.pk}"]:
            assert personal not in html.replace(code, ""), personal
        assert "14 0123" in html and "https://www.voorbeeldstad.nl/geldzorgen" in html
        assert "https://www.geldfit.nl/" in html
        assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_the_page_speaks_english_on_request_and_the_site_stays_dutch(client, case, letter_code):
    code, _ = letter_code(case)
    dutch = client.get(reverse("reply-page", args=[code])).content.decode()
    assert 'lang="nl"' in dutch and "Wat wilt u?" in dutch and ">English</a>" in dutch
    english = client.get(reverse("reply-page", args=[code]) + "?lang=en").content.decode()
    assert 'lang="en"' in english and "What would you like?" in english and ">Nederlands</a>" in english
    response = _answer(client, code, lang="en", choice=ReplyChoice.CALL, phone="0612345678")
    assert "Choose the part of the day" in response.content.decode()
    response = _answer(client, code, lang="en", choice=ReplyChoice.CALL, phone="0612345678", part_of_day="Middag")
    assert "Thank you for your answer" in client.get(response.url).content.decode()
    assert Reply.objects.get().language == "en"
    assert "Inloggen" in client.get(reverse("login")).content.decode()


def test_what_residents_type_is_stored_as_given_and_escaped(client, case, caseworker, letter_code):
    code, _ = letter_code(case)
    note = '<script>alert("x")</script> & <b>vet</b>'
    _answer(client, code, choice=ReplyChoice.SELF, note=note)
    assert Reply.objects.get().note == note
    client.force_login(caseworker)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;" in html
    assert '<script>alert("x")' not in html


def test_i_do_not_want_help_is_a_proposal_the_caseworker_confirms(client, case, caseworker, letter_code):
    code, _ = letter_code(case)
    _answer(client, code, choice=ReplyChoice.SELF)
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT and case.outcome == ""  # nothing closes by itself
    client.force_login(caseworker)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="reply-proposal"' in html and "Inwoner regelt het zelf" in html
    client.post(
        reverse("case-close", args=[case.pk]),
        {"expected_state": CaseState.CONTACT, "outcome": Outcome.DECLINED, "reason": "Antwoordpagina"},
    )
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.DECLINED)


def test_a_code_opens_nothing_once_the_case_is_closed(client, case, letter_code):
    code, _ = letter_code(case)
    assert client.get(reverse("reply-page", args=[code])).status_code == 200
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    response = client.get(reverse("reply-page", args=[code]))
    assert response.status_code == 404 and "Deze code is niet (meer) geldig" in response.content.decode()
    assert client.post(reverse("reply-start"), {"code": code}).status_code == 200
    assert not Reply.objects.exists()


def test_revoked_codes_open_nothing_and_the_next_letter_has_a_new_one(client, case, caseworker, letter_code):
    old, _ = letter_code(case)
    client.force_login(caseworker)
    response = client.post(reverse("reply-codes-revoke", args=[case.pk]))
    assert response.status_code == 302
    assert ReplyCode.objects.filter(case=case, revoked_at__isnull=True).count() == 0
    client.logout()
    assert client.get(reverse("reply-page", args=[old])).status_code == 404
    new, _ = letter_code(case)
    assert new != old
    assert client.get(reverse("reply-page", args=[new])).status_code == 200
    # Typed on /antwoord/, the new code leads to the page.
    response = client.post(reverse("reply-start"), {"code": new.lower().replace("-", " ")})
    assert response.status_code == 302 and response.url == reverse("reply-page", args=[new])


def test_a_code_is_bound_to_its_case_and_resident_and_names_neither(client, case, letter_code):
    code, _ = letter_code(case)
    issued = ReplyCode.objects.get(case=case)
    assert issued.resident == case.signals.get().resident
    assert code.replace("-", "") not in issued.digest


def test_a_burst_of_wrong_codes_is_refused(client, case, letter_code, settings):
    settings.REPLY_RATE_WRONG = 3
    code, _ = letter_code(case)
    for _ in range(3):
        response = client.post(reverse("reply-start"), {"code": "ABCDEF-GHJKMN-PQRSTV"})
        assert response.status_code == 200 and "klopt niet" in response.content.decode()
    response = client.get(reverse("reply-page", args=[code]))  # even a right code now
    assert response.status_code == 429
    assert "te vaak" in response.content.decode() and response["Retry-After"] == "3600"
    english = client.get(reverse("reply-page", args=[code]) + "?lang=en")
    assert english.status_code == 429 and "too many times" in english.content.decode()
    assert AuditEntry.objects.filter(object_type="replies.replycode", detail__has_key="wrong_code").count() == 3
    assert AuditEntry.objects.filter(object_type="replies.replycode", detail__refused="rate limit").count() == 2


def test_one_code_opens_only_so_often(client, case, letter_code, settings):
    settings.REPLY_RATE_CODE = 3
    code, _ = letter_code(case)
    assert [client.get(reverse("reply-page", args=[code])).status_code for _ in range(4)] == [200, 200, 200, 429]
    other, _ = letter_code(case)
    assert client.get(reverse("reply-page", args=[other])).status_code == 200


def test_the_answer_needs_the_csrf_token(case, letter_code):
    from django.test import Client

    code, _ = letter_code(case)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("reply-page", args=[code]), {"choice": ReplyChoice.LETTER})
    assert response.status_code == 403 and not Reply.objects.exists()


def test_the_purge_removes_what_residents_typed(client, case, letter_code):
    code, _ = letter_code(case)
    _answer(client, code, choice=ReplyChoice.CALL, phone="06 55554444", part_of_day="Middag", note="Zzqmarker")
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.CLOSED,
        outcome=Outcome.NO_REACTION,
        closed_from=CaseState.CONTACT,
        closed_at=timezone.now() - timedelta(days=3 * 366),
    )
    retention_purge()
    reply = Reply.objects.get()
    assert (reply.choice, reply.part_of_day, reply.phone, reply.note) == (ReplyChoice.CALL, "Middag", "", "")
    assert ContactAttempt.objects.get(case=case).note == ""


@pytest.mark.parametrize("kind", ["kaartje", "sms", "huisbezoek"])
def test_cards_and_texts_carry_a_working_code_too(client, case, letter_code, kind):
    if kind == "huisbezoek":
        day = (timezone.localdate() + timedelta(days=7)).isoformat()
        client.force_login(case.assigned_to)
        resident = case.signals.get().resident
        html = client.get(
            reverse("case-message", args=[case.pk, kind]),
            {"resident": resident.pk, "visit_on": day, "visit_part": "Middag"},
        ).content.decode()
        client.logout()
        code = re.search(r"\b[0-9A-Z]{6}-[0-9A-Z]{6}-[0-9A-Z]{6}\b", html).group(0)
    else:
        code, html = letter_code(case, kind)
    if kind == "sms":  # copied: the link ends the text itself
        assert f"/antwoord/{code}/" in html and 'data-testid="message-extra"' not in html
    else:
        assert 'data-testid="message-extra"' in html and "<svg" in html
    assert client.get(reverse("reply-page", args=[code])).status_code == 200


def test_call_me_becomes_the_next_step_in_the_queue(client, case, caseworker, letter_code):
    """The call-back is the case's next step (outreach.plans.callback_due, whose dates
    are counted by hand in outreach/tests/test_callbacks.py): the caseworker's queue
    shows a phone call on that day, in the part of the day the resident chose, and the
    attempt is marked as a reply (its own channel in Bereik; Mail for DDAS)."""
    code, _ = letter_code(case)
    _answer(client, code, choice=ReplyChoice.CALL, phone="06 98765432", part_of_day="Avond")
    reply = Reply.objects.get(case=case)
    due = callback_due(timezone.localtime(reply.received_at)).on
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT
    assert (case.next_step_on, case.next_step_kind, case.next_step_part_of_day) == (due, "Telefoon", "Avond")
    attempt = ContactAttempt.objects.get(case=case)
    assert (attempt.kind, attempt.via_reply) == (ContactKind.MAIL, True)

    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if f'href="/zaken/{case.pk}/"' in r)
    cell = re.search(r'data-testid="queue-next-step">(.*?)</td>', row, re.S).group(1)
    assert "Telefoon" in cell and f"{due:%d-%m-%Y}, avond" in cell
    detail = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Terugbelverzoek:</strong> bel op" in detail and "(avond)" in detail


@pytest.mark.parametrize("choice", [ReplyChoice.VISIT, ReplyChoice.LETTER])
def test_other_answers_ask_for_no_call_back(client, case, letter_code, choice):
    code, _ = letter_code(case)
    _answer(client, code, choice=choice, part_of_day="Ochtend" if choice == ReplyChoice.VISIT else "")
    case.refresh_from_db()
    assert case.next_step_on is None and not CallbackRequest.objects.filter(case=case).exists()
