"""Feedback to partners (terugkoppeling) and the collection pause (incassopauze).

What a partner may learn about a signal follows the AP guidance and the DDAS rules
(docs/adr/0007-feedback-to-partners.md): feedback.rules decides; feedback.services
writes; these models hold only what the partner may see, never the reason a case
was not picked up nor anything about the resident.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackResult(models.TextChoices):
    HELP_ACCEPTED = "hulp_geaccepteerd", _("Help accepted")
    REPEATED = "herhaalde_melding", _("Not picked up: repeated signal")
    UNJUSTIFIED = "onterecht_signaal", _("Not picked up: unjustified signal")
    NOT_A_RESIDENT = "geen_inwoner", _("Not a resident (any more) of the municipality")
    DECEASED = "overleden", _("Resident has died")
    NOT_PICKED_UP = "niet_opgepakt", _("Not picked up")
    CLOSED_WITH_CONSENT = "afgesloten_met_toestemming", _("Closed; the resident agreed to this feedback")


class Feedback(models.Model):
    """One message to a partner about one of its signals. Append-only: what was
    told cannot be untold; a second result for the same signal is a new row."""

    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.PROTECT,
        related_name="feedback",
        db_constraint=False,
        db_index=False,  # the unique constraint below starts with it
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="feedback", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="feedback", null=True, blank=True)
    result = models.CharField(_("result"), max_length=30, choices=FeedbackResult.choices)
    # Only with the resident's consent: the case's end result (DDAS label).
    detail = models.CharField(_("detail"), max_length=120, blank=True)
    pause_ends_on = models.DateField(_("collection pause until"), null=True, blank=True)
    given_at = models.DateTimeField(_("fed back at"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["signal", "result"], name="feedback_once_per_signal_result"),
        ]
        indexes = [models.Index(fields=["partner", "-given_at"], name="feedback_partner_idx")]

    def __str__(self) -> str:
        return f"{self.get_result_display()} ({self.given_at:%Y-%m-%d})"


class CollectionPause(models.Model):
    """A partner pauses collection for a household after help is accepted (LCV:
    30 days), so the debt stays calm during the handover."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="collection_pauses")
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, related_name="collection_pauses")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    # The caseworker made a payment arrangement or contacted the partner after it ended.
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_note = models.CharField(_("follow-up"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("collection pause")
        verbose_name_plural = _("collection pauses")
        constraints = [
            models.UniqueConstraint(fields=["case", "partner", "starts_on"], name="pause_once_per_case_partner"),
        ]
        indexes = [
            models.Index(fields=["ends_on"], condition=models.Q(followed_up_at__isnull=True), name="pause_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.starts_on}–{self.ends_on}"


class FeedbackConsent(models.Model):
    """The resident agreed that partners may hear how the case ended, also when help
    was declined or the resident was not reached (otherwise they hear nothing)."""

    class How(models.TextChoices):
        IN_WRITING = "schriftelijk", _("in writing")
        ORALLY = "mondeling", _("orally (noted in the case)")
        DIGITAL = "digitaal", _("digitally (e-mail, form)")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="feedback_consent")
    given_on = models.DateField(_("consent given on"))
    how = models.CharField(_("how"), max_length=20, choices=How.choices)
    # AP: when a partner hears an end result on the strength of this consent, the
    # resident is told so (date recorded when the feedback is given).
    resident_told_on = models.DateField(_("resident told of the feedback on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to feedback")
        verbose_name_plural = _("consents to feedback")

    def __str__(self) -> str:
        return f"{self.case} {self.given_on}"
