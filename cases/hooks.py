"""Typed hooks through which the apps above cases (outreach, feedback) take part in a
case's steps and page, so that cases never imports them (vroeg/hooks.py;
docs/adr/0012-one-way-layers.md). They register from their AppConfig.ready(); cases
calls what is registered, inside the step's transaction."""

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from vroeg.hooks import Hook

if TYPE_CHECKING:
    from .models import Case


class CloseCheck(Protocol):
    """Asked before a case closes with `outcome` (the case is locked and still in the
    state it closes from). Returns why it may not close, in Dutch, or None."""

    def __call__(self, *, case: "Case", outcome: str) -> str | None: ...


class HelpAcceptedListener(Protocol):
    def __call__(self, *, case: "Case", accepted_on: date) -> Any: ...


class CaseClosedListener(Protocol):
    def __call__(self, *, case: "Case", outcome: str) -> Any: ...


class StateChangedListener(Protocol):
    """The case (saved, still locked) changed state from `before`."""

    def __call__(self, *, case: "Case", before: str) -> Any: ...


class TrayChangedListener(Protocol):
    """A work tray of `municipality_id` was saved or deleted."""

    def __call__(self, *, tray_id: int, municipality_id: int) -> Any: ...


class CasePurgingListener(Protocol):
    """The retention purge removes the personal data of these closed cases (locked)."""

    def __call__(self, *, case_ids: list[int]) -> Any: ...


class CasePanel(Protocol):
    """Adds what an upper app shows on the case page to its template context. `reads`:
    what the page read already (cases.timeline.case_reads), to use instead of reading
    it again."""

    def __call__(self, *, case: "Case", user, request, reads: dict[str, list]) -> dict[str, Any]: ...


close_check: Hook[CloseCheck] = Hook(
    "cases.close_check", "Before a case closes: what an upper app requires first (outreach: a Plan van Aanpak)."
)
help_accepted: Hook[HelpAcceptedListener] = Hook(
    "cases.help_accepted", "The resident accepted help, in the step's transaction (feedback: tell the partners)."
)
case_closed: Hook[CaseClosedListener] = Hook(
    "cases.case_closed", "A case closed with an end result, in the step's transaction (feedback: what partners hear)."
)
state_changed: Hook[StateChangedListener] = Hook(
    "cases.state_changed",
    "A case changed state (every step), in the step's transaction (outreach: the next step of its contact plan).",
)
tray_changed: Hook[TrayChangedListener] = Hook(
    "cases.tray_changed",
    "A work tray was saved or deleted, in the transaction (outreach: which cases follow the tray's contact plan).",
)
case_purging: Hook[CasePurgingListener] = Hook(
    "cases.case_purging",
    "The retention purge removes closed cases' personal data, in its transaction (replies: what residents typed).",
)
case_panels: Hook[CasePanel] = Hook(
    "cases.case_panels", "The case page's context from the apps above cases (outreach, feedback)."
)


def close_refusals(*, case: "Case", outcome: str) -> list[str]:
    """Every registered check's reason not to close, in registration order."""
    return [reason for reason in close_check(case=case, outcome=outcome) if reason]
