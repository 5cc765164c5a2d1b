"""Reads off the primary: an optional read replica (DATABASE_REPLICA_URL) for the heavy,
read-only pages and exports (docs/operators/deployment.md, "Read replica").

The apps mark the read work that may run on the replica with `reads_from_replica()`
(a context manager, or a decorator on a view or function); everything else, and every
write, goes to the primary. The core never names those apps: they import this module.

The rules, in `ReplicaRouter` (listed in DATABASE_ROUTERS only when a replica is set):

- Every write goes to the primary ('default'), also inside `reads_from_replica()`:
  the audit entry a report page writes lands on the primary.
- A read goes to the replica only inside `reads_from_replica()` and only while the
  primary's connection is not in a transaction. Inside a transaction (a service's
  `atomic()`, or a test's) reads stay on the primary: they see the transaction's own,
  uncommitted writes and one snapshot with them.
- Outside a transaction a scope's reads go to the replica even after the scope wrote
  (autocommit: the write is committed on the primary, the replica gets it a moment
  later). Code that must read what it just wrote does so in one transaction, or
  outside the scope. The pages in a scope only write their audit entry, which their
  reads do not depend on.
- Outside any scope reads go to the primary, also for objects that were read from the
  replica (Django would otherwise follow the object's own database).
- Migrations run only on the primary.
- A streamed response of a decorated view (a CSV written row by row) reads its rows
  while the server sends it, after the view returned: the decorator runs each step of
  the stream in the scope too.

Without a replica (no router) every read and write goes to 'default' and the scope
changes nothing.
"""

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar, Token
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse, StreamingHttpResponse

REPLICA = "replica"

_reading: ContextVar[bool] = ContextVar("vroeg_reads_from_replica", default=False)


class reads_from_replica:  # noqa: N801 (used like a function: `with reads_from_replica():`)
    """Reads inside may go to the read replica (see the module's rules); nestable, per
    thread and per context. As a decorator (`@reads_from_replica()`) a fresh scope per
    call, which also covers the steps of a streamed response."""

    def __init__(self) -> None:
        self._tokens: list[Token[bool]] = []

    def __enter__(self) -> "reads_from_replica":
        self._tokens.append(_reading.set(True))
        return self

    def __exit__(self, *exc) -> None:
        _reading.reset(self._tokens.pop())

    def __call__(self, function: Callable) -> Callable:
        @wraps(function)
        def in_scope(*args, **kwargs):
            with reads_from_replica():
                result = function(*args, **kwargs)
            if isinstance(result, StreamingHttpResponse) and not isinstance(result, FileResponse):
                result.streaming_content = _each_step_in_scope(result.streaming_content)
            return result

        return in_scope


def _each_step_in_scope(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The stream's steps in the scope, and nothing of the scope between them (the
    server writes the chunk outside it)."""
    iterator = iter(chunks)
    while True:
        with reads_from_replica():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


def reading_from_replica() -> bool:
    """Whether a read here would go to the replica (when one is configured)."""
    return _reading.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block


class ReplicaRouter:
    """DATABASE_ROUTERS entry when DATABASE_REPLICA_URL is set (vroeg/settings.py)."""

    def db_for_read(self, model, **hints) -> str:
        return REPLICA if reading_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the primary's rows: an object read from it may be linked
        # to one from the primary (an audit entry to the municipality of a report).
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
