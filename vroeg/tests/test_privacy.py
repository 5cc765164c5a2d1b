"""Privacy checks across the application: ids of other municipalities', partners' or
households' data lead nowhere, and every page or download with personal data writes
an audit entry."""

import pytest
from django.urls import reverse

from cases.models import Case
from cases.objections import objection_record
from feedback.models import CollectionPause
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_municipality, make_user):
    """A case, a pause, an objection and a delivery in Amsterdam, not ours."""
    other = PartnerFactory(code="ams", name="Amsterdamse verhuurder")
    other.municipalities.add(other_municipality)
    delivery = deliver(other, csv_bytes([row(partner_referentie="A-1", gemeentecode="0363")]))
    case = Case.objects.get(municipality=other_municipality)
    colleague = make_user("caseworker", username="ams-cw", municipalities=[other_municipality])
    pause = CollectionPause.objects.create(
        case=case, partner=other, starts_on=delivery.received_on, ends_on=delivery.received_on
    )
    objection = objection_record(
        case_id=case.pk,
        user=colleague,
        resident_id=case.household.residents.get().pk,
        partner_types=["Huur"],
        no_contact=False,
        objected_on=delivery.received_on,
        source="brief",
    )
    return {"case": case, "pause": pause, "objection": objection, "delivery": delivery}


CASE_GETS = ["case-detail", "action-plan-edit", "case-message"]
CASE_POSTS = [
    "case-step",
    "case-close",
    "case-reopen",
    "case-threatening",
    "crisis-proposal-dismiss",
    "case-brp-check",
    "contact-attempt-create",
    "note-create",
    "feedback-consent",
    "objection-create",
]


def test_a_caseworker_cannot_reach_another_municipalitys_case_by_its_id(client, caseworker, elsewhere):
    case = elsewhere["case"]
    client.force_login(caseworker)
    for name in CASE_GETS:
        args = [case.pk, "brief"] if name == "case-message" else [case.pk]
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in CASE_POSTS:
        args = [case.pk, "pick_up"] if name == "case-step" else [case.pk]
        status = client.post(reverse(name, args=args), {"outcome": "Inwoner is overleden", "reason": "x"}).status_code
        assert status in (403, 404), name  # 403: the step is not theirs at all (reopen is for team leads)
    assert (
        client.post(reverse("pause-follow-up", args=[case.pk, elsewhere["pause"].pk]), {"note": "x"}).status_code == 404
    )
    assert client.post(reverse("objection-withdraw", args=[case.pk, elsewhere["objection"].pk])).status_code == 404
    case.refresh_from_db()
    assert case.state == "new" and not case.notes.exists() and not case.contact_attempts.exists()


def test_ids_from_another_household_do_not_mix_with_ours(client, caseworker, partner, elsewhere):
    deliver(partner, csv_bytes([row(partner_referentie="OURS", gemeentecode="9999")]))
    ours = Case.objects.get(municipality__code="9999")
    client.force_login(caseworker)
    assert (
        client.post(reverse("pause-follow-up", args=[ours.pk, elsewhere["pause"].pk]), {"note": "x"}).status_code == 404
    )
    assert client.post(reverse("objection-withdraw", args=[ours.pk, elsewhere["objection"].pk])).status_code == 404
    elsewhere["objection"].refresh_from_db()
    assert elsewhere["objection"].withdrawn_on is None


def test_a_partner_cannot_open_another_partners_delivery_by_its_id(client, partner_user, elsewhere):
    client.force_login(partner_user)
    public_id = elsewhere["delivery"].public_id
    assert client.get(reverse("delivery-detail", args=[public_id])).status_code == 404
    assert client.get(reverse("delivery-rejected-csv", args=[public_id])).status_code == 404


def _audited(client, user, url) -> bool:
    before = AuditEntry.objects.filter(actor=user).count()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return AuditEntry.objects.filter(actor=user).count() > before


def test_every_page_and_download_with_personal_data_is_audited(
    client, partner, caseworker, teamlead, partner_user, privacy_officer
):
    from outreach.models import ActionPlan

    delivery = deliver(
        partner, csv_bytes([row(partner_referentie="P-1"), row(partner_referentie="P-2", postcode="0000")])
    )
    assert delivery.accepted_count == 1 and delivery.rejected_count == 1
    case = Case.objects.get()
    ActionPlan.objects.create(case=case, version=1, created_by=caseworker, arrears="huur")
    year = f"?municipality={case.municipality_id}&period=year&year=2026"
    pages = {
        caseworker: [
            reverse("case-detail", args=[case.pk]),
            reverse("action-plan-edit", args=[case.pk]),
            reverse("action-plan-print", args=[case.pk, 1]),
            reverse("case-message", args=[case.pk, "brief"]),
            reverse("caseworker-dashboard") + "?q=Vries",
        ],
        teamlead: [
            reverse("reports") + year,
            reverse("report-csv", args=["eindresultaten"]) + year,
            reverse("report-xlsx") + year,
            reverse("report-ddas") + year,
        ],
        partner_user: [
            reverse("delivery-detail", args=[delivery.public_id]),
            reverse("delivery-rejected-csv", args=[delivery.public_id]),
            reverse("partner-feedback-csv"),
        ],
        privacy_officer: [reverse("audit-search") + "?user=cw", reverse("audit-export") + "?user=cw"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert _audited(client, user, url), url
