from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vroeg.admin_site import ReadOnlyModelAdmin

from .models import Delivery, Partner, SignalType


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


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyModelAdmin):
    """Read-only: deliveries change only through intake. Holds no personal data."""

    list_display = [
        "received_at", "partner", "original_name", "status",
        "accepted_count", "repeated_count", "rejected_count",
    ]  # fmt: skip
    list_filter = ["status", "partner", "via_command"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "received_at"
    list_select_related = ["partner"]
    exclude = ["uploaded_by"]
