from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from gongkai.search import checks  # noqa: F401 - registers the system checks
        from gongkai.search.backends import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="gk_search_sqlite")
