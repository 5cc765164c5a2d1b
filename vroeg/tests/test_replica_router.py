"""Reads off the primary (vroeg/replica.py): the report pages and their downloads, the
Bereik report, the DDAS export (page, command, pull API) and the audit search read
from the 'replica' alias; everything else, and every write (their audit entries),
goes to the primary. In tests 'replica' is a connection of its own to the test
database (conftest.py: TEST MIRROR), so these tests commit (transaction=True): a
connection sees only what others committed, as a real replica does."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from signals.models import Signal
from testkit.ddas_api import Cbs
from testkit.report_world import report_world
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality
from vroeg.replica import REPLICA, reads_from_replica

# The replica, like DATABASE_REPLICA_URL, exists only on PostgreSQL.
pytestmark = pytest.mark.postgres
BOTH = [DEFAULT_DB_ALIAS, REPLICA]
committed = pytest.mark.django_db(transaction=True, databases=BOTH)
YEAR = {"period": "year", "year": "2026"}
WRITES = ("INSERT", "UPDATE", "DELETE")


class Statements:
    """Every statement per alias, in every thread (also the live server's)."""

    def __init__(self) -> None:
        self.sql: list[tuple[str, str]] = []
        self._wrapped: list = []

    def _record(self, alias):
        def record(execute, sql, params, many, context):
            self.sql.append((alias, sql))
            return execute(sql, params, many, context)

        return record

    def watch(self, wrapper) -> None:
        if not any(getattr(w, "statements", None) is self for w in wrapper.execute_wrappers):
            recorder = self._record(wrapper.alias)
            recorder.statements = self
            wrapper.execute_wrappers.append(recorder)
            self._wrapped.append((wrapper, recorder))

    def on_connect(self, sender, connection, **kwargs) -> None:
        self.watch(connection)

    def clear(self) -> None:
        self.sql.clear()

    def reading(self, alias: str, model) -> list[str]:
        table = f'"{model._meta.db_table}"'
        return [sql for a, sql in self.sql if a == alias and table in sql and sql.lstrip().startswith("SELECT")]

    def writing(self, alias: str, model=None) -> list[str]:
        table = f'"{model._meta.db_table}"' if model else ""
        return [sql for a, sql in self.sql if a == alias and sql.lstrip().startswith(WRITES) and table in sql]

    def close(self) -> None:
        for wrapper, recorder in self._wrapped:
            if recorder in wrapper.execute_wrappers:
                wrapper.execute_wrappers.remove(recorder)


@pytest.fixture
def statements():
    seen = Statements()
    for alias in BOTH:
        seen.watch(connections[alias])
    connection_created.connect(seen.on_connect)
    yield seen
    connection_created.disconnect(seen.on_connect)
    seen.close()


@pytest.fixture(autouse=True)
def _off_the_broker(monkeypatch):
    """Committed intake would queue tasks on the broker: keep these tests off it."""
    monkeypatch.setattr("cases.listeners._queue_first_assessment", lambda: None)
    monkeypatch.setattr("vroeg.outbox.outbox_publish", lambda **kwargs: 0)


@pytest.fixture
def world(municipality, partner, caseworker):
    return report_world(municipality, partner, caseworker)


def _params(municipality) -> dict:
    return {"municipality": municipality.pk, **YEAR}


def _off_the_primary(statements: Statements, *, audited: str) -> None:
    """The figures came from the replica, nothing was written there, and the page's
    one write, its audit entry, went to the primary, which read no figures."""
    assert statements.reading(REPLICA, Signal) or statements.reading(REPLICA, Case)
    assert not statements.writing(REPLICA)
    assert not statements.reading(DEFAULT_DB_ALIAS, Signal) and not statements.reading(DEFAULT_DB_ALIAS, Case)
    assert len(statements.writing(DEFAULT_DB_ALIAS, AuditEntry)) == 1
    assert AuditEntry.objects.filter(object_type=audited).count() == 1


# --- the rules -------------------------------------------------------------------------


def test_the_router_is_on_in_tests_and_migrations_only_run_on_the_primary():
    assert connections.settings[REPLICA]["TEST"]["MIRROR"] == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "cases") is True
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.db_for_read(Case) == DEFAULT_DB_ALIAS  # outside a scope
    with reads_from_replica():
        assert router.db_for_write(Case) == DEFAULT_DB_ALIAS


