"""Households, the residents in them and their cases (DDAS Vroegsignaalzaak).

Signal intake (issue 3) creates these set-based in SQL (cases/intake.py, called by
signals/ingest.py through its hooks); the
case workflow (issue 4) adds the transitions on `Case.state`.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from signals.models import partner_types_from_mask


class Household(models.Model):
    """One address in one municipality: signals of one household meet in one case.

    The key is the normalised address: postcode `1234AB`, house number and the
    suffix in upper case without spaces ('' when there is none). A different
    suffix is a different household.
    """

    # Indexed as the first column of household_unique_address.
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        related_name="households",
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
        if not self.postcode:  # anonymised by the retention purge (privacy/retention.py)
            return f"Huishouden {self.pk} (gegevens verwijderd)"
        suffix = f"-{self.house_number_suffix}" if self.house_number_suffix else ""
        return f"{self.street} {self.house_number}{suffix}, {self.postcode} {self.city}"


class Resident(models.Model):
    """A person in a household, recognised by BSN *or* by normalised surname (with
    prefix) and birth date (cases/persons.py).

    `person_key` is the key the resident was first created under: `bsn:<bsn>` when
    that signal carried a BSN, else `name:<normalised surname>|<birth date or empty>`.
    Every key a resident is known by in its household is a ResidentKey; a signal that
    carries two keys of two residents merges them into one.
    """

    # Indexed as the first column of resident_unique_person.
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents", db_index=False)
    person_key = models.CharField(max_length=240)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    prefix = models.CharField(_("surname prefix"), max_length=10, blank=True)
    surname = models.CharField(_("surname"), max_length=200)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        constraints = [models.UniqueConstraint(fields=["household", "person_key"], name="resident_unique_person")]
        # The priority's young-adult rule (cases/priority.py) asks which households have
        # a resident born in a range of dates: without it the queue read every resident.
        indexes = [models.Index(fields=["birth_date", "household"], name="resident_birth_date_idx")]

    def __str__(self) -> str:
        return " ".join(p for p in (self.initials, self.prefix, self.surname) if p)


class ResidentKey(models.Model):
    """One key a resident is known by in its household: `bsn:<bsn>` or
    `name:<normalised surname with prefix>|<birth date>`. Unique per household, so a
    key always leads to one person."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=240)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "key"], name="resident_key_unique")]


class CaseState(models.TextChoices):
    NEW = "new", _("new")
    OUTREACH = "outreach", _("picked up: seeking contact")
    CONTACT = "contact", _("in contact")
    HELP_ACCEPTED = "help_accepted", _("help accepted")
    CLOSED = "closed", _("closed")


OPEN_STATES = [CaseState.NEW, CaseState.OUTREACH, CaseState.CONTACT, CaseState.HELP_ACCEPTED]


class Outcome(models.TextChoices):
    """DDAS v1.2 EnumEindresultaat: the end result of a case (labels as in the standard)."""

    BUDGET_ADVICE = "(Budget)advies en/of quick fix", "(Budget)advies en/of quick fix"
    NO_CONTACT = "Definitief geen contact kunnen krijgen", "Definitief geen contact kunnen krijgen"
    NO_REACTION = "Geen reactie na eerder contact", "Geen reactie na eerder contact"
    KNOWN_TO_DEBT_HELP = (
        "Inwoner al bekend bij schuldhulpverlening",
        "Inwoner al bekend bij schuldhulpverlening",
    )
    OTHER_ONGOING_HELP = (
        "Inwoner heeft al een ander lopend traject",
        "Inwoner heeft al een ander lopend traject",
    )
    PAID_ALREADY = (
        "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
        "Inwoner heeft zelf al betaald/betalingsregeling getroffen",
    )
    DECEASED = "Inwoner is overleden", "Inwoner is overleden"
    DECLINED = (
        "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
        "Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
    )
    NOT_PICKED_UP_OTHER = "Niet opgepakt: andere reden", "Niet opgepakt: andere reden"
    NOT_PICKED_UP_REPEAT = "Niet opgepakt: herhaalde melding", "Niet opgepakt: herhaalde melding"
    NOT_PICKED_UP_UNJUSTIFIED = "Niet opgepakt: onterecht signaal", "Niet opgepakt: onterecht signaal"
    NOT_A_RESIDENT = (
        "Persoon is geen inwoner (meer) in de gemeente",
        "Persoon is geen inwoner (meer) in de gemeente",
    )
    FOLLOW_UP = "Vervolghulp en/of verwijzing", "Vervolghulp en/of verwijzing"
    FOLLOW_UP_FINANCIAL = (
        "Vervolghulp en/of verwijzing financieel",
        "Vervolghulp en/of verwijzing financieel",
    )
    FOLLOW_UP_NON_FINANCIAL = (
        "Vervolghulp en/of verwijzing niet financieel",
        "Vervolghulp en/of verwijzing niet financieel",
    )
    REFERRAL_WITHOUT_RESIDENT = (
        "Verwijzing zonder tussenkomst inwoner",
        "Verwijzing zonder tussenkomst inwoner",
    )


