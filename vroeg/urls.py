from django.contrib import admin
from django.urls import path

from signals import views as signal_views
from vroeg import health, views
from vroeg.accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),
    path("werk/", views.caseworker_dashboard, name="caseworker-dashboard"),
    path("team/", views.team_dashboard, name="team-dashboard"),
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
    path("healthz", health.healthz, name="healthz"),
    path("beheer/", admin.site.urls),
]
