"""The partner's pages: only their own signals, only what feedback allows."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import HELP_OUTCOMES, OUTCOMES_BY_STATE, Case, CaseState, Outcome
from cases.services import case_close
from feedback.models import Feedback
from feedback.services import feedback_consent_record
from testkit.action_plans import plan_with_copy
from testkit.case_steps import case_walk_to
from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)  # the day each step is taken

# Personal details of the resident and the municipality's work that must never reach a partner.
SECRETS = [
    "Geheimzinnig",
    "999999990",
    "Dorpsstraat",
    "1234AB",
    "1234 AB",
    "17-05-1980",
    "1980-05-17",
    "06-12345678",
    "example.nl",
    "geheime reden",
    "Jolien",
]
ALLOWED_RESULTS = {
    "Hulp geaccepteerd",
    "Niet opgepakt: herhaalde melding",
    "Niet opgepakt: onterecht signaal",
    "Persoon is geen inwoner (meer) in de gemeente",
    "Inwoner is overleden",
    "Niet opgepakt",
}
# With the resident's consent the partner also hears these end results (AP guidance);
# a referral without the resident never (the resident neither knows nor agreed).
WITH_CONSENT = "Afgesloten; de inwoner gaf toestemming voor deze terugkoppeling"
CONSENTED_DETAILS = {
    Outcome.NO_CONTACT,
    Outcome.DECLINED,
    Outcome.PAID_ALREADY,
    Outcome.OTHER_ONGOING_HELP,
    Outcome.NO_REACTION,
}


def _address(municipality, house_number: int) -> dict:
    """A household at Dorpsstraat <house_number>, 1234AB Voorbeeldstad."""
    return {
        "household__municipality": municipality,
        "household__postcode": "1234AB",
        "household__house_number": house_number,
    }


def _csv(client, **params) -> list[dict]:
    response = client.get(reverse("partner-feedback-csv"), params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_no_reason_or_personal_detail_ever_reaches_a_partner(
    client, partner, water, municipality, make_user, partner_user
):
    """Every end result from every stage, one household each, closed with a reason,
    once without and once with the resident's consent to feedback; the partner's page
    and CSV show only the results the rules allow, never "Verwijzing zonder
    tussenkomst inwoner"."""
    caseworker = make_user("caseworker", username="jolien", first_name="Jolien", last_name="Werker")
    closings = [(s, o) for s, outcomes in OUTCOMES_BY_STATE.items() for o in outcomes]
    for consent in (False, True):
        for n, (state, outcome) in enumerate(closings):
            number = 100 + n + (50 if consent else 0)
            case = CaseFactory(**_address(municipality, number), first_received_on=date(2026, 11, 2))
            SignalFactory(
                case=case, partner=partner, partner_referentie=f"H-{number}", resident__surname="Geheimzinnig"
            )
            case_walk_to(state, case, caseworker, on=ON)
            if consent:
                feedback_consent_record(case_id=case.pk, user=caseworker, given_on=date(2026, 11, 20), how="mondeling")
            if outcome in HELP_OUTCOMES:
                plan_with_copy(case, caseworker)
            case_close(case_id=case.pk, user=caseworker, outcome=outcome, reason="geheime reden")
    client.force_login(partner_user)
    page = client.get(reverse("partner-feedback")).content.decode()
    rows = _csv(client)
    shown = page + "\n".join(";".join(r.values()) for r in rows)
    for secret in SECRETS:
        assert secret not in shown
    for outcome in Outcome.values:
        if outcome not in ALLOWED_RESULTS | CONSENTED_DETAILS:
            assert outcome not in shown, outcome
    assert "Verwijzing zonder tussenkomst inwoner" not in shown
    assert {r["resultaat"] for r in rows} <= ALLOWED_RESULTS | {WITH_CONSENT}
    assert {r["toelichting"] for r in rows if r["resultaat"] == WITH_CONSENT} == set(CONSENTED_DETAILS)
    assert len(rows) == Feedback.objects.filter(partner=partner).count() > 0
    assert set(rows[0]) == {
        "partner_referentie",
        "signaal_type",
        "signaaldatum",
        "datum_terugkoppeling",
        "resultaat",
        "toelichting",
        "incassopauze_tot",
    }


def test_a_partner_sees_only_its_own_signals(client, household_case, caseworker, partner_user):
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    client.force_login(partner_user)
    page = client.get(reverse("partner-feedback")).content.decode()
    assert "HUUR-7" in page and "WATER-3" not in page
    assert "20-12-2026" in page  # pause collection until
    assert [r["partner_referentie"] for r in _csv(client)] == ["HUUR-7"]


def test_csv_is_safe_against_formula_injection_and_audited(client, partner, municipality, caseworker, partner_user):
    case = CaseFactory(**_address(municipality, 12))
    SignalFactory(case=case, partner=partner, partner_referentie="=HYPERLINK(1)")
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    client.force_login(partner_user)
    [line] = _csv(client)
    assert line["partner_referentie"] == "'=HYPERLINK(1)"
    assert AuditEntry.objects.filter(
        action=AuditAction.DOWNLOAD, actor=partner_user, object_type="feedback.csv"
    ).exists()


