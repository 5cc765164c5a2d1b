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
