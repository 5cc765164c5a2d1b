"""The reply code on a letter, card or text (registered in outreach.hooks.message_extras):
each message opened to print or copy gets a new code for its addressee (only the
code's digest is kept, so a reprint prints a new one; replies/codes.py)."""

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from cases.models import OPEN_STATES
from outreach.hooks import MessageExtra

from .codes import code_display
from .qr import reply_qr_svg, reply_url
from .services import reply_code_issue


def message_extra(*, case, resident, kind: str, printed: bool, user) -> MessageExtra | None:
    if case.state not in OPEN_STATES:
        return None
    code = reply_code_issue(case=case, resident=resident, user=user)
    if not printed:
        return MessageExtra(text=f"U kunt ook reageren via {reply_url(code)}")
    start = settings.VROEG_BASE_URL + reverse("reply-start")
    text = (
        "Reageren kan ook snel via internet, zonder in te loggen. Scan de QR-code met uw telefoon, "
        f"of ga naar {start} en vul uw code in:\n{code_display(code)}"
    )
    return MessageExtra(text=text, svg=mark_safe(reply_qr_svg(code)))  # noqa: S308  (segno's own SVG)
