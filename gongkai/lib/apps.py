from django.apps import AppConfig


class LibConfig(AppConfig):
    """The shared helpers; an app only for the rate-limit counter table (ratelimit.py)."""

    name = "gongkai.lib"
    label = "lib"
    verbose_name = "基础设施"

    def ready(self) -> None:
        # Every Django-admin edit (agencies, site profile …) also goes to the audit log's
        # hash chain; admin's own LogEntry table can be edited by anyone with the database.
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from gongkai.lib.admin import audit_admin_edit

        post_save.connect(
            audit_admin_edit, sender=LogEntry, dispatch_uid="gongkai_admin_audit", weak=False
        )
