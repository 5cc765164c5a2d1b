from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import PARTNER_USER


class VroegUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        # Roles and municipalities as check boxes, not the admin's two-box filter: its
        # script labels a bare <span> with aria-label (axe: aria-prohibited-attr).
        # There are five roles and an installation's handful of municipalities.
        widgets = {"groups": forms.CheckboxSelectMultiple, "municipalities": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is None:
            return cleaned
        is_partner_user = any(group.name == PARTNER_USER for group in groups)
        if is_partner_user and not cleaned.get("partner"):
            self.add_error("partner", _("A partner user belongs to exactly one partner organisation."))
        if not is_partner_user and cleaned.get("partner"):
            self.add_error("partner", _("Only partner users belong to a partner organisation."))
        if is_partner_user and len(groups) > 1:
            self.add_error("groups", _("A partner user has no other role."))
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = VroegUserChangeForm
    list_display = ["username", "first_name", "last_name", "email", "partner", "is_active", "is_demo"]
    list_filter = ["groups", "municipalities", "is_active", "is_staff", "is_demo"]
    filter_horizontal = ["user_permissions"]  # a superuser's tool, hundreds of rows
    list_select_related = ["partner"]
    fieldsets = (
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Role and organisation"), {"fields": ["groups", "municipalities", "partner", "is_active"]}),
        (
            _("Technical rights"),
            {"fields": ["is_staff", "is_superuser", "user_permissions", "is_demo"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined", "is_demo"]
        if not request.user.is_superuser:
            # A functional admin gives roles; only a superuser hands out
            # superuser status, admin access or loose permissions.
            readonly += ["is_staff", "is_superuser", "user_permissions"]
        return readonly
