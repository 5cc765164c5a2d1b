"""The reply page's forms. Labels and errors are English msgids (Dutch by default,
English on ?lang=en); what the resident types is kept as given, within its length."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import PartOfDay

from .codes import code_normalize
from .models import NOTE_MAX, PHONE_MAX, ReplyChoice

PART_OF_DAY = [
    (PartOfDay.MORNING, _("In the morning")),
    (PartOfDay.AFTERNOON, _("In the afternoon")),
    (PartOfDay.EVENING, _("In the evening")),
]
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("The code is on your letter, card or text message, for example ABC123-DEFG45-HJKM6P."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = code_normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("This is not a correct code. Check the code on your letter and try again."))
        return code


class ReplyForm(forms.Form):
    choice = forms.ChoiceField(label=_("What would you like?"), choices=ReplyChoice.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Your telephone number"),
        max_length=PHONE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    part_of_day = forms.ChoiceField(
        label=_("When suits you best?"), choices=PART_OF_DAY, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything you want to tell us (not required)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        if choice == ReplyChoice.CALL:
            phone = data.get("phone", "")
            if not phone:
                self.add_error("phone", _("Fill in the telephone number on which we can call you."))
            elif not _PHONE.match(phone):
                self.add_error("phone", _("Fill in a telephone number with digits only, for example 06 12345678."))
        if choice in (ReplyChoice.CALL, ReplyChoice.VISIT) and not data.get("part_of_day"):
            self.add_error("part_of_day", _("Choose the part of the day that suits you best."))
        if choice not in (ReplyChoice.CALL,):
            data["phone"] = ""
        if choice not in (ReplyChoice.CALL, ReplyChoice.VISIT):
            data["part_of_day"] = ""
        return data
