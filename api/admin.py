"""No django-oauth-toolkit pages in the admin: a partner's OAuth2 clients are made,
rotated and revoked only on the partner's own portal page (api/views_clients.py), so
every client belongs to a partner; tokens are stored as a hash and have nothing to show."""

from django.contrib import admin
from oauth2_provider import admin as oauth2_admin  # registers them first  # noqa: F401
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

for model in (Application, AccessToken, Grant, IDToken, RefreshToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
