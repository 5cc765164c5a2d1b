from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    """DDAS v1.2 EnumContactsoort."""

    HOME_VISIT = "Huisbezoek", "Huisbezoek"
    PHONE = "Telefoon", "Telefoon"
    SMS = "SMS/Whatsapp", "SMS/Whatsapp"
    LETTER = "Brief", "Brief"
    CARD = "Kaartje", "Kaartje"
    MAIL = "Mail", "Mail"
    APPOINTMENT = "Afspraak op locatie", "Afspraak op locatie"
    ADMINISTRATIVE = "Administratief", "Administratief"
    OTHER = "Overige", "Overige"
    UNKNOWN = "Onbekend", "Onbekend"


class PartOfDay(models.TextChoices):
    """DDAS v1.2 EnumDagdeel."""

    MORNING = "Ochtend", "Ochtend"
    AFTERNOON = "Middag", "Middag"
    EVENING = "Avond", "Avond"


def part_of_day(hour: int) -> str:
    """Before 12:00 morning, before 18:00 afternoon, else evening."""
    if hour < 12:
        return PartOfDay.MORNING
    if hour < 18:
        return PartOfDay.AFTERNOON
    return PartOfDay.EVENING


class ContactAttempt(models.Model):
    """One attempt to reach the resident (DDAS Contactpoging: soort, bereikt, datum, dagdeel)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_attempts")
    kind = models.CharField(_("kind"), max_length=30, choices=ContactKind.choices)
    reached = models.BooleanField(_("reached"))
    attempted_at = models.DateTimeField(_("when"))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "attempted_at"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")


class Note(models.Model):
    """A note on a case. Append-only: a correction is a new note."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")


class QuickFix(models.TextChoices):
    """The quick-fix checklist of the NVVK module."""

    ADMINISTRATION = "administratie", _("putting the administration in order")
    BUDGET_ADVICE = "budgetadvies", _("budget advice")
    INFORMATION = "informatie", _("information and advice")
    ALLOWANCES = "toeslagen", _("allowances and income support")
    PROTECTED_INCOME = "beslagvrije_voet", _("checking the protected income (beslagvrije voet)")
    PAYMENT_ARRANGEMENTS = "betalingsregeling", _("payment arrangements")


class CopyHow(models.TextChoices):
    IN_PERSON = "persoonlijk", _("handed over in person")
    POST = "post", _("by post")
    EMAIL = "e-mail", _("by e-mail")
    PORTAL = "portaal", _("through the municipality's portal")


class ActionPlan(models.Model):
    """Plan van Aanpak. Versioned: every change is a new version; old ones stay readable."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="action_plans")
    version = models.PositiveIntegerField()
    arrears = models.TextField(_("arrears"), blank=True)
    debts = models.TextField(_("debts"), blank=True)
    support_used = models.TextField(_("support measures used"), blank=True)
    help_involved = models.TextField(_("help already involved"), blank=True)
    self_reliance = models.TextField(_("self-reliance"), blank=True)
    actions = models.JSONField(_("agreed actions"), default=list, blank=True)
    quick_fixes = models.JSONField(_("quick fixes"), default=list, blank=True)
    handover_organisation = models.CharField(_("warm handover to"), max_length=200, blank=True)
    handover_contact = models.CharField(_("contact person"), max_length=200, blank=True)
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    three_way_talk = models.BooleanField(_("three-way talk"), default=False)
    # The resident gets a copy of the plan (Wgs art. 4 lid 1, NVVK module): when and how.
    copy_given_on = models.DateField(_("copy given to the resident on"), null=True, blank=True)
    copy_how = models.CharField(_("copy given how"), max_length=20, choices=CopyHow.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="actionplan_unique_version")]