# Which end results fit the stage a case is closed from (DDAS model definitions):
# "not picked up" only before outreach; results about the resident's answer only
# after contact; the results of help only once help was accepted.
OUTCOMES_BY_STATE: dict[str, list[str]] = {
    CaseState.NEW: [
        Outcome.NOT_PICKED_UP_REPEAT,
        Outcome.NOT_PICKED_UP_UNJUSTIFIED,
        Outcome.NOT_PICKED_UP_OTHER,
        Outcome.NOT_A_RESIDENT,
        Outcome.DECEASED,
        Outcome.KNOWN_TO_DEBT_HELP,
        Outcome.REFERRAL_WITHOUT_RESIDENT,
    ],
    CaseState.OUTREACH: [
        Outcome.NO_CONTACT,
        Outcome.NOT_A_RESIDENT,
        Outcome.DECEASED,
        Outcome.KNOWN_TO_DEBT_HELP,
        Outcome.REFERRAL_WITHOUT_RESIDENT,
    ],
    CaseState.CONTACT: [
        Outcome.DECLINED,
        Outcome.PAID_ALREADY,
        Outcome.OTHER_ONGOING_HELP,
        Outcome.NO_REACTION,
        Outcome.NOT_A_RESIDENT,
    ],
    CaseState.HELP_ACCEPTED: [
        Outcome.BUDGET_ADVICE,
        Outcome.FOLLOW_UP,
        Outcome.FOLLOW_UP_FINANCIAL,
        Outcome.FOLLOW_UP_NON_FINANCIAL,
        Outcome.NO_REACTION,
    ],
}

# The results of help (DDAS: help was accepted and given): closing with one of these
# needs a Plan van Aanpak whose copy the resident got (outreach registers the check),
# and the case's collection pauses are still followed after it closed.
HELP_OUTCOMES = [
    Outcome.BUDGET_ADVICE,
    Outcome.FOLLOW_UP,
    Outcome.FOLLOW_UP_FINANCIAL,
    Outcome.FOLLOW_UP_NON_FINANCIAL,
]

# End results that are also a DDAS signal status: the case's signals get that status.
# Every other end result means the signals were picked up ("Opgepakt").
OUTCOMES_THAT_ARE_SIGNAL_STATUSES = {
    Outcome.NOT_PICKED_UP_REPEAT,
    Outcome.NOT_PICKED_UP_UNJUSTIFIED,
    Outcome.NOT_PICKED_UP_OTHER,
    Outcome.NOT_A_RESIDENT,
    Outcome.DECEASED,
    Outcome.KNOWN_TO_DEBT_HELP,
}


class OutcomeNotAllowed(Exception):
    """This end result does not fit the stage the case is in."""


# Consecutive signals (Divosa monitor): a case opened within this period after an
# earlier case of the same household.
CONSECUTIVE_LOOK_BACK = relativedelta(months=6)


