from django.urls import path

from gongkai.pki import views

app_name = "pki_public"
urlpatterns = [
    path("crl.crl", views.crl_der, name="crl"),
    path("crl.pem", views.crl_pem, name="crl_pem"),
    path("ca.crt", views.ca_certificate, name="ca_certificate"),
    path("challenge/", views.challenge_login, name="challenge"),
]
