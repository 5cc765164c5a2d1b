"""Login and logout, audited (no Django signals: the views write the audit log)."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.redirects import safe_next

from .forms import LoginForm
from .twofactor import (
    confirmed_device,
    needs_second_factor,
    second_factor_verify,
    setup_details,
    totp_device_pending,
)


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.OIDC_ENABLED}

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


def _second_factor_page(request: HttpRequest, *, setup: bool) -> HttpResponse:
    if not needs_second_factor(request.user) and not setup:
        return redirect("home")
    if setup and confirmed_device(request.user):
        return redirect(f"{reverse('two-factor')}?{request.GET.urlencode()}")
    if not setup and not confirmed_device(request.user):
        return redirect(f"{reverse('two-factor-setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, token=form.cleaned_data["token"], setup=setup):
            return redirect(safe_next(request, reverse("home")))
        form.add_error("token", _("This code is not right. Enter the code your app shows now."))
    context = {"form": form, "setup": setup, "next": safe_next(request, "")}
    if setup:
        context.update(setup_details(totp_device_pending(user=request.user)))
    return render(request, "registration/two_factor.html", context)


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    return _second_factor_page(request, setup=False)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    return _second_factor_page(request, setup=True)
