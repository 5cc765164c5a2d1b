from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from vroeg.audit.models import AuditAction
from vroeg.dutch import normalise_bsn, normalise_postcode
from vroeg.forms import DateField


class AuditSearchForm(forms.Form):
    """The privacy officer's search of the audit trail (GET; every field optional)."""

    # In the order the page shows them (and the error summary lists them): who and
    # what, the period, the resident.
    user = forms.CharField(
        label=capfirst(_("user")), required=False, max_length=150, help_text=_("The username, or part of it.")
    )
    action = forms.ChoiceField(
        label=capfirst(_("action")), required=False, choices=[("", _("all"))] + list(AuditAction.choices)
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Up to and including"), required=False)
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=12)
    postcode = forms.CharField(label=capfirst(_("postcode")), required=False, max_length=7)
    house_number = forms.IntegerField(label=capfirst(_("house number")), required=False, min_value=1, max_value=99999)

    def clean_bsn(self) -> str:
        value = "".join(self.cleaned_data["bsn"].split())
        if not value:
            return ""
        bsn = normalise_bsn(value)
        if bsn is None:
            raise forms.ValidationError(_("This is not a valid BSN: nine digits that pass the eleven test."))
        return bsn

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        postcode = normalise_postcode(value)
        if postcode is None:
            raise forms.ValidationError(_("This is not a valid postcode, such as 1234 AB."))
        return postcode

    def clean(self):
        data = super().clean()
        postcode, number = data.get("postcode"), data.get("house_number")
        if postcode and number is None and "house_number" not in self.errors:
            self.add_error("house_number", _("Fill in the house number with the postcode."))
        if number is not None and not postcode and "postcode" not in self.errors:
            self.add_error("postcode", _("Fill in the postcode with the house number."))
        if data.get("bsn") and (postcode or number is not None):
            self.add_error("bsn", _("Search by BSN or by address, not both."))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("This date is before the start date."))
        return data

    def criteria(self) -> dict[str, str]:
        """The criteria given, as text (for the audit log's detail)."""
        return {name: str(value) for name, value in self.cleaned_data.items() if value not in ("", None)}

    def search_arguments(self) -> dict:
        """The cleaned data as keyword arguments of `selectors.audit_search`."""
        data = self.cleaned_data
        return {
            "username": data["user"].strip(),
            "bsn": data["bsn"],
            "postcode": data["postcode"],
            "house_number": data["house_number"],
            "action": data["action"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
