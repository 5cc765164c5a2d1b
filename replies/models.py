from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models import PartOfDay

# Limits of what a resident may type (the form refuses more; nothing is cut off).
PHONE_MAX = 20
NOTE_MAX = 1000


class ReplyPage(models.Model):
    """What the reply page of a municipality tells residents besides its name: how to
    reach the team directly and the municipality's own help page. Kept by a functional
    admin (Administration); without it the page gives the national Geldfit link only."""

    municipality = models.OneToOneField(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="reply_page"
    )
    team_phone = models.CharField(_("team telephone number"), max_length=30, blank=True)
    team_hours = models.CharField(
        _("when the team can be reached"),
        max_length=200,
        blank=True,
        help_text=_("For example: Monday to Friday, 9:00 to 17:00"),
    )
    help_url = models.URLField(_("the municipality's help page"), blank=True)

    class Meta:
        verbose_name = _("reply page")
        verbose_name_plural = _("reply pages")

    def __str__(self) -> str:
        return str(self.municipality)


class ReplyCode(models.Model):
    """A code printed on one letter, card or text to one addressee of one case
    (replies/codes.py: only its digest is kept). Valid while the case is open and
    until revoked."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reply_codes")
    resident = models.ForeignKey("cases.Resident", on_delete=models.CASCADE, related_name="reply_codes")
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_at"]
        verbose_name = _("reply code")
        verbose_name_plural = _("reply codes")


class ReplyChoice(models.TextChoices):
    CALL = "bel_mij", _("Call me")
    VISIT = "kom_langs", _("Come and visit me")
    APPOINTMENT = "afspraak", _("I want an appointment at the town hall")
    SELF = "zelf_geregeld", _("I have already arranged it / I do not want help")
    LETTER = "brief", _("Send me a letter")


class Reply(models.Model):
    """A resident's answer on the reply page, stored as typed (escaped on display).
    The retention purge blanks the phone number and the note with the case's other
    personal data (replies_purge, through cases.hooks.case_purging)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="replies")
    code = models.ForeignKey(ReplyCode, on_delete=models.CASCADE, related_name="replies")
    choice = models.CharField(_("answer"), max_length=20, choices=ReplyChoice.choices)
    phone = models.CharField(_("telephone number"), max_length=PHONE_MAX, blank=True)
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    language = models.CharField(max_length=2, default="nl")
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "-received_at"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
