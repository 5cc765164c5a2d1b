import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
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


class SignalStatus(models.TextChoices):
    """DDAS v1.2 EnumSignaalstatus."""

    NOT_PICKED_UP_YET = "Nog niet opgepakt", "Nog niet opgepakt"
    PICKED_UP = "Opgepakt", "Opgepakt"
    REPEATED = "Niet opgepakt: herhaalde melding", "Niet opgepakt: herhaalde melding"
    UNJUSTIFIED = "Niet opgepakt: onterecht signaal", "Niet opgepakt: onterecht signaal"
    OTHER_REASON = "Niet opgepakt: andere reden", "Niet opgepakt: andere reden"
    KNOWN_TO_DEBT_HELP = (
        "Inwoner al bekend bij schuldhulpverlening",
        "Inwoner al bekend bij schuldhulpverlening",
    )
    DECEASED = "Inwoner is overleden", "Inwoner is overleden"
    NOT_A_RESIDENT = (
        "Persoon is geen inwoner (meer) in de gemeente",
        "Persoon is geen inwoner (meer) in de gemeente",
    )


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
    partner_type = models.CharField(
        _("DDAS partner type"), max_length=30, choices=PartnerType.choices
    )
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
            raise ValidationError({"signal_types": _(
                "A partner of type %(type)s may not send %(refused)s: the Bgs gives each kind of creditor "
                "its own signal. Bgs types of this sector: %(own)s."
            ) % {"type": self.partner_type, "refused": ", ".join(refused), "own": own}})  # fmt: skip

    @property
    def allowed_signal_types(self) -> list[str]:
        return allowed_signal_types(self.partner_type, list(self.signal_types or []))


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("processed")
    REFUSED = "refused", _("refused")


class Delivery(models.Model):
    """One file a partner delivered (levering). The file is deleted after processing;
    the report (counts, rejected lines, refusal reason) is kept."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="deliveries")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the file came in through the import command."),
    )
    via_command = models.BooleanField(_("imported by command"), default=False)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(
        _("date of receipt"), help_text=_("The start of the legal 4-week term of its signals.")
    )
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows_read = models.PositiveIntegerField(default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    repeated_count = models.PositiveIntegerField(_("repeated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        permissions = [("upload_for_any_partner", _("Upload signal files on a partner's behalf"))]
        constraints = [
            # The same bytes from the same partner are stored once, even when two
            # uploads race: the database refuses the second.
            models.UniqueConstraint(
                fields=["partner", "sha256"],
                condition=~Q(status="refused"),
                name="delivery_unique_file_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.received_at:%d-%m-%Y %H:%M})"


class DeliveryFile(models.Model):
    """The uploaded bytes, only until the delivery is processed (data minimisation).

    Kept in the database so a worker on another machine can read them."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="file")
    content = models.BinaryField()


class RejectedLine(models.Model):
    """A rejected row: nothing of it is kept but its line number, reference and reasons."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="rejected_lines")
    line_number = models.PositiveIntegerField(_("line"))
    partner_referentie = models.CharField(max_length=64, blank=True)
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["delivery", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "line_number"], name="rejected_line_unique")
        ]


class Signal(models.Model):
    """One signal of payment arrears (DDAS Vroegsignaal) as a partner delivered it."""

    # partner, delivery and municipality are the same for every signal of a delivery
    # and checked once by intake, so the database does not check them per row (that
    # doubled the time to commit 100,000 signals; docs/adr/0005-signal-intake.md).
    # Both are indexed through the constraints below (partner first in
    # signal_repeat_idx, delivery first in the unique reference).
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="signals", db_index=False,
        db_constraint=False,
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.PROTECT, related_name="signals", db_index=False,
        db_constraint=False,
    )
    line_number = models.PositiveIntegerField(_("line"))
    partner_referentie = models.CharField(_("partner reference"), max_length=64)
    signal_type = models.CharField(_("signal type"), max_length=30, choices=SignalType.choices)
    crisis = models.BooleanField(_("crisis signal"), default=False)
    warm_handover = models.BooleanField(_("warm handover"), default=False)
    amount = models.DecimalField(_("arrears"), max_digits=9, decimal_places=2)
    arrears_since = models.DateField(_("arrears since"))
    signal_date = models.DateField(_("signal date"))
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("house number suffix"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    city = models.CharField(_("city"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="signals",
        db_constraint=False, db_index=False,  # signal_muni_received_idx starts with it
    )
    status = models.CharField(_("DDAS signal status"), max_length=60, choices=SignalStatus.choices)
    # Intake found it a repeat (contract "Row outcomes"): stored and fed back, never a
    # case, and never the signal a later one is judged against (only accepted ones are).
    is_repeat = models.BooleanField(_("repeat"), default=False)
    received_on = models.DateField(_("date of receipt"))
    person_key = models.CharField(max_length=240)
    # Set by intake from the rows it has just matched, under its lock. Checking these
    # per row in the database cost as much as the rest of the commit (ADR 0005);
    # Django's PROTECT still guards deletes of residents and cases.
    resident = models.ForeignKey(
        "cases.Resident", on_delete=models.PROTECT, null=True, blank=True,
        related_name="signals", db_constraint=False,
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="signals",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "partner_referentie"],
                name="signal_unique_reference_per_delivery",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partner", "partner_referentie", "received_on"], name="signal_repeat_idx"
            ),
            # Reports and the DDAS export: a municipality's signals by date of receipt.
            models.Index(fields=["municipality", "received_on"], name="signal_muni_received_idx"),
            # The caseworker's search by BSN (only signals that have one).
            models.Index(fields=["bsn"], condition=~models.Q(bsn=""), name="signal_bsn_idx"),
            # The caseworker's search by a partner's reference (any partner).
            models.Index(fields=["partner_referentie"], name="signal_reference_idx"),
            # Search by the start of a surname: on PostgreSQL an expression index on
            # UPPER(surname) text_pattern_ops, made by migration 0004 (PostgreSQL only).
        ]

    def __str__(self) -> str:
        return f"{self.partner_referentie} ({self.get_signal_type_display()})"


class ReferralKind(models.TextChoices):
    INTERNAL = "intern", _("internal referral (municipal department)")
    WARM = "warm", _("warm referral (company or institution, with consent)")
    LAA = "laa", _("address investigation (LAA) after a home visit")


class ConsentHow(models.TextChoices):
    IN_WRITING = "schriftelijk", _("in writing")
    ORALLY = "mondeling", _("orally, noted by the referrer")
    DIGITAL = "digitaal", _("digitally (e-mail, form)")


class Referral(models.Model):
    """A signal registered by hand (signals/referrals.py): who referred and, for a warm
    referral, the resident's consent. The signal itself went through intake as a
    one-row delivery of the referral's own partner (type Overige), so it was
    validated, matched and given its deadlines like every other signal."""

    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="referral")
    kind = models.CharField(_("kind of referral"), max_length=10, choices=ReferralKind.choices)
    origin = models.CharField(_("referred by"), max_length=200)
    contact = models.CharField(_("contact person"), max_length=200, blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_how = models.CharField(_("how consent was given"), max_length=20, choices=ConsentHow.choices, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="warm") | (models.Q(consent_on__isnull=False) & ~models.Q(consent_how="")),
                name="warm_referral_needs_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.origin}"
