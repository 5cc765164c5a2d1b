"""Database connections (docs/operators/configuration.md, "Database"; deployment.md,
"Scaling out"): the variables give the documented DATABASES, and with the pool on a
process's threads share at most DATABASE_POOL_MAX_SIZE connections. Each case runs in
a fresh process, as an operator starts one."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from testkit.production_env import PRODUCTION_ENV

BASE_DIR = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://vroeg:secret@db.internal:5432/vroeg"
OURS = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_POOL",
    "DATABASE_POOL_MIN_SIZE",
    "DATABASE_POOL_MAX_SIZE",
    "DATABASE_POOL_TIMEOUT",
    "DATABASE_REPLICA_URL",
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS",
)
SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'databases': settings.DATABASES, 'routers': settings.DATABASE_ROUTERS}, default=str))"
)


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "vroeg.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(**env: str) -> dict:
    result = _python(SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _refused(**env: str) -> str:
    result = _python(SHOW, **env)
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


def test_by_default_postgresql_keeps_one_connection_per_thread_for_60_seconds_and_has_no_replica():
    found = _settings(DATABASE_URL=POSTGRES)
    default = found["databases"]["default"]
    assert (default["CONN_MAX_AGE"], default["CONN_HEALTH_CHECKS"]) == (60, True)
    assert "pool" not in default["OPTIONS"] and default["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert list(found["databases"]) == ["default"] and found["routers"] == []


def test_sqlite_has_no_pool_no_replica_and_refuses_them():
    found = _settings()
    assert found["databases"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert list(found["databases"]) == ["default"] and found["routers"] == []
    assert "need PostgreSQL" in _refused(DATABASE_POOL="true")
    assert "need PostgreSQL" in _refused(DATABASE_REPLICA_URL=POSTGRES)


def test_conn_max_age_is_the_variable():
    assert _settings(DATABASE_URL=POSTGRES, DATABASE_CONN_MAX_AGE="0")["databases"]["default"]["CONN_MAX_AGE"] == 0
    assert _settings(DATABASE_URL=POSTGRES, DATABASE_CONN_MAX_AGE="300")["databases"]["default"]["CONN_MAX_AGE"] == 300


def test_the_pool_replaces_persistent_connections_with_its_documented_sizes():
    default = _settings(DATABASE_URL=POSTGRES, DATABASE_POOL="true")["databases"]["default"]
    assert default["CONN_MAX_AGE"] == 0
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10.0}
    sized = _settings(
        DATABASE_URL=POSTGRES,
        DATABASE_POOL="true",
        DATABASE_POOL_MIN_SIZE="1",
        DATABASE_POOL_MAX_SIZE="8",
        DATABASE_POOL_TIMEOUT="2.5",
    )["databases"]["default"]
    assert sized["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 2.5}
    assert "DATABASE_CONN_MAX_AGE=0" in _refused(
        DATABASE_URL=POSTGRES, DATABASE_POOL="true", DATABASE_CONN_MAX_AGE="60"
    )


def test_pgbouncer_transaction_mode_can_switch_off_server_side_cursors():
    found = _settings(DATABASE_URL=POSTGRES, DATABASE_DISABLE_SERVER_SIDE_CURSORS="true", DATABASE_REPLICA_URL=POSTGRES)
    assert all(db["DISABLE_SERVER_SIDE_CURSORS"] is True for db in found["databases"].values())


def test_a_replica_url_adds_the_replica_with_the_primarys_connection_settings_and_the_router():
    found = _settings(
        DATABASE_URL=POSTGRES,
        DATABASE_POOL="true",
        DATABASE_REPLICA_URL="postgres://lezer:geheim@replica.internal:5433/vroeg?sslmode=verify-full",
    )
    assert found["routers"] == ["vroeg.replica.ReplicaRouter"]
    replica = found["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        5433,
        "lezer",
        "vroeg",
    )
    assert replica["OPTIONS"] == {
        "options": "-c jit=off",
        "pool": {"min_size": 2, "max_size": 4, "timeout": 10.0},
        "sslmode": "verify-full",
    }
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (0, True)
    assert replica["TEST"]["MIRROR"] == "default"  # tests never create or migrate it
    assert "postgres://" in _refused(DATABASE_URL=POSTGRES, DATABASE_REPLICA_URL="sqlite:///x.sqlite3")


def test_check_deploy_stays_clean_with_the_pool_and_a_replica():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in OURS and k not in ("SECURE_SSL_REDIRECT", "VROEG_DEMO", "REQUIRE_2FA")
            },
            **PRODUCTION_ENV,
            "DATABASE_POOL": "true",
            "DATABASE_REPLICA_URL": "postgres://lezer:geheim@replica.internal:5432/vroeg",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- the pool at work, on PostgreSQL -------------------------------------------------

# Eight threads (a gunicorn worker's, say) each run two slow queries, handing the
# connection back after each one as Django does at the end of a request; meanwhile
# another connection counts the process's connections in pg_stat_activity.
THREADS = """
import json, os, threading, time
import django
django.setup()
import psycopg
from django.db import connection

def work():
    for _ in range(2):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.3)")
        connection.close()
    done.append(1)

done = []
threads = [threading.Thread(target=work) for _ in range(8)]
peak = 0
with psycopg.connect(os.environ["WATCH"], autocommit=True) as watch:
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        row = watch.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [os.environ["MARKER"]]
        ).fetchone()
        peak = max(peak, row[0])
        time.sleep(0.02)
    for t in threads:
        t.join()
print(json.dumps({"peak": peak, "done": len(done)}))
"""


def _busy_threads(**env: str) -> dict:
    s = connection.settings_dict
    marker = f"vroeg-pool-test-{uuid.uuid4().hex[:8]}"
    address = f"{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    result = _python(
        THREADS,
        DATABASE_URL=f"postgres://{address}?application_name={marker}",
        WATCH=f"postgresql://{address}?application_name=watch-{marker}",
        MARKER=marker,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.postgres
@pytest.mark.django_db
def test_with_the_pool_busy_threads_share_at_most_max_size_connections():
    pooled = _busy_threads(DATABASE_POOL="true", DATABASE_POOL_MIN_SIZE="1", DATABASE_POOL_MAX_SIZE="3")
    assert pooled == {"peak": 3, "done": 8}  # all served, through three connections at most
    # Without it, every thread opens a connection of its own.
    assert _busy_threads(DATABASE_CONN_MAX_AGE="0") == {"peak": 8, "done": 8}
