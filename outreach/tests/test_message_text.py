"""Who signs a letter, card or text and with which telephone number, and the text the
caseworker adjusts before printing: shown escaped, printed and recorded as adjusted,
to the addressee chosen."""

import pytest
from django.urls import reverse

from cases.services import CaseActionRefused
from outreach.messages import tidy_text
from outreach.models import ContactAttempt
from outreach.services import message_sent_record
from testkit.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def _letter(page: str) -> str:
    """What the resident reads: the text itself, not the page around it."""
    return page.split('data-testid="message">', 1)[1].split("</article>", 1)[0]


def test_the_assigned_caseworker_signs_with_name_and_phone(client, make_user, picked_up_case, teamlead):
    """The team lead writes the letter of a case assigned to Anna: the resident is
    to call Anna, on Anna's number."""
    anna = make_user("caseworker", username="anna", first_name="Anna", last_name="Bakker", phone="020 123 4567")
    anna.email = "a.bakker@voorbeeldstad.nl"
    anna.save()
    picked_up_case.refresh_from_db()
    picked_up_case.assigned_to = anna
    picked_up_case.save()
    client.force_login(teamlead)
    page = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    letter = _letter(page)
    assert "U kunt mij bellen op 020 123 4567 of mailen" in letter
    assert (
        "<p>Anna Bakker<br>Telefoon: 020 123 4567<br>E-mail: a.bakker@voorbeeldstad.nl<br>"
        "Schuldhulpverlening gemeente Voorbeeldstad</p>"
    ) in letter
    assert teamlead.get_full_name() not in letter
    assert "Ondertekend door Anna Bakker, de schuldhulpverlener van deze zaak." in page
    assert 'data-testid="no-phone"' not in page
    sms = _letter(client.get(reverse("case-message", args=[picked_up_case.pk, "sms"])).content.decode())
    assert "dit is Anna Bakker van de gemeente Voorbeeldstad" in sms and "terugbellen op 020 123 4567 of" in sms
    card = _letter(client.get(reverse("case-message", args=[picked_up_case.pk, "kaartje"])).content.decode())
    assert "Bel mij op 020 123 4567." in card


def test_without_a_caseworker_the_writer_signs_and_hears_there_is_no_number(client, caseworker, picked_up_case):
    page = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    letter = _letter(page)
    assert f"<p>{caseworker.get_full_name()}<br>Schuldhulpverlening gemeente Voorbeeldstad</p>" in letter
    assert "Telefoon" not in letter and "U kunt mij bellen of mailen" in letter  # no number invented
    assert f"Ondertekend door u ({caseworker.get_full_name()}): niemand is aan deze zaak toegewezen." in page
    assert 'data-testid="no-phone"' in page
    assert "Telefoonnummer" in page  # where the functional admin fills it in


def test_the_adjusted_text_is_shown_escaped_and_recorded_as_sent(client, picked_up_case):
    url = reverse("case-message", args=[picked_up_case.pk, "brief"])
    resident = picked_up_case.household.residents.get()
    typed = "Beste J. de Vries,\r\n\r\n\r\nKomt u dinsdag langs?  \r\nTot dan.\r\n\r\n<script>alert(1)</script> & co"
    page = client.post(url, {"resident": resident.pk, "text": typed, "action": "preview"}).content.decode()
    letter = _letter(page)
    assert letter == (
        "<p>Beste J. de Vries,</p>\n\n<p>Komt u dinsdag langs?<br>Tot dan.</p>\n\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"
    )
    assert "<script>alert" not in page
    assert 'data-testid="adjusted"' in page and f'href="{url}?resident={resident.pk}"' in page
    assert ContactAttempt.objects.count() == 0  # adjusting records nothing
    sent = "Beste J. de Vries,\n\nKomt u dinsdag langs?\nTot dan.\n\n<script>alert(1)</script> & co"
    assert 'value="Beste J. de Vries,\n\nKomt u dinsdag langs?\nTot dan.\n\n&lt;script&gt;' in page  # to record

    client.post(url, {"resident": resident.pk, "text": sent})
    attempt = ContactAttempt.objects.get()
    assert attempt.note == f"Brief verstuurd aan J. de Vries:\n\n{sent}"


