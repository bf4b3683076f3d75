from django.apps import AppConfig


class PkiConfig(AppConfig):
    name = "gongkai.pki"
    label = "pki"
