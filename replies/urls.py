"""reply-*: the public reply page (/antwoord/) and revoking a case's codes."""

from django.urls import path

from . import views

urlpatterns = [
    path("antwoord/", views.reply_start, name="reply-start"),
    path("antwoord/ontvangen/", views.reply_thanks, name="reply-thanks"),
    path("antwoord/<str:code>/", views.reply_page, name="reply-page"),
    path("zaken/<int:pk>/antwoordcodes/intrekken/", views.reply_codes_revoke_view, name="reply-codes-revoke"),
]
