"""The role × URL matrix: every named URL, what each role gets on a GET, and sample
arguments for the URLs that need them. The access test checks the table; the fuzzing
test drives the same URLs with hostile input."""

from cases.assessment import case_assess
from cases.models import AddressInvestigation, Approach, WorkTray
from feedback.models import CollectionPause
from outreach.models import ActionPlan
from outreach.services import default_plan_for
from replies.codes import code_display
from replies.services import reply_code_issue
from signals.models import ImportProfile
from testkit.factories import UserFactory
from testkit.signal_files import csv_bytes, deliver, row
from visits.models import HomeVisitRound, RoundVisit

ROLES = ["anonymous", "caseworker", "teamlead", "partner_user", "functional_admin", "privacy_officer"]
LOGIN = "login"  # a redirect to the login page

# url name → expected GET status per role (in ROLES order).
EXPECTED = {
    "home": (LOGIN, 302, 302, 302, 302, 302),
    "login": (200, 302, 302, 302, 302, 302),
    "logout": (LOGIN, 405, 405, 405, 405, 405),  # logging out is a POST
    "healthz": (200, 200, 200, 200, 200, 200),
    "caseworker-dashboard": (LOGIN, 200, 200, 403, 403, 403),
    "team-dashboard": (LOGIN, 403, 200, 403, 403, 403),
    "partner-dashboard": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-upload": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-detail": (LOGIN, 403, 403, 200, 200, 403),
    "delivery-rejected-csv": (LOGIN, 403, 403, 200, 200, 403),
    "case-detail": (LOGIN, 200, 200, 403, 403, 403),
    "case-assign": (LOGIN, 405, 405, 405, 405, 405),
    "tray-list": (LOGIN, 403, 200, 403, 403, 403),
    "tray-create": (LOGIN, 403, 200, 403, 403, 403),
    "tray-edit": (LOGIN, 403, 200, 403, 403, 403),
    "contact-plan-list": (LOGIN, 403, 200, 403, 403, 403),
    "contact-plan-create": (LOGIN, 403, 200, 403, 403, 403),
    "contact-plan-edit": (LOGIN, 403, 200, 403, 403, 403),
    "plan-step-change": (LOGIN, 405, 405, 405, 405, 405),
    # Home-visit rounds: a caseworker's own (the sample round is another caseworker's:
    # 404), every round of the team lead's municipality; deleting is a POST.
    "visit-round-list": (LOGIN, 200, 200, 403, 403, 403),
    "visit-round-create": (LOGIN, 200, 200, 403, 403, 403),
    "visit-round-detail": (LOGIN, 404, 200, 403, 403, 403),
    "visit-round-record": (LOGIN, 404, 200, 403, 403, 403),
    "visit-round-delete": (LOGIN, 405, 405, 405, 405, 405),
    # Changes to a case are POST only; a GET is refused before anything else.
    "case-step": (LOGIN, 405, 405, 405, 405, 405),
    "case-close": (LOGIN, 405, 405, 405, 405, 405),
    "case-reopen": (LOGIN, 405, 405, 405, 405, 405),
    "case-threatening": (LOGIN, 405, 405, 405, 405, 405),
    "crisis-proposal-dismiss": (LOGIN, 405, 405, 405, 405, 405),
    "crisis-term-withdraw": (LOGIN, 405, 405, 405, 405, 405),
    "case-brp-check": (LOGIN, 405, 405, 405, 405, 405),
    "finding-confirm": (LOGIN, 405, 405, 405, 405, 405),
    "contact-attempt-create": (LOGIN, 405, 405, 405, 405, 405),
    "note-create": (LOGIN, 405, 405, 405, 405, 405),
    "action-plan-edit": (LOGIN, 200, 200, 403, 403, 403),
    "action-plan-print": (LOGIN, 200, 200, 403, 403, 403),
    "case-message": (LOGIN, 200, 200, 403, 403, 403),
    # The reply page for residents is public: everyone may open it (the sample code is
    # valid); the thank-you page needs the signed answer; revoking codes is a POST.
    "reply-start": (200, 200, 200, 200, 200, 200),
    "reply-page": (200, 200, 200, 200, 200, 200),
    "reply-thanks": (404, 404, 404, 404, 404, 404),
    "reply-codes-revoke": (LOGIN, 405, 405, 405, 405, 405),
    # The second factor (switched off in the test settings; see test_two_factor.py):
    # asking for a code without needing one goes home; anyone may set up an app.
    "referral-create": (LOGIN, 200, 200, 403, 403, 403),
    "laa-list": (LOGIN, 200, 200, 403, 403, 403),
    "laa-detail": (LOGIN, 200, 200, 403, 403, 403),
    "laa-close": (LOGIN, 405, 405, 405, 405, 405),
    "laa-upload": (LOGIN, 403, 403, 403, 200, 403),
    # A platform's feedback file per period, from the import profile (functional admin).
    "platform-feedback": (LOGIN, 403, 403, 403, 200, 403),
    "two-factor": (LOGIN, 302, 302, 302, 302, 302),
    "two-factor-setup": (LOGIN, 200, 200, 200, 200, 200),
    "objection-create": (LOGIN, 405, 405, 405, 405, 405),
    "objection-withdraw": (LOGIN, 405, 405, 405, 405, 405),
    "feedback-consent": (LOGIN, 405, 405, 405, 405, 405),
    "feedback-consent-told": (LOGIN, 405, 405, 405, 405, 405),
    "pause-follow-up": (LOGIN, 405, 405, 405, 405, 405),
    # Every signed-in user has their own notifications.
    "notifications": (LOGIN, 200, 200, 200, 200, 200),
    # Feedback is the partner's own: only a partner's users, not the functional admin.
    "partner-feedback": (LOGIN, 403, 403, 200, 403, 403),
    "partner-feedback-csv": (LOGIN, 403, 403, 200, 403, 403),
    "partner-figures": (LOGIN, 403, 403, 200, 403, 403),
    # The guides for partners and the example files: for every signed-in user.
    "document": (LOGIN, 200, 200, 200, 200, 200),
    "example-file": (LOGIN, 200, 200, 200, 200, 200),
    # Reports are for team leads only.
    "reports": (LOGIN, 403, 200, 403, 403, 403),
    "report-csv": (LOGIN, 403, 200, 403, 403, 403),
    "report-xlsx": (LOGIN, 403, 200, 403, 403, 403),
    "report-ddas": (LOGIN, 403, 200, 403, 403, 403),
    "reach": (LOGIN, 403, 200, 403, 403, 403),
    "reach-csv": (LOGIN, 403, 200, 403, 403, 403),
    "reach-xlsx": (LOGIN, 403, 200, 403, 403, 403),
    "admin:index": (LOGIN, 403, 403, 403, 200, 403),
    # The privacy officer reviews the audit trail, and nothing else.
    "audit-search": (LOGIN, 403, 403, 403, 403, 200),
    "audit-export": (LOGIN, 403, 403, 403, 403, 200),
    # The partner API answers only to an API key, never to a login session (api/).
    "api-deliveries": (401, 401, 401, 401, 401, 401),
    "api-delivery": (401, 401, 401, 401, 401, 401),
    "api-feedback": (401, 401, 401, 401, 401, 401),
    "api-schema": (401, 401, 401, 401, 401, 401),
    # The DDAS pull API for CBS: off by default (404, an FSC error), never a session's.
    "ddas-api": (404, 404, 404, 404, 404, 404),
    "ddas-api-other": (404, 404, 404, 404, 404, 404),
    # A partner's own users manage its API keys; revoking and replacing are POST only.
    "api-keys": (LOGIN, 403, 403, 200, 403, 403),
    "api-key-revoke": (LOGIN, 405, 405, 405, 405, 405),
    "api-key-rotate": (LOGIN, 405, 405, 405, 405, 405),
    # OAuth2 (off by default): the token endpoint is 404; the clients' actions are POST only.
    "api-oauth-token": (404, 404, 404, 404, 404, 404),
    "api-oauth-clients": (LOGIN, 405, 405, 405, 405, 405),
    "api-oauth-client-revoke": (LOGIN, 405, 405, 405, 405, 405),
    "api-oauth-client-rotate": (LOGIN, 405, 405, 405, 405, 405),
}

