"""The functional admin ('beheer'): Django's admin with the application's own login."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from .redirects import safe_next


class VroegAdminSite(admin.AdminSite):
    site_header = _("Vroeg administration")
    site_title = _("Vroeg administration")
    index_title = _("Functional administration")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # A logged-in user without admin rights gets a plain 403, not a
            # detour through a login form they cannot use.
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        guarded.__dict__.update(inner.__dict__)
        return guarded

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        """Send visitors to the audited login page of the application, and back."""
        next_url = safe_next(request, resolve_url("admin:index"))
        if not request.user.is_authenticated:
            return redirect_to_login(next_url)
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin page to look, never to add, change or delete (records that only the
    application writes, such as the audit log and deliveries)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
