from django.contrib import admin

from .models import Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "inhabitants", "crisis_auto_judgement", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
