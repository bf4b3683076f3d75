"""Access functions of the 互动交流 app: one per protected object type.

Each returns the object if ``user`` may see it in the console (404 for missing and invisible
alike); ``write=True`` also needs a role that may act on it (403). The public reaches
published records through ``public()`` querysets only, and a citizen reaches their own
留言 through number + query code (``public_views.get_question_for_citizen``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from gongkai.interaction.models import Consultation, Interpretation, Interview, Question, Survey
from gongkai.interaction.services.common import NON_VIEWER_ROLES, is_coordinator


def can_write(user: Any, agency_id: int | None) -> bool:
    """Everyone but read-only staff of the agency, and the coordination office."""
    if agency_id is not None and user.roles_in(agency_id) & NON_VIEWER_ROLES:
        return True
    return is_coordinator(user, agency_id)


def _get(model: type[models.Model], user: Any, pk: Any, write: bool, what: str) -> Any:
    try:
        obj = model.objects.for_user(user).select_related("agency").get(pk=pk)  # type: ignore[attr-defined]
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404(f"{what}不存在或无权查看。") from None
    if write and not can_write(user, obj.agency_id):
        raise PermissionDenied(f"您无权办理该{what}。")
    return obj


def get_question_for_user(user: Any, pk: Any, *, write: bool = False) -> Question:
    """A 留言 (see ``QuestionQuerySet.for_user``); the three administrators never see one."""
    return _get(Question, user, pk, write, "留言")  # type: ignore[no-any-return]


def get_interpretation_for_user(user: Any, pk: Any, *, write: bool = False) -> Interpretation:
    return _get(Interpretation, user, pk, write, "解读回应")  # type: ignore[no-any-return]


def get_consultation_for_user(user: Any, pk: Any, *, write: bool = False) -> Consultation:
    return _get(Consultation, user, pk, write, "意见征集")  # type: ignore[no-any-return]


def get_survey_for_user(user: Any, pk: Any, *, write: bool = False) -> Survey:
    return _get(Survey, user, pk, write, "网上调查")  # type: ignore[no-any-return]


def get_interview_for_user(user: Any, pk: Any, *, write: bool = False) -> Interview:
    return _get(Interview, user, pk, write, "在线访谈")  # type: ignore[no-any-return]


def can_see_personal_data(user: Any, question: Question) -> bool:
    """Unmasked name and contact: the agency's staff handling it and the coordination
    office (they may need to call back); read-only viewers see masked values."""
    return can_write(user, question.agency_id)
