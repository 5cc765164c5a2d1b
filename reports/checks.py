"""System checks of the reports app, shown by `manage.py check --deploy`: the DDAS
pull API switched on with an incomplete or broken configuration. Registered from
ReportsConfig.ready() (the core never imports reports)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def ddas_api_configured(app_configs, **kwargs) -> list[Warning]:
    """One warning per problem (reports.W001), only when DDAS_API_ENABLED is on."""
    if not settings.DDAS_API_ENABLED:
        return []
    # Imported here: signing loads cryptography (80 ms), which every process would pay
    # at start-up (ReportsConfig.ready() imports this module).
    from .ddas.signing import configuration_problems

    problems = list(configuration_problems())
    problems += _limits_problems()
    return [
        Warning(
            problem,
            hint="Zie docs/operators/configuration.md, DDAS-koppeling (pull API).",
            id="reports.W001",
        )
        for problem in problems
    ]


def _limits_problems() -> list[str]:
    problems = []
    rate = str(settings.DDAS_API_RATE)
    number, _, period = rate.partition("/")
    if not number.isdigit() or int(number) < 1 or period[:1] not in ("s", "m", "h", "d"):
        problems.append(
            f"DDAS_API_RATE '{rate}' is geen geldige limiet: gebruik bijvoorbeeld 60/hour (per second, minute, "
            "hour of day)."
        )
    if settings.DDAS_API_MAX_PAGE_SIZE < 1:
        problems.append("DDAS_API_MAX_PAGE_SIZE moet 1 of meer zijn (standaard 25000).")
    return problems
