"""Households, the residents in them and their cases (DDAS Vroegsignaalzaak).

Signal intake (issue 3) creates these set-based in SQL (signals/ingest.py); the
case workflow (issue 4) adds the transitions on `Case.state`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField


class Household(models.Model):
    """One address in one municipality: signals of one household meet in one case.

    The key is the normalised address: postcode `1234AB`, house number and the
    suffix in upper case without spaces ('' when there is none). A different
    suffix is a different household.
    """

    # Indexed as the first column of household_unique_address.
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="households",
        db_index=False,
    )
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("house number suffix"), max_length=4, blank=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("city"), max_length=200)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "postcode", "house_number", "house_number_suffix"],
                name="household_unique_address",
            )
        ]

    def __str__(self) -> str:
        suffix = f"-{self.house_number_suffix}" if self.house_number_suffix else ""
        return f"{self.street} {self.house_number}{suffix}, {self.postcode} {self.city}"


class Resident(models.Model):
    """A person in a household, recognised by BSN or else by surname and birth date.

    `person_key` is `bsn:<bsn>` when the signal carried a BSN, else
    `name:<normalised surname>|<birth date or empty>`.
    """

    # Indexed as the first column of resident_unique_person.
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="residents", db_index=False
    )
    person_key = models.CharField(max_length=240)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [
            models.UniqueConstraint(fields=["household", "person_key"], name="resident_unique_person")
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.initials, self.prefix, self.surname) if p)


class CaseState(models.TextChoices):
    NEW = "new", _("new")


class Case(models.Model):
    """A vroegsignaalzaak: the open work on one household's signals."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases")
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="cases"
    )
    state = FSMField(_("state"), default=CaseState.NEW, choices=CaseState.choices, protected=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Kept up to date by signal intake, so the queue can sort and filter without joins.
    signal_count = models.PositiveIntegerField(_("signals"), default=0)
    total_amount = models.DecimalField(_("total arrears"), max_digits=12, decimal_places=2, default=0)
    has_crisis = models.BooleanField(_("crisis signal"), default=False)
    partner_type_mask = models.PositiveIntegerField(
        default=0, help_text="Bit set of the DDAS partner types of its signals (signals.PARTNER_TYPE_BITS)."
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(closed_at__isnull=True),
                name="case_one_open_per_household",
            )
        ]

    def __str__(self) -> str:
        return f"Zaak {self.pk}"

    @property
    def partner_types(self) -> list[str]:
        from signals.models import partner_types_from_mask

        return partner_types_from_mask(self.partner_type_mask)
