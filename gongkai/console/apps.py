from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "gongkai.console"
    label = "console"