def test_filter_by_date(client, household_case, caseworker, partner_user):
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.DECEASED)
    Feedback.objects.update(given_at="2026-10-15T10:00:00+01:00")
    client.force_login(partner_user)
    assert len(_csv(client, date_from="2026-10-01", date_to="2026-10-31")) == 1
    assert _csv(client, date_from="2026-11-01") == []
    page = client.get(
        reverse("partner-feedback"), {"date_from": "2026-11-01", "date_to": "2026-10-01"}
    ).content.decode()
    assert "Deze datum ligt vóór de begindatum." in page


def test_monthly_figures_count_by_hand(client, partner, municipality, make_user, partner_user):
    caseworker = make_user("caseworker", username="cw2")
    for references, numbers, received in (
        ("O", range(1, 4), date(2026, 10, 5)),
        ("N", range(11, 13), date(2026, 11, 5)),
    ):
        delivery = DeliveryFactory(partner=partner, received_on=received)
        for n in numbers:
            case = CaseFactory(**_address(municipality, n), first_received_on=received)
            SignalFactory(case=case, partner=partner, delivery=delivery, partner_referentie=f"{references}-{n}")
    october = Case.objects.filter(household__house_number__lt=10).order_by("pk")
    case_walk_to(CaseState.HELP_ACCEPTED, october[0], caseworker, on=ON)
    case_walk_to(CaseState.OUTREACH, october[1], caseworker, on=ON)
    client.force_login(partner_user)
    page = client.get(reverse("partner-figures")).content.decode()
    table = page[page.index('data-testid="figures-table"') :]
    rows = [r.split("</tr>")[0] for r in table.split("<tr>")[2:]]
    cells = [[c.split("<")[0] for c in r.split('class="num">')[1:]] for r in rows]
    assert cells == [["2", "0", "0"], ["3", "2", "1"]]  # november, october


def test_caseworkers_do_not_reach_partner_pages(client, caseworker):
    client.force_login(caseworker)
    for name in ("partner-feedback", "partner-feedback-csv", "partner-figures"):
        assert client.get(reverse(name)).status_code == 403


