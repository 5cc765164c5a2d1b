"""Pause reminders are keyed per case and end date since issue 16 (one notification
naming every partner), no longer per pause. Reminders already sent under the old key
(`pause-ending:<pause>:<user>`) get the new one, so the first run after the upgrade
does not send them again. Where two pauses of a case end the same day, the first
reminder takes the key; the other keeps its old one (both were sent already)."""

import re

from django.db import migrations

OLD_KEY = re.compile(r"^(pause-ending|pause-ended):(\d+):(\d+)$")


def rekey(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    CollectionPause = apps.get_model("feedback", "CollectionPause")
    old = {}
    for pk, key in Notification.objects.filter(key__regex=OLD_KEY.pattern).values_list("pk", "key"):
        kind, pause_id, user_id = OLD_KEY.match(key).groups()
        old[pk] = (kind, int(pause_id), user_id)
    pauses = dict(
        (pk, (case_id, ends_on))
        for pk, case_id, ends_on in CollectionPause.objects.filter(
            pk__in={pause_id for _, pause_id, _ in old.values()}
        ).values_list("pk", "case_id", "ends_on")
    )
    taken = set(Notification.objects.filter(key__regex=r"^pause-(ending|ended):\d+:").values_list("key", flat=True))
    for pk, (kind, pause_id, user_id) in sorted(old.items()):
        if pause_id not in pauses:
            continue
        case_id, ends_on = pauses[pause_id]
        new = f"{kind}:{case_id}:{ends_on.isoformat()}:{user_id}"
        if new not in taken:
            Notification.objects.filter(pk=pk).update(key=new)
            taken.add(new)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_partner_in_core"), ("notifications", "0001_initial")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
