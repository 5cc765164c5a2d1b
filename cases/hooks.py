"""Typed hooks through which the apps above cases (outreach, feedback) take part in a
case's steps, so that cases never imports them. They register from their
AppConfig.ready(); cases calls what is registered, inside the step's transaction."""

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import Case


class CloseCheck(Protocol):
    """Asked before a case closes with `outcome` (the case is locked and still in the
    state it closes from). Returns why it may not close, in Dutch, or None."""

    def __call__(self, *, case: "Case", outcome: str) -> str | None: ...


_close_checks: list[CloseCheck] = []


def register_close_check(check: CloseCheck) -> None:
    """Register once (ready() may run more than once, e.g. in tests)."""
    if check not in _close_checks:
        _close_checks.append(check)


def close_refusals(*, case: "Case", outcome: str) -> list[str]:
    """Every registered check's reason not to close, in registration order."""
    return [reason for check in _close_checks if (reason := check(case=case, outcome=outcome))]
