"""Writes for signal partners and their deliveries."""

import hashlib
import io
import logging
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import BinaryIO

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from vroeg.accounts.selectors import functional_admins_of
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality
from vroeg.notifications.services import notification_create
from vroeg.outbox import outbox_enqueue

from .csvformat import MAX_FILE_BYTES, FileRefused
from .hooks import delivery_ingested
from .ingest import ingest
from .locks import IntakeBusy
from .models import (
    DEFAULT_SIGNAL_TYPES,
    Delivery,
    DeliveryFile,
    DeliveryStatus,
    Partner,
    PartnerType,
)
from .progress import delivery_progress_clear, delivery_progress_save

logger = logging.getLogger(__name__)

# Errors of the connection, not of the file: the task retries them with backoff.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
FAILED_MESSAGE = (
    "Het verwerken van dit bestand is mislukt door een fout bij de gemeente, niet in uw bestand. "
    "Er is niets van opgeslagen. De beheerder is gewaarschuwd en laat het bestand opnieuw verwerken; "
    "u hoeft het niet opnieuw aan te leveren."
)
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
    profile=None,
    profile_import=None,
    preview: bool = False,
) -> Delivery:
    """Register a received file. The same bytes from the same partner are refused
    as already received (a database constraint decides, also for two uploads at
    once); so is a file over the size limit.

    With `keep_file` the bytes are stored until a worker has processed them
    (`process_delivery` is queued when the transaction commits). A file read through
    an import profile records the profile version and the import it came from.
    A `preview` (services_profiles.profile_preview, always rolled back) is not compared
    with earlier files: it shows how the rows would be read even when they were.
    """
    sha256, size = _digest(stream)
    if preview:
        if not connection.in_atomic_block:
            raise RuntimeError("A preview delivery must run in a transaction that is rolled back.")
        sha256 = uuid.uuid4().hex
    base = {
        "partner": partner,
        "uploaded_by": uploaded_by,
        "via_command": via_command,
        "received_at": timezone.now(),
        "received_on": received_on or timezone.localdate(),
        "sha256": sha256,
        "original_name": original_name[:255],
        "size": size,
        "profile": profile,
        "profile_import": profile_import,
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


def _wait_at_most(wait: timedelta | None) -> None:
    """Bound every lock wait of the current transaction (PostgreSQL's lock_timeout), up
    to and including intake's locks (signals.locks.intake_lock, which lifts it)."""
    if wait is not None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{int(wait.total_seconds() * 1000)}ms"])


def delivery_process(
    *, delivery_id: int, stream: BinaryIO | None = None, lock_wait: timedelta | None = None
) -> Delivery:
    """Process a received delivery completely, or not at all.

    Safe to run twice and after a crash: a delivery that is done or refused is
    left alone; one left `processing` by a killed worker is processed again from
    its stored file (the crashed attempt's transaction was rolled back).

    With `lock_wait` (a referral registered by hand), wait at most that long for a
    delivery that is being processed: then leave this one received, for the intake
    worker (its file is kept and its task queued), and return it as such.
    """
    try:
        return _delivery_process(delivery_id=delivery_id, stream=stream, lock_wait=lock_wait)
    except IntakeBusy:
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PROCESSING).update(status=DeliveryStatus.RECEIVED)
        return Delivery.objects.get(pk=delivery_id)


