from django import forms
from django.utils.translation import gettext_lazy as _

from signals.models import OBJECTABLE_PARTNER_TYPES, PartnerType
from vroeg.forms import DateField, IdsField

from .models import (
    OUTCOMES_BY_STATE,
    CaseSource,
    CaseState,
    ObjectionSource,
    Outcome,
    WorkTray,
)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("End result"))
    reason = forms.CharField(
        label=_("Explanation (for the municipality only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, state: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = OUTCOMES_BY_STATE.get(state, [])
        self.fields["outcome"].choices = [("", "—")] + [(o, Outcome(o).label) for o in allowed]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for reopening"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class WorkTrayForm(forms.ModelForm):
    states = forms.MultipleChoiceField(
        label=_("States"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(s.value, s.label) for s in CaseState if s != CaseState.CLOSED],
    )
    partner_types = forms.MultipleChoiceField(
        label=_("Partner types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=PartnerType.choices,
    )

    class Meta:
        model = WorkTray
        fields = [
            "municipality",
            "name",
            "approach",
            "approach_note",
            "states",
            "partner_types",
            "min_signals",
            "min_amount",
            "max_amount",
            "min_age_days",
            "max_age_days",
            "postcode_from",
            "postcode_to",
            "crisis_only",
            "deadline",
            "source",
        ]

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def clean(self):
        cleaned = super().clean()
        for low, high in (
            ("min_amount", "max_amount"),
            ("min_age_days", "max_age_days"),
            ("postcode_from", "postcode_to"),
        ):
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(high, _("This must not be lower than the lower bound."))
        for field in ("postcode_from", "postcode_to"):
            value = cleaned.get(field)
            if value is not None and not 1000 <= value <= 9999:
                self.add_error(field, _("A postcode area has four digits, 1000–9999."))
        return cleaned


class AssignForm(forms.Form):
    """Whom to assign cases to: one of `caseworkers`, or explicitly nobody. The choice
    starts at a caseworker, never at nobody (issue 16): the case's own caseworker
    (`current`), else the user when they are one of `caseworkers`, else the first."""

    NOBODY = "niemand"

    assignee = forms.ChoiceField(label=_("Assign to"))
    cases = IdsField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, caseworkers, cases, user=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.caseworkers = {str(u.pk): u for u in caseworkers}
        self.fields["assignee"].choices = [
            *((pk, u.get_full_name() or u.get_username()) for pk, u in self.caseworkers.items()),
            (self.NOBODY, _("nobody (remove the assignment)")),
        ]
        preferred = [str(u.pk) for u in (current, user) if u is not None and str(u.pk) in self.caseworkers]
        self.fields["assignee"].initial = next(iter(preferred + list(self.caseworkers)), self.NOBODY)
        if cases is not None:
            self.fields["cases"].queryset = cases

    def clean_assignee(self):
        """The chosen caseworker, or None for nobody."""
        value = self.cleaned_data["assignee"]
        return None if value == self.NOBODY else self.caseworkers[value]


NEXT_STEP_SORT = "stap"


class QueueFilterForm(forms.Form):
    """Filters and search on the queue (GET; every field optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, postcode and house number (1234AB 12), BSN or partner reference"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("all"))] + [(s.value, s.label) for s in CaseState if s != CaseState.CLOSED],
    )
    partner_type = forms.ChoiceField(
        label=_("Partner type"), required=False, choices=[("", _("all"))] + list(PartnerType.choices)
    )
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=WorkTray.Deadline.choices)
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("all")), *CaseSource.choices])
    crisis = forms.BooleanField(label=_("Crisis only"), required=False)
    unassigned = forms.BooleanField(label=_("Not assigned only"), required=False)
    postcode_from = forms.IntegerField(label=_("Postcode from"), required=False, min_value=1000, max_value=9999)
    postcode_to = forms.IntegerField(label=_("Postcode up to"), required=False, min_value=1000, max_value=9999)
    # The next step of the contact plan (Case.next_step_on): due today or earlier.
    today = forms.BooleanField(label=_("To do today"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("nearest deadline")), (NEXT_STEP_SORT, _("next step of the contact plan"))],
    )


class ObjectionForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None, empty_label=None)
    partner_types = forms.MultipleChoiceField(
        label=_("No more signals from"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(t, PartnerType(t).label) for t in OBJECTABLE_PARTNER_TYPES],
        help_text=_("Health insurers keep sending signals: that is their legal duty."),
    )
    no_contact = forms.BooleanField(label=_("Does not want to be approached"), required=False)
    objected_on = DateField(label=_("Date of the objection"))
    source = forms.ChoiceField(label=_("Source of the objection"), choices=ObjectionSource.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents


class CrisisJudgementForm(forms.Form):
    """A caseworker's judgement 'threatening' (cases/crisis.py checks the date)."""

    judged_on = DateField(label=_("Judged threatening on"), required=False)
    reason = forms.CharField(label=_("Explanation"), required=False, max_length=300)


class CrisisReasonForm(forms.Form):
    """Why a crisis signal is not threatening, or why a judgement is withdrawn (the
    services refuse an empty reason, in Dutch)."""

    reason = forms.CharField(required=False, max_length=300)
