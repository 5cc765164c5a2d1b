from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "partner", "is_active", "is_demo"]
    list_filter = ["groups", "municipalities", "is_active", "is_staff", "is_demo"]
    filter_horizontal = ["groups", "user_permissions", "municipalities"]
    list_select_related = ["partner"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Organisation"), {"fields": ["municipalities", "partner", "is_demo"]}),
    )
