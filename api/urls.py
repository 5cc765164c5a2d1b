"""The partner API (/api/v1/) and the partner portal's page for API keys and OAuth2
clients. Of django-oauth-toolkit only the token endpoint is served (no authorization
pages, no client management of its own)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views, views_clients, views_keys

urlpatterns = [
    # Machine to machine: authenticated by an API key, not by a login session.
    path("api/v1/leveringen/", login_not_required(views.DeliveryCreateView.as_view()), name="api-deliveries"),
    path(
        "api/v1/leveringen/<uuid:public_id>/",
        login_not_required(views.DeliveryDetailView.as_view()),
        name="api-delivery",
    ),
    path("api/v1/terugkoppeling/", login_not_required(views.FeedbackView.as_view()), name="api-feedback"),
    path("api/v1/schema/", login_not_required(views.SchemaView.as_view()), name="api-schema"),
    path("api/v1/oauth/token/", login_not_required(views.OAuthTokenView.as_view()), name="api-oauth-token"),
    # The partner portal.
    path("partner/api-sleutels/", views_keys.key_list, name="api-keys"),
    path("partner/api-sleutels/<int:pk>/intrekken/", views_keys.key_revoke, name="api-key-revoke"),
    path("partner/api-sleutels/<int:pk>/vervangen/", views_keys.key_rotate, name="api-key-rotate"),
    path("partner/api-sleutels/oauth-clients/", views_clients.client_create, name="api-oauth-clients"),
    path(
        "partner/api-sleutels/oauth-clients/<int:pk>/intrekken/",
        views_clients.client_revoke,
        name="api-oauth-client-revoke",
    ),
    path(
        "partner/api-sleutels/oauth-clients/<int:pk>/geheim-vervangen/",
        views_clients.client_rotate_secret,
        name="api-oauth-client-rotate",
    ),
]
