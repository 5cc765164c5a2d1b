from django.contrib import admin
from django.urls import path

from vroeg import health, views
from vroeg.accounts import views as account_views

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),
    path("werk/", views.caseworker_dashboard, name="caseworker-dashboard"),
    path("team/", views.team_dashboard, name="team-dashboard"),
    path("partner/", views.partner_dashboard, name="partner-dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("beheer/", admin.site.urls),
]
