import io

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case
from signals.models import Delivery, Partner, RejectedLine, Signal, SignalStatus
from vroeg.accounts import roles
from vroeg.accounts.models import User
from vroeg.municipalities.models import Municipality


def _load():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        Municipality.objects.count(),
        Partner.objects.count(),
        User.objects.count(),
        Delivery.objects.count(),
        Signal.objects.count(),
        Case.objects.count(),
        sorted(User.objects.values_list("username", "groups__name", "partner__code")),
    )


@pytest.mark.django_db
def test_load_demo_creates_the_demo_world_once(settings):
    settings.VROEG_DEMO = True
    output = _load()
    first = _snapshot()
    _load()
    assert _snapshot() == first  # idempotent: a second run adds nothing

    town = Municipality.objects.get(code="9999")
    assert (town.name, town.inhabitants) == ("Voorbeeldstad", 100_000)
    partners = {p.code: p for p in Partner.objects.all()}
    assert partners["demo-energie"].signal_types == ["elektra", "gas", "warmte"]
    assert partners["demo-water"].signal_types == ["drinkwater"]
    assert partners["demo-zorg"].is_health_insurer and not partners["demo-huur"].is_health_insurer
    assert first[6] == [
        ("beheerder", roles.FUNCTIONAL_ADMIN, None),
        ("medewerker", roles.CASEWORKER, None),
        ("partner", roles.PARTNER_USER, "demo-huur"),
        ("privacy", roles.PRIVACY_OFFICER, None),
        ("teamleider", roles.TEAM_LEAD, None),
    ]
    assert all(u.is_demo and u.check_password("vroeg-demo") for u in User.objects.all())
    # Every partner page and the caseworker's queue have something to show.
    assert set(Delivery.objects.values_list("partner__code", flat=True).distinct()) == {
        "demo-huur",
        "demo-energie",
        "demo-water",
        "demo-zorg",
        "demo-cak",
    }
    from cases.models import AddressInvestigation

    assert Case.objects.filter(effort_due__isnull=False, signals__partner__code="demo-cak").exists()
    assert AddressInvestigation.objects.count() == 2
    assert Signal.objects.filter(status=SignalStatus.REPEATED).count() == 3
    assert RejectedLine.objects.count() == 2
    assert Case.objects.filter(signal_count__gt=1).exists()
    assert "medewerker" in output and "vroeg-demo" in output
    # Casework: the partner sees feedback, one pause ends soon and one has ended,
    # and the caseworker's bell has the reminders.
    from feedback.models import CollectionPause, Feedback
    from vroeg.notifications.models import Notification

    results = set(Feedback.objects.filter(partner__code="demo-huur").values_list("result", flat=True))
    assert {"hulp_geaccepteerd", "niet_opgepakt", "overleden", "herhaalde_melding"} <= results
    assert CollectionPause.objects.count() >= 2
    keys = set(Notification.objects.filter(user__username="medewerker").values_list("key", flat=True))
    assert any(k.startswith("pause-ending:") for k in keys) and any(k.startswith("pause-ended:") for k in keys)
    # Crisis signals wait for a judgement; one was judged threatening by the caseworker.
    from cases.models import CrisisTerm

    assert Case.objects.filter(crisis_proposed_on__isnull=False, closed_at__isnull=True).exists()
    [term] = CrisisTerm.objects.all()
    assert term.judged_by.username == "medewerker" and term.case.crisis_due == term.due


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, lands_on",
    [
        ("medewerker", "/werk/"),
        ("teamleider", "/team/"),
        ("partner", "/partner/"),
        ("beheerder", "/beheer/"),
        ("privacy", "/privacy/audit/"),
    ],
)
def test_demo_logins_work_in_demo_mode(client, settings, username, lands_on):
    settings.VROEG_DEMO = True
    _load()
    response = client.post("/inloggen/", {"username": username, "password": "vroeg-demo"}, follow=True)
    assert response.redirect_chain[-1][0] == lands_on
    assert response.status_code == 200


