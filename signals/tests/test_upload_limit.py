"""An upload over 50 MB is refused while it streams, with a Dutch message, and nothing
of it is kept (vroeg/uploads.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory
from django.urls import reverse

from signals.models import Delivery
from testkit.signal_files import csv_bytes, row
from vroeg.uploads import MAX_UPLOAD_BYTES, UploadLimitHandler

pytestmark = pytest.mark.django_db


def test_a_delivery_over_50_mb_is_refused_in_dutch_and_nothing_is_kept(client, partner_user):
    client.force_login(partner_user)
    header = csv_bytes([row()])
    big = header + b"x" * (MAX_UPLOAD_BYTES + 1 - len(header))
    response = client.post(
        reverse("delivery-upload"), {"file": SimpleUploadedFile("groot.csv", big, content_type="text/csv")}
    )
    assert response.status_code == 200
    assert "Het bestand is groter dan 50 MB. Lever het in delen aan." in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_laa_list_over_50_mb_gets_the_same_message(client, functional_admin, municipality):
    client.force_login(functional_admin)
    big = b"laa_referentie;postcode\r\n" + b"x" * MAX_UPLOAD_BYTES
    response = client.post(
        reverse("laa-upload"),
        {"municipality": municipality.pk, "file": SimpleUploadedFile("laa.csv", big, content_type="text/csv")},
    )
    assert "Het bestand is groter dan 50 MB. Lever het in delen aan." in response.content.decode()


def test_the_handler_stops_at_the_limit_and_says_so_before_reading_a_declared_oversize_body():
    request = RequestFactory().post("/")
    handler = UploadLimitHandler(request)
    chunk = b"x" * (1024 * 1024)
    for start in range(0, MAX_UPLOAD_BYTES, len(chunk)):
        assert handler.receive_data_chunk(chunk, start) == chunk
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x", MAX_UPLOAD_BYTES)

    declared = RequestFactory().post("/")
    early = UploadLimitHandler(declared)
    early.handle_raw_input(None, {}, MAX_UPLOAD_BYTES * 2, b"boundary")
    with pytest.raises(StopUpload):
        early.new_file("file", "groot.csv", "text/csv", MAX_UPLOAD_BYTES * 2)
