"""Console pages of the API app: the security administrator's agency tokens."""

from django.urls import path

from gongkai.api import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
