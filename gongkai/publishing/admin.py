"""Configuration by the system administrator: review stages per agency and the topic list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from gongkai.accounts.models import Role
from gongkai.lib.admin import SystemAdminModelAdmin
from gongkai.publishing.models import ReviewStage, Topic


class ReviewStageForm(forms.ModelForm):
    role = forms.ChoiceField(
        label="审核角色",
        choices=[
            (Role.PROOFREADER, Role.PROOFREADER.label),
            (Role.APPROVER, Role.APPROVER.label),
            (Role.DEPT_HEAD, Role.DEPT_HEAD.label),
            (Role.OFFICE_HEAD, Role.OFFICE_HEAD.label),
        ],
    )

    class Meta:
        model = ReviewStage
        fields = ["agency", "order", "name", "role"]


@admin.register(ReviewStage)
class ReviewStageAdmin(SystemAdminModelAdmin):
    """Stages with no agency are the default chain (一校, 二校, 终审); an agency that has its
    own rows uses only those (e.g. a single 审核 stage for a small township)."""

    form = ReviewStageForm
    list_display = ["agency", "order", "name", "role"]
    list_filter = ["agency"]

    def save_model(self, request: Any, obj: ReviewStage, form: Any, change: bool) -> None:
        from gongkai.audit.services import audit_log

        super().save_model(request, obj, form, change)
        audit_log(
            "publishing.stage.saved",
            obj=obj,
            actor=request.user,
            changes={k: [None, form.cleaned_data[k]] for k in form.changed_data},
        )

    def delete_model(self, request: Any, obj: ReviewStage) -> None:
        from gongkai.audit.services import audit_log

        audit_log("publishing.stage.deleted", obj=obj, actor=request.user)
        super().delete_model(request, obj)


@admin.register(Topic)
class TopicAdmin(SystemAdminModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # catalog items refer to topics
