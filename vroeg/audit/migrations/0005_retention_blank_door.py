from django.db import migrations

# PostgreSQL only. The append-only trigger gets a second narrow door, next to the
# delete door of 0003: the retention purge (privacy/retention.py) blanks the free text
# of entries about a purged case and the search terms that named its people. It opens
# the door for its own transaction with set_config('vroeg.audit_purge_blank', 'on',
# true); nothing else in the application sets it. Through it an UPDATE may change only
# `reason` (to empty) and the values of `detail` (same kind of JSON, same keys); every
# other column, including any added later, must stay as it was.
FORWARD = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
DECLARE
    purge_before text := current_setting('vroeg.audit_purge_before', true);
    purge_blank text := current_setting('vroeg.audit_purge_blank', true);
BEGIN
    IF TG_OP = 'DELETE' AND purge_before IS NOT NULL AND purge_before <> ''
            AND OLD.at < purge_before::timestamptz THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND purge_blank = 'on'
            AND (to_jsonb(NEW) - 'reason' - 'detail') = (to_jsonb(OLD) - 'reason' - 'detail')
            AND (NEW.reason = OLD.reason OR NEW.reason = '')
            AND jsonb_typeof(NEW.detail) = jsonb_typeof(OLD.detail)
            AND (jsonb_typeof(OLD.detail) <> 'object'
                 OR ARRAY(SELECT jsonb_object_keys(NEW.detail) ORDER BY 1)
                    = ARRAY(SELECT jsonb_object_keys(OLD.detail) ORDER BY 1)) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
# Back to the delete door of 0003 alone.
BACKWARD = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
DECLARE
    purge_before text := current_setting('vroeg.audit_purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND purge_before IS NOT NULL AND purge_before <> ''
            AND OLD.at < purge_before::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_merge_action")]
    operations = [migrations.RunPython(forward, backward)]
