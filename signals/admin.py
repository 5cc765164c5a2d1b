from django.contrib import admin

from vroeg.admin_site import ReadOnlyModelAdmin

from .models import Delivery


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
