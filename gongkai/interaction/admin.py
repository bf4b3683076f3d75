"""System-configuration views (the system administrator). 留言, comments and survey answers
are not registered: they carry citizens' personal data, which none of the three
administrators needs (三员分立); they are handled in the console by agency staff."""

from django.contrib import admin

from gongkai.interaction.models import Consultation, Interpretation, Interview, Survey
from gongkai.lib.admin import SystemAdminModelAdmin


class ReadOnlyAdmin(SystemAdminModelAdmin):
    """Listing only: every change goes through the console's audited services."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Interpretation)
class InterpretationAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "agency", "status", "published_at"]
    list_filter = ["kind", "status"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "opens_on", "closes_on", "is_published"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "opens_on", "closes_on", "is_published"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "starts_at", "is_published"]