def test_case_page_shows_feedback_pause_and_records_consent(client, household_case, caseworker):
    case_walk_to(CaseState.CONTACT, household_case, caseworker, on=ON)
    client.force_login(caseworker)
    url = reverse("case-detail", args=[household_case.pk])
    response = client.post(
        reverse("feedback-consent", args=[household_case.pk]), {"given_on": "2026-11-21", "how": "schriftelijk"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "De inwoner gaf op 21-11-2026 (schriftelijk) toestemming" in page
    client.post(reverse("case-step", args=[household_case.pk, "accept_help"]), {"expected_state": "contact"})
    page = client.get(url).content.decode()
    assert page.count('data-testid="pause"') == 2
    assert "Teruggekoppeld aan Waterbedrijf Test: Hulp geaccepteerd" in page  # the timeline


def test_consent_in_the_future_is_refused_in_dutch(client, household_case, caseworker):
    client.force_login(caseworker)
    response = client.post(
        reverse("feedback-consent", args=[household_case.pk]),
        {"given_on": "2099-01-01", "how": "schriftelijk"},
        follow=True,
    )
    assert "De datum kan niet in de toekomst liggen." in response.content.decode()
    assert not hasattr(Case.objects.get(pk=household_case.pk), "feedback_consent")


def _query_count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_partner_pages_use_a_constant_number_of_queries(client, partner, municipality, caseworker, partner_user):
    def close_new(n, start):
        delivery = DeliveryFactory(partner=partner)
        for i in range(n):
            case = CaseFactory(**_address(municipality, start + i))
            SignalFactory(case=case, partner=partner, delivery=delivery, partner_referentie=f"Q-{start + i}")
        for case in Case.objects.filter(closed_at__isnull=True):
            case_close(case_id=case.pk, user=caseworker, outcome=Outcome.DECEASED)

    close_new(2, 1)
    client.force_login(partner_user)
    urls = [reverse("partner-feedback"), reverse("partner-figures"), reverse("notifications")]
    few = [_query_count(client, url) for url in urls]
    close_new(30, 100)
    assert [_query_count(client, url) for url in urls] == few


def test_a_partner_outside_the_lcv_hears_help_accepted_without_a_pause(
    client, household_case, partner, caseworker, partner_user
):
    partner.lcv_member = False
    partner.save()
    client.force_login(caseworker)
    case_walk_to(CaseState.CONTACT, household_case, caseworker, on=ON)
    client.post(reverse("case-step", args=[household_case.pk, "accept_help"]), {"expected_state": "contact"})
    page = client.get(reverse("case-detail", args=[household_case.pk])).content.decode()
    assert page.count('data-testid="pause"') == 1  # only the water company pauses
    assert "Incassopauze door Waterbedrijf Test" in page and "Incassopauze door Woonstichting Test" not in page
    assert "Hulp geaccepteerd; geen incassopauze (partner is niet aangesloten bij het LCV)" in page
    client.force_login(partner_user)
    [line] = _csv(client)
    assert (line["partner_referentie"], line["resultaat"], line["incassopauze_tot"]) == (
        "HUUR-7",
        "Hulp geaccepteerd",
        "",
    )
    from vroeg.notifications.models import Notification

    assert not Notification.objects.filter(user=partner_user, subject__contains="pauzeer").exists()


def test_consent_feedback_asks_to_tell_the_resident_and_shows_when_they_were(client, household_case, caseworker):
    """AP: feedback at person level on the strength of consent is recorded and the
    resident is informed. After the case closed the page says which partners heard
    what and asks when the resident was told; then it shows that date."""
    from django.utils import timezone

    case_walk_to(CaseState.CONTACT, household_case, caseworker, on=ON)
    client.force_login(caseworker)
    url = reverse("case-detail", args=[household_case.pk])
    client.post(
        reverse("feedback-consent", args=[household_case.pk]), {"given_on": "2026-11-21", "how": "schriftelijk"}
    )
    assert 'data-testid="consent-told-prompt"' not in client.get(url).content.decode()  # nothing went out yet
    client.post(
        reverse("case-close", args=[household_case.pk]),
        {"outcome": Outcome.DECLINED, "expected_state": CaseState.CONTACT},
    )
    page = client.get(url).content.decode()
    assert 'data-testid="consent-told-prompt"' in page
    assert (
        "Op grond van deze toestemming hoorden Waterbedrijf Test, Woonstichting Test dat de zaak is "
        "afgesloten met “Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering”"
    ) in page
    response = client.post(
        reverse("feedback-consent-told", args=[household_case.pk]), {"told_on": "2099-01-01"}, follow=True
    )
    assert "De datum kan niet in de toekomst liggen." in response.content.decode()
    today = timezone.localdate()
    client.post(reverse("feedback-consent-told", args=[household_case.pk]), {"told_on": today.isoformat()})
    page = client.get(url).content.decode()
    assert 'data-testid="consent-told-prompt"' not in page
    assert (
        f"De inwoner is op {today:%d-%m-%Y} verteld welke partners op grond van deze toestemming "
        "het eindresultaat hoorden."
    ) in page
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE,
        actor=caseworker,
        object_id=str(household_case.pk),
        detail__feedback_consent_resident_told_on=today.isoformat(),
    ).exists()


def test_a_pause_that_is_over_no_longer_tells_the_partner_to_pause(
    client, partner, municipality, caseworker, partner_user
):
    """A pause runs "tot en met" its last day: on that day the partner still pauses;
    from the next day the page says when it ended, not "pause until" a past date."""
    today = timezone.localdate()
    cases = [CaseFactory(**_address(municipality, n)) for n in (1, 2)]
    for n, case in enumerate(cases, start=1):
        SignalFactory(case=case, partner=partner, partner_referentie=f"HUUR-{n}")
        case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=ON)
    Feedback.objects.filter(signal__partner_referentie="HUUR-1").update(pause_ends_on=today)
    Feedback.objects.filter(signal__partner_referentie="HUUR-2").update(pause_ends_on=today - timedelta(days=1))
    client.force_login(partner_user)
    page = client.get(reverse("partner-feedback")).content.decode()
    cells = re.findall(r'data-testid="collection-pause">([^<]*)<', page)
    assert sorted(cells) == sorted(
        [
            f"Incasso pauzeren tot en met {today:%d-%m-%Y}",
            f"Pauze liep af op {today - timedelta(days=1):%d-%m-%Y}",
        ]
    )
    assert '<th scope="col">Incassopauze</th>' in page
    # The download holds the pause's last day, as its column says, for both.
    assert sorted(line["incassopauze_tot"] for line in _csv(client)) == sorted(
        [today.isoformat(), (today - timedelta(days=1)).isoformat()]
    )


def test_feedback_page_and_download_agree_on_the_amsterdam_date(client, household_case, caseworker, partner_user):
    """Fed back at 23:30 UTC on 27 November: 28 November in Amsterdam, on the page, in
    the download and in the date filter."""
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.DECEASED)
    Feedback.objects.update(given_at=datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    client.force_login(partner_user)
    page = client.get(reverse("partner-feedback")).content.decode()
    assert "<td>28-11-2026</td>" in page and "27-11-2026" not in page
    [line] = _csv(client, date_from="2026-11-28", date_to="2026-11-28")
    assert line["datum_terugkoppeling"] == "2026-11-28"
    assert _csv(client, date_to="2026-11-27") == []
