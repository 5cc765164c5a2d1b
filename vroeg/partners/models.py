"""Signal partners and their kinds: reference data every layer needs (core).

The partner types (DDAS EnumSignaalpartner), the signal types of the Signaal-CSV v1
contract, which types each kind of creditor may send (Bgs art. 2-5) and the policy
lists by partner type live here, next to the Partner model, so that intake, cases,
feedback and the reports read one definition.
"""

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


# Policy by partner type (plain strings, as stored in Partner.partner_type).
# The CAK list (bestuursrechtelijke premie): not Wgs signals. No legal 4-week term but
# an effort duty with the municipality's own term (settings.CAK_TERM_DAYS), reported
# apart, and never fed back to a creditor.
CAK_PARTNER_TYPES = [PartnerType.CAK_ZORGVERZEKERINGEN.value, PartnerType.CAK_EIGEN_BIJDRAGE.value]

# Partners whose signals a resident can stop by objecting (Wgs; domain.md): landlords,
# energy and water companies. Health insurers keep sending (a legal duty).
OBJECTABLE_PARTNER_TYPES = [PartnerType.HUUR.value, PartnerType.ENERGIE.value, PartnerType.WATER.value]


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


# The DDAS EnumSignaalpartner of a signal follows from the signal's own type, the kind
# of arrears it reports (DDAS: "Energie: inzake de energierekening", "Water: inzake de
# drinkwaterrekening", ...), not from the partner that sent it: a landlord's signal of
# type `overig` is "Overige", not "Huur". Every SignalType has exactly one.
SIGNAL_TYPE_PARTNER_TYPE: dict[str, str] = {
    SignalType.HUUR: PartnerType.HUUR,
    SignalType.DRINKWATER: PartnerType.WATER,
    SignalType.ZORGVERZEKERING: PartnerType.ZORG,
    SignalType.ELEKTRA: PartnerType.ENERGIE,
    SignalType.GAS: PartnerType.ENERGIE,
    SignalType.WARMTE: PartnerType.ENERGIE,
    SignalType.HYPOTHEEK: PartnerType.HYPOTHEEK,
    SignalType.CAK_ZORGVERZEKERING: PartnerType.CAK_ZORGVERZEKERINGEN,
    SignalType.CAK_EIGEN_BIJDRAGE: PartnerType.CAK_EIGEN_BIJDRAGE,
    SignalType.DUO: PartnerType.DUO,
    SignalType.BELASTINGDIENST: PartnerType.BELASTINGDIENST,
    SignalType.DIENST_TOESLAGEN: PartnerType.DIENST_TOESLAGEN,
    SignalType.OVERIG: PartnerType.OVERIGE,
}


def ddas_partner_type(signal_type: str) -> str:
    """DDAS `signaalpartner.type` (EnumSignaalpartner) of a signal of this type."""
    return SIGNAL_TYPE_PARTNER_TYPE[signal_type].value


# One bit per partner type, so a case can record the types of its signals in an
# integer that SQL can OR together (signals/ingest.py).
PARTNER_TYPE_BITS: dict[str, int] = {value: 1 << i for i, value in enumerate(PartnerType.values)}


def partner_types_from_mask(mask: int) -> list[str]:
    return [ptype for ptype, bit in PARTNER_TYPE_BITS.items() if mask & bit]


# The Bgs gives each kind of creditor its own signal (art. 2 the landlord, art. 3 the
# health insurer, art. 4 the drinking-water company, art. 5 the energy supplier): a
# partner may send the Bgs types of its own sector only (contract, signaal_type).
SECTOR_BGS_TYPES: dict[str, list[str]] = {
    PartnerType.HUUR: [SignalType.HUUR],
    PartnerType.ZORG: [SignalType.ZORGVERZEKERING],
    PartnerType.WATER: [SignalType.DRINKWATER],
    PartnerType.ENERGIE: [SignalType.ELEKTRA, SignalType.GAS, SignalType.WARMTE],
}
BGS_SIGNAL_TYPES = [t for types in SECTOR_BGS_TYPES.values() for t in types]
# Not Bgs signals: only from a partner whose agreement lists them.
EXTRA_SIGNAL_TYPES = [t for t in SignalType.values if t not in BGS_SIGNAL_TYPES]

# What a new partner of each type may send unless its agreement says otherwise.
DEFAULT_SIGNAL_TYPES: dict[str, list[str]] = {
    **SECTOR_BGS_TYPES,
    PartnerType.CAK_ZORGVERZEKERINGEN: [SignalType.CAK_ZORGVERZEKERING],
    PartnerType.CAK_EIGEN_BIJDRAGE: [SignalType.CAK_EIGEN_BIJDRAGE],
}


def allowed_signal_types(partner_type: str, listed: list[str]) -> list[str]:
    """The types a partner may send: those its agreement lists that are either a Bgs
    type of its own sector or an extra type (a Bgs type of another sector never)."""
    sector = SECTOR_BGS_TYPES.get(partner_type, [])
    return [t for t in SignalType.values if t in listed and (t in sector or t in EXTRA_SIGNAL_TYPES)]


def signal_types_refused(partner_type: str, listed: list[str]) -> list[str]:
    """The listed types this kind of partner may not send (Bgs types of another sector)."""
    allowed = allowed_signal_types(partner_type, listed)
    return [t for t in listed if t not in allowed]


class Partner(models.Model):
    """A signal partner (vaste lasten partner) that delivers signals under an agreement."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    partner_type = models.CharField(_("DDAS partner type"), max_length=30, choices=PartnerType.choices)
    signal_types = models.JSONField(
        _("signal types"),
        default=list,
        help_text=_(
            "The signal types this partner may send: the Bgs types of its own sector "
            "(Huur: huur; Zorg: zorgverzekering; Water: drinkwater; Energie: elektra, gas, "
            "warmte) and the extra types its agreement lists."
        ),
    )
    is_health_insurer = models.BooleanField(
        _("health insurer"),
        default=False,
        help_text=_("Health insurers keep sending signals after a resident objects (legal duty)."),
    )
    lcv_member = models.BooleanField(
        _("joined the LCV"),
        default=True,
        help_text=_(
            "Partners that joined the Landelijk Convenant Vroegsignalering pause collection "
            "for 30 days when help is accepted; others get no collection pause."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        related_name="partners",
        verbose_name=_("municipalities it delivers to"),
        blank=True,
    )

    class Meta:
        # Created by the signals app before partners became reference data of the core
        # (issue 14); the table kept its name.
        db_table = "signals_partner"
        ordering = ["name"]
        verbose_name = _("signal partner")
        verbose_name_plural = _("signal partners")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        refused = signal_types_refused(self.partner_type, list(self.signal_types or []))
        if refused:
            own = ", ".join(SECTOR_BGS_TYPES.get(self.partner_type, [])) or _("none")
            raise ValidationError(
                {
                    "signal_types": _(
                        "A partner of type %(type)s may not send %(refused)s: the Bgs gives each kind of creditor "
                        "its own signal. Bgs types of this sector: %(own)s."
                    )
                    % {"type": self.partner_type, "refused": ", ".join(refused), "own": own}
                }
            )

    @property
    def allowed_signal_types(self) -> list[str]:
        return allowed_signal_types(self.partner_type, list(self.signal_types or []))
