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


class PlanAnchor(models.TextChoices):
    """What a step's day offset counts from."""

    PICKUP = "pickup", _("after pick-up")
    PREVIOUS = "previous", _("after the previous step")


class ContactPlan(models.Model):
    """A contact plan: the ordered steps by which a municipality seeks contact with the
    resident of a case it picked up (issue 19). Each municipality has one default plan
    (`is_default`, created by migration and on first use: outreach/plans.py);
    a team lead adds plans and attaches them to work trays (`TrayPlan`). Which plan a
    case follows and its next step: outreach/plans.py."""

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        related_name="contact_plans",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default plan"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality", "-is_default", "name"]
        verbose_name = _("contact plan")
        verbose_name_plural = _("contact plans")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="contactplan_unique_name"),
            models.UniqueConstraint(
                fields=["municipality"], condition=models.Q(is_default=True), name="contactplan_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ContactPlanStep(models.Model):
    """One step of a plan: a DDAS contact kind, a day offset from the pick-up or from
    the previous step, and optionally a preferred part of the day. `position` counts
    from 1 in the plan's order."""

    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=30, choices=ContactKind.choices)
    offset_days = models.PositiveSmallIntegerField(_("days"))
    offset_from = models.CharField(_("counted from"), max_length=10, choices=PlanAnchor.choices)
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("step of a contact plan")
        verbose_name_plural = _("steps of a contact plan")
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="contactplanstep_unique_position")]


class TrayPlan(models.Model):
    """The contact plan of a work tray (at most one; a plan can serve several trays).
    Kept in outreach because cases, below it, never knows plans."""

    tray = models.OneToOneField(
        "cases.WorkTray", on_delete=models.CASCADE, primary_key=True, related_name="contact_plan_link"
    )
    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="tray_links")

    class Meta:
        verbose_name = _("contact plan of a work tray")
        verbose_name_plural = _("contact plans of work trays")


class CasePlanState(models.Model):
    """Which plan a case in outreach follows now and the position of its next step, as
    the plan service last computed them (with the Case.next_step_* columns); the step
    reminders' key and the refresh of a changed plan's cases read it."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="contact_plan_state"
    )
    plan = models.ForeignKey(ContactPlan, on_delete=models.CASCADE, related_name="case_states")
    next_position = models.PositiveSmallIntegerField(null=True, blank=True)
    # The term to approach the resident the schedule kept to (plans.approach_term): the
    # hourly sweep refreshes a case whose term has moved since.
    term_on = models.DateField(null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)


class PlanStepChange(models.Model):
    """A caseworker skipped a step of the case's plan, or moved a later step forward to
    be the next one, with a reason (on the case's timeline and in the audit trail)."""

    class Action(models.TextChoices):
        SKIP = "skip", _("skipped")
        MOVE = "move", _("moved forward")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="plan_step_changes")
    plan = models.ForeignKey(ContactPlan, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    # The step's kind when it was changed: a later edit of the plan that puts another
    # kind at this position leaves the change behind (outreach/plans.py).
    kind = models.CharField(max_length=30, choices=ContactKind.choices)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = _("change to a contact plan step")
        verbose_name_plural = _("changes to contact plan steps")


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
    # The contact plan step this attempt carried out, when it did (outreach/plans.py),
    # as it stood when the attempt was recorded: for the Bereik report "per plan".
    plan = models.ForeignKey(
        ContactPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts", verbose_name=_("plan")
    )
    plan_position = models.PositiveSmallIntegerField(_("plan step"), null=True, blank=True)
    # Recorded by the resident's answer on the reply page (replies): DDAS counts it as its
    # kind (Mail); the Bereik report shows these as a channel of their own (reach.py).
    via_reply = models.BooleanField(_("reply through the reply page"), default=False)

    class Meta:
        ordering = ["case", "attempted_at"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        indexes = [
            # The attempts of a period: the report's attempts by kind and the DDAS
            # export's cases with an attempt in the month (reports/, issue 21).
            models.Index(fields=["attempted_at"], name="attempt_at_idx"),
        ]


class CallbackRequest(models.Model):
    """The resident asked to be called back (the reply page's "bel mij", replies), at a
    part of the day. While open it is the case's next step, in any open state (plans.py
    `callback_due`, services.cases_plan_refresh); the first phone attempt made after
    the request fulfils it."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="callback_requests")
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    fulfilled_by = models.ForeignKey(
        ContactAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks_fulfilled"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "requested_at", "pk"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        indexes = [
            models.Index(fields=["case"], condition=models.Q(fulfilled_at__isnull=True), name="callback_open_idx")
        ]


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
