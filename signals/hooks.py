"""Where the apps above signals take part in intake, without signals importing them
(vroeg/hooks.py; docs/adr/0012-one-way-layers.md)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from vroeg.hooks import Hook

if TYPE_CHECKING:
    from .models import Delivery


class DeliveryListener(Protocol):
    def __call__(self, *, delivery: "Delivery") -> None: ...


delivery_ingested: Hook[DeliveryListener] = Hook(
    "signals.delivery_ingested",
    "A delivery's rows were stored and matched, inside its transaction (not for a refused "
    "file): feedback tells the partners what they may hear at once (repeats, help accepted "
    "already); cases queues the first assessment once the transaction commits.",
)


class RefusalListener(Protocol):
    """Which accepted rows of the temporary table `rows` must be refused, as
    (line number, partner_referentie, Dutch reason); the engine marks and reports them."""

    def __call__(self, *, delivery: "Delivery", rows: str) -> list[tuple[int, str, str]]: ...


class MatchListener(Protocol):
    """Match the accepted rows of the temporary table `rows` (set-based SQL)."""

    def __call__(self, *, delivery: "Delivery", rows: str) -> None: ...


intake_refusals: Hook[RefusalListener] = Hook(
    "signals.intake_refusals",
    "Before repeats are marked: rows the apps above refuse (cases: the resident objected).",
)
intake_matching: Hook[MatchListener] = Hook(
    "signals.intake_matching",
    "After repeats are marked, before the signals are written: cases matches the accepted rows "
    "into households, residents and cases.",
)


@dataclass(frozen=True)
class SignalLinks:
    """SQL, over the temporary rows `t`, that links each new signal to what matching gave
    it: `joins` (LEFT JOINs), and the expressions of its resident id, its case id and
    whether that case was picked up already."""

    joins: str = ""
    resident_id: str = "NULL"
    case_id: str = "NULL"
    picked_up: str = "FALSE"


class _LinksProvider:
    """The one provider of SignalLinks (cases registers it); without one, signals are
    written unlinked."""

    def __init__(self) -> None:
        self._provide: Callable[[], SignalLinks] | None = None

    def register(self, provide: Callable[[], SignalLinks]) -> None:
        self._provide = provide

    def provider(self) -> SignalLinks:
        return self._provide() if self._provide else SignalLinks()


intake_links = _LinksProvider()


class ProfileProblemsListener(Protocol):
    """What the app above finds wrong in an import profile's fields, in Dutch."""

    def __call__(self, **fields) -> list[str]: ...


profile_problems: Hook[ProfileProblemsListener] = Hook(
    "signals.profile_problems",
    "When an import profile is checked before saving: feedback checks the way back "
    "(the feedback_* fields, the layout of the feedback file for the platform).",
)


class ProfileLinksListener(Protocol):
    """(label, url) of pages the app above offers for an import profile version."""

    def __call__(self, *, profile) -> list[tuple[str, str]]: ...


profile_links: Hook[ProfileLinksListener] = Hook(
    "signals.profile_links",
    "On a profile's admin page: feedback links to the download of the feedback file.",
)
