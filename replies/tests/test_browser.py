"""A printed letter's QR code answered end to end on a phone-sized screen: the
caseworker opens the letter, the QR code is decoded from the rendered page (zxing-cpp
on a screenshot of it), and the resident, not logged in, answers in Dutch or English;
axe-core checks every page. The answer lands on the case."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from outreach.models import ContactAttempt, ContactKind
from replies.models import Reply, ReplyChoice
from testkit.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WORDS = {
    "nl": ("Bel mij", "Uw telefoonnummer", "'s Avonds", "Verstuur mijn antwoord", "Bedankt voor uw antwoord"),
    "en": ("Call me", "Your telephone number", "In the evening", "Send my answer", "Thank you for your answer"),
}


def _qr_text(page) -> str:
    png = page.get_by_test_id("message-extra").locator("svg").screenshot()
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return found.text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_resident_answers_a_printed_letter_by_its_qr_code(page, live_server, settings, case, lang):
    settings.VROEG_BASE_URL = live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, "cw")
    page.goto(f"/zaken/{case.pk}/bericht/brief/")
    expect(page.get_by_test_id("message")).to_contain_text("Zwartkop")
    url = _qr_text(page)
    assert url.startswith(f"{live_server.url}/antwoord/")
    page.get_by_role("button", name="Uitloggen").click()

    choice, phone, part, send, thanks = WORDS[lang]
    page.goto(url)
    if lang == "en":
        page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorbeeldstad")
    for personal in ("Zwartkop", "Geheimstraat", "1234", "Verborgen", "1.248"):
        expect(page.get_by_role("main")).not_to_contain_text(personal)
    assert_accessible(page)
    page.get_by_label(choice).check()
    page.get_by_role("button", name=send).click()  # no phone number, no part of day
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(phone).fill("06 98765432")
    page.get_by_label(part).check()
    page.get_by_role("button", name=send).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    assert_accessible(page)

    reply = Reply.objects.get(case=case)
    assert (reply.choice, reply.phone, reply.part_of_day, reply.language) == (
        ReplyChoice.CALL,
        "06 98765432",
        "Avond",
        lang,
    )
    assert ContactAttempt.objects.get(case=case, kind=ContactKind.MAIL).reached