@committed
def test_a_scope_reads_from_the_replica_and_writes_to_the_primary(municipality, statements):
    with reads_from_replica():
        found = Municipality.objects.get(pk=municipality.pk)
        assert found._state.db == REPLICA
        found.name = "Andere naam"
        found.save()  # a write, also of an object read from the replica
        entry = audit_log(action=AuditAction.VIEW, municipality=found, object_type="test.replica")
    assert entry._state.db == DEFAULT_DB_ALIAS
    assert statements.writing(DEFAULT_DB_ALIAS, Municipality) and statements.writing(DEFAULT_DB_ALIAS, AuditEntry)
    assert not statements.writing(REPLICA)
    statements.clear()
    # Outside the scope a query with an object read from the replica goes to the primary.
    assert AuditEntry.objects.filter(municipality=found).count() == 1
    assert Municipality.objects.get(pk=municipality.pk).name == "Andere naam"
    assert not [sql for alias, sql in statements.sql if alias == REPLICA]


@committed
def test_in_a_transaction_a_scope_reads_its_own_writes_from_the_primary(municipality, statements):
    with transaction.atomic(), reads_from_replica():
        Municipality.objects.filter(pk=municipality.pk).update(name="Nog niet gecommit")
        # The replica cannot see this yet; the transaction must.
        assert Municipality.objects.get(pk=municipality.pk).name == "Nog niet gecommit"
    assert statements.reading(DEFAULT_DB_ALIAS, Municipality)
    assert not [sql for alias, sql in statements.sql if alias == REPLICA]


@pytest.mark.django_db  # the test's own transaction: the replica would not see the world
def test_inside_a_test_transaction_the_pages_read_from_the_primary(client, teamlead, world, statements):
    client.force_login(teamlead)
    statements.clear()
    page = client.get(reverse("reports"), _params(world)).content.decode()
    assert 'data-testid="report-title">Voorbeeldstad, 2026<' in page
    assert statements.reading(DEFAULT_DB_ALIAS, Signal)
    assert not [sql for alias, sql in statements.sql if alias == REPLICA]


# --- the team lead's reports -----------------------------------------------------------


