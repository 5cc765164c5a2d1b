"""The partner's pages: upload, report, history, download; and partner isolation."""

import uuid
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals.models import Delivery, DeliveryStatus
from signals.services import delivery_process
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name="signalen.csv", **extra):
    return client.post(
        reverse("delivery-upload"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **extra},
    )


def test_partner_uploads_and_sees_progress_then_the_report(
    client, partner_user, partner, django_capture_on_commit_callbacks
):
    client.force_login(partner_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, csv_bytes([row(), row(partner_referentie="R2", bsn="123456789")]))
    delivery = Delivery.objects.get()
    assert response.url == reverse("delivery-detail", args=[delivery.public_id])
    assert delivery.uploaded_by == partner_user and delivery.partner == partner
    assert len(callbacks) == 1  # processing is queued once the upload is committed

    page = client.get(response.url).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page

    delivery_process(delivery_id=delivery.pk)  # what the worker does
    page = client.get(response.url).content.decode()
    assert "<progress" not in page
    assert 'data-testid="count-accepted">1<' in page
    assert 'data-testid="count-rejected">1<' in page
    assert "bsn is geen geldig burgerservicenummer" in page
    assert "Vries" not in page  # no personal data in the report


def test_same_file_twice_is_refused_with_a_link_to_the_first(client, partner_user, partner):
    data = csv_bytes([row()])
    first = deliver(partner, data)
    client.force_login(partner_user)
    response = upload(client, data)
    refused = Delivery.objects.exclude(pk=first.pk).get()
    assert refused.status == DeliveryStatus.REFUSED
    page = client.get(response.url).content.decode()
    assert "al ontvangen op" in page
    assert reverse("delivery-detail", args=[first.public_id]) in page


def test_whole_file_refusal_is_explained(client, partner_user, partner):
    delivery = deliver(partner, b"naam;adres\nPiet;Dorpsstraat 1\n")
    client.force_login(partner_user)
    page = client.get(reverse("delivery-detail", args=[delivery.public_id])).content.decode()
    assert "Het bestand is geweigerd" in page
    assert "Onbekende kolom" in page


def test_form_errors_are_dutch_and_nothing_is_stored(client, partner_user, monkeypatch):
    client.force_login(partner_user)
    response = client.post(reverse("delivery-upload"), {})
    assert response.status_code == 200
    assert "Dit veld is verplicht" in response.content.decode()
    monkeypatch.setattr("signals.forms.MAX_FILE_BYTES", 10)
    response = upload(client, csv_bytes([row()]))
    assert "groter dan 50 MB" in response.content.decode()
    assert not Delivery.objects.exists()


def test_rejected_lines_download_is_safe_and_audited(client, partner_user, partner):
    delivery = deliver(partner, csv_bytes([row(partner_referentie="=HYPERLINK(1)", bsn="123456789")]))
    client.force_login(partner_user)
    response = client.get(reverse("delivery-rejected-csv", args=[delivery.public_id]))
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "regel;partner_referentie;redenen"
    assert lines[1].startswith("2;'=HYPERLINK(1);")  # a formula is neutralised
    assert "Vries" not in text and "Dorpsstraat" not in text
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == partner_user and entry.object_id == str(delivery.pk)


def test_partner_never_sees_another_partners_deliveries(client, partner_user, municipality):
    other = PartnerFactory(code="concurrent")
    other.municipalities.add(municipality)
    theirs = deliver(other, csv_bytes([row(bsn="123456789")]))
    client.force_login(partner_user)
    assert "concurrent" not in client.get(reverse("partner-dashboard")).content.decode()
    for name in ("delivery-detail", "delivery-rejected-csv"):
        assert client.get(reverse(name, args=[theirs.public_id])).status_code == 404
        assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
    # Numeric ids are not in any URL, so there is nothing to count up.
    assert client.get(f"/partner/leveringen/{theirs.pk}/").status_code == 404


def test_partner_user_cannot_upload_for_another_partner(client, partner_user, municipality):
    other = PartnerFactory(code="concurrent")
    client.force_login(partner_user)
    upload(client, csv_bytes([row()]), partner=other.pk)
    assert not Delivery.objects.filter(partner=other).exists()


def test_functional_admin_uploads_on_a_partners_behalf(client, functional_admin, partner):
    client.force_login(functional_admin)
    page = client.get(reverse("delivery-upload")).content.decode()
    assert '<select name="partner"' in page
    upload(client, csv_bytes([row()]), partner=partner.pk)
    assert Delivery.objects.get().partner == partner


def test_history_lists_earlier_reports_newest_first(client, partner_user, partner):
    deliver(partner, csv_bytes([row()]), name="oktober.csv")
    deliver(partner, csv_bytes([row(partner_referentie="N")]), name="november.csv")
    client.force_login(partner_user)
    page = client.get(reverse("partner-dashboard")).content.decode()
    assert page.index("november.csv") < page.index("oktober.csv")


def test_history_page_query_count_is_constant(client, partner_user, partner, django_assert_max_num_queries):
    for i in range(3):
        deliver(partner, csv_bytes([row(partner_referentie=f"R{i}")]))
    client.force_login(partner_user)
    with django_assert_max_num_queries(12):
        client.get(reverse("partner-dashboard"))
    for i in range(3, 20):
        deliver(partner, csv_bytes([row(partner_referentie=f"R{i}")]))
    with django_assert_max_num_queries(12):
        client.get(reverse("partner-dashboard"))


def test_report_page_and_download_name_agree_on_amsterdam_time(client, partner_user, partner):
    """Received at 23:30 UTC on 27 November: in Amsterdam (UTC+1 in winter) that is
    00:30 on the 28th, on the page and in the name of the download alike."""
    delivery = deliver(partner, csv_bytes([row(bsn="123456789")]), received_on=date(2026, 11, 28))
    Delivery.objects.filter(pk=delivery.pk).update(received_at=datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    client.force_login(partner_user)
    page = client.get(reverse("delivery-detail", args=[delivery.public_id])).content.decode()
    assert "28-11-2026 00:30" in page and "27-11-2026" not in page
    response = client.get(reverse("delivery-rejected-csv", args=[delivery.public_id]))
    assert response["Content-Disposition"] == 'attachment; filename="afgewezen-regels-20261128-0030.csv"'
    assert "28-11-2026 00:30" in client.get(reverse("partner-dashboard")).content.decode()
    delivery.refresh_from_db()
    assert str(delivery) == "levering.csv (28-11-2026 00:30)"  # the admin's name for it


def test_the_admins_link_chooses_the_partner_on_the_upload_form(client, functional_admin, partner, municipality):
    other = PartnerFactory(code="concurrent", name="Energie Concurrent")
    client.force_login(functional_admin)
    page = client.get(reverse("delivery-upload"), {"partner": other.pk}).content.decode()
    assert f'<option value="{other.pk}" selected>Energie Concurrent</option>' in page
    assert f'<option value="{partner.pk}">' in page
    # Nonsense chooses nothing, and breaks nothing.
    for value in ("x", "99999999999999999999", "-1"):
        page = client.get(reverse("delivery-upload"), {"partner": value}).content.decode()
        assert " selected>" not in page.split('name="partner"', 1)[1].split("</select>", 1)[0]


def test_a_partner_user_cannot_be_pointed_at_another_partner(client, partner_user, municipality):
    other = PartnerFactory(code="concurrent")
    client.force_login(partner_user)
    page = client.get(reverse("delivery-upload"), {"partner": other.pk}).content.decode()
    assert 'name="partner"' not in page
