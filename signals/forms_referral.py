"""The quick form for a referral: address first, then the person, then the source."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.forms import BORN_EARLIEST, DateField

from .csvformat import ALL_COLUMNS
from .models import ConsentHow, ReferralKind


class PersonAndArrearsForm(forms.Form):
    """The resident and the arrears, named as the Signaal-CSV contract's columns; the
    rules themselves are the contract's (RowValidator, in the service)."""

    achternaam = forms.CharField(label=_("Surname"), max_length=200)
    voorvoegsel = forms.CharField(label=_("Surname prefix"), max_length=10, required=False)
    voorletters = forms.CharField(label=_("Initials"), max_length=20, required=False)
    geboortedatum = DateField(label=_("Date of birth"), required=False, earliest=BORN_EARLIEST)
    bsn = forms.CharField(label=_("BSN"), max_length=9, required=False)
    telefoonnummer = forms.CharField(label=_("Telephone"), max_length=16, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    bedrag_achterstand = forms.CharField(label=_("Arrears (estimate, in euros)"), max_length=20)
    datum_ontstaan = DateField(label=_("Arrears since"), earliest=BORN_EARLIEST)

    def contract_row(self) -> dict[str, str]:
        """The form's contract columns as a Signaal-CSV row (dates ISO, yes/no as ja/nee)."""
        row = {}
        for name in self.fields:
            if name not in ALL_COLUMNS:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                row[name] = "ja" if value else "nee"
            elif hasattr(value, "isoformat"):
                row[name] = value.isoformat()
            else:
                row[name] = str(value or "")
        return row


class ReferralForm(PersonAndArrearsForm):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=7, widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True})
    )
    huisnummer = forms.CharField(label=_("House number"), max_length=5)
    huisnummertoevoeging = forms.CharField(label=_("Addition"), max_length=4, required=False)
    straat = forms.CharField(label=_("Street"), max_length=200)
    woonplaats = forms.CharField(label=_("City"), max_length=200)
    crisissignaal = forms.BooleanField(label=_("Threatening situation (eviction, disconnection)"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of referral"),
        widget=forms.RadioSelect,
        choices=[(k.value, k.label) for k in (ReferralKind.INTERNAL, ReferralKind.WARM)],
        initial=ReferralKind.INTERNAL,
    )
    origin = forms.CharField(
        label=_("Referred by (department or organisation)"),
        max_length=200,
        help_text=_("E.g. Wmo, Participatiewet, municipal taxes, a GP practice or a school."),
    )
    contact = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    consent_on = DateField(label=_("Consent given on"), required=False, help_text=_("Required for a warm referral."))
    consent_how = forms.ChoiceField(
        label=_("How consent was given"), required=False, choices=[("", "—"), *ConsentHow.choices]
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].initial = municipalities.first()

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReferralKind.WARM and not data.get("consent_on"):
            self.add_error("consent_on", _("A warm referral needs the resident's consent: fill in the date."))
        if data.get("kind") == ReferralKind.WARM and not data.get("consent_how"):
            self.add_error("consent_how", _("Say how the resident gave consent."))
        return data

    def contract_row(self) -> dict[str, str]:
        return {**super().contract_row(), "signaaldatum": timezone.localdate().isoformat()}
