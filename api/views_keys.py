"""The partner portal's page for API keys (and, when OAuth2 is on, the partner's
OAuth2 clients, api/views_clients.py): list, create (the key shown once), revoke,
rotate. Only for the users of the partner the keys belong to."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .forms import ApiKeyForm, OAuthClientForm
from .models import ApiKey
from .selectors import clients_of_partner, keys_of_partner
from .services import ApiKeyRefused, NewClient, NewKey, api_key_create, api_key_revoke, api_key_rotate


def partner_of(request: HttpRequest):
    user = request.user
    if not user.has_perm("accounts.use_partner_portal") or user.partner_id is None:
        raise PermissionDenied
    return user.partner


def keys_page(
    request: HttpRequest,
    partner,
    *,
    form: ApiKeyForm | None = None,
    new_key: NewKey | None = None,
    client_form: OAuthClientForm | None = None,
    new_client: NewClient | None = None,
) -> HttpResponse:
    """The page: keys, and the OAuth2 clients only while OAuth2 is on."""
    oauth = settings.VROEG_API_OAUTH_ENABLED
    response = render(
        request,
        "api/keys.html",
        {
            "partner": partner,
            "form": form or ApiKeyForm(),
            "keys": keys_of_partner(partner=partner),
            "new_key": new_key,
            "oauth_enabled": oauth,
            "clients": clients_of_partner(partner=partner) if oauth else [],
            "client_form": (client_form or OAuthClientForm()) if oauth else None,
            "new_client": new_client,
            "token_url": request.build_absolute_uri(reverse("api-oauth-token")),
            "now": timezone.now(),
        },
    )
    if new_key is not None or new_client is not None:  # a secret itself: never kept in a cache
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def key_list(request: HttpRequest) -> HttpResponse:
    partner = partner_of(request)
    if request.method != "POST":
        return keys_page(request, partner)
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
            return keys_page(request, partner, new_key=new_key)
    return keys_page(request, partner, form=form)


def _own_key_id(partner, pk: int) -> int:
    if not ApiKey.objects.filter(pk=pk, partner=partner).exists():
        raise Http404
    return pk


@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_of(request)
    api_key = api_key_revoke(key_id=_own_key_id(partner, pk), partner=partner)
    audit_log(action=AuditAction.CHANGE, request=request, obj=api_key, detail={"revoked": True})
    messages.success(request, _("The key %(name)s has been revoked; it no longer works.") % {"name": api_key.name})
    return redirect("api-keys")


@require_POST
def key_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    partner = partner_of(request)
    try:
        new_key = api_key_rotate(key_id=_own_key_id(partner, pk), partner=partner, created_by=request.user)
    except ApiKeyRefused as refused:
        messages.error(request, refused.message)
        return redirect("api-keys")
    old = ApiKey.objects.get(pk=pk)
    audit_log(action=AuditAction.CHANGE, request=request, obj=old, detail={"revoked": True})
    audit_log(action=AuditAction.CREATE, request=request, obj=new_key.api_key, detail={"replaces": old.prefix})
    return keys_page(request, partner, new_key=new_key)
