"""The partner portal's page for API keys: list, create (the key shown once), revoke,
rotate. Only for the users of the partner the keys belong to."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .forms import ApiKeyForm
from .models import ApiKey
from .selectors import keys_of_partner
from .services import ApiKeyRefused, NewKey, api_key_create, api_key_revoke, api_key_rotate


def _partner_of(request: HttpRequest):
    user = request.user
    if not user.has_perm("accounts.use_partner_portal") or user.partner_id is None:
        raise PermissionDenied
    return user.partner


def _page(request: HttpRequest, partner, form: ApiKeyForm, new_key: NewKey | None = None) -> HttpResponse:
    response = render(
        request,
        "api/keys.html",
        {
            "partner": partner,
            "form": form,
            "keys": keys_of_partner(partner=partner),
            "new_key": new_key,
            "now": timezone.now(),
        },
    )
    if new_key is not None:  # the key itself: never kept in a cache
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    partner = _partner_of(request)
    if request.method != "POST":
        return _page(request, partner, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        # Valid through the whole chosen day, local time.
        expires_at = timezone.make_aware(datetime.combine(form.cleaned_data["expires_on"], time.max))
        try:
            new_key = api_key_create(
                partner=partner, name=form.cleaned_data["name"], created_by=request.user, expires_at=expires_at
            )
        except ApiKeyRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            audit_log(action=AuditAction.CREATE, request=request, obj=new_key.api_key)
            return _page(request, partner, ApiKeyForm(), new_key=new_key)
    return _page(request, partner, form)


def _own_key_id(partner, pk: int) -> int:
    if not ApiKey.objects.filter(pk=pk, partner=partner).exists():
        raise Http404
    return pk


@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_of(request)
    api_key = api_key_revoke(key_id=_own_key_id(partner, pk), partner=partner)
    audit_log(action=AuditAction.CHANGE, request=request, obj=api_key, detail={"revoked": True})
    messages.success(request, _("The key %(name)s has been revoked; it no longer works.") % {"name": api_key.name})
    return redirect("api-keys")


@require_POST
def key_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_of(request)
    try:
        new_key = api_key_rotate(key_id=_own_key_id(partner, pk), partner=partner, created_by=request.user)
    except ApiKeyRefused as refused:
        messages.error(request, refused.message)
        return redirect("api-keys")
    old = ApiKey.objects.get(pk=pk)
    audit_log(action=AuditAction.CHANGE, request=request, obj=old, detail={"revoked": True})
    audit_log(action=AuditAction.CREATE, request=request, obj=new_key.api_key, detail={"replaces": old.prefix})
    return _page(request, partner, ApiKeyForm(), new_key=new_key)