class Case(ConcurrentTransitionMixin, models.Model):
    """A vroegsignaalzaak: the open work on one household's signals.

    State changes only through the transitions below, called by cases/services.py
    with the row locked; django-fsm-log records who, when, from, to and why.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases")
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="cases")
    state = FSMField(_("state"), default=CaseState.NEW, choices=CaseState.choices, protected=True)
    outcome = models.CharField(_("end result"), max_length=80, choices=Outcome.choices, blank=True)
    closed_from = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    picked_up_on = models.DateField(_("picked up on"), null=True, blank=True)  # DDAS datum_opgepakt
    first_attempt_on = models.DateField(_("first approached on"), null=True, blank=True)
    first_contact_on = models.DateField(_("first contact on"), null=True, blank=True)
    help_accepted_on = models.DateField(_("help accepted on"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("caseworker"),
    )

    # Kept up to date by signal intake, so the queue can sort and filter without joins.
    signal_count = models.PositiveIntegerField(_("signals"), default=0)
    total_amount = models.DecimalField(_("total arrears"), max_digits=12, decimal_places=2, default=0)
    has_crisis = models.BooleanField(_("crisis signal"), default=False)
    partner_type_mask = models.PositiveIntegerField(
        default=0, help_text="Bit set of the DDAS partner types of its signals (signals.PARTNER_TYPE_BITS)."
    )

    # Deadlines (cases/deadlines.py), stored so the queue can sort on them.
    first_received_on = models.DateField(_("first signal received on"), null=True, blank=True)
    contact_due = models.DateField(_("legal term (4 weeks)"), null=True, blank=True)
    lcv_target = models.DateField(_("LCV target (2 weeks)"), null=True, blank=True)
    # A partner's crisissignaal=ja is a proposal (received on this date) until the
    # municipality judges the situation threatening (Wgs art. 4 lid 2; CrisisTerm).
    crisis_proposed_on = models.DateField(_("crisis signal to judge, received on"), null=True, blank=True)
    crisis_judged_on = models.DateField(_("judged threatening on"), null=True, blank=True)
    crisis_due = models.DateField(_("crisis term (3 working days)"), null=True, blank=True)
    # CAK list only: the municipality's own term for its effort duty (no legal term).
    effort_due = models.DateField(_("own term (CAK list)"), null=True, blank=True)
    # The nearest of the DEADLINE_FIELDS (the queue's sort key), kept with them.
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    # Consecutive signals (Divosa): the household had another case opened within the
    # 6 months before this one. Fixed when intake opens the case; weighs in priority.
    follows_recent_case = models.BooleanField(_("earlier case at this address"), default=False)
    # Set by intake when signals arrive; the first assessment clears it.
    needs_assessment = models.BooleanField(default=True, db_index=True)
    # A BRP check that failed is retried later, not in the next run (cases/assessment.py):
    # the failed attempts in a row, and the earliest time of the next one. Database
    # defaults too, since intake inserts cases with SQL.
    assessment_failures = models.PositiveSmallIntegerField(default=0, db_default=0)
    assess_after = models.DateTimeField(null=True, blank=True)
    # When the retention purge removed the personal data (privacy/retention.py).
    purged_at = models.DateTimeField(_("personal data removed at"), null=True, blank=True)
    # The queue's sort key, stored so that a page of the queue is an index read
    # (cases/queue_keys.py; docs/adr/0021-stored-queue-key.md): the nearest deadline
    # still waiting for its step (deadlines.open_due_expression) and the score without
    # the rules that depend only on that deadline (priority.queue_order_rank). Written
    # ONLY with cases.queue_keys.queue_key_values (cases_queue_refresh, which every
    # writer of their inputs calls, and intake); the queue uses them only while
    # QueueKeyStamp says they hold for today and the current weights. Database
    # default too, since intake inserts cases with SQL.
    queue_due = models.DateField(null=True, blank=True, editable=False)
    queue_rank = models.IntegerField(default=0, db_default=0, editable=False)
    # Whether each deadline was met, kept when the case closes (for reports).
    contact_due_met = models.BooleanField(null=True, blank=True)
    lcv_target_met = models.BooleanField(null=True, blank=True)
    crisis_due_met = models.BooleanField(null=True, blank=True)
    # The next step of the case's contact plan while it seeks contact (state outreach),
    # stored so the queue can filter and sort on it. Written ONLY by outreach's plan
    # service (outreach/services.py:cases_plan_refresh; the rule: outreach/plans.py);
    # empty in every other state. Database defaults too, since intake inserts cases
    # with SQL.
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    next_step_kind = models.CharField(_("next step"), max_length=30, blank=True, default="", db_default="")
    next_step_part_of_day = models.CharField(
        _("next step: part of day"), max_length=10, blank=True, default="", db_default=""
    )
    # The step was pulled forward so that it falls within the term to approach the resident.
    next_step_pulled_forward = models.BooleanField(default=False, db_default=False)

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
        indexes = [
            # The queue's order (selectors.queue_for_user), for open cases only: the
            # planner reads it in deadline order and sorts each day's few by priority.
            models.Index(
                fields=["municipality", "next_due"],
                condition=Q(closed_at__isnull=True),
                name="case_open_queue_idx",
            ),
            # Crisis cases are few and often filtered on: their own small index.
            models.Index(
                fields=["municipality", "next_due"],
                condition=Q(closed_at__isnull=True, has_crisis=True),
                name="case_open_crisis_idx",
            ),
            # "Vandaag te doen" and the sort on the next step of the contact plan; the
            # home visits due in a municipality (outreach.selectors.home_visits_due).
            models.Index(
                fields=["municipality", "next_step_on"],
                condition=Q(closed_at__isnull=True, next_step_on__isnull=False),
                name="case_next_step_idx",
            ),
            models.Index(
                fields=["municipality", "next_step_kind", "next_step_on"],
                condition=Q(closed_at__isnull=True, next_step_on__isnull=False),
                name="case_next_step_kind_idx",
            ),
            # The queue's order on the stored key (selectors.queue_for_user): the first
            # page of a municipality's queue is the first rows of this index.
            models.Index(
                fields=["municipality", "queue_due", "-queue_rank", "id"],
                condition=Q(closed_at__isnull=True),
                name="case_queue_key_idx",
            ),
            # The latest of the deadlines: a deadline can still be ahead only while this
            # is; the queue's "due this week" count reads just those cases
            # (selectors.queue_counts; GREATEST skips NULLs on PostgreSQL). Not partial:
            # PostgreSQL keeps statistics on the expression only for a full index.
            models.Index(
                Greatest(*(F(f) for f in ("crisis_due", "contact_due", "effort_due"))),
                F("municipality"),
                name="case_last_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Zaak {self.pk}"

    @property
    def partner_types(self) -> list[str]:
        return partner_types_from_mask(self.partner_type_mask)

    # The deadlines a case can have; `next_due` is the nearest of them. The one list
    # behind `nearest_due` (Python), deadlines.next_due_expression (SQL: intake, closure
    # days) and the test factory; cases/tests/test_next_due.py holds them together.
    DEADLINE_FIELDS = ("crisis_due", "contact_due", "effort_due")

    @classmethod
    def nearest_due(cls, **dues: date | None) -> date | None:
        """The nearest of these deadlines (named by their field; a missing one is none),
        None when there is none."""
        if unknown := set(dues) - set(cls.DEADLINE_FIELDS):
            raise TypeError(f"not a deadline of a case: {', '.join(sorted(unknown))}")
        return min((d for d in dues.values() if d is not None), default=None)

    def refresh_next_due(self) -> None:
        self.next_due = self.nearest_due(**{f: getattr(self, f) for f in self.DEADLINE_FIELDS})

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED

    # --- transitions (call them through cases/services.py) ---------------------

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.NEW, target=CaseState.OUTREACH, permission="accounts.work_cases")
    def pick_up(self, *, on: date, by=None, description=None) -> None:
        """Picked up: the municipality will seek contact (DDAS datum_opgepakt)."""
        self.picked_up_on = on

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.OUTREACH, target=CaseState.CONTACT, permission="accounts.work_cases")
    def make_contact(self, *, on: date, by=None, description=None) -> None:
        """The resident has been reached."""
        self.first_contact_on = on

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=CaseState.CONTACT, target=CaseState.HELP_ACCEPTED, permission="accounts.work_cases")
    def accept_help(self, *, on: date, by=None, description=None) -> None:
        """The resident accepts help (partners pause collection for 30 days: issue 6)."""
        self.help_accepted_on = on

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=OPEN_STATES, target=CaseState.CLOSED, permission="accounts.work_cases")
    def close(self, *, outcome: str, at, by=None, description=None) -> None:
        """Close with exactly one DDAS end result that fits the stage."""
        if outcome not in OUTCOMES_BY_STATE[self.state]:
            raise OutcomeNotAllowed(outcome)
        self.outcome = outcome
        self.closed_from = self.state
        self.closed_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=CaseState.CLOSED, target=RETURN_VALUE(*OPEN_STATES), permission="accounts.lead_team"
    )
    def reopen(self, *, by=None, description=None) -> str:
        """A wrongly closed case goes back to the stage it was closed from."""
        previous = self.closed_from
        self.outcome = ""
        self.closed_from = ""
        self.closed_at = None
        self.contact_due_met = self.lcv_target_met = self.crisis_due_met = None
        if previous == CaseState.NEW:
            # Closing straight from 'new' with a picked-up end result set the pick-up
            # date (services.case_close); back in 'new' the case is not picked up.
            self.picked_up_on = None
        return previous


class QueueKeyStamp(models.Model):
    """For which day and which priority weights every open case's stored queue key
    (Case.queue_due, Case.queue_rank) was last brought up to date by the sweep
    (cases/queue_keys.py). One row; while it does not match today and the current
    weights, the queue computes its order instead of reading the stored key."""

    day = models.DateField()
    weights = models.CharField(max_length=64)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Wachtrijsleutels van {self.day:%d-%m-%Y}"


class FindingKind(models.TextChoices):
    BRP = "brp", _("population register (BRP)")
    DEBT_HELP = "debt_help", _("known to debt help")
    QUALITY = "quality", _("signal quality")


class Finding(models.Model):
    """What the first assessment found, with its source and time, and the end result
    it suggests. A suggestion is never applied by itself: the caseworker confirms it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    result = models.CharField(_("result"), max_length=40)
    summary = models.CharField(_("finding"), max_length=300)
    suggested_outcome = models.CharField(_("suggested end result"), max_length=80, choices=Outcome.choices, blank=True)
    source = models.CharField(_("source"), max_length=200)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the check ran automatically."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "kind", "-checked_at"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")


