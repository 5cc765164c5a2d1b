from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.forms import DateField

from .messages import tidy_text
from .models import ContactKind, CopyHow, PartOfDay, PlanAnchor, QuickFix


class ContactAttemptForm(forms.Form):
    kind = forms.ChoiceField(label=_("How"), choices=ContactKind.choices)
    reached = forms.TypedChoiceField(
        label=_("Resident reached?"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    date = DateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["date"].initial = now.date()
        self.fields["time"].initial = now.strftime("%H:%M")

    def attempted_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"]))


class MessageForm(forms.Form):
    """To whom a letter, card or text is addressed and, for the announcement of a home
    visit, when the visit will be (a GET form: it only fills the text)."""

    resident = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=None,
        empty_label="—",
        help_text=_("The text names only this resident's own arrears."),
    )
    visit_on = DateField(label=_("Date of the home visit"))
    visit_part = forms.ChoiceField(label=_("Part of day"), choices=[("", "—"), *PartOfDay.choices])

    def __init__(self, *args, residents, needs_visit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        if not needs_visit:
            del self.fields["visit_on"], self.fields["visit_part"]

    def clean_visit_on(self):
        visit_on = self.cleaned_data["visit_on"]
        if visit_on <= timezone.localdate():
            raise forms.ValidationError(_("Announce a home visit for a day after today."))
        return visit_on


MESSAGE_TEXT_MAX = 5000


class MessageTextForm(forms.Form):
    """The text of a letter, card or message as the caseworker adjusted it (plain
    text: pages show it escaped)."""

    text = forms.CharField(
        label=_("Text"),
        max_length=MESSAGE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Blank lines separate paragraphs."),
    )

    def __init__(self, *args, short: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if short:  # a text message: a few lines
            self.fields["text"].widget.attrs["rows"] = 5

    def clean_text(self) -> str:
        return tidy_text(self.cleaned_data["text"])


class NoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


ACTION_ROWS = 5


class ActionPlanForm(forms.Form):
    arrears = forms.CharField(label=_("Arrears"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    debts = forms.CharField(label=_("Debts"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    support_used = forms.CharField(
        label=_("Support measures used"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_involved = forms.CharField(
        label=_("Help already involved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    self_reliance = forms.CharField(label=_("Self-reliance"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    quick_fixes = forms.MultipleChoiceField(
        label=_("Quick fixes"), required=False, choices=QuickFix.choices, widget=forms.CheckboxSelectMultiple
    )
    handover_organisation = forms.CharField(label=_("Warm handover to (organisation)"), required=False, max_length=200)
    handover_contact = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    handover_date = DateField(label=_("Handover date"), required=False)
    three_way_talk = forms.BooleanField(label=_("Three-way talk (resident, worker, new helper)"), required=False)
    # The resident's copy of this version (it may be recorded in a later version).
    copy_given_on = DateField(
        label=_("Copy given to the resident on"),
        required=False,
    )
    copy_how = forms.ChoiceField(
        label=_("How the resident got the copy"), required=False, choices=[("", "—"), *CopyHow.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ACTION_ROWS):
            self.fields[f"who_{i}"] = forms.CharField(label=_("Who"), required=False, max_length=100)
            self.fields[f"what_{i}"] = forms.CharField(label=_("What"), required=False, max_length=300)
            self.fields[f"when_{i}"] = DateField(label=_("When"), required=False)

    def action_rows(self):
        return [(self[f"who_{i}"], self[f"what_{i}"], self[f"when_{i}"]) for i in range(ACTION_ROWS)]

    def clean(self):
        cleaned = super().clean()
        actions = []
        for i in range(ACTION_ROWS):
            who, what, when = (cleaned.get(f"{k}_{i}") for k in ("who", "what", "when"))
            if what:
                actions.append({"who": who or "", "what": what, "when": when.isoformat() if when else ""})
            elif who or when:
                self.add_error(f"what_{i}", _("Say what will be done."))
        cleaned["actions"] = actions
        copy_on, copy_how = cleaned.get("copy_given_on"), cleaned.get("copy_how")
        if copy_on and copy_on > timezone.localdate():
            self.add_error("copy_given_on", _("The date cannot be in the future."))
        elif copy_on and not copy_how:
            self.add_error("copy_how", _("Say how the resident got the copy."))
        elif copy_how and not copy_on and "copy_given_on" not in self.errors:
            self.add_error("copy_given_on", _("Say when the resident got the copy."))
        if not (actions or cleaned.get("quick_fixes") or cleaned.get("handover_organisation")):
            raise forms.ValidationError(_("Agree at least one action, a quick fix or a warm handover."))
        return cleaned

    def plan_data(self) -> dict:
        keys = [
            "arrears",
            "debts",
            "support_used",
            "help_involved",
            "self_reliance",
            "quick_fixes",
            "handover_organisation",
            "handover_contact",
            "handover_date",
            "three_way_talk",
            "actions",
            "copy_given_on",
            "copy_how",
        ]
        return {k: self.cleaned_data[k] for k in keys}

    @classmethod
    def initial_from(cls, plan) -> dict:
        if plan is None:
            return {}
        initial = {
            f: getattr(plan, f)
            for f in (
                "arrears",
                "debts",
                "support_used",
                "help_involved",
                "self_reliance",
                "quick_fixes",
                "handover_organisation",
                "handover_contact",
                "handover_date",
                "three_way_talk",
            )
        }
        for i, action in enumerate(plan.actions[:ACTION_ROWS]):
            initial.update(
                {f"who_{i}": action["who"], f"what_{i}": action["what"], f"when_{i}": action["when"] or None}
            )
        return initial


# --- contact plans -------------------------------------------------------------------

STEP_ROWS = 8
MAX_OFFSET_DAYS = 90
# The ways of seeking contact a plan can ask for (not "administratief", "overige", "onbekend").
PLAN_KINDS = [
    ContactKind.PHONE,
    ContactKind.HOME_VISIT,
    ContactKind.SMS,
    ContactKind.LETTER,
    ContactKind.CARD,
    ContactKind.MAIL,
    ContactKind.APPOINTMENT,
]


class ContactPlanForm(forms.Form):
    """A team lead's contact plan: name, description, its steps (one row each, in order;
    an empty row is no step) and the work trays it is the plan of."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For whom the plan is meant and why, for the caseworkers."),
    )
    trays = forms.ModelMultipleChoiceField(
        label=_("Work trays that follow this plan"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cases in one of these work trays follow this plan; other cases follow the default plan. "
            "A work tray has one plan: ticking it here takes it from its other plan."
        ),
    )

    def __init__(self, *args, municipalities, trays, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is not None:
            del self.fields["municipality"]
            trays = trays.filter(municipality_id=plan.municipality_id)
        else:
            self.fields["municipality"].queryset = municipalities
        self.fields["trays"].queryset = trays.select_related("municipality").order_by("name", "pk")
        if plan is None and len(municipalities) > 1:
            self.fields["trays"].label_from_instance = lambda t: f"{t.name} ({t.municipality.name})"
        for i in range(STEP_ROWS):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Kind of contact"),
                required=False,
                choices=[("", "—"), *((k.value, k.label) for k in PLAN_KINDS)],
            )
            self.fields[f"days_{i}"] = forms.IntegerField(
                label=_("Days"), required=False, min_value=0, max_value=MAX_OFFSET_DAYS
            )
            self.fields[f"from_{i}"] = forms.ChoiceField(
                label=_("Counted from"), required=False, choices=PlanAnchor.choices, initial=PlanAnchor.PREVIOUS
            )
            self.fields[f"part_{i}"] = forms.ChoiceField(
                label=_("Part of day"), required=False, choices=[("", _("any")), *PartOfDay.choices]
            )

    def step_rows(self):
        return [(self[f"kind_{i}"], self[f"days_{i}"], self[f"from_{i}"], self[f"part_{i}"]) for i in range(STEP_ROWS)]

    def clean(self):
        cleaned = super().clean()
        steps = []
        for i in range(STEP_ROWS):
            kind, days = cleaned.get(f"kind_{i}"), cleaned.get(f"days_{i}")
            if not kind:
                if days is not None:
                    self.add_error(f"kind_{i}", _("Choose the kind of contact of this step."))
                continue
            if days is None:
                if f"days_{i}" not in self.errors:
                    self.add_error(f"days_{i}", _("Say after how many days (0: the same day)."))
                continue
            anchor = PlanAnchor.PICKUP if not steps else cleaned.get(f"from_{i}") or PlanAnchor.PREVIOUS
            steps.append(
                {"kind": kind, "offset_days": days, "offset_from": anchor, "part_of_day": cleaned.get(f"part_{i}", "")}
            )
        if not steps and not self.errors:
            raise forms.ValidationError(_("Give the plan at least one step."))
        municipality = self.plan.municipality if self.plan else cleaned.get("municipality")
        if municipality is not None and any(t.municipality_id != municipality.pk for t in cleaned.get("trays") or []):
            self.add_error("trays", _("Choose work trays of the plan's own municipality."))
        cleaned["steps"] = steps
        return cleaned

    @classmethod
    def initial_from(cls, plan) -> dict:
        if plan is None:
            return {}
        initial = {
            "name": plan.name,
            "description": plan.description,
            "trays": [t.tray_id for t in plan.tray_links.all()],
        }
        for i, step in enumerate(plan.steps.all()[:STEP_ROWS]):
            initial.update(
                {
                    f"kind_{i}": step.kind,
                    f"days_{i}": step.offset_days,
                    f"from_{i}": step.offset_from,
                    f"part_{i}": step.part_of_day,
                }
            )
        return initial


class PlanStepChangeForm(forms.Form):
    """Skip a step still to do of the case's plan, or move a later one forward (the
    button pressed says which), with a reason."""

    # Any step number: the service refuses, saying why, a step no longer to do (a stale page).
    position = forms.IntegerField(label=_("Step"), min_value=1, widget=forms.Select)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        help_text=_("Shown on the timeline, for example: no phone number known."),
    )
    action = forms.ChoiceField(choices=[("skip", _("Skip step")), ("move", _("Do this step next"))])

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].widget.choices = [
            (s.step.position, f"{s.step.position}. {s.step.kind} ({s.on:%d-%m-%Y})") for s in steps
        ]
