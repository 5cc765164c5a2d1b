from django.db import migrations


def sync(apps, schema_editor):
    from vroeg.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """The privacy officer (Privacyfunctionaris) reviews and exports the audit trail."""

    dependencies = [("accounts", "0005_review_audit_log_permission")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
