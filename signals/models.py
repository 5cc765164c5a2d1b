from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerType(models.TextChoices):
    """DDAS v1.2 EnumSignaalpartner."""

    BELASTINGDIENST = "Belastingdienst", "Belastingdienst"
    CAK_EIGEN_BIJDRAGE = "CAK Eigen bijdrage", "CAK Eigen bijdrage"
    CAK_ZORGVERZEKERINGEN = "CAK Zorgverzekeringen", "CAK Zorgverzekeringen"
    DIENST_TOESLAGEN = "Dienst Toeslagen", "Dienst Toeslagen"
    DUO = "DUO", "DUO"
    ENERGIE = "Energie", "Energie"
    HUUR = "Huur", "Huur"
    HYPOTHEEK = "Hypotheek", "Hypotheek"
    OVERIGE = "Overige", "Overige"
    WATER = "Water", "Water"
    ZORG = "Zorg", "Zorg"


class SignalType(models.TextChoices):
    """signaal_type of the Signaal-CSV v1 contract: the six Bgs signals, then the extras."""

    HUUR = "huur", _("rent")
    DRINKWATER = "drinkwater", _("drinking water")
    ZORGVERZEKERING = "zorgverzekering", _("health insurance")
    ELEKTRA = "elektra", _("electricity")
    GAS = "gas", _("gas")
    WARMTE = "warmte", _("heat")
    HYPOTHEEK = "hypotheek", _("mortgage")
    CAK_ZORGVERZEKERING = "cak_zorgverzekering", _("CAK health insurance premium")
    CAK_EIGEN_BIJDRAGE = "cak_eigen_bijdrage", _("CAK personal contribution")
    DUO = "duo", _("DUO")
    BELASTINGDIENST = "belastingdienst", _("tax authority")
    DIENST_TOESLAGEN = "dienst_toeslagen", _("benefits agency")
    OVERIG = "overig", _("other")


# The Bgs signal types a partner of each sector may send without extra agreement.
DEFAULT_SIGNAL_TYPES: dict[str, list[str]] = {
    PartnerType.HUUR: [SignalType.HUUR],
    PartnerType.WATER: [SignalType.DRINKWATER],
    PartnerType.ZORG: [SignalType.ZORGVERZEKERING],
    PartnerType.ENERGIE: [SignalType.ELEKTRA, SignalType.GAS, SignalType.WARMTE],
}


class Partner(models.Model):
    """A signal partner (vaste lasten partner) that delivers signals under an agreement."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    partner_type = models.CharField(
        _("DDAS partner type"), max_length=30, choices=PartnerType.choices
    )
    signal_types = models.JSONField(
        _("allowed signal types"),
        default=list,
        help_text=_("The signal types its agreement allows (Signaal-CSV v1 signaal_type values)."),
    )
    is_health_insurer = models.BooleanField(
        _("health insurer"),
        default=False,
        help_text=_("Health insurers keep sending signals after a resident objects (legal duty)."),
    )
    active = models.BooleanField(_("active"), default=True)
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        related_name="partners",
        verbose_name=_("municipalities it delivers to"),
        blank=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("signal partner")
        verbose_name_plural = _("signal partners")

    def __str__(self) -> str:
        return self.name
