"""Fixtures shared by all apps' tests."""

import os
import socket
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from testkit.browser import CHROMIUM, CHROMIUM_ARGS, ConsoleWatch
from testkit.factories import MunicipalityFactory, PartnerFactory, UserFactory
from testkit.pki import pki_build
from testkit.workers import start_worker, tasks_routed_to


def _a_cache_of_its_own_per_test_process() -> None:
    """Under pytest-xdist every test process has its own database, so database ids repeat
    between processes; cache keys built from them (a delivery's progress) must not meet.
    Each process prefixes its keys, and the worker processes it starts (they inherit
    CACHE_URL) use the same prefix."""
    process = os.environ.get("PYTEST_XDIST_WORKER")
    if not process:
        return
    url = os.environ.get("CACHE_URL") or f"filecache://{django_settings.VAR_DIR / 'cache'}"
    os.environ["CACHE_URL"] = f"{url}{'&' if '?' in url else '?'}key_prefix=test-{process}"
    django_settings.CACHES = {"default": {**django_settings.CACHES["default"], "KEY_PREFIX": f"test-{process}"}}


_a_cache_of_its_own_per_test_process()


def _a_replica_that_mirrors_the_test_database() -> None:
    """On PostgreSQL the read replica's router (vroeg/replica.py) runs in every test:
    without DATABASE_REPLICA_URL the 'replica' alias is the primary's settings, and in
    tests a mirror of the test database (a connection of its own to the same database)."""
    from django.db import connections, router

    primary = django_settings.DATABASES["default"]
    # PostgreSQL only, as in production: two SQLite connections to one file lock each other.
    if "replica" not in django_settings.DATABASES and primary["ENGINE"].endswith("postgresql"):
        django_settings.DATABASES["replica"] = {**primary, "OPTIONS": {**primary.get("OPTIONS", {})}}
        django_settings.DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
        django_settings.DATABASE_ROUTERS = ["vroeg.replica.ReplicaRouter"]
    # Both read the setting once; forget it if something read it before this.
    connections.__dict__.pop("settings", None)
    router.__dict__.pop("routers", None)


_a_replica_that_mirrors_the_test_database()


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def _every_database_test_may_use_the_replica(items) -> None:
    """A test that uses the database may also use 'replica' (pytest-django allows only
    'default' unless told): a report page served by the live server, or a transactional
    test's command, reads from it. In a test's own transaction nothing does."""
    if "replica" not in django_settings.DATABASES:
        return
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        databases = kwargs.get("databases")
        if databases == "__all__":
            continue
        kwargs["databases"] = [*dict.fromkeys([*(databases or ["default"]), "replica"])]
        item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` skip on SQLite, saying why; with VROEG_REQUIRE_POSTGRES=1
    (CI) they are never skipped, so a misconfigured CI cannot go green by skipping."""
    _every_database_test_may_use_the_replica(items)
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        return
    if os.environ.get("VROEG_REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("VROEG_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _close_stray_test_database_sessions(django_db_setup, django_db_blocker):
    """Threads of the live server can leave an idle PostgreSQL session behind, which
    stops the test database from being dropped. End such sessions last thing."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _queue_keys_hold(request):
    """Every writer keeps the queue's stored sort key (cases/queue_keys.py): in every
    test that uses the database the queue reads the stored key (the sweep's stamp for
    today is set first), and afterwards every open case's stored key must equal the
    one computed from its rows. A service that changes what the key is computed from
    without refreshing it fails the test that exercises it."""
    if not _uses_database(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from testkit.queue_keys import queue_keys_stale, queue_keys_stamp_today

    queue_keys_stamp_today()
    yield
    stale = queue_keys_stale()
    assert not stale, (
        f"stored queue key differs from the computed one (id, stored due, due, stored rank, rank): {stale}"
    )


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests run without `collectstatic`: serve static files from the source folders."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(code="9999", name="Voorbeeldstad", inhabitants=100_000)


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(code="0363", name="Amsterdam", inhabitants=930_000)


@pytest.fixture(scope="session")
def ddas_pki(tmp_path_factory):
    """A throw-away PKI and token issuer for the DDAS pull API (testkit/pki.py)."""
    return pki_build(tmp_path_factory.mktemp("ddas-pki"))


@pytest.fixture
def ddas_settings(settings, ddas_pki):
    """The DDAS pull API switched on, with the test PKI's files (ddas_pki.settings())."""
    for name, value in ddas_pki.settings().items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def partner(db, municipality):
    p = PartnerFactory(code="test-huur", name="Woonstichting Test")
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def make_user(db, municipality):
    """make_user("caseworker") → a user with that role in the default municipality."""

    def make(role: str | None = None, **kwargs):
        kwargs.setdefault("municipalities", [municipality])
        if role:
            kwargs[role] = True
        return UserFactory(**kwargs)

    return make


@pytest.fixture
def caseworker(make_user):
    return make_user("caseworker", username="cw")


@pytest.fixture
def teamlead(make_user):
    return make_user("teamlead", username="tl")


@pytest.fixture
def partner_user(make_user, partner):
    return make_user("partner_user", username="pu", partner=partner)


@pytest.fixture
def functional_admin(make_user):
    return make_user("functional_admin", username="fb")


@pytest.fixture
def privacy_officer(make_user):
    return make_user("privacy_officer", username="fg")


@pytest.fixture
def users(caseworker, teamlead, partner_user, functional_admin, privacy_officer):
    """Every role by its name in the role x URL matrix (testkit/url_matrix.py)."""
    return {
        "anonymous": None,
        "caseworker": caseworker,
        "teamlead": teamlead,
        "partner_user": partner_user,
        "functional_admin": functional_admin,
        "privacy_officer": privacy_officer,
    }


@pytest.fixture
def cache_down(settings):
    """The cache on Redis (as in docker-compose), and Redis unreachable: a port where
    nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with pytest.raises(Exception):  # noqa: B017  (whatever the client raises: it is down)
        caches["default"].get("x")
    yield


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real worker on the configured broker and the test database. It consumes a
    queue of its own, so a developer's running worker cannot take the test's tasks
    (nor the other way round)."""
    worker = start_worker(f"test-{uuid.uuid4().hex[:12]}", tmp_path / "worker.log")
    yield worker
    worker.stop()


@pytest.fixture
def tasks_to_test_worker(celery_worker_process):
    """Route every task the code under test queues to the test's own worker."""
    with tasks_routed_to(celery_worker_process.queue):
        yield celery_worker_process


@pytest.fixture
def page(live_server, settings, request):
    """A Playwright page in Debian's chromium; skipped (saying so) where it is missing.
    Its browser asks for Dutch unless the test says `@pytest.mark.browser_locale("en-US")`."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("VROEG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VROEG_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"browser tests need chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # The live server speaks plain HTTP; Playwright runs an event loop in this thread.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        marker = request.node.get_closest_marker("browser_locale")
        context = browser.new_context(base_url=live_server.url, locale=marker.args[0] if marker else "nl-NL")
        page = context.new_page()
        # Any console error or warning fails the test (issue 16): among them the
        # Content-Security-Policy's complaint about an inline script or style.
        watch = ConsoleWatch(page)
        yield page
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert watch.problems == [], f"the browser complained: {watch.problems}"
