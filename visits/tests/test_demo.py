"""The demo shows a home-visit round that was walked and recorded, so a newcomer sees
the route sheet and what came of each visit."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from outreach.models import ContactKind
from visits.models import HomeVisitRound, VisitStatus
from vroeg.accounts.models import User


@pytest.mark.django_db
def test_the_demo_has_a_recorded_round_once(client, settings, last_working_day):
    settings.VROEG_DEMO = True
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # once
    round = HomeVisitRound.objects.get()
    worker = User.objects.get(username="medewerker")
    assert (round.caseworker, round.day, round.is_recorded) == (worker, last_working_day, True)
    visits = list(round.visits.select_related("attempt").order_by("position"))
    assert [v.status for v in visits] == [VisitStatus.REACHED, VisitStatus.NOT_REACHED, VisitStatus.NOT_VISITED]
    assert [(v.attempt.kind, v.attempt.reached) for v in visits[:2]] == [
        (ContactKind.HOME_VISIT, True),
        (ContactKind.HOME_VISIT, False),
    ]
    assert visits[2].attempt is None
    client.force_login(worker)
    assert client.get(reverse("visit-round-list")).context["recorded"][0] == round
    page = client.get(reverse("visit-round-detail", args=[round.pk])).content.decode()
    assert "Vastgelegd op" in page and "niet bereikt (middag)" in page
