from django import forms
from django.utils.translation import gettext_lazy as _

from .csvformat import MAX_FILE_BYTES
from .models import ImportProfile, Partner


class DeliveryUploadForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        help_text=_("The partner on whose behalf you deliver this file."),
    )
    profile = forms.ModelChoiceField(
        label=_("Import profile"),
        queryset=ImportProfile.objects.none(),
        required=False,
        empty_label=_("None: the file is Signaal-CSV v1"),
        help_text=_(
            "For a file in another layout (a platform's export, a partner's own columns, CSV or Excel): "
            "the profile reads it and decides which partner each row belongs to."
        ),
    )
    file = forms.FileField(
        label=_("Signal file (CSV)"),
        help_text=_("Signaal-CSV v1, at most 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, partners=None, profiles=None, **kwargs):
        """`partners`: the partners to choose from (functional admins); None for a
        partner user, who delivers for their own organisation only. `profiles`: the
        import profiles to choose from (functional admins), None for none."""
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners
        if profiles is None:
            del self.fields["profile"]
        else:
            self.fields["profile"].queryset = profiles
            self.fields["partner"].required = False
            self.fields["partner"].help_text = _(
                "The partner on whose behalf you deliver this file; not needed with an import profile."
            )
            self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("profile") and not cleaned.get("partner")
        if "profile" in self.fields and missing and "partner" not in self.errors:
            self.add_error("partner", _("Choose the partner, or an import profile."))
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB. Please deliver it in parts."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
