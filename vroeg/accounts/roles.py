"""The roles, as Django groups with permissions.

Views only ever check permissions; this table is the single place that says
which role holds which. `roles_sync` brings the groups in line with it; the
data migrations call it, and so does `manage.py sync_roles`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

CASEWORKER = "Schuldhulpverlener"
TEAM_LEAD = "Teamleider"
PARTNER_USER = "Signaalpartner"
FUNCTIONAL_ADMIN = "Functioneel beheerder"
# The privacy officer (functionaris gegevensbescherming): reviews the audit trail only.
PRIVACY_OFFICER = "Privacyfunctionaris"

_CASEWORK = ["accounts.work_cases"]
_ADMIN_MODELS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("accounts", "user"),
        ("municipalities", "municipality"),
        ("partners", "partner"),
        ("calendar", "closureday"),
    ]
    for action in ("add", "change", "view")
] + [
    "calendar.delete_closureday",
    "auth.view_group",
    "audit.view_auditentry",
    "signals.view_delivery",
    "signals.upload_for_any_partner",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASEWORKER: _CASEWORK,
    TEAM_LEAD: _CASEWORK + ["accounts.lead_team"],
    PARTNER_USER: ["accounts.use_partner_portal"],
    FUNCTIONAL_ADMIN: _ADMIN_MODELS,
    PRIVACY_OFFICER: ["accounts.review_audit_log"],
}

# Roles whose members work in the Django admin.
STAFF_ROLES = {FUNCTIONAL_ADMIN}


def roles_sync(apps=global_apps) -> None:
    """Create the groups and give each exactly the permissions of ROLE_PERMISSIONS.

    Works with the historical `apps` of a migration: permissions that do not
    exist yet at that point are skipped (a later migration syncs again).
    """
    for app_config in apps.get_app_configs():
        if apps is not global_apps:
            # A migration's app configs are stubs without a models module, which
            # create_permissions needs; the stubs are thrown away afterwards.
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