# Admin pages the functional admin may open; every other admin model is refused.
ADMIN_MODELS_FOR_FUNCTIONAL_ADMIN = {
    "accounts.user",
    "auth.group",
    "municipalities.municipality",
    "partners.partner",
    "calendar.closureday",
    "audit.auditentry",
    "signals.delivery",
    "signals.importprofile",
    "signals.profileimport",
}


def url_args(partner, functional_admin) -> dict[str, list]:
    """Sample arguments for the URLs that need them: a delivery of the partner user's
    partner, its case with a finding, a tray, a plan, a pause, an LAA investigation and
    another caseworker's home-visit round."""
    delivery = deliver(partner, csv_bytes([row()]))
    case = delivery.signals.get().case
    resident = delivery.signals.get().resident
    [finding, *_] = case_assess(case_id=case.pk)
    tray = WorkTray.objects.create(
        municipality=case.municipality, name="Crisis", approach=Approach.PHONE, created_by=functional_admin
    )
    plan = ActionPlan.objects.create(case=case, version=1, created_by=functional_admin, arrears="x")
    pause = CollectionPause.objects.create(
        case=case, partner=partner, starts_on=delivery.received_on, ends_on=delivery.received_on
    )
    profile = ImportProfile.objects.create(name="RIS-export", partner=partner, feedback_columns=[["Ref", "resultaat"]])
    laa = AddressInvestigation.objects.create(
        municipality=case.municipality,
        laa_reference="L-1",
        postcode="1234AB",
        house_number=1,
        street="Dorpsstraat",
        city="Voorbeeldstad",
        signal_date=delivery.received_on,
        received_on=delivery.received_on,
    )
    walker = UserFactory(caseworker=True, username="rondeloper", municipalities=[case.municipality])
    visit_round = HomeVisitRound.objects.create(
        municipality=case.municipality,
        day=delivery.received_on,
        part_of_day="Middag",
        caseworker=walker,
        scope="mine",
        cap=10,
        planned_by=walker,
    )
    RoundVisit.objects.create(round=visit_round, position=1, case=case)
    return {
        "visit-round-detail": [visit_round.pk],
        "visit-round-record": [visit_round.pk],
        "visit-round-delete": [visit_round.pk],
        "feedback-consent": [case.pk],
        "feedback-consent-told": [case.pk],
        "objection-create": [case.pk],
        "laa-detail": [laa.pk],
        "laa-close": [laa.pk],
        "platform-feedback": [profile.pk],
        "objection-withdraw": [case.pk, 1],
        "report-csv": ["eindresultaten"],
        "reach-csv": ["bereik-per-soort"],
        "pause-follow-up": [case.pk, pause.pk],
        "delivery-detail": [delivery.public_id],
        "api-delivery": [delivery.public_id],
        "ddas-api-other": ["leveringen"],
        "api-key-revoke": [1],
        "api-key-rotate": [1],
        "api-oauth-client-revoke": [1],
        "api-oauth-client-rotate": [1],
        "document": ["signaal-csv-v1"],
        "example-file": ["voorbeeld-signalen-huur"],
        "delivery-rejected-csv": [delivery.public_id],
        "case-detail": [case.pk],
        "case-step": [case.pk, "pick_up"],
        "case-close": [case.pk],
        "case-reopen": [case.pk],
        "case-threatening": [case.pk],
        "crisis-proposal-dismiss": [case.pk],
        "crisis-term-withdraw": [case.pk, 1],
        "case-brp-check": [case.pk],
        "finding-confirm": [case.pk, finding.pk],
        "tray-edit": [tray.pk],
        "contact-plan-edit": [default_plan_for(municipality_id=case.municipality_id).pk],
        "plan-step-change": [case.pk],
        "contact-attempt-create": [case.pk],
        "note-create": [case.pk],
        "action-plan-edit": [case.pk],
        "action-plan-print": [case.pk, plan.version],
        "case-message": [case.pk, "brief"],
        "reply-page": [code_display(reply_code_issue(case=case, resident=resident, user=functional_admin))],
        "reply-codes-revoke": [case.pk],
    }
