from django.contrib import admin

from .models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partner_type", "is_health_insurer", "active"]
    list_filter = ["partner_type", "is_health_insurer", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["municipalities"]