def test_an_emptied_text_is_refused_and_the_generated_one_stays(client, picked_up_case):
    url = reverse("case-message", args=[picked_up_case.pk, "brief"])
    resident = picked_up_case.household.residents.get()
    page = client.post(url, {"resident": resident.pk, "text": "  \r\n ", "action": "preview"}).content.decode()
    assert "Dit veld is verplicht." in page
    assert "Wij hebben gehoord dat u een betalingsachterstand heeft bij uw verhuurder." in _letter(page)
    assert 'data-testid="adjusted"' not in page
    client.post(url, {"resident": resident.pk, "text": ""})
    assert ContactAttempt.objects.count() == 0


def test_recorded_without_adjusting_keeps_the_generated_text(client, picked_up_case):
    resident = picked_up_case.household.residents.get()
    client.post(reverse("case-message", args=[picked_up_case.pk, "sms"]), {"resident": resident.pk})
    note = ContactAttempt.objects.get().note
    assert note.startswith("SMS/WhatsApp-bericht verstuurd aan J. de Vries:\n\nBeste J. de Vries, dit is Sam ")


def test_the_addressee_chosen_stays_chosen_while_adjusting(client, two_residents):
    case, _vries, jansen = two_residents
    url = reverse("case-message", args=[case.pk, "brief"])
    page = client.post(url, {"resident": jansen.pk, "text": "Beste M. Jansen,", "action": "preview"}).content.decode()
    assert f'<option value="{jansen.pk}" selected>M. Jansen</option>' in page
    assert page.count(f'<input type="hidden" name="resident" value="{jansen.pk}">') == 2  # record and adjust
    client.post(url, {"resident": jansen.pk, "text": "Beste M. Jansen,"})
    assert ContactAttempt.objects.get().note == "Brief verstuurd aan M. Jansen:\n\nBeste M. Jansen,"


def test_the_service_sends_only_to_a_resident_with_a_signal_and_never_an_empty_text(caseworker, picked_up_case):
    housemate = ResidentFactory(household=picked_up_case.household, bsn="", surname="Zonder")
    resident = picked_up_case.household.residents.exclude(pk=housemate.pk).get()
    with pytest.raises(CaseActionRefused, match="alleen naar een bewoner met een signaal"):
        message_sent_record(case_id=picked_up_case.pk, user=caseworker, kind="brief", resident=housemate, text="x")
    with pytest.raises(CaseActionRefused, match="zonder tekst"):
        message_sent_record(case_id=picked_up_case.pk, user=caseworker, kind="brief", resident=resident, text=" \n ")
    assert ContactAttempt.objects.count() == 0


def test_tidy_text_keeps_paragraphs_and_drops_what_is_around_them():
    assert tidy_text("  Beste u,  \r\n\r\n\r\n\r\nTekst\t\nregel 2\r\n\n") == "Beste u,\n\nTekst\nregel 2"


def test_a_text_message_is_copied_and_a_letter_printed_both_buttons_hidden_without_javascript(client, picked_up_case):
    sms = client.get(reverse("case-message", args=[picked_up_case.pk, "sms"])).content.decode()
    assert 'data-copy="#message-text"' in sms and "data-print" not in sms and "js/copy.js" in sms
    assert sms.split('data-copy="#message-text"', 1)[1].split(">", 1)[0].endswith(" hidden")
    assert 'role="status" id="copy-status"' in sms and 'data-copied="Gekopieerd"' in sms
    letter = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    assert "data-print hidden" in letter and "data-copy" not in letter and "js/copy.js" not in letter


def test_a_caseworker_who_left_does_not_sign(client, make_user, picked_up_case, caseworker):
    """The case is still assigned to Anna, whose account was closed when she left: the
    resident must not be asked to call her; the writer signs and the page says why."""
    anna = make_user("caseworker", username="anna", first_name="Anna", last_name="Bakker", phone="020 123 4567")
    anna.is_active = False
    anna.save()
    picked_up_case.refresh_from_db()
    picked_up_case.assigned_to = anna
    picked_up_case.save()
    page = client.get(reverse("case-message", args=[picked_up_case.pk, "brief"])).content.decode()
    letter = _letter(page)
    assert "Anna" not in letter and "020 123 4567" not in letter
    assert f"<p>{caseworker.get_full_name()}<br>" in letter
    assert "Anna Bakker, aan wie de zaak is toegewezen, werkt niet meer aan zaken van deze gemeente." in page
