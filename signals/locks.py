"""What intake serialises (docs/adr/0018-parallel-intake.md): a partner's references
and a municipality's households, not the whole installation.

A delivery takes, once its rows are parsed, validated and loaded into its temporary
table (work that touches nothing shared), transaction-scoped advisory locks on

- its partner: repeats are judged against the partner's earlier deliveries, so two
  deliveries of one partner must see each other's signals;
- every municipality of its loaded rows: all that matching writes (households,
  residents, their keys, cases, objections' keys) is unique within one municipality's
  households, so two deliveries for one municipality must not both start a household,
  a resident or a case.

Deliveries for different municipalities from different partners then run at the same
time. The locks are taken one by one in one fixed order (the partner, then the
municipalities by id; a transaction holds one partner), so two deliveries never wait
for each other crosswise. SQLite serialises writers anyway: no locks there.
"""

from collections.abc import Iterable

from django.db import OperationalError, connection

# The first key of PostgreSQL's two-key advisory locks (a space apart from the one-key
# locks such as cases.assessment.ASSESSMENT_LOCK_ID); the second key is the id.
PARTNER_LOCKS = 7_114_210
MUNICIPALITY_LOCKS = 7_114_211
_INT4 = 2**31  # a key is a 32-bit integer; ids beyond it share a key (serialised, never wrong)


class IntakeBusy(Exception):
    """Another delivery holds what this one needs longer than the caller wanted to wait."""


def intake_lock_keys(*, partner_id: int, municipality_ids: Iterable[int]) -> list[tuple[int, int]]:
    """The advisory lock keys of a delivery, in the one order every delivery takes them."""
    return [(PARTNER_LOCKS, partner_id % _INT4)] + [
        (MUNICIPALITY_LOCKS, key) for key in sorted({m % _INT4 for m in municipality_ids})
    ]


def intake_lock(*, partner_id: int, rows: str) -> None:
    """Lock, until the transaction ends, the partner and every municipality of the
    loaded rows in the temporary table `rows`.

    A bound on lock waits that the caller set for this transaction (PostgreSQL's
    `lock_timeout`, signals.services: a referral registered by hand) holds for each of
    these locks: past it, IntakeBusy (the transaction must roll back). Once they are
    held the bound is lifted, so the writes that follow wait for rows as long as needed."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT municipality_id FROM {rows} WHERE municipality_id IS NOT NULL")
        municipality_ids = [m for (m,) in cursor.fetchall()]
        cursor.execute("SELECT current_setting('lock_timeout') <> '0'")
        bounded = cursor.fetchone()[0]
        for namespace, key in intake_lock_keys(partner_id=partner_id, municipality_ids=municipality_ids):
            try:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])
            except OperationalError as exc:
                if getattr(exc.__cause__, "sqlstate", "") == "55P03":  # lock_not_available
                    raise IntakeBusy from exc
                raise
        if bounded:
            cursor.execute("SELECT set_config('lock_timeout', '0', true)")
