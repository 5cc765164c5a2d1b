"""System checks of our own, shown by `manage.py check --deploy` (only when DEBUG is off).

Each flags a development default left on in production.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

_CONSOLE_MAIL = ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")

# (id, is the default still on?, message, hint)
_PRODUCTION_DEFAULTS = [
    (
        "vroeg.W001",
        lambda: settings.VROEG_DEMO,
        "Demo mode (VROEG_DEMO) is on: demo accounts with a public password can log in.",
        "Unset VROEG_DEMO in production.",
    ),
    (
        "vroeg.W002",
        lambda: settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        "The database is the embedded SQLite default.",
        "Set DATABASE_URL=postgres://… for production.",
    ),
    (
        "vroeg.W003",
        lambda: settings.CELERY_BROKER_URL.startswith("filesystem://"),
        "Celery uses the embedded filesystem broker.",
        "Set CELERY_BROKER_URL=redis://… for production.",
    ),
    (
        "vroeg.W004",
        lambda: settings.EMAIL_BACKEND.endswith(_CONSOLE_MAIL),
        "E-mail is not sent: EMAIL_URL points at the console.",
        "Set EMAIL_URL=smtp+tls://… for production.",
    ),
    (
        "vroeg.W005",
        lambda: not settings.VROEG_REQUIRE_2FA,
        "Two-factor authentication is off (REQUIRE_2FA=false): a password alone opens residents' data.",
        "Unset REQUIRE_2FA (it is on by default) in production.",
    ),
]


@register(Tags.security, deploy=True)
def development_defaults_off_in_production(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    return [
        Warning(message, hint=hint, id=check_id)
        for check_id, still_on, message, hint in _PRODUCTION_DEFAULTS
        if still_on()
    ]