def _delivery_process(*, delivery_id: int, stream: BinaryIO | None, lock_wait: timedelta | None) -> Delivery:
    with transaction.atomic():
        _wait_at_most(lock_wait)
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status in (DeliveryStatus.DONE, DeliveryStatus.REFUSED, DeliveryStatus.FAILED):
            return delivery  # final; a failed one goes again only through delivery_retry
        delivery.status = DeliveryStatus.PROCESSING
        delivery.save(update_fields=["status"])
    if stream is None:
        stream = io.BytesIO(bytes(DeliveryFile.objects.get(delivery_id=delivery_id).content))

    def progress(rows: int) -> None:
        delivery_progress_save(delivery_id=delivery_id, rows=rows)

    with transaction.atomic():
        _wait_at_most(lock_wait)
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related("partner").get(pk=delivery_id)
        if delivery.status != DeliveryStatus.PROCESSING:
            return delivery  # another worker finished it meanwhile
        # ingest() locks the partner and the municipalities of the file once its rows
        # are loaded (signals/locks.py): deliveries for other municipalities go on at
        # the same time. `lock_wait` (set above) bounds that wait too.
        try:
            with transaction.atomic():
                counts = ingest(delivery, stream, progress=progress)
                delivery_ingested(delivery=delivery)
        except FileRefused as refusal:
            delivery.status = DeliveryStatus.REFUSED
            delivery.refusal_reason = refusal.message
        except (IntakeBusy, *TRANSIENT_ERRORS):
            # Busy: delivery_process leaves it received. The database went away: the
            # task retries with backoff.
            raise
        except Exception:
            # A bug or a time limit: the savepoint took back every row of the file.
            logger.exception("delivery %s failed", delivery_id)
            delivery.status = DeliveryStatus.FAILED
            delivery.refusal_reason = FAILED_MESSAGE
            _tell_admins_of_failure(delivery)
        else:
            delivery.status = DeliveryStatus.DONE
            delivery.rows_read = counts.rows
            delivery.accepted_count = counts.accepted
            delivery.repeated_count = counts.repeated
            delivery.rejected_count = counts.rejected
        delivery.finished_at = timezone.now()
        delivery.save()
        if delivery.status != DeliveryStatus.FAILED:
            DeliveryFile.objects.filter(delivery=delivery).delete()
    delivery_progress_clear(delivery_id=delivery_id)
    return delivery


def _tell_admins_of_failure(delivery: Delivery) -> None:
    for admin in functional_admins_of(municipality_ids=delivery.partner.municipalities.values("pk")):
        notification_create(
            user=admin,
            key=f"delivery-failed:{delivery.pk}:{admin.pk}",
            subject=f"Levering van {delivery.partner.name} mislukt",
            body=(
                f"Het verwerken van {delivery.original_name} (ontvangen {delivery.received_on:%d-%m-%Y}) "
                "is mislukt door een fout in Vroeg; er is niets van opgeslagen. Het bestand is bewaard. "
                "Laat het opnieuw verwerken in het beheer (Leveringen, actie 'Opnieuw verwerken') "
                "wanneer de fout is verholpen; de technische melding staat in het logboek van de server."
            ),
            url=reverse("admin:signals_delivery_change", args=[delivery.pk]),
        )


def delivery_retry(*, delivery_id: int, user) -> bool:
    """Queue a failed delivery again (an admin's action, once the cause is fixed); its
    kept file is processed as if just received. False when there is nothing to retry."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != DeliveryStatus.FAILED or not DeliveryFile.objects.filter(delivery=delivery).exists():
            return False
        delivery.status = DeliveryStatus.RECEIVED
        delivery.refusal_reason = ""
        delivery.finished_at = None
        delivery.save(update_fields=["status", "refusal_reason", "finished_at"])
        audit_log(action=AuditAction.CHANGE, actor=user, obj=delivery, detail={"retried": True})
        outbox_enqueue(task="signals.process_delivery", delivery_id=delivery.pk)
    return True


def deliveries_resume_stalled(*, older_than: timedelta = STALLED_AFTER) -> list[int]:
    """Queue again the deliveries that were received but never finished: a worker
    killed mid-file, or a queued message lost with a broker. Safe to repeat, since
    processing a delivery twice changes nothing (delivery_process)."""
    stalled = list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING],
            received_at__lt=timezone.now() - older_than,
            file__isnull=False,
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for delivery_id in stalled:
            outbox_enqueue(task="signals.process_delivery", delivery_id=delivery_id)
    return stalled
