"""The report "Bereik" (reports/views_reach.py), under /team/rapportages/bereik/."""

from django.urls import path

from . import views_reach

urlpatterns = [
    path("", views_reach.reach_page, name="reach"),
    path("bereik.xlsx", views_reach.reach_xlsx, name="reach-xlsx"),
    path("<slug:key>.csv", views_reach.reach_csv, name="reach-csv"),
]