class DebtHelpClient(models.Model):
    """One current client of the municipality's debt help, from the register an admin
    imports (import_debt_help_register). Matched by BSN, or by name, birth date and
    address."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.CASCADE, related_name="+")
    bsn = models.CharField(max_length=9, blank=True, db_index=True)
    name_key = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=6, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("debt-help client")
        verbose_name_plural = _("debt-help register")
        indexes = [models.Index(fields=["municipality", "postcode", "house_number"], name="debthelp_address_idx")]


class Approach(models.TextChoices):
    LETTER = "letter", _("letter")
    PHONE = "phone", _("phone call")
    HOME_VISIT = "home_visit", _("home visit")
    OTHER = "other", _("other")


class CaseSource(models.TextChoices):
    """Where a case's signals came from (cases/selectors.apply_tray)."""

    PARTNER = "partner", _("signals from partners")
    REFERRAL = "verwijzing", _("referrals")
    CAK = "cak", _("CAK list")


class WorkTray(models.Model):
    """A werkbakje: a named selection of open cases with a suggested approach, set up
    by a team lead and used by caseworkers to work the queue."""

    class Deadline(models.TextChoices):
        ANY = "", _("any")
        OVERDUE = "overdue", _("overdue")
        THIS_WEEK = "week", _("due within 7 days")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="work_trays",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    approach = models.CharField(_("suggested approach"), max_length=20, choices=Approach.choices)
    approach_note = models.CharField(_("approach note"), max_length=300, blank=True)
    states = models.JSONField(_("states"), default=list, blank=True)
    partner_types = models.JSONField(_("partner types"), default=list, blank=True)
    min_signals = models.PositiveIntegerField(_("at least this many signals"), null=True, blank=True)
    min_amount = models.DecimalField(_("arrears from"), max_digits=12, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(_("arrears up to"), max_digits=12, decimal_places=2, null=True, blank=True)
    min_age_days = models.PositiveIntegerField(_("open at least (days)"), null=True, blank=True)
    max_age_days = models.PositiveIntegerField(_("open at most (days)"), null=True, blank=True)
    postcode_from = models.PositiveIntegerField(_("postcode from"), null=True, blank=True)
    postcode_to = models.PositiveIntegerField(_("postcode up to"), null=True, blank=True)
    crisis_only = models.BooleanField(_("crisis only"), default=False)
    deadline = models.CharField(_("deadline"), max_length=10, choices=Deadline.choices, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=CaseSource.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("work tray")
        verbose_name_plural = _("work trays")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="worktray_unique_name")]

    def __str__(self) -> str:
        return self.name


