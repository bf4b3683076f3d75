from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.workdays.hooks import register_recompute_hook

        register_recompute_hook(_recompute_hook)


def _recompute_hook(reason: str = "") -> list:
    """Calendar changed: recompute the due date of every open application."""
    from gongkai.applications.services import recompute_open_deadlines

    return recompute_open_deadlines(reason)