@pytest.mark.django_db
def test_load_demo_is_refused_outside_demo_mode(settings):
    settings.VROEG_DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        _load()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_demo_cases_show_suggestions_of_the_first_assessment(client, settings):
    """A newcomer sees suggestions: a water signal of € 42,50 that arose 12 days before
    it was sent (under the € 75 threshold and too young) suggests "onterecht signaal",
    and a resident in the debt-help register "bekend bij schuldhulpverlening"."""
    from cases.models import Finding, Outcome

    settings.VROEG_DEMO = True
    _load()
    suggested = {
        f.suggested_outcome: f
        for f in Finding.objects.exclude(suggested_outcome="").select_related("case")
        if f.case.closed_at is None
    }
    assert set(suggested) == {Outcome.NOT_PICKED_UP_UNJUSTIFIED, Outcome.KNOWN_TO_DEBT_HELP}
    assert suggested[Outcome.NOT_PICKED_UP_UNJUSTIFIED].summary == (
        "Signaal WATER-K1: bedrag € 42,50 onder de drempel van € 75,00; "
        "achterstand van 12 dagen valt buiten 30–365 dagen voor drinkwater."
    )
    client.force_login(User.objects.get(username="medewerker"))
    for outcome, finding in suggested.items():
        page = client.get(f"/zaken/{finding.case_id}/").content.decode()
        assert f"Afsluiten als “{outcome}”" in page


@pytest.mark.django_db
def test_the_demo_partner_downloads_and_uploads_the_example_of_its_sector(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from signals.services import delivery_process

    settings.VROEG_DEMO = True
    _load()
    client.force_login(User.objects.get(username="partner"))  # a landlord
    page = client.get("/partner/leveringen/nieuw/").content.decode()
    assert "Voorbeeldbestand voor uw sector: voorbeeld-signalen-huur.csv" in page
    assert "In deze demo-omgeving kunt u een voorbeeldbestand uploaden" in page
    example = client.get("/documenten/voorbeeld-signalen-huur.csv").content

    client.post("/partner/leveringen/nieuw/", {"file": SimpleUploadedFile("voorbeeld-signalen-huur.csv", example)})
    delivery = Delivery.objects.get(original_name="voorbeeld-signalen-huur.csv")
    delivery_process(delivery_id=delivery.pk)  # what the worker does
    delivery.refresh_from_db()
    assert (delivery.partner.code, delivery.accepted_count, delivery.rejected_count) == ("demo-huur", 12, 0)


@pytest.mark.django_db
def test_a_demo_letter_signs_with_the_caseworkers_name_and_number(client, settings):
    """The demo caseworker has a phone number, so a newcomer's first letter shows how
    the resident reaches the caseworker, not the warning that the number is missing."""
    from cases.models import Case

    settings.VROEG_DEMO = True
    _load()
    caseworker = User.objects.get(username="medewerker")
    case = Case.objects.filter(assigned_to=caseworker, closed_at__isnull=True).first()
    resident = case.household.residents.filter(signals__case=case).first()
    client.force_login(caseworker)
    page = client.get(f"/zaken/{case.pk}/bericht/brief/?resident={resident.pk}").content.decode()
    assert "06 12345678" in page and caseworker.get_full_name() in page


@pytest.mark.django_db
def test_the_demo_shows_contact_plans_and_steps_to_do_today(client, settings):
    """Issue 19: the default plan and the team lead's plans on the demo trays; cases
    picked up today with their next step in the queue, home visits among them, and the
    bell reminding of them."""
    from django.utils import timezone

    from outreach.models import ContactPlan
    from vroeg.workdays import WorkCalendar

    settings.VROEG_DEMO = True
    _load()
    _load()  # once
    town = Municipality.objects.get(code="9999")
    plans = {p.name: p for p in ContactPlan.objects.filter(municipality=town)}
    assert len(plans) == 3 and sum(p.is_default for p in plans.values()) == 1
    assert plans["Meerdere signalen: huisbezoek eerst"].tray_links.get().tray.name == "Meerdere signalen: huisbezoek"
    # Due today, or on the first working day when the demo is loaded at the weekend.
    first_working_day = WorkCalendar().next_working_day_from(timezone.localdate())
    due = Case.objects.filter(next_step_on__lte=first_working_day, assigned_to__username="medewerker")
    assert due.count() >= 3 and due.filter(next_step_kind="Huisbezoek").exists()
    # A case picked up weeks ago is overdue: the bell reminds of it on a working day.
    assert Case.objects.filter(next_step_on__lt=timezone.localdate()).exists()
    client.force_login(User.objects.get(username="medewerker"))
    page = client.get("/werk/", {"sort": "stap"}).content.decode()
    assert "Huisbezoek" in page and "Telefoon" in page
