"""Collection pause reminders (run by beat through cases.tasks.send_reminders):
on the pause's reminder day (default day 25) the caseworker hears that it ends;
once it has ended, that it did and what to do. One notification per pause and
kind (unique keys), to the assigned caseworker or else the team leads."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from vroeg.accounts.selectors import team_leads_of
from vroeg.notifications.services import notification_create

from .models import CollectionPause


def _recipients(pause: CollectionPause) -> list:
    if pause.case.assigned_to_id is not None:
        return [pause.case.assigned_to]
    return list(team_leads_of(municipality_ids=[pause.case.municipality_id]))


def reminders_collection_pauses(*, today: date) -> int:
    remind_before = settings.COLLECTION_PAUSE_DAYS - settings.COLLECTION_PAUSE_REMIND_DAY
    pauses = (
        CollectionPause.objects.filter(followed_up_at__isnull=True, ends_on__lte=today + timedelta(days=remind_before))
        .select_related("case__assigned_to", "case__household", "partner")
        .order_by("pk")
    )  # fmt: skip
    sent = 0
    for pause in pauses.iterator(chunk_size=500):
        ended = pause.ends_on <= today
        kind = "pause-ended" if ended else "pause-ending"
        partner = pause.partner.name
        if ended:
            subject = f"Incassopauze van {partner} is voorbij: {pause.case.household}"
            body = (f"De incassopauze van {partner} voor zaak {pause.case.pk} eindigde op {pause.ends_on:%d-%m-%Y}. "
                    "Maak een betalingsregeling of neem contact op met de partner, zodat de schuld rustig blijft.")  # fmt: skip
        else:
            subject = f"Incassopauze van {partner} eindigt op {pause.ends_on:%d-%m-%Y}: {pause.case.household}"
            body = (f"Over {(pause.ends_on - today).days} dagen eindigt de incassopauze van {partner} voor zaak "
                    f"{pause.case.pk}. Regel op tijd een betalingsregeling of overleg met de partner.")  # fmt: skip
        for user in _recipients(pause):
            sent += notification_create(
                user=user, key=f"{kind}:{pause.pk}:{user.pk}", subject=subject, body=body,
                url=reverse("case-detail", args=[pause.case_id]),
            ) is not None  # fmt: skip
    return sent
