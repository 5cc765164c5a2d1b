from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vroeg.admin_site import ReadOnlyModelAdmin

from .models import Delivery
from .services import delivery_retry


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
    ]
    list_filter = ["status", "partner", "via_command"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "received_at"
    list_select_related = ["partner"]
    exclude = ["uploaded_by"]
    actions = ["retry"]

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
