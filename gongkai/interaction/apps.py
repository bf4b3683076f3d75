from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from gongkai.workdays.hooks import register_recompute_hook

        register_recompute_hook(_recompute_hook)


def _recompute_hook(reason: str = "") -> list:
    """Calendar changed: recompute the answer deadline of every open 留言."""
    from gongkai.interaction.services import question_recompute_deadlines

    return question_recompute_deadlines()