class ObjectionSource(models.TextChoices):
    LETTER = "brief", _("by letter")
    PHONE = "telefoon", _("by telephone")
    EMAIL = "e-mail", _("by e-mail")
    IN_PERSON = "balie", _("in person (desk or home visit)")
    PARTNER = "partner", _("through the partner")
    OTHER = "anders", _("other")


class Objection(models.Model):
    """A resident objected to signals from some kinds of partner, and/or asked not
    to be approached. Kept per person (the intake's person key: BSN, else surname +
    birth date) and municipality, so it applies to signals still to come.
    Recorded and withdrawn only through cases/objections.py."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+")
    person_key = models.CharField(max_length=240)
    # The person's keys (cases/persons.py): an objection holds for the person, matched
    # by BSN or by surname + birth date, whichever a later signal carries.
    bsn = models.CharField(max_length=9, blank=True)
    name_key = models.CharField(max_length=240, blank=True)
    resident = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="objections")
    partner_type_mask = models.PositiveIntegerField(
        default=0, help_text="Bit set of the partner types objected to (signals.PARTNER_TYPE_BITS)."
    )
    no_contact = models.BooleanField(_("does not want to be approached"), default=False)
    objected_on = models.DateField(_("objected on"))
    source = models.CharField(_("source"), max_length=20, choices=ObjectionSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [
            models.Index(
                fields=["municipality", "person_key"],
                condition=Q(withdrawn_on__isnull=True),
                name="objection_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Bezwaar {self.pk} ({self.objected_on})"

    @property
    def partner_types(self) -> list[str]:
        return partner_types_from_mask(self.partner_type_mask)


class CrisisTerm(models.Model):
    """One 3-working-day term (Wgs art. 4 lid 2): the municipality judged the situation
    threatening on `judged_on`; help and a first conversation are due by `due`. A case
    can have several (a new disconnection signal after a term passed, a threatening
    situation found after help was accepted). A withdrawn judgement keeps its row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="crisis_terms")
    judged_on = models.DateField(_("judged threatening on"))
    due = models.DateField(_("crisis term (3 working days)"))
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the first assessment judged automatically (municipality setting)."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    class Meta:
        ordering = ["case", "judged_on", "pk"]
        verbose_name = _("crisis term")
        verbose_name_plural = _("crisis terms")
        indexes = [models.Index(fields=["due"], condition=Q(withdrawn_at__isnull=True), name="crisisterm_due_idx")]

    def __str__(self) -> str:
        return f"{self.judged_on} – {self.due}"


