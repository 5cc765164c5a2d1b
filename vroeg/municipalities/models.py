from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

cbs_code_validator = RegexValidator(r"^\d{4}$", _("A CBS municipality code has exactly four digits, for example 0363."))


class Municipality(models.Model):
    """A municipality this installation serves (DDAS levering.gemeentecode)."""

    code = models.CharField(_("CBS municipality code"), max_length=4, unique=True, validators=[cbs_code_validator])
    name = models.CharField(_("name"), max_length=200)
    inhabitants = models.PositiveIntegerField(
        _("inhabitants"),
        validators=[MinValueValidator(1)],
        help_text=_("Used for the figures per 1,000 inhabitants."),
    )
    active = models.BooleanField(_("active"), default=True)
    min_signal_amount = models.DecimalField(
        _("minimum arrears of a signal"),
        max_digits=9,
        decimal_places=2,
        default=75,
        help_text=_("Signals below this amount are flagged in the first assessment."),
    )
    crisis_auto_judgement = models.BooleanField(
        _("judge crisis signals threatening automatically"),
        default=False,
        help_text=_(
            "Off: a partner's crisis signal is a proposal a caseworker confirms (Wgs art. 4 "
            "lid 2: the municipality judges). On: the first assessment judges it threatening "
            "on the day it runs."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
