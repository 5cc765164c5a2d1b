from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Partner, SignalType


class PartnerAdminForm(forms.ModelForm):
    """The signal types as check boxes, not JSON; Partner.clean refuses a Bgs type of
    another sector."""

    signal_types = forms.MultipleChoiceField(
        label=_("signal types"),
        choices=[(t.value, f"{t.value} ({t.label})") for t in SignalType],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Partner._meta.get_field("signal_types").help_text,
    )

    class Meta:
        model = Partner
        fields = "__all__"


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerAdminForm
    list_display = ["code", "name", "partner_type", "is_health_insurer", "lcv_member", "active"]
    list_filter = ["partner_type", "is_health_insurer", "lcv_member", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["municipalities"]
