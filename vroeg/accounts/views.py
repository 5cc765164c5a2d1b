"""Login and logout, audited (no Django signals: the views write the audit log)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(action=AuditAction.LOGIN, request=self.request, actor=form.get_user())
        return response

    def form_invalid(self, form):
        # Record the attempt with the name that was tried, never the password.
        username = (form.data.get("username") or "")[:150]
        audit_log(
            action=AuditAction.LOGIN_FAILED,
            request=self.request,
            detail={"username": username},
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_log(action=AuditAction.LOGOUT, request=request)
        return super().post(request, *args, **kwargs)

