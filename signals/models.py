import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Partners and partner types are core reference data (vroeg/partners); intake uses
# them under their old names too.
from vroeg.partners.models import (  # noqa: F401
    BGS_SIGNAL_TYPES,
    CAK_PARTNER_TYPES,
    DEFAULT_SIGNAL_TYPES,
    EXTRA_SIGNAL_TYPES,
    OBJECTABLE_PARTNER_TYPES,
    PARTNER_TYPE_BITS,
    SECTOR_BGS_TYPES,
    SIGNAL_TYPE_PARTNER_TYPE,
    Partner,
    PartnerType,
    SignalType,
    allowed_signal_types,
    ddas_partner_type,
    partner_types_from_mask,
    signal_types_refused,
)


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


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("processed")
    REFUSED = "refused", _("refused")
    # An unexpected error (a bug, a time limit): nothing stored, the file kept for an
    # admin's retry (and removed by the retention purge), never resumed by itself.
    FAILED = "failed", _("failed")


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
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rows_read = models.PositiveIntegerField(default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    repeated_count = models.PositiveIntegerField(_("repeated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Read through an import profile (signals/profiles.py): the version used, and the
    # file it came from together with the deliveries of the other partners in it.
    profile = models.ForeignKey(
        "ImportProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("import profile"),
    )
    profile_import = models.ForeignKey(
        "ProfileImport", on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries"
    )

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
        # Local time, as every page shows it (the admin, the audit log).
        return f"{self.original_name} ({timezone.localtime(self.received_at):%d-%m-%Y %H:%M})"


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
        constraints = [models.UniqueConstraint(fields=["delivery", "line_number"], name="rejected_line_unique")]


class Signal(models.Model):
    """One signal of payment arrears (DDAS Vroegsignaal) as a partner delivered it."""

    # partner, delivery and municipality are the same for every signal of a delivery
    # and checked once by intake, so the database does not check them per row (that
    # doubled the time to commit 100,000 signals; docs/adr/0005-signal-intake.md).
    # Both are indexed through the constraints below (partner first in
    # signal_repeat_idx, delivery first in the unique reference).
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="signals",
        db_index=False,
        db_constraint=False,
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.PROTECT,
        related_name="signals",
        db_index=False,
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
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="signals",
        db_constraint=False,
        db_index=False,  # signal_muni_received_idx starts with it
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
        "cases.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
        db_constraint=False,
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
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
            models.Index(fields=["partner", "partner_referentie", "received_on"], name="signal_repeat_idx"),
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


NOT_READ = "niet inlezen"  # an import profile's mark for a source column that is never read


class FileKind(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (.xlsx)")


class DecimalSeparator(models.TextChoices):
    COMMA = ",", _("comma (1.248,68)")
    POINT = ".", _("point (1,248.68)")


class ImportProfile(models.Model):
    """How to read a file in someone else's layout (a platform's export, a partner's
    own columns) as Signaal-CSV v1 (signals/profiles.py). Versions are immutable: a
    change is saved as the next version of the same name (services.import_profile_save);
    deliveries record the version they were read with."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active profiles can be chosen for an import.")
    )
    description = models.TextField(_("description"), blank=True)
    file_kind = models.CharField(_("file kind"), max_length=4, choices=FileKind.choices, default=FileKind.CSV)
    encoding = models.CharField(
        _("encoding"),
        max_length=20,
        blank=True,
        help_text=_("CSV only, e.g. utf-8 or cp1252. Empty: UTF-8, else Windows-1252, as for Signaal-CSV v1."),
    )
    delimiter = models.CharField(_("delimiter"), max_length=1, default=";", help_text=_("CSV only."))
    sheet = models.CharField(
        _("sheet"),
        max_length=31,
        blank=True,
        help_text=_("Excel only: the name of the sheet to read. Empty: the first sheet."),
    )
    header_row = models.PositiveIntegerField(
        _("header row"), default=1, help_text=_("The line (CSV) or row (Excel) that holds the column names.")
    )
    date_format = models.CharField(
        _("date format"), max_length=20, default="%d-%m-%Y", help_text=_("As in Python, e.g. %d-%m-%Y or %Y%m%d.")
    )
    decimal_separator = models.CharField(
        _("decimal separator"), max_length=1, choices=DecimalSeparator.choices, default=DecimalSeparator.COMMA
    )
    columns = models.JSONField(
        _("columns"),
        default=dict,
        help_text=_('Every column of the file: {"source column": "Signaal-CSV v1 field" or "niet inlezen"}.'),
    )
    value_maps = models.JSONField(
        _("value maps"),
        default=dict,
        blank=True,
        help_text=_('Per field: {"signaal_type": {"Huurachterstand": "huur"}, "crisissignaal": {"J": "ja"}}.'),
    )
    constants = models.JSONField(
        _("fixed values"),
        default=dict,
        blank=True,
        help_text=_(
            'A field the file has no column for, with one value for every row: {"signaal_type": "drinkwater"}.'
        ),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed partner"),
        help_text=_("Every row belongs to this partner. Leave empty to take the partner from a column."),
    )
    partner_column = models.CharField(
        _("partner column"), max_length=200, blank=True, help_text=_("The column whose value names the partner.")
    )
    partner_values = models.JSONField(
        _("partner values"),
        default=dict,
        blank=True,
        help_text=_('{"value in the partner column": "partner code"}.'),
    )
    # The way back (ADR 0015, "The way back"): the feedback file per period in the
    # source's layout, written by feedback (feedback/platform.py, which also checks
    # these fields through signals.hooks.profile_problems). No columns: no way back.
    feedback_columns = models.JSONField(
        _("feedback file: columns"),
        default=list,
        blank=True,
        help_text=_('In order: [["column in the platform file", "feedback field"], ...]. Empty: no feedback file.'),
    )
    feedback_results = models.JSONField(
        _("feedback file: results"),
        default=dict,
        blank=True,
        help_text=_('The platform value per result: {"hulp_geaccepteerd": "HA"}. A result not listed: its code.'),
    )
    feedback_date_format = models.CharField(
        _("feedback file: date format"), max_length=20, default="%d-%m-%Y", help_text=_("As in Python.")
    )
    feedback_delimiter = models.CharField(_("feedback file: delimiter"), max_length=1, default=";")
    feedback_encoding = models.CharField(_("feedback file: encoding"), max_length=20, default="utf-8")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="import_profile_unique_version")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class ProfileImport(models.Model):
    """One file read through an import profile: one delivery per partner found in it
    (Delivery.profile_import), plus the lines no partner's delivery could take (an
    unknown partner value, a line that cannot be read), each with its reasons."""

    class Status(models.TextChoices):
        DONE = "done", _("translated")
        REFUSED = "refused", _("refused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    profile = models.ForeignKey(ImportProfile, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    via_command = models.BooleanField(_("imported by command"), default=False)
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("date of receipt"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DONE)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    # [{"line": 7, "reasons": ["..."]}]: only line numbers and reasons (data minimisation).
    rejected_lines = models.JSONField(_("lines without a partner"), default=list)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("profile import")
        verbose_name_plural = _("profile imports")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "sha256"],
                condition=~Q(status="refused"),
                name="profile_import_unique_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({timezone.localtime(self.received_at):%d-%m-%Y %H:%M})"