class InvestigationState(models.TextChoices):
    OPEN = "open", _("open")
    NO_CASE = "no_case", _("closed without a case")
    CASE_OPENED = "case_opened", _("turned into a case")


class AddressInvestigation(models.Model):
    """An address-quality signal of the Landelijke Aanpak Adreskwaliteit (LAA): not a
    debt signal but a reason to visit an address. A caseworker visits, then closes it
    or turns it into a case (cases/laa.py). Reported apart from signals."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+")
    laa_reference = models.CharField(_("LAA reference"), max_length=64)
    postcode = models.CharField(_("postcode"), max_length=6)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_suffix = models.CharField(_("house number suffix"), max_length=4, blank=True)
    street = models.CharField(_("street"), max_length=200)
    city = models.CharField(_("city"), max_length=200)
    signal_date = models.DateField(_("signal date"))
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    received_on = models.DateField(_("date of receipt"))
    state = models.CharField(
        _("state"), max_length=20, choices=InvestigationState.choices, default=InvestigationState.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome_note = models.CharField(_("outcome"), max_length=500, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="investigations")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("address investigation")
        verbose_name_plural = _("address investigations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "laa_reference"], name="laa_reference_once"),
        ]
        indexes = [models.Index(fields=["municipality", "state", "received_on"], name="laa_queue_idx")]

    def __str__(self) -> str:
        suffix = f"-{self.house_number_suffix}" if self.house_number_suffix else ""
        return f"{self.street} {self.house_number}{suffix}, {self.postcode} {self.city}"
