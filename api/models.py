"""API keys and OAuth2 clients: how a partner's collection software authenticates to
the partner API.

Only a hash of each key is stored; the key itself is shown once, when it is made
(api/services.py). A key belongs to one partner and can never reach another's data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.partners.models import Partner


class ApiKey(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key: finds the row, then the hash decides.
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)  # sha256 of the whole key, hex
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class OAuthClient(models.Model):
    """An OAuth2 client (client credentials) of one partner: django-oauth-toolkit's
    Application, bound here to the partner whose data its tokens reach, with an expiry
    and a revocation like an API key. Only made through api/services.py; the secret is
    stored hashed by the toolkit and shown once."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="partner_client"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="oauth_clients")
    name = models.CharField(_("name"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    secret_changed_at = models.DateTimeField(_("secret changed at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("OAuth2 client")
        verbose_name_plural = _("OAuth2 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
