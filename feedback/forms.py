from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FeedbackConsent


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"}))
    how = forms.ChoiceField(label=_("Way consent was given"), choices=FeedbackConsent.How.choices)

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return given_on


class ConsentToldForm(forms.Form):
    told_on = forms.DateField(label=_("Resident told on"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_told_on(self):
        told_on = self.cleaned_data["told_on"]
        if told_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return told_on


class PauseFollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("What was arranged"),
        max_length=300,
        help_text=_("E.g. payment arrangement made, or partner contacted about the handover."),
    )


class FeedbackFilterForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("This date is before the start date."))
        return data
