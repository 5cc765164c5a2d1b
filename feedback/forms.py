from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.forms import DateField

from .models import FeedbackConsent


class ConsentForm(forms.Form):
    given_on = DateField(label=_("Consent given on"))
    how = forms.ChoiceField(label=_("Way consent was given"), choices=FeedbackConsent.How.choices)

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return given_on


class ConsentToldForm(forms.Form):
    told_on = DateField(label=_("Resident told on"))

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
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Up to and including"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("This date is before the start date."))
        return data


class PlatformFeedbackForm(forms.Form):
    """The period of a platform's feedback file (feedback/services_platform.py)."""

    date_from = DateField(label=_("From"))
    date_to = DateField(label=_("Up to and including"))
