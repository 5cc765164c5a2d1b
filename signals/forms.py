from django import forms
from django.utils.translation import gettext_lazy as _

from .csvformat import MAX_FILE_BYTES
from .models import Partner


class DeliveryUploadForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        help_text=_("The partner on whose behalf you deliver this file."),
    )
    file = forms.FileField(
        label=_("Signal file (CSV)"),
        help_text=_("Signaal-CSV v1, at most 50 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, partners=None, **kwargs):
        """`partners`: the partners to choose from (functional admins); None for a
        partner user, who delivers for their own organisation only."""
        super().__init__(*args, **kwargs)
        if partners is None:
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partners

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB. Please deliver it in parts."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
