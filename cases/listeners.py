"""What cases does when something happens below it (signals' hooks; vroeg/hooks.py).
Registered in CasesConfig.ready()."""

import logging

from django.db import transaction

from .tasks import assess_pending

logger = logging.getLogger(__name__)


def assess_after_commit(*, delivery) -> None:
    """signals.delivery_ingested: the new and changed cases get their first assessment
    as soon as the delivery is committed."""
    transaction.on_commit(_queue_first_assessment)


def _queue_first_assessment() -> None:
    """Best effort: beat runs the same job every two minutes if the broker is away."""
    try:
        assess_pending.delay()
    except Exception:  # noqa: BLE001  (a broker outage must not undo a processed delivery)
        logger.warning("could not queue the first assessment; beat will pick it up", exc_info=True)
