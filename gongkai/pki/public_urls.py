from django.urls import path  # noqa: F401

app_name = "pki_public"
urlpatterns: list = []
