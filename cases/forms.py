from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OUTCOMES_BY_STATE, Outcome


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
