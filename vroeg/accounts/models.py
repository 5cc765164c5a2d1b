from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
