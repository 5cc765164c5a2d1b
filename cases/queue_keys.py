"""The queue's stored sort key (Case.queue_due, Case.queue_rank; ADR 0021).

The queue sorts open cases on (nearest waiting deadline, order rank, id): the two
expressions of cases/deadlines.py and cases/priority.py. Computed per request they
make PostgreSQL rank every open case of the municipality before it can show the first
25. Stored on the case, with an index in that order, the first page is an index read.

One definition, stored: `queue_key_values` gives both columns as those very
expressions, in SQL; `cases_queue_refresh` (and intake's UPDATE of the cases it joins)
sets them with it, and nothing else writes them. Every service that changes what they
are computed from refreshes them in its own transaction:

- intake (new and joined cases: counts, amount, kinds of partner, terms, crisis
  proposal, earlier case, residents' birth dates): in the statement that sets the
  joined cases' next deadline, and `cases_queue_refresh_range` for the cases it opened;
- the case steps (cases/services.py `_run`: picked up, contact, help accepted,
  closed, reopened), the crisis judgement, dismissal and withdrawal;
- the closure days that move terms (cases/deadline_updates.py);
- a contact attempt (outreach/services.py: an approach meets the terms to approach,
  a reached attempt ends a crisis term's wait);
- a resident merge (a birth date joins the household).

The suite holds every writer to it: after each test that used the database, every
open case's stored key must equal the computed one (conftest.py).

Two inputs are not rows: the day (the young-adult rule counts ages on today) and the
operator's weights (VROEG_PRIORITY_WEIGHTS). `queue_keys_sweep` (beat, every 10
minutes; it does nothing when nothing changed) refreshes the cases whose rank can
change with the day (`priority.DAY_DEPENDENT_Q`) on a new day, and every open case
when the weights changed, and then stamps the day and the weights (QueueKeyStamp).
Until that stamp matches, the queue computes its order as before: it is never wrong,
only slower for the minutes after midnight or after a change of the weights.
"""

import hashlib
import json
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .deadlines import open_due_expression
from .models import Case, QueueKeyStamp
from .priority import DAY_DEPENDENT_Q, queue_order_rank, weights

CHUNK = 5000


def weights_digest() -> str:
    """The current priority weights as a short fingerprint (QueueKeyStamp.weights)."""
    return hashlib.sha256(json.dumps(weights(), sort_keys=True).encode()).hexdigest()[:16]


def queue_key_values(*, today: date) -> dict:
    """The two columns as expressions over the case row, for an UPDATE of cases: the
    one place their values are defined. Also used by intake, which sets them in the
    statement that already rewrites the cases it joined (a second UPDATE of 100,000
    cases costs seconds: every index of the case table gets a new entry)."""
    return {"queue_due": open_due_expression(), "queue_rank": queue_order_rank(today=today)}


def _refresh(cases: QuerySet[Case], today: date) -> int:
    return cases.update(**queue_key_values(today=today))


def cases_queue_refresh(*, case_ids: Iterable[int], today: date | None = None) -> int:
    """Bring the stored queue key of these cases in line with their rows as they are
    now (call it after changing what the key is computed from, in the same
    transaction). Returns how many cases it wrote."""
    ids = sorted(set(case_ids))
    today = today or timezone.localdate()
    return sum(_refresh(Case.objects.filter(pk__in=ids[i : i + CHUNK]), today) for i in range(0, len(ids), CHUNK))


def case_queue_refresh(*, case: Case, today: date | None = None) -> None:
    """`cases_queue_refresh` of one case, whose instance gets the stored values (so a
    later save of it keeps them)."""
    cases_queue_refresh(case_ids=[case.pk], today=today)
    case.queue_due, case.queue_rank = Case.objects.values_list("queue_due", "queue_rank").get(pk=case.pk)


def cases_queue_refresh_households(*, household_ids: Iterable[int], today: date | None = None) -> int:
    """`cases_queue_refresh` of the open cases of these households (their residents
    changed)."""
    ids = Case.objects.filter(household_id__in=set(household_ids), closed_at__isnull=True).values_list("pk", flat=True)
    return cases_queue_refresh(case_ids=list(ids), today=today)


def cases_queue_refresh_range(*, first_id: int, last_id: int, today: date | None = None) -> int:
    """`cases_queue_refresh` of the cases with ids from `first_id` to `last_id` (what
    one delivery opened: cases/intake.py), in one statement."""
    return _refresh(Case.objects.filter(pk__range=(first_id, last_id)), today or timezone.localdate())


def queue_keys_current(*, today: date) -> bool:
    """The stored keys hold for today and the current weights (the sweep stamped them)."""
    return QueueKeyStamp.objects.filter(pk=1, day=today, weights=weights_digest()).exists()


def queue_keys_sweep(*, today: date | None = None, everything: bool = False) -> int:
    """Bring the stored keys up to date for today and the current weights, and stamp
    them: on a new day the cases whose rank can change with the day, after a change
    of the weights (or the first time, or with `everything`) every open case. Safe to
    run twice and to be killed half-way (the stamp comes last). Returns how many
    cases it refreshed."""
    today = today or timezone.localdate()
    digest = weights_digest()
    stamp = QueueKeyStamp.objects.filter(pk=1).first()
    if not everything and stamp is not None and (stamp.day, stamp.weights) == (today, digest):
        return 0
    cases = Case.objects.filter(closed_at__isnull=True)
    if not everything and stamp is not None and stamp.weights == digest and stamp.day < today:
        cases = cases.filter(DAY_DEPENDENT_Q)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        with transaction.atomic():
            # Locked first, in id order, as every writer locks its case: an UPDATE that
            # waited for a writer's lock would see the writer's case row but not the
            # contact attempt or resident it added (read at the statement's start).
            chunk = Case.objects.select_for_update().filter(pk__in=ids[i : i + CHUNK]).order_by("pk")
            cases_queue_refresh(case_ids=list(chunk.values_list("pk", flat=True)), today=today)
    QueueKeyStamp.objects.update_or_create(
        pk=1, defaults={"day": today, "weights": digest, "refreshed_at": timezone.now()}
    )
    return len(ids)
