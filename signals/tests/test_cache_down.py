"""The cache on Redis (as in docker-compose) and Redis unreachable: a delivery is still
processed, and its page says the progress cannot be shown instead of failing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from signals.models import Delivery, DeliveryStatus
from signals.services import delivery_process
from testkit.signal_files import csv_bytes, row

pytestmark = pytest.mark.django_db


def test_a_delivery_page_and_its_processing_survive_cache_down(client, partner_user, cache_down):
    client.force_login(partner_user)
    data = csv_bytes([row()])
    client.post(reverse("delivery-upload"), {"file": SimpleUploadedFile("s.csv", data, content_type="text/csv")})
    delivery = Delivery.objects.get()

    response = client.get(reverse("delivery-detail", args=[delivery.public_id]))
    assert response.status_code == 200
    assert "De voortgang is nu niet te zien; het bestand wordt wel verwerkt." in response.content.decode()

    assert delivery_process(delivery_id=delivery.pk).status == DeliveryStatus.DONE
    page = client.get(reverse("delivery-detail", args=[delivery.public_id])).content.decode()
    assert 'data-testid="count-accepted">1<' in page
