from django.apps import AppConfig


class MsPeerConfig(AppConfig):
    name = "mspeer"
    label = "mspeer"
    default_auto_field = "django.db.models.BigAutoField"
