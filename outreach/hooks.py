"""Typed hooks through which the apps above outreach add to its letters, cards and
texts without outreach importing them (vroeg/hooks.py; docs/adr/0012-one-way-layers.md).
They register from their AppConfig.ready()."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from vroeg.hooks import Hook

if TYPE_CHECKING:
    from cases.models import Case, Resident


@dataclass(frozen=True)
class MessageExtra:
    """Extra content for one message to one addressee. `text` is plain text: a printed
    letter or card shows it in a block of its own under the text, a copied text
    (SMS/WhatsApp) ends with it. `svg` is markup drawn by the installation itself (a QR
    code), marked safe by its maker, shown beside `text` on print only."""

    text: str
    svg: str = ""


class MessageExtraProvider(Protocol):
    """Called when a caseworker opens a letter, card or text (`kind`, a key of
    outreach.messages.MESSAGES) to `resident` of `case`; `printed` is False for a text
    that is copied. Returns the extra content, or None."""

    def __call__(
        self, *, case: "Case", resident: "Resident", kind: str, printed: bool, user
    ) -> MessageExtra | None: ...


message_extras: Hook[MessageExtraProvider] = Hook(
    "outreach.message_extras",
    "Extra content for a message to an addressee (replies: the reply code, its link and QR code).",
)


def extras_for(*, case: "Case", resident: "Resident", kind: str, printed: bool, user) -> list[MessageExtra]:
    """What every registered provider adds, in registration order."""
    found = message_extras(case=case, resident=resident, kind=kind, printed=printed, user=user)
    return [extra for extra in found if extra is not None]
