"""Two-factor authentication (TOTP, django-otp) for everyone who works with residents'
data: caseworkers, team leads, functional admins and privacy officers. Partners may
use it, they are not forced to.

After the password, the middleware sends such a user to set up an authenticator app
(first time) or to enter its six-digit code, and lets them nowhere else until done.
`REQUIRE_2FA` (default on) switches it; demo accounts skip it only in DEBUG.
"""

import base64
from urllib.parse import quote

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

PERMISSIONS_NEEDING_2FA = ("accounts.work_cases", "accounts.lead_team", "accounts.review_audit_log")
DEVICE_NAME = "Authenticator-app"


def needs_second_factor(user) -> bool:
    if not settings.VROEG_REQUIRE_2FA or not user.is_authenticated:
        return False
    if getattr(user, "is_demo", False) and settings.DEBUG:
        return False
    return user.is_staff or any(user.has_perm(p) for p in PERMISSIONS_NEEDING_2FA)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_device_pending(*, user) -> TOTPDevice:
    """The user's device being set up (made once; its secret stays until confirmed)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def setup_details(device: TOTPDevice, *, issuer: str = "Vroeg") -> dict:
    """The secret as base32 (to type in) and as a QR code (SVG, to scan)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"{issuer}:{device.user.get_username()}")
    uri = f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={device.digits}&period={device.step}"
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#1a1a1a", light="#ffffff", title="QR-code")
    return {"secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)), "qr_svg": svg}


def second_factor_verify(*, request, token: str, setup: bool) -> bool:
    """Check the code; on success the session is verified (and a new device confirmed)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=not setup).first()
    token = "".join(token.split())
    if device is None or not token.isdigit() or not device.verify_token(token):
        audit_log(action=AuditAction.LOGIN_FAILED, request=request, detail={"second_factor": True})
        return False
    if setup:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit_log(action=AuditAction.LOGIN, request=request, detail={"second_factor": "set up" if setup else "verified"})
    return True


class RequireSecondFactorMiddleware:
    """After login, users who need two factors reach only the 2FA pages, logout,
    /healthz and static files until they have entered a valid code."""

    OPEN_NAMES = {"two-factor", "two-factor-setup", "logout", "login", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not needs_second_factor(user) or user.is_verified():
            return None
        if request.session.get("vroeg_sso_second_factor"):  # the identity provider did it (oidc.py)
            return None
        if request.resolver_match.url_name in self.OPEN_NAMES:
            return None
        if not getattr(view_func, "login_required", True):  # open to anyone (@login_not_required): a
            return None  # machine's call (DDAS, partner API) answers by its own authentication
        target = "two-factor" if confirmed_device(user) else "two-factor-setup"
        return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
