from django.contrib import admin

from .models import ReplyPage


@admin.register(ReplyPage)
class ReplyPageAdmin(admin.ModelAdmin):
    """What each municipality's reply page says about reaching the team."""

    list_display = ["municipality", "team_phone", "team_hours", "help_url"]
