from django.contrib import admin

from vroeg.admin_site import ReadOnlyModelAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Read-only: the audit log can be searched, never added to, changed or deleted here."""

    list_display = ["at", "actor_username", "action", "object_type", "object_id", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_id"]
    date_hierarchy = "at"
    list_select_related = False

    def get_actions(self, request):
        return {}
