from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.forms import DateField


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the key is used, e.g. “collection system production”."),
    )
    expires_on = DateField(
        label=_("Valid until"),
        help_text=_("At most one year ahead. Replace the key before then."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        last = today + timedelta(days=settings.VROEG_API_KEY_MAX_DAYS)
        self.fields["expires_on"].initial = last
        self.fields["expires_on"].widget.attrs.update(
            {"min": (today + timedelta(days=1)).isoformat(), "max": last.isoformat()}
        )


class OAuthClientForm(ApiKeyForm):
    """The same name and expiry as a key (prefixed: both forms are on one page)."""

    prefix = "client"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _("Where the client is used, e.g. “collection system production”.")
        self.fields["expires_on"].help_text = _("At most one year ahead. Make a new client before then.")
