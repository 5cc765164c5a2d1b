from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
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
        # Check boxes, not the admin's two-box filter: its script labels a bare <span>
        # with aria-label, which assistive technology may ignore (axe:
        # aria-prohibited-attr). A partner delivers to a handful of municipalities.
        widgets = {"municipalities": forms.CheckboxSelectMultiple}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """The change page links to uploading a delivery on the partner's behalf
    (templates/admin/partners/partner/change_form.html); so does the list."""

    form = PartnerAdminForm
    list_display = ["code", "name", "partner_type", "is_health_insurer", "lcv_member", "active"]
    list_filter = ["partner_type", "is_health_insurer", "lcv_member", "active"]
    search_fields = ["code", "name"]

    def get_list_display(self, request):
        if request.user.has_perm("signals.upload_for_any_partner"):
            return [*self.list_display, "upload_link"]
        return self.list_display

    @admin.display(description=_("Deliveries"))
    def upload_link(self, partner: Partner) -> str:
        if not partner.active:
            return "–"  # only active partners deliver (signals.selectors.partners_for_upload)
        return format_html(
            '<a href="{}?partner={}">{}<span class="visually-hidden"> {}</span></a>',
            reverse("delivery-upload"),
            partner.pk,
            _("Upload a delivery"),
            _("on behalf of %(partner)s") % {"partner": partner.name},
        )