@committed
def test_the_report_page_reads_from_the_replica(client, teamlead, world, statements):
    client.force_login(teamlead)
    statements.clear()
    response = client.get(reverse("reports"), _params(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="report-title">Voorbeeldstad, 2026<' in page
    assert page.count('<rect x="') == 3  # the same bars as on the primary (reports/tests/test_views.py)
    assert 'data-testid="table-eindresultaten"' in page
    _off_the_primary(statements, audited="reports.report")


@committed
def test_the_report_downloads_read_from_the_replica(client, teamlead, world, statements):
    client.force_login(teamlead)
    statements.clear()
    response = client.get(reverse("report-csv", args=["contactpogingen"]), _params(world))
    assert response.status_code == 200
    assert "Huisbezoek;1;1;100,0 %" in response.content.decode("utf-8-sig").splitlines()
    _off_the_primary(statements, audited="reports.table")
    statements.clear()
    response = client.get(reverse("report-xlsx"), _params(world))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    _off_the_primary(statements, audited="reports.workbook")


@committed
def test_the_reach_report_and_its_downloads_read_from_the_replica(client, teamlead, world, statements):
    client.force_login(teamlead)
    statements.clear()
    response = client.get(reverse("reach"), _params(world))
    assert response.status_code == 200 and 'data-testid="reach-title">Voorbeeldstad, 2026<' in response.content.decode()
    _off_the_primary(statements, audited="reports.reach")
    statements.clear()
    response = client.get(reverse("reach-xlsx"), _params(world))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    _off_the_primary(statements, audited="reports.reach_workbook")


# --- the DDAS export -------------------------------------------------------------------


@committed
def test_the_ddas_download_reads_one_snapshot_on_the_replica(client, teamlead, world, statements, settings):
    settings.DDAS_SUPPLIER_CODE = "12345678"
    client.force_login(teamlead)
    signals = Signal.objects.count()
    statements.clear()
    response = client.get(reverse("report-ddas"), _params(world))
    assert response.status_code == 200
    document = json.loads(b"".join(response.streaming_content))
    assert len(document["leveringen"][0]["vroegsignalen"]) == signals
    _off_the_primary(statements, audited="ddas.levering")
    if connections[REPLICA].vendor == "postgresql":
        on_replica = [sql for alias, sql in statements.sql if alias == REPLICA]
        assert "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY" in on_replica


@committed
def test_the_export_ddas_command_reads_from_the_replica(world, statements, settings, tmp_path):
    settings.DDAS_SUPPLIER_CODE = "12345678"
    target = tmp_path / "ddas.json"
    signals = Signal.objects.count()
    statements.clear()
    call_command(
        "export_ddas",
        municipality=[world.code],
        start="2026-01-01",
        end="2026-12-31",
        output=str(target),
        stdout=io.StringIO(),
    )
    document = json.loads(target.read_text())
    assert len(document["leveringen"][0]["vroegsignalen"]) == signals
    assert statements.reading(REPLICA, Signal) and statements.reading(REPLICA, Case)
    assert not statements.reading(DEFAULT_DB_ALIAS, Signal) and not statements.reading(DEFAULT_DB_ALIAS, Case)
    assert not statements.writing(REPLICA)


@committed
def test_the_ddas_pull_api_reads_from_the_replica_and_logs_the_call_on_the_primary(
    live_server, ddas_settings, ddas_pki, partner, statements
):
    received = timezone.localdate() - timedelta(days=20)
    deliver(
        partner, csv_bytes([row(partner_referentie=f"R{n}", huisnummer=str(n)) for n in (1, 2)]), received_on=received
    )
    cbs = Cbs(url=live_server.url + "/ddas/v1/gegevens", pki=ddas_pki)
    statements.clear()
    answer = cbs.post(
        {
            "aanleverperiodeStartdatum": (received - timedelta(days=1)).isoformat(),
            "aanleverperiodeEinddatum": (received + timedelta(days=1)).isoformat(),
            "aanleverende_organisatie": "GM9999",
        }
    )
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["gegevens"]["leveringen"][0]["vroegsignalen"]) == 2
    assert statements.reading(REPLICA, Signal) and statements.reading(REPLICA, Case)
    assert not statements.reading(DEFAULT_DB_ALIAS, Signal) and not statements.reading(DEFAULT_DB_ALIAS, Case)
    assert not statements.writing(REPLICA)
    assert statements.writing(DEFAULT_DB_ALIAS)  # the call's log and audit entry


# --- the audit search ------------------------------------------------------------------


@committed
def test_the_audit_search_and_its_export_read_from_the_replica(client, privacy_officer, caseworker, municipality):
    for n in range(3):
        audit_log(
            action=AuditAction.VIEW,
            actor=caseworker,
            municipality=municipality,
            object_type="cases.case",
            object_id=str(n),
        )
    client.force_login(privacy_officer)
    seen = Statements()
    for alias in BOTH:
        seen.watch(connections[alias])
    try:
        response = client.post(reverse("audit-search"), {"user": caseworker.username})
        assert response.status_code == 302
        seen.clear()
        page = client.get(response.url)
        assert page.status_code == 200 and len(page.context["rows"]) == 3
        assert seen.reading(REPLICA, AuditEntry) and not seen.reading(DEFAULT_DB_ALIAS, AuditEntry)
        assert len(seen.writing(DEFAULT_DB_ALIAS, AuditEntry)) == 1 and not seen.writing(REPLICA)
        export_url = response.url.replace(reverse("audit-search"), reverse("audit-export"))
        seen.clear()
        export = client.get(export_url)
        assert export.status_code == 200 and export.streaming
        # The rows are read while the response streams, after the view returned.
        rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1:]
        assert len(rows) == 3
        assert seen.reading(REPLICA, AuditEntry) and not seen.reading(DEFAULT_DB_ALIAS, AuditEntry)
        assert len(seen.writing(DEFAULT_DB_ALIAS, AuditEntry)) == 1 and not seen.writing(REPLICA)
    finally:
        seen.close()


def test_between_the_steps_of_a_stream_nothing_reads_from_the_replica():
    from vroeg.replica import reading_from_replica

    seen = []

    @reads_from_replica()
    def view():
        from django.http import StreamingHttpResponse

        return StreamingHttpResponse(str(reading_from_replica()) for _ in range(2))

    response = view()
    for chunk in response.streaming_content:
        seen.append((chunk, reading_from_replica()))
    assert seen == [(b"True", False), (b"True", False)]
