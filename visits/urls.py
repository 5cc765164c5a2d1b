"""Home-visit rounds, under the caseworker's pages (included at /werk/huisbezoeken/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.round_list, name="visit-round-list"),
    path("nieuw/", views.round_create, name="visit-round-create"),
    path("<int:pk>/", views.round_detail, name="visit-round-detail"),
    path("<int:pk>/vastleggen/", views.round_record_view, name="visit-round-record"),
    path("<int:pk>/verwijderen/", views.round_delete_view, name="visit-round-delete"),
]
