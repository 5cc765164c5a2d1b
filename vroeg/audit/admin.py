from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vroeg.admin_site import ReadOnlyModelAdmin

from .models import AuditEntry
from .wording import entry_words, object_type_words


class ObjectTypeFilter(admin.SimpleListFilter):
    """By kind of object, in words ("zaak", not `cases.case`)."""

    title = _("kind of object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = AuditEntry.objects.exclude(object_type="").order_by().values_list("object_type", flat=True).distinct()
        return sorted(((t, object_type_words(t)) for t in types), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """Read-only: the audit log can be searched, never added to, changed or deleted here."""

    list_display = ["at", "actor_username", "description", "ip_address"]
    list_filter = ["action", ObjectTypeFilter]
    search_fields = ["actor_username", "object_id"]
    date_hierarchy = "at"
    list_select_related = False

    @admin.display(description=_("description"))
    def description(self, entry: AuditEntry) -> str:
        """The same Dutch sentence as the privacy officer's audit page and its CSV."""
        return entry_words(entry).sentence

    def get_actions(self, request):
        return {}
