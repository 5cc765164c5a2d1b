"""System checks of our own, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_off_in_production(app_configs, **kwargs):
    if settings.VROEG_DEMO and not settings.DEBUG:
        return [
            Warning(
                "Demo mode (VROEG_DEMO) is on: demo accounts with a public password can log in.",
                hint="Unset VROEG_DEMO in production.",
                id="vroeg.W001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def database_is_not_sqlite_in_production(app_configs, **kwargs):
    if not settings.DEBUG and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [
            Warning(
                "The database is the embedded SQLite default.",
                hint="Set DATABASE_URL=postgres://… for production.",
                id="vroeg.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def no_embedded_broker_or_console_mail_in_production(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    warnings = []
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        warnings.append(
            Warning(
                "Celery uses the embedded filesystem broker.",
                hint="Set CELERY_BROKER_URL=redis://… for production.",
                id="vroeg.W003",
            )
        )
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        warnings.append(
            Warning(
                "E-mail is not sent: EMAIL_URL points at the console.",
                hint="Set EMAIL_URL=smtp+tls://… for production.",
                id="vroeg.W004",
            )
        )
    return warnings
