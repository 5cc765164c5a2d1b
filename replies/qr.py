"""The QR code on a letter or card: the reply page's address with the code, drawn by
segno as inline SVG on the installation itself (no outside service)."""

import segno
from django.conf import settings
from django.urls import reverse

from .codes import code_display


def reply_url(code: str) -> str:
    """The address a resident opens: VROEG_BASE_URL + /antwoord/<code>/."""
    return settings.VROEG_BASE_URL + reverse("reply-page", args=[code_display(code)])


def reply_qr_svg(code: str) -> str:
    return segno.make(reply_url(code), error="m").svg_inline(
        scale=4, dark="#000000", light="#ffffff", title="QR-code", border=4
    )
