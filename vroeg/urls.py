from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from cases import views as case_views
from cases import views_laa as laa_views
from feedback import views as feedback_views
from feedback import views_platform as platform_feedback_views
from outreach import views as outreach_views
from outreach import views_plans as plan_views
from privacy import views as audit_views
from reports import views as report_views
from reports.ddas import api as ddas_api
from signals import views as signal_views
from signals import views_docs as doc_views
from signals import views_referral as referral_views
from vroeg import health, views
from vroeg.accounts import views as account_views
from vroeg.notifications import views as notification_views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),
    path("inloggen/tweestaps/", account_views.two_factor, name="two-factor"),
    path("inloggen/tweestaps/instellen/", account_views.two_factor_setup, name="two-factor-setup"),
    path("werk/", case_views.case_queue, name="caseworker-dashboard"),
    path("werk/toewijzen/", case_views.case_assign_view, name="case-assign"),
    path("werk/verwijzing/", referral_views.referral_create, name="referral-create"),
    path("werk/adresonderzoek/", laa_views.laa_list, name="laa-list"),
    path("werk/adresonderzoek/<int:pk>/", laa_views.laa_detail, name="laa-detail"),
    path("werk/adresonderzoek/<int:pk>/afsluiten/", laa_views.laa_close, name="laa-close"),
    path("beheer-laa/upload/", laa_views.laa_upload, name="laa-upload"),
    path(
        "beheer-terugkoppeling/<int:pk>/",
        platform_feedback_views.platform_feedback,
        name="platform-feedback",
    ),
    path("team/werkbakjes/", case_views.tray_list, name="tray-list"),
    path("team/werkbakjes/nieuw/", case_views.tray_edit, name="tray-create"),
    path("team/werkbakjes/<int:pk>/", case_views.tray_edit, name="tray-edit"),
    path("team/contactplannen/", plan_views.plan_list, name="contact-plan-list"),
    path("team/contactplannen/nieuw/", plan_views.plan_edit, name="contact-plan-create"),
    path("team/contactplannen/<int:pk>/", plan_views.plan_edit, name="contact-plan-edit"),
    path("werk/huisbezoeken/", include("visits.urls")),  # visit-round-*: visits/urls.py
    path("", include("replies.urls")),  # reply-*: the public reply page (replies/urls.py)
    path("zaken/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("zaken/<int:pk>/stap/<slug:step>/", case_views.case_step, name="case-step"),
    path("zaken/<int:pk>/afsluiten/", case_views.case_close_view, name="case-close"),
    path("zaken/<int:pk>/heropenen/", case_views.case_reopen_view, name="case-reopen"),
    path("zaken/<int:pk>/bedreigend/", case_views.case_threatening_view, name="case-threatening"),
    path("zaken/<int:pk>/niet-bedreigend/", case_views.crisis_proposal_dismiss_view, name="crisis-proposal-dismiss"),
    path(
        "zaken/<int:pk>/crisistermijn/<int:term_id>/intrekken/",
        case_views.crisis_term_withdraw_view,
        name="crisis-term-withdraw",
    ),
    path("zaken/<int:pk>/brp/", case_views.brp_check_view, name="case-brp-check"),
    path(
        "zaken/<int:pk>/contactpoging/",
        outreach_views.contact_attempt_create,
        name="contact-attempt-create",
    ),
    path("zaken/<int:pk>/notitie/", outreach_views.note_create, name="note-create"),
    path("zaken/<int:pk>/contactplan/", plan_views.plan_step_change, name="plan-step-change"),
    path("zaken/<int:pk>/plan/", outreach_views.action_plan_edit, name="action-plan-edit"),
    path("zaken/<int:pk>/bericht/<slug:kind>/", outreach_views.message_view, name="case-message"),
    path(
        "zaken/<int:pk>/plan/<int:version>/",
        outreach_views.action_plan_print,
        name="action-plan-print",
    ),
    path(
        "zaken/<int:pk>/bevindingen/<int:finding_id>/bevestigen/",
        case_views.finding_confirm_view,
        name="finding-confirm",
    ),
    path("zaken/<int:pk>/toestemming/", feedback_views.consent_record, name="feedback-consent"),
    path("zaken/<int:pk>/toestemming/verteld/", feedback_views.consent_resident_told, name="feedback-consent-told"),
    path("zaken/<int:pk>/bezwaar/", case_views.objection_create_view, name="objection-create"),
    path(
        "zaken/<int:pk>/bezwaar/<int:objection_id>/ingetrokken/",
        case_views.objection_withdraw_view,
        name="objection-withdraw",
    ),
    path(
        "zaken/<int:pk>/incassopauze/<int:pause_id>/",
        feedback_views.pause_follow_up,
        name="pause-follow-up",
    ),
    path("meldingen/", notification_views.notification_list, name="notifications"),
    path("team/", report_views.team_dashboard, name="team-dashboard"),
    path("team/rapportages/", report_views.report_page, name="reports"),
    path("team/rapportages/bereik/", include("reports.urls_reach")),  # reach-*: reports/urls_reach.py
    path("team/rapportages/rapportage.xlsx", report_views.report_xlsx, name="report-xlsx"),
    path("team/rapportages/ddas.json", report_views.report_ddas, name="report-ddas"),
    path("team/rapportages/<slug:key>.csv", report_views.report_csv, name="report-csv"),
    path("partner/", signal_views.delivery_list, name="partner-dashboard"),
    path("partner/leveringen/nieuw/", signal_views.delivery_upload, name="delivery-upload"),
    path(
        "partner/leveringen/<uuid:public_id>/",
        signal_views.delivery_detail,
        name="delivery-detail",
    ),
    path(
        "partner/leveringen/<uuid:public_id>/afgewezen.csv",
        signal_views.delivery_rejected_csv,
        name="delivery-rejected-csv",
    ),
    path("partner/terugkoppeling/", feedback_views.partner_feedback, name="partner-feedback"),
    path(
        "partner/terugkoppeling.csv",
        feedback_views.partner_feedback_csv,
        name="partner-feedback-csv",
    ),
    path("partner/cijfers/", feedback_views.partner_figures, name="partner-figures"),
    path("documenten/<slug:slug>/", doc_views.document, name="document"),
    path("documenten/<slug:name>.csv", doc_views.example_file_download, name="example-file"),
    path("privacy/audit/", audit_views.audit_search_view, name="audit-search"),
    path("privacy/audit.csv", audit_views.audit_export_view, name="audit-export"),
    path("healthz", health.healthz, name="healthz"),
    path("beheer/", admin.site.urls),
    *ddas_api.url_patterns(),  # the DDAS pull API for CBS under DDAS_API_PATH_PREFIX (reports/ddas/api.py)
    path("", include("api.urls")),  # the partner API and its keys page (api/urls.py)
]

if settings.OIDC_ENABLED:  # optional single sign-on (vroeg/accounts/oidc.py)
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

    urlpatterns += [
        path(
            "sso/start/", login_not_required(OIDCAuthenticationRequestView.as_view()), name="oidc_authentication_init"
        ),
        path(
            "sso/callback/",
            login_not_required(OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]
