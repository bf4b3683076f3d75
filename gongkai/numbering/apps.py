from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "gongkai.numbering"
    label = "numbering"
