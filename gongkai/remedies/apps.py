from django.apps import AppConfig


class RemediesConfig(AppConfig):
    name = "gongkai.remedies"
    label = "remedies"
