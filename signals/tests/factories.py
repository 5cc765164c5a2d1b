import io
from datetime import date

from signals.models import Delivery, DeliveryStatus
from signals.services import delivery_process, delivery_receive


def deliver(partner, data: bytes, *, received_on=date(2026, 11, 27), name="levering.csv") -> Delivery:
    """Receive and process a file the way the upload form and its worker do."""
    delivery = delivery_receive(partner=partner, stream=io.BytesIO(data), original_name=name, received_on=received_on)
    if delivery.status == DeliveryStatus.REFUSED:
        return delivery
    return delivery_process(delivery_id=delivery.pk)
