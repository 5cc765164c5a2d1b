"""Property-based: whatever a partner sends, no crash, no 500, no half-stored delivery."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signals.models import Delivery, DeliveryStatus, RejectedLine, Signal
from signals.services import delivery_process
from testkit.signal_files import VALID, csv_bytes

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _assert_whole(delivery: Delivery) -> None:
    """Done with every row accounted for, or refused with nothing stored."""
    delivery.refresh_from_db()
    signals = Signal.objects.filter(delivery=delivery).count()
    rejected = RejectedLine.objects.filter(delivery=delivery).count()
    if delivery.status == DeliveryStatus.REFUSED:
        assert delivery.refusal_reason
        assert (signals, rejected) == (0, 0)
    else:
        assert delivery.status == DeliveryStatus.DONE
        assert signals == delivery.accepted_count + delivery.repeated_count
        assert rejected == delivery.rejected_count
        assert delivery.rows_read == signals + rejected
        assert all(line.reasons for line in RejectedLine.objects.filter(delivery=delivery))


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000) | st.text(max_size=1500).map(lambda t: t.encode("utf-8")))
def test_byte_soup_through_the_upload_form(client, partner_user, data):
    client.force_login(partner_user)
    response = client.post(
        reverse("delivery-upload"),
        {"file": SimpleUploadedFile("soep.csv", data, content_type="text/csv")},
    )
    assert response.status_code in (200, 302)  # the form again (empty file) or the report
    if response.status_code == 302:
        delivery = Delivery.objects.get(public_id=response.url.rstrip("/").rsplit("/", 1)[1])
        delivery_process(delivery_id=delivery.pk)
        _assert_whole(delivery)
        assert client.get(response.url).status_code == 200


# Per column: a valid value, or something plausible and wrong, or random text.
_value = {
    column: st.one_of(
        st.just(valid),
        st.sampled_from(["", " ", "0", "-1", "ja", "2026-13-01", "=1+1", "x" * 70]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25),
    )
    for column, valid in VALID.items()
}


@PROPERTY_SETTINGS
@given(rows=st.lists(st.fixed_dictionaries(_value), min_size=1, max_size=12), delimiter=st.sampled_from([";", ","]))
def test_random_rows_are_each_accepted_repeated_or_rejected(partner, rows, delimiter):
    from testkit.signal_files import deliver

    delivery = deliver(partner, csv_bytes(rows, delimiter=delimiter))
    _assert_whole(delivery)
