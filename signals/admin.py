from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from vroeg.admin_site import ReadOnlyModelAdmin
from vroeg.csvfile import FileRefused

from .csvformat import ALL_COLUMNS
from .hooks import profile_links
from .models import Delivery, ImportProfile, ProfileImport
from .services import delivery_retry
from .services_profiles import PROFILE_FIELDS, import_profile_problems, import_profile_save, profile_preview

REPORT_LINES = 200


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyModelAdmin):
    """Read-only: deliveries change only through intake. Holds no personal data."""

    list_display = [
        "received_at",
        "partner",
        "original_name",
        "status",
        "accepted_count",
        "repeated_count",
        "rejected_count",
        "profile",
    ]
    list_filter = ["status", "partner", "via_command", "profile"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "received_at"
    list_select_related = ["partner", "profile"]
    exclude = ["uploaded_by"]
    readonly_fields = ["read_with"]
    actions = ["retry"]

    @admin.display(description=_("read with"))
    def read_with(self, obj) -> str:
        """Which import profile version read the file (and the whole file's import)."""
        if not obj.profile_id:
            return _("Signaal-CSV v1 (no import profile)")
        text = _("Read with import profile '%(name)s' (version %(version)s)") % {
            "name": obj.profile.name,
            "version": obj.profile.version,
        }
        if not obj.profile_import_id:
            return text
        url = reverse("admin:signals_profileimport_change", args=[obj.profile_import_id])
        return format_html('{} · <a href="{}">{}</a>', text, url, _("the whole file and its other deliveries"))

    @admin.action(description=_("Process again (failed deliveries)"), permissions=["retry"])
    def retry(self, request, queryset):
        queued = sum(delivery_retry(delivery_id=d.pk, user=request.user) for d in queryset)
        skipped = queryset.count() - queued
        self.message_user(
            request,
            _("%(queued)d queued again; %(skipped)d skipped (only failed deliveries with their file).")
            % {"queued": queued, "skipped": skipped},
        )

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("signals.upload_for_any_partner")


class ImportProfileForm(forms.ModelForm):
    class Meta:
        model = ImportProfile
        fields = ["name", "active", "description", *PROFILE_FIELDS[2:]]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            fields = {f: cleaned.get(f) for f in PROFILE_FIELDS}
            for problem in import_profile_problems(name=cleaned.get("name") or "", **fields):
                self.add_error(None, problem)
        return cleaned


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    """Profiles are saved as versions (services_profiles.import_profile_save): changing
    one saves the next version, the old one stays as the deliveries read with it."""

    form = ImportProfileForm
    list_display = ["name", "version", "active", "file_kind", "partner", "partner_column", "created_at"]
    list_filter = ["active", "file_kind"]
    search_fields = ["name"]
    readonly_fields = ["version", "created_at", "preview_link", "profile_links"]

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("signals.upload_for_any_partner")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("signals.upload_for_any_partner")

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deliveries name the version they were read with

    @admin.display(description=_("preview"))
    def preview_link(self, obj) -> str:
        if not obj.pk:
            return _("Save the profile (inactive if you like) to preview a file with it.")
        url = reverse("admin:signals_importprofile_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Preview a file with this version"))

    @admin.display(description=_("feedback file"))
    def profile_links(self, obj) -> str:
        """Pages the apps above offer for this version (feedback: the way back)."""
        links = [link for listener_links in (profile_links(profile=obj) if obj.pk else []) for link in listener_links]
        if not links:
            return _("Give the profile the columns of a feedback file to download one per period.")
        return format_html_join(" ", '<a href="{}">{}</a>', ((url, label) for label, url in links))

    def save_model(self, request, obj, form, change) -> None:
        saved = import_profile_save(
            name=form.cleaned_data["name"],
            created_by=request.user,
            **{f: form.cleaned_data.get(f) for f in PROFILE_FIELDS},
        )
        obj.pk, obj.version, obj.created_at = saved.pk, saved.version, saved.created_at
        obj._state.adding = False

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/voorbeeld/", preview, name="signals_importprofile_preview"), *super().get_urls()]

    def preview_view(self, request, pk: int):
        profile = get_object_or_404(ImportProfile, pk=pk)
        if not self.has_view_permission(request, profile):
            raise PermissionDenied
        form = ProfilePreviewForm(request.POST or None, request.FILES or None)
        rows, refusal = None, ""
        if request.method == "POST" and form.is_valid():
            try:
                rows = profile_preview(profile=profile, stream=form.cleaned_data["file"])
            except FileRefused as exc:
                refusal = exc.message
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Preview of %(profile)s") % {"profile": profile},
            "profile": profile,
            "form": form,
            "rows": [{**vars(row), "cells": [row.values.get(name, "") for name in ALL_COLUMNS]} for row in rows or []]
            if rows is not None
            else None,
            "fields": ALL_COLUMNS,
            "constants": sorted((profile.constants or {}).items()),
            "refusal": refusal,
        }
        return TemplateResponse(request, "signals/profile_preview.html", context)


class ProfilePreviewForm(forms.Form):
    file = forms.FileField(
        label=_("Example file"), help_text=_("Its first %(rows)d rows are read; nothing is stored.") % {"rows": 20}
    )


@admin.register(ProfileImport)
class ProfileImportAdmin(ReadOnlyModelAdmin):
    """A file read through a profile: its deliveries and the lines no delivery took."""

    list_display = ["received_at", "original_name", "profile", "status", "rows_read"]
    list_filter = ["status", "via_command"]
    date_hierarchy = "received_at"
    fields = [
        "original_name",
        "profile",
        "received_at",
        "received_on",
        "status",
        "refusal_reason",
        "duplicate_of",
        "rows_read",
        "delivery_list",
        "lines_without_partner",
    ]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("signals.upload_for_any_partner")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("signals.upload_for_any_partner")

    @admin.display(description=_("deliveries"))
    def delivery_list(self, obj) -> str:
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {} — {}</li>',
            (
                (
                    reverse("delivery-detail", args=[d.public_id]),
                    d.partner.name,
                    d.get_status_display(),
                    _("%(accepted)d accepted, %(repeated)d repeated, %(rejected)d rejected")
                    % {"accepted": d.accepted_count, "repeated": d.repeated_count, "rejected": d.rejected_count},
                )
                for d in obj.deliveries.select_related("partner")
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "-"

    @admin.display(description=_("lines without a partner"))
    def lines_without_partner(self, obj) -> str:
        items = format_html_join(
            "",
            "<li>{} {}: {}</li>",
            ((_("line"), r["line"], " ".join(r["reasons"])) for r in obj.rejected_lines[:REPORT_LINES]),
        )
        return format_html("<ul>{}</ul>", items) if items else "-"
