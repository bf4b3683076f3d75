from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"

    def ready(self) -> None:
        # Every change to published content reaches the search index; the portal listens
        # there to drop its cached pages and purge the nginx cache. Guides are not indexed:
        # publishing tells the portal of a new guide version directly.
        from gongkai.portal.caching import content_changed
        from gongkai.publishing.services import register_guide_change_hook
        from gongkai.search.api import register_change_hook

        register_change_hook(content_changed)
        register_guide_change_hook(content_changed)
