"""Vroeg settings: the one place where configuration is read.

Every value comes from an environment variable with a safe default (see
docs/operators/configuration.md for the full table). Secrets have no default
outside DEBUG. Production needs no code change, only environment variables.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Writable folder for the embedded defaults (SQLite, broker queue, beat state).
VAR_DIR = Path(env.str("VROEG_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Demo mode allows the demo accounts (load_demo) to exist and log in. It follows
# DEBUG unless set explicitly; production refuses demo accounts.
VROEG_DEMO = env.bool("VROEG_DEMO", default=DEBUG)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only-for-debug")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set (at least 50 random characters) when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "vroeg.apps.VroegAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm_log",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "vroeg.apps.VroegConfig",
    "vroeg.accounts",
    "vroeg.municipalities",
    "vroeg.audit",
    "vroeg.calendar",
    "vroeg.notifications",
    "vroeg.partners",
    "signals",
    "cases",
    "outreach",
    "feedback",
    # Top layer: what composes several apps (docs/adr/0012-one-way-layers.md).
    "reports",
    "privacy",
    "demo",
    "api",
    "visits",
    "replies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's SessionMiddleware, saving an unchanged session at most once a minute
    # (the idle timeout, SESSION_COOKIE_AGE below).
    "vroeg.sessions.IdleTimeoutSessionMiddleware",
    # What a request reads more than once (the user's municipalities), read once.
    "vroeg.requestmemo.RequestMemoMiddleware",
    # Every audit entry written while a request is handled records its address.
    "vroeg.audit.middleware.AuditClientMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Deny by default: every view needs a logged-in user unless it is marked
    # with @login_not_required (login page, /healthz).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Then: users who work with residents' data must pass a second factor (TOTP).
    "vroeg.accounts.twofactor.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: refuses logins of locked-out users/addresses (django-axes).
    "axes.middleware.AxesMiddleware",
]

# --- Content-Security-Policy (django-csp) -------------------------------------
# Everything is served from this site: no inline scripts or styles, no CDN, no
# framing. SVG presentation attributes (charts) are not styles and stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Two-factor authentication (vroeg/accounts/twofactor.py) -----------------
# On by default: caseworkers, team leads, functional admins and privacy officers
# set up an authenticator app and enter its code after their password. Demo
# accounts skip it in DEBUG only. Turning it off makes check --deploy warn (W005).
VROEG_REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Vroeg"

# --- Lockout after failed logins (django-axes) --------------------------------
# After AXES_FAILURE_LIMIT failed attempts for one username, that username cannot
# log in for AXES_COOLOFF_MINUTES (also not with the right password); every failure
# is in the audit log as well. Locking by username, not by address, because a
# municipality's staff share a few outgoing addresses.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 wants the address in the lockout key too; that would lock out a whole
# office behind one NAT address after a few typing errors. Username lockout stands.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

ROOT_URLCONF = "vroeg.urls"
WSGI_APPLICATION = "vroeg.wsgi.application"
ASGI_APPLICATION = "vroeg.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "vroeg.context_processors.vroeg",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Default: SQLite under var/ (embedded, for `make run`). Production and CI set
# DATABASE_URL=postgres://user:pass@host:5432/name (psycopg 3).
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vroeg.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # The web server, worker and beat share the file: wait for locks
            # instead of failing, and let readers run beside one writer.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file (not :memory:) so a real Celery worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    if env.bool("DATABASE_POOL", default=False) or env.str("DATABASE_REPLICA_URL", default=""):
        raise ImproperlyConfigured(
            "DATABASE_POOL and DATABASE_REPLICA_URL need PostgreSQL (DATABASE_URL=postgres://…)."
        )
else:
    # Connections (docs/operators/deployment.md, "Scaling out"): persistent per process
    # (CONN_MAX_AGE) by default; DATABASE_POOL=true gives the process a psycopg pool
    # instead, for gunicorn workers with threads. Django refuses both at once.
    _pool = env.bool("DATABASE_POOL", default=False)
    if _pool and env.int("DATABASE_CONN_MAX_AGE", default=0):
        raise ImproperlyConfigured("DATABASE_POOL=true needs DATABASE_CONN_MAX_AGE=0 (or unset): a pool replaces it.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if _pool else env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler spends 100-200 ms compiling the queue's priority sort
    # (its cost estimate is large, the rows it reads are few); web queries are short.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if _pool:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
        }
    # PgBouncer in transaction mode: a server-side cursor (QuerySet.iterator()) cannot
    # outlive its transaction there.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
    # An optional read replica (vroeg/replica.py) for the reports, the DDAS export and
    # the audit search, with the primary's connection settings; never migrated. Tests
    # point it at the test database (TEST MIRROR; conftest.py adds it when unset).
    _replica_url = env.str("DATABASE_REPLICA_URL", default="")
    if _replica_url:
        _replica = env.db_url_config(_replica_url)
        if not _replica["ENGINE"].endswith("postgresql"):
            raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL.")
        _options = {k: v for k, v in DATABASES["default"]["OPTIONS"].items() if k not in _replica.get("OPTIONS", {})}
        DATABASES["replica"] = {
            **{k: v for k, v in DATABASES["default"].items() if k not in _replica},
            **_replica,
            "OPTIONS": {**_options, **_replica.get("OPTIONS", {})},
            "TEST": {"MIRROR": "default"},
        }
        DATABASE_ROUTERS = ["vroeg.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out usernames first
    "vroeg.accounts.backends.VroegModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# --- Optional single sign-on, OpenID Connect (vroeg/accounts/oidc.py) --------
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.insert(1, "vroeg.accounts.oidc.VroegOIDCBackend")
    OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
    OIDC_PROVIDER_ENFORCES_MFA = env.bool("OIDC_PROVIDER_ENFORCES_MFA", default=False)
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
    LOGIN_REDIRECT_URL_FAILURE = "/inloggen/?sso=mislukt"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after this many seconds without a request (BIO: idle timeout): the
# session middleware (vroeg/sessions.py) saves a session, and so pushes its expiry on,
# at most once a minute instead of on every request.
SESSION_ENGINE = "vroeg.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation --------------------------------------------------
# Vroeg speaks Dutch whatever the browser asks for (no LocaleMiddleware): it is a Dutch
# municipal tool. An installation may choose English for its whole UI (gettext).
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="nl")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Cache -----------------------------------------------------------------
# Shared by web and worker (delivery progress). Default: files under var/ (one
# machine); production: CACHE_URL=redis://redis:6379/1
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# --- Signal intake -----------------------------------------------------------
# A signal with the same partner and partner_referentie as one received within
# this many months, and an amount not higher, is a repeat (Signaal-CSV v1).
VROEG_REPEAT_LOOKBACK_MONTHS = env.int("SIGNAL_REPEAT_LOOKBACK_MONTHS", default=6)

# --- Cases ----------------------------------------------------------------------
# Priority weights overriding cases/priority.py DEFAULT_WEIGHTS, as JSON, e.g.
# PRIORITY_WEIGHTS='{"crisis": 60, "per_signal": 8}'
VROEG_PRIORITY_WEIGHTS = env.json("PRIORITY_WEIGHTS", default={})

# Quality check: accepted days between arrears arising and the signal, per type,
# overriding cases/assessment.py DEFAULT_ARREARS_WINDOWS, e.g. '{"huur": [30, 180]}'
VROEG_ARREARS_WINDOWS = env.json("ARREARS_WINDOWS", default={})

# BRP check (cases/brp): "none" (the caseworker checks by hand) or "haalcentraal".
VROEG_BRP_BACKEND = env.str("BRP_BACKEND", default="none")
VROEG_BRP_API_URL = env.str("BRP_API_URL", default="")
VROEG_BRP_API_KEY = env.str("BRP_API_KEY", default="")
VROEG_BRP_TIMEOUT = env.float("BRP_TIMEOUT", default=10.0)
# Uploads up to the contract's 50 MB are handled on disk, not in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The first handler stops reading an upload past 50 MB (vroeg/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "vroeg.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- E-mail ----------------------------------------------------------------
# consolemail:// prints mail (demo); production: smtp+tls://user:pass@host:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Vroeg <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where users reach Vroeg: links in e-mailed notifications start with it.
VROEG_BASE_URL = env.str("VROEG_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Retention (privacy/retention.py; reasoning in docs/operators/retention.md) --
# Months after which personal data is removed: closed cases by how they ended
# (counted from closing), signals that never joined a case (from receipt), the
# rejected lines of delivery reports, notifications and audit entries.
RETENTION_MONTHS = {
    "not_picked_up": env.int("RETENTION_NOT_PICKED_UP_MONTHS", default=12),
    "closed_without_help": env.int("RETENTION_CLOSED_WITHOUT_HELP_MONTHS", default=12),
    "closed_after_help": env.int("RETENTION_CLOSED_AFTER_HELP_MONTHS", default=24),
    "signals_without_case": env.int("RETENTION_SIGNALS_WITHOUT_CASE_MONTHS", default=12),
    "delivery_reports": env.int("RETENTION_DELIVERY_REPORTS_MONTHS", default=3),
    "notifications": env.int("RETENTION_NOTIFICATIONS_MONTHS", default=3),
    "audit": env.int("RETENTION_AUDIT_MONTHS", default=24),
}

# --- CAK list (issue 9) ------------------------------------------------------
# Residents on the CAK list (bestuursrechtelijke premie) have no legal 4-week term;
# the municipality sets its own term for its effort duty, in days from receipt.
CAK_TERM_DAYS = env.int("CAK_TERM_DAYS", default=56)

# --- DDAS export to CBS (vroeg/ddas) ------------------------------------------
# codeGegevensleverancier: the supplier's code as agreed with CBS; the organisation
# that delivers (aanleverendeOrganisatie) and its contact persons, as a JSON list of
# {"naam", "telefoonnummer", "email", "functietitel"} (at least one).
DDAS_SUPPLIER_CODE = env.str("DDAS_SUPPLIER_CODE", default="VROEG")
DDAS_ORGANISATION_NAME = env.str("DDAS_ORGANISATION_NAME", default="Gemeente Voorbeeldstad")
DDAS_ORGANISATION_KVK = env.str("DDAS_ORGANISATION_KVK", default="")
DDAS_CONTACTS = env.json(
    "DDAS_CONTACTS",
    default=[{"naam": "Team Vroegsignalering", "email": "vroegsignalering@voorbeeldstad.example"}],
)

# --- DDAS pull API for CBS (reports/ddas/; docs/adr/0016-ddas-pull-api.md) -----
# Off by default. CBS calls POST <prefix>gegevens with a bearer token of the DDAS
# authorization server and a signed body; the answer is signed with our key.
DDAS_API_ENABLED = env.bool("DDAS_API_ENABLED", default=False)
DDAS_API_PATH_PREFIX = env.str("DDAS_API_PATH_PREFIX", default="ddas/v1/")  # no leading slash
DDAS_API_TOKEN_ISSUER = env.str("DDAS_API_TOKEN_ISSUER", default="")
DDAS_API_TOKEN_AUDIENCE = env.str("DDAS_API_TOKEN_AUDIENCE", default="")
DDAS_API_TOKEN_JWKS = env.str("DDAS_API_TOKEN_JWKS", default="")  # a file path or an https URL
DDAS_API_TRUST_ANCHORS = env.str("DDAS_API_TRUST_ANCHORS", default="")  # PEM file of CA certificates
DDAS_API_CRL = env.str("DDAS_API_CRL", default="")  # optional PEM or DER CRL file
DDAS_API_OCSP = env.bool("DDAS_API_OCSP", default=False)  # ask the signer's OCSP responder too
DDAS_API_SIGNING_KEY = env.str("DDAS_API_SIGNING_KEY", default="")  # PEM file of our private key
DDAS_API_SIGNING_CHAIN = env.str("DDAS_API_SIGNING_CHAIN", default="")  # PEM file, end-entity first
DDAS_API_RATE = env.str("DDAS_API_RATE", default="60/hour")  # calls per client
DDAS_API_MAX_PAGE_SIZE = env.int("DDAS_API_MAX_PAGE_SIZE", default=25000)

# --- Feedback and reminders -------------------------------------------------
# Collection pause after help is accepted (LCV: 30 days) and the day of it on which
# the caseworker is reminded that it ends.
COLLECTION_PAUSE_DAYS = env.int("COLLECTION_PAUSE_DAYS", default=30)
COLLECTION_PAUSE_REMIND_DAY = env.int("COLLECTION_PAUSE_REMIND_DAY", default=25)
# Remind the assigned caseworker when a case's next deadline is this many days away.
DEADLINE_REMINDER_DAYS = env.int("DEADLINE_REMINDER_DAYS", default=3)

# --- Partner API (api/; docs/adr/0014-partner-api.md) -------------------------
# Django REST framework for /api/v1/ only: API keys (and, when on, OAuth2 access
# tokens) are its only authentication (no sessions, hence no CSRF), errors in Dutch,
# the OpenAPI document by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.OAuthTokenAuthentication",
        "api.authentication.ApiKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vroeg partner-API",
    "DESCRIPTION": "Signalen aanleveren, het verslag van een levering en de terugkoppeling opvragen "
    "(docs/partners/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "OAS_VERSION": "3.1.0",  # nullable as JSON Schema says it: ["string", "null"]
    # OAuth2 (token endpoint, scheme) only in the document when it is on.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.oauth_when_enabled"],
}
# Calls per API key, e.g. "120/minute" ("/second", "/hour", "/day"); 429 with
# Retry-After beyond it. Counted in the cache (CACHE_URL).
VROEG_API_RATE = env.str("API_RATE_LIMIT", default="120/minute")
# The longest an API key may be valid, in days (also its default validity).
VROEG_API_KEY_MAX_DAYS = env.int("API_KEY_MAX_DAYS", default=365)
# Feedback is served by the API once it is this old (api/selectors.feedback_page): a
# row committed late with an earlier time is then never passed over by a poll.
VROEG_API_FEEDBACK_SETTLE_SECONDS = env.int("API_FEEDBACK_SETTLE_SECONDS", default=120)
# OAuth2 client credentials beside the API keys, for an installation that prefers it
# (django-oauth-toolkit; ADR 0014). Off: the token endpoint /api/v1/oauth/token/
# answers 404, access tokens are not accepted and the portal offers no clients. DOT's
# tables exist either way. Only the client-credentials grant (BackendApplicationServer);
# client secrets hashed (PASSWORD_HASHERS), access tokens stored as a SHA-256 only
# (RFC 9700 token storage); a token lives API_OAUTH_TOKEN_SECONDS (default an hour).
VROEG_API_OAUTH_ENABLED = env.bool("API_OAUTH_ENABLED", default=False)
INSTALLED_APPS.insert(INSTALLED_APPS.index("api"), "oauth2_provider")
# DOT's own model, named so a migration can point at it (api.OAuthClient does).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "oauthlib.oauth2.BackendApplicationServer",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.PartnerOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_OAUTH_TOKEN_SECONDS", default=3600),
    "SCOPES": {"partner-api": "Aanleveren en opvragen voor de eigen organisatie"},
    "DEFAULT_SCOPES": ["partner-api"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["client_credentials"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": [],
    # RFC 9700 (OAuth 2.0 security BCP) everywhere, so `check --deploy` stays quiet.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# --- Celery ----------------------------------------------------------------
# Default: kombu's filesystem transport under var/ (needs no server).
# Production and CI: CELERY_BROKER_URL=redis://host:6379/0
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Fail fast when Redis is unreachable: the web request goes on, the outbox
    # (vroeg/outbox.py) sends the task once the broker is back.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# Three queues, so that a large delivery's first assessment never delays the next
# delivery, and neither delays a reminder or an e-mail: intake (deliveries, one at a
# time), assessment (the first assessment of new cases) and the default queue.
# docker-compose runs a worker per queue; `make run` one worker that consumes all three.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
INTAKE_QUEUE = env.str("CELERY_INTAKE_QUEUE", default="intake")
ASSESSMENT_QUEUE = env.str("CELERY_ASSESSMENT_QUEUE", default="assessment")
CELERY_TASK_ROUTES = {
    "signals.process_delivery": {"queue": INTAKE_QUEUE},
    "cases.assess_pending": {"queue": ASSESSMENT_QUEUE},
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))
CELERY_TIMEZONE = TIME_ZONE

# --- Security --------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Client IP for the audit log: only trust X-Forwarded-For from a proxy you run.
VROEG_TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
