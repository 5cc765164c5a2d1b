"""The partner's OAuth2 clients, on the API-key page (api/views_keys.py): create (the
client id and secret shown once), replace the secret, revoke. Only while
VROEG_API_OAUTH_ENABLED is on (else 404), only for the users of the client's partner."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .forms import OAuthClientForm
from .models import OAuthClient
from .services import ApiKeyRefused, oauth_client_create, oauth_client_revoke, oauth_client_rotate_secret
from .views_keys import keys_page, partner_of


def _partner_with_oauth(request: HttpRequest):
    partner = partner_of(request)
    if not settings.VROEG_API_OAUTH_ENABLED:
        raise Http404
    return partner


def _own_client_pk(partner, pk: int) -> int:
    if not OAuthClient.objects.filter(pk=pk, partner=partner).exists():
        raise Http404
    return pk


@require_POST
def client_create(request: HttpRequest) -> HttpResponse:
    partner = _partner_with_oauth(request)
    form = OAuthClientForm(request.POST)
    if form.is_valid():
        # Valid through the whole chosen day, local time, like a key.
        expires_at = timezone.make_aware(datetime.combine(form.cleaned_data["expires_on"], time.max))
        try:
            new = oauth_client_create(
                partner=partner, name=form.cleaned_data["name"], created_by=request.user, expires_at=expires_at
            )
        except ApiKeyRefused as refused:
            form.add_error(refused.field or None, refused.message)
        else:
            audit_log(
                action=AuditAction.CREATE,
                request=request,
                obj=new.client,
                detail={"oauth_client": new.client.client_id},
            )
            return keys_page(request, partner, new_client=new)
    return keys_page(request, partner, client_form=form)


@require_POST
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_with_oauth(request)
    client = oauth_client_revoke(client_pk=_own_client_pk(partner, pk), partner=partner)
    audit_log(
        action=AuditAction.CHANGE,
        request=request,
        obj=client,
        detail={"oauth_client": client.client_id, "revoked": True},
    )
    messages.success(
        request, _("The client %(name)s has been revoked; it and its tokens no longer work.") % {"name": client.name}
    )
    return redirect("api-keys")


@require_POST
def client_rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _partner_with_oauth(request)
    try:
        new = oauth_client_rotate_secret(client_pk=_own_client_pk(partner, pk), partner=partner)
    except ApiKeyRefused as refused:
        messages.error(request, refused.message)
        return redirect("api-keys")
    audit_log(
        action=AuditAction.CHANGE,
        request=request,
        obj=new.client,
        detail={"oauth_client": new.client.client_id, "secret_replaced": True},
    )
    return keys_page(request, partner, new_client=new)
