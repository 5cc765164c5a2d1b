from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureDay(models.Model):
    """A day declared equal to a public holiday (Atw art. 3 lid 3), e.g. the Friday
    after Ascension. These are published by decree and cannot be computed."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200, help_text=_("For example the decree that declares it."))

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.reason}"
