"""Writes for signal partners and their deliveries."""

import hashlib
import io
from collections.abc import Iterable
from datetime import date, timedelta
from typing import BinaryIO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from vroeg.municipalities.models import Municipality
from vroeg.outbox import outbox_enqueue

from .csvformat import MAX_FILE_BYTES, FileRefused
from .hooks import delivery_ingested
from .ingest import ingest
from .models import (
    DEFAULT_SIGNAL_TYPES,
    Delivery,
    DeliveryFile,
    DeliveryStatus,
    Partner,
    PartnerType,
)
from .progress import delivery_progress_clear, delivery_progress_save

INTAKE_LOCK_ID = 7_114_200  # pg_advisory_xact_lock key for signal intake
# A delivery still not done this long after receipt has lost its worker.
STALLED_AFTER = timedelta(minutes=15)


@transaction.atomic
def partner_upsert(
    *,
    code: str,
    name: str,
    partner_type: str,
    municipalities: Iterable[Municipality],
    signal_types: list[str] | None = None,
    is_health_insurer: bool | None = None,
) -> Partner:
    """Create or update the partner with this code.

    Without explicit signal types the partner may send the Bgs types of its
    sector; a health insurer is recognised by its DDAS type unless told otherwise.
    """
    if signal_types is None:
        signal_types = [str(t) for t in DEFAULT_SIGNAL_TYPES.get(partner_type, [])]
    if is_health_insurer is None:
        is_health_insurer = partner_type == PartnerType.ZORG
    partner, _ = Partner.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "partner_type": partner_type,
            "signal_types": signal_types,
            "is_health_insurer": is_health_insurer,
        },
    )
    partner.municipalities.add(*municipalities)
    return partner


def _digest(stream: BinaryIO) -> tuple[str, int]:
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def delivery_receive(
    *,
    partner: Partner,
    stream: BinaryIO,
    original_name: str,
    uploaded_by=None,
    via_command: bool = False,
    received_on: date | None = None,
    keep_file: bool = True,
) -> Delivery:
    """Register a received file. The same bytes from the same partner are refused
    as already received (a database constraint decides, also for two uploads at
    once); so is a file over the size limit.

    With `keep_file` the bytes are stored until a worker has processed them
    (`process_delivery` is queued when the transaction commits).
    """
    sha256, size = _digest(stream)
    base = {
        "partner": partner,
        "uploaded_by": uploaded_by,
        "via_command": via_command,
        "received_at": timezone.now(),
        "received_on": received_on or timezone.localdate(),
        "sha256": sha256,
        "original_name": original_name[:255],
        "size": size,
    }
    if size > MAX_FILE_BYTES:
        return _refused(base, "Het bestand is groter dan 50 MB. Lever het in delen aan.")
    if base["received_on"] > timezone.localdate():
        # The date of receipt starts the legal term; a day still to come cannot be it.
        return _refused(
            base,
            f"De datum van ontvangst ({base['received_on']:%d-%m-%Y}) ligt in de toekomst; "
            "gebruik de dag waarop het bestand echt is ontvangen.",
        )
    if not partner.active:
        return _refused(base, "Deze partner is niet actief; er worden geen signalen aangenomen.")
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(**base)
            if keep_file:
                DeliveryFile.objects.create(delivery=delivery, content=stream.read())
    except IntegrityError:
        earlier = Delivery.objects.filter(partner=partner, sha256=sha256).exclude(status=DeliveryStatus.REFUSED).first()
        if earlier is None:  # the racing upload was itself refused meanwhile
            raise
        when = timezone.localtime(earlier.received_at)
        return _refused(
            base,
            f"Dit bestand is al ontvangen op {when:%d-%m-%Y} om {when:%H:%M} "
            f"('{earlier.original_name}'); er is niets nieuws opgeslagen.",
            duplicate_of=earlier,
        )
    if keep_file:
        outbox_enqueue(task="signals.process_delivery", delivery_id=delivery.pk)
    return delivery


def _refused(base: dict, reason: str, duplicate_of: Delivery | None = None) -> Delivery:
    return Delivery.objects.create(
        **base,
        status=DeliveryStatus.REFUSED,
        refusal_reason=reason,
        duplicate_of=duplicate_of,
        finished_at=timezone.now(),
    )


def _lock_intake() -> None:
    """Serialise intake until the transaction ends (SQLite serialises writers anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INTAKE_LOCK_ID])


def delivery_process(*, delivery_id: int, stream: BinaryIO | None = None) -> Delivery:
    """Process a received delivery completely, or not at all.

    Safe to run twice and after a crash: a delivery that is done or refused is
    left alone; one left `processing` by a killed worker is processed again from
    its stored file (the crashed attempt's transaction was rolled back).
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.DONE, DeliveryStatus.REFUSED):
            return delivery
        delivery.status = DeliveryStatus.PROCESSING
        delivery.save(update_fields=["status"])
    if stream is None:
        stream = io.BytesIO(bytes(DeliveryFile.objects.get(delivery_id=delivery_id).content))

    def progress(rows: int) -> None:
        delivery_progress_save(delivery_id=delivery_id, rows=rows)

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("partner").get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PROCESSING:
            return delivery  # another worker finished it meanwhile
        # One delivery at a time: repeats are judged against all earlier ones, and two
        # partners' signals for one household must not both start a case.
        _lock_intake()
        try:
            with transaction.atomic():
                counts = ingest(delivery, stream, progress=progress)
                delivery_ingested(delivery=delivery)
        except FileRefused as refusal:
            delivery.status = DeliveryStatus.REFUSED
            delivery.refusal_reason = refusal.message
        else:
            delivery.status = DeliveryStatus.DONE
            delivery.rows_read = counts.rows
            delivery.accepted_count = counts.accepted
            delivery.repeated_count = counts.repeated
            delivery.rejected_count = counts.rejected
        delivery.finished_at = timezone.now()
        delivery.save()
        DeliveryFile.objects.filter(delivery=delivery).delete()
    delivery_progress_clear(delivery_id=delivery_id)
    return delivery


def deliveries_resume_stalled(*, older_than: timedelta = STALLED_AFTER) -> list[int]:
    """Queue again the deliveries that were received but never finished: a worker
    killed mid-file, or a queued message lost with a broker. Safe to repeat, since
    processing a delivery twice changes nothing (delivery_process)."""
    from .tasks import process_delivery

    stalled = list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING],
            received_at__lt=timezone.now() - older_than,
            file__isnull=False,
        ).values_list("pk", flat=True)
    )
    for delivery_id in stalled:
        process_delivery.delay(delivery_id=delivery_id)
    return stalled
