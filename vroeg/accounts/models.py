import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from vroeg.dutch import normalise_phone

# A municipality's own short number: 14 and its area code (14 020, 14 0591).
_MUNICIPAL_NUMBER = re.compile(r"^14 ?0\d{2,3}$")


def validate_phone(value: str) -> None:
    """A telephone number a resident can call: any Dutch or international number, or a
    municipality's 14-number."""
    if normalise_phone(value) is None and not _MUNICIPAL_NUMBER.match(value.strip()):
        raise ValidationError(_("Enter a telephone number, for example 020 123 4567 or 06 12345678."))


class User(AbstractUser):
    """A person who logs in: caseworker, team lead, partner user or functional admin.

    What a user may do comes from their groups (roles, see roles.py); which data
    they see from their municipalities, and for partner users from their partner.
    """

    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        related_name="users",
        verbose_name=_("municipalities"),
        blank=True,
    )
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        help_text=_("Only for partner users: the one organisation they work for."),
    )
    phone = models.CharField(
        _("telephone number"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("Shown as written in the letters, cards and texts a caseworker sends to residents."),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts can only log in when the installation runs in demo mode."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Capability(models.Model):
    """Holds the application's own permissions; it has no table.

    Views check these permissions (never role names); roles.py grants them to groups.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("capability")
        permissions = [
            ("work_cases", _("Work on cases (caseworker dashboard)")),
            ("lead_team", _("Lead the team: reports, assignment, reopening cases")),
            ("use_partner_portal", _("Use the partner portal (uploads and feedback)")),
            ("review_audit_log", _("Review and export the audit trail (privacy officer)")),
        ]
