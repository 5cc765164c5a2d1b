from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import PartOfDay
from vroeg.accounts.selectors import caseworkers_for_user
from vroeg.municipalities.selectors import municipalities_for_user

from .models import OUTCOMES, RoundScope, VisitStatus
from .route import AreaError, parse_area
from .selectors import round_walkers
from .services import MAX_VISITS, PLAN_DAYS_BACK


class RoundPlanForm(forms.Form):
    """What a round is planned for: the day and part of day, who walks it (a team lead
    chooses; a caseworker walks their own), which cases, the area and the cap. A GET
    with these shows the proposal; the POST that saves sends them again with the
    visits kept (`cases`)."""

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    part_of_day = forms.ChoiceField(label=_("Part of day"), choices=PartOfDay.choices, initial=PartOfDay.AFTERNOON)
    caseworker = forms.ModelChoiceField(label=_("Who makes the visits"), queryset=None, empty_label=None)
    scope = forms.ChoiceField(label=_("From which cases"), choices=RoundScope.choices, initial=RoundScope.MINE)
    area = forms.CharField(
        label=_("Area"),
        required=False,
        max_length=200,
        help_text=_(
            "Postcodes by their four digits: a range such as 3581-3584, or a list such as 3581, 3583. "
            "Leave empty for the whole municipality."
        ),
    )
    cap = forms.IntegerField(
        label=_("At most this many visits"), min_value=1, max_value=MAX_VISITS, initial=12, widget=forms.NumberInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        municipalities = municipalities_for_user(user=user)
        self.fields["municipality"].queryset = municipalities
        # One municipality (the usual case): nothing to choose.
        self.only_municipality = municipalities.first() if municipalities.count() == 1 else None
        if self.only_municipality is not None:
            del self.fields["municipality"]
        self.lead = user.has_perm("accounts.lead_team")
        if self.lead:
            self.fields["caseworker"].queryset = caseworkers_for_user(user=user)
            self.fields["caseworker"].initial = user.pk
            self.fields["caseworker"].required = False  # not given: the team lead walks
            self.fields["caseworker"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        else:
            del self.fields["caseworker"]
            self.fields["scope"].choices = [
                (RoundScope.MINE, _("my cases")),
                (RoundScope.MINE_AND_UNASSIGNED, _("my cases and cases assigned to nobody")),
            ]
        if self.lead:
            self.fields["scope"].choices = [
                (RoundScope.MINE, _("cases assigned to who makes the visits")),
                (RoundScope.MINE_AND_UNASSIGNED, _("cases assigned to who makes the visits or to nobody")),
                (RoundScope.TEAM, _("all cases of the team")),
            ]
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate() - timedelta(days=PLAN_DAYS_BACK):
            raise forms.ValidationError(
                _("Choose today, a later day, or a day of the last %(days)s days (to record a round afterwards)."),
                params={"days": PLAN_DAYS_BACK},
            )
        return day

    def clean_area(self):
        try:
            return parse_area(self.cleaned_data["area"])
        except AreaError as error:
            if error.reversed_range:
                raise forms.ValidationError(
                    _("In “%(part)s” the first postcode is higher than the last. Write the range low to high."),
                    params={"part": error.part},
                ) from None
            raise forms.ValidationError(
                _("“%(part)s” is not a postcode area. Use four digits, such as 3581, or a range, such as 3581-3584."),
                params={"part": error.part[:20]},
            ) from None

    def clean(self):
        data = super().clean()
        if self.only_municipality is not None:
            data["municipality"] = self.only_municipality
        municipality = data.get("municipality")
        if not self.lead or ("caseworker" in data and data["caseworker"] is None):
            data["caseworker"] = self.user
        walker = data.get("caseworker")
        if municipality and walker and not round_walkers(municipality=municipality).filter(pk=walker.pk).exists():
            self.add_error("caseworker", _("This person does not work cases of this municipality."))
        return data


class KeptVisitsForm(forms.Form):
    """The proposed visits the user kept (checked) when saving the round."""

    cases = forms.TypedMultipleChoiceField(coerce=int, required=True)

    def __init__(self, *args, case_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]
        self.fields["cases"].error_messages = {
            "required": _("Keep at least one visit in the round."),
            "invalid_choice": _("The proposal has changed in the meantime. Look at it again and save."),
        }


OUTCOME_CHOICES = [(status, VisitStatus(status).label) for status in OUTCOMES]


class VisitResultForm(forms.Form):
    """What came of one visit (one per visit on the recording screen, prefixed by the
    visit's id). Not visited: no contact attempt; that is also what it starts as."""

    status = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOME_CHOICES, initial=VisitStatus.NOT_VISITED, widget=forms.RadioSelect
    )
    part_of_day = forms.ChoiceField(label=_("Part of day"), choices=PartOfDay.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "cols": 40})
    )
