from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "gongkai.outreach"
    label = "outreach"
