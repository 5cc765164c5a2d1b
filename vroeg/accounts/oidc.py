"""Optional single sign-on through the municipality's identity provider (OpenID
Connect, mozilla-django-oidc). Off unless OIDC_ENABLED.

Only existing, active accounts can sign in this way: the functional admin creates
the account and its role in Vroeg; the identity provider proves who it is. The
match is on the claim named by OIDC_USERNAME_CLAIM (default `preferred_username`)
against the username. No accounts are created from the provider.

Two factors: when the provider says it used more than a password (`amr` claim with
"mfa", "otp", "hwk", "swk" or "sc"), or OIDC_PROVIDER_ENFORCES_MFA is set because
the provider always does, the session counts as verified and Vroeg does not ask
for its own code.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

MFA_METHODS = {"mfa", "otp", "hwk", "swk", "sc"}
SESSION_KEY = "vroeg_sso_second_factor"


class VroegOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        username = claims.get(settings.OIDC_USERNAME_CLAIM)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username__iexact=username, is_active=True, is_demo=False)

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off
        return None

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        if user is not None and request is not None:
            claims = getattr(self, "_vroeg_claims", {}) or {}
            methods = set(claims.get("amr") or [])
            request.session[SESSION_KEY] = bool(settings.OIDC_PROVIDER_ENFORCES_MFA or methods & MFA_METHODS)
            audit_log(action=AuditAction.LOGIN, request=request, actor=user, detail={"sso": True})
        return user

    def get_userinfo(self, access_token, id_token, payload):
        userinfo = super().get_userinfo(access_token, id_token, payload)
        # `amr` is in the ID token; keep it for authenticate() above.
        self._vroeg_claims = {**userinfo, "amr": payload.get("amr") or userinfo.get("amr")}
        return userinfo
