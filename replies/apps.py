from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepliesConfig(AppConfig):
    """The reply page for residents (issue 20): a personal code on every letter, card
    and text, and a public page where the resident answers without an account."""

    name = "replies"
    verbose_name = _("Replies")

    def ready(self) -> None:
        from cases.hooks import case_panels, case_purging
        from outreach.hooks import message_extras

        from .extras import message_extra
        from .services import replies_purge
        from .views import case_panel

        case_panels.register(case_panel)
        message_extras.register(message_extra)  # the code and QR code on letters, cards and texts
        case_purging.register(replies_purge)  # what residents typed goes with the case's data
