from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"

    def ready(self) -> None:
        # Every change to published content reaches the search index; the portal listens
        # there to drop its cached pages and purge the nginx cache.
        from gongkai.portal.caching import content_changed
        from gongkai.search.api import register_change_hook

        register_change_hook(content_changed)
