"""Shared guards, helpers, constants and query codes of the application services.

The guard of every step is the transition table (``applications/flows.py``): ``_guard``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import APPLICATION_DESK_ROLES as APPLICATION_DESK_ROLES
from gongkai.accounts.models import APPLICATION_HANDLER_ROLES
from gongkai.applications import clock
from gongkai.applications.flows import APPLICATION_WORKFLOW, is_handler
from gongkai.applications.models import (
    Application,
    Event,
    Notice,
    NoticeKind,
    OutboxMessage,
)
from gongkai.applications.notices import NoticeTemplateMissing, notice_issue
from gongkai.lib.taxonomy import Channel

S = Application.Status
logger = logging.getLogger(__name__)
QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 10
NUMBER_RE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")
CONSULTATION_WORKDAYS = 15
LAPSE_OUTCOMES = {"other_no_correction", "other_unpaid"}
# Outcome cells whose notice the handler may choose instead of the cell's default
# (Art 36(5): "not this agency's information" is counted as （四）1 but has its own notice).
# (Art 36(1): information already published proactively is counted as （一） but cites 36(一).)
ALTERNATIVE_NOTICES = {
    "unable_not_held": {NoticeKind.NOT_THIS_AGENCY},
    "disclose": {NoticeKind.DISCLOSE_PUBLISHED},
}
# Channels whose receipt date is the day both sides confirm (Art 31 (三)).
CONFIRM_CHANNELS = {Channel.ONLINE, Channel.FAX}
HANDLER_ROLES = APPLICATION_HANDLER_ROLES


class ApplicationError(Exception):
    """A step that the rules forbid; the message is Chinese and shown to the user."""


# --- helpers ---------------------------------------------------------------------------


def fee_payment_workdays() -> int:
    return int(getattr(settings, "APPLICATION_FEE_PAYMENT_WORKDAYS", 20))


def correction_default_workdays() -> int:
    return int(getattr(settings, "APPLICATION_CORRECTION_WORKDAYS", 15))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _locked(application: Application) -> Application:
    """The application row locked FOR NO KEY UPDATE — only that row (never the shared agency
    row), and weak enough that FK checks of rows referencing it (duplicate_of) do not block."""
    return (
        Application.objects.select_for_update(of=("self",), no_key=True)
        .select_related("agency", "agency__region")
        .get(pk=application.pk)
    )


def _guard(verb: str, by: Any, app: Application) -> None:
    """THE guard of a step of ``APPLICATION_WORKFLOW``: the table decides who may take
    ``verb`` on ``app`` in its current status, and words the refusal."""
    APPLICATION_WORKFLOW.require(verb, by, app, ApplicationError)


def _require_handler(user: Any, app: Application, action: str) -> None:
    """For the steps on a consultation record (not transitions of the application)."""
    if not is_handler(user, app):
        raise ApplicationError(f"只有本件的承办人或信息公开工作机构负责人可以{action}。")


def _guard_state(verb: str, app: Application) -> None:
    """The guard of a step the applicant takes without a staff user (on the tracking page):
    the table's status and object conditions, not its staff-role conditions."""
    APPLICATION_WORKFLOW.require_state(verb, app, ApplicationError)


def _not_future(day: dt.date, today: dt.date, what: str) -> None:
    if day > today:
        raise ApplicationError(f"{what}不能晚于今天（{today.isoformat()}）。")


def _event(
    app: Application, kind: str, text: str, *, on: dt.date, actor: Any = None, public: bool = True
) -> Event:
    return Event.objects.create(
        application=app,
        kind=kind,
        text=text[:300],
        on=on,
        public=public,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _notify(app: Application, subject: str, body: str) -> None:
    """Outbox rows (e-mail; SMS when enabled) written in the caller's transaction."""
    footer = (
        f"\n\n申请编号：{app.number}\n受理机关：{app.agency.name}\n"
        "您可以凭申请编号和查询码在政府信息公开网“依申请公开—办理查询”查看进度和文书。"
    )
    if app.email:
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            to=app.email,
            subject=f"【政府信息公开】{subject}",
            body=body + footer,
            application=app,
        )
    if getattr(settings, "SMS_ENABLED", False) and app.phone:
        OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.SMS,
            to=app.phone,
            subject=subject,
            body=f"{subject}（申请编号{app.number}）",
            application=app,
        )
    transaction.on_commit(_kick_outbox)


def _kick_outbox() -> None:
    from gongkai.applications import tasks

    tasks.send_outbox.delay()


def _refresh_clock(
    app: Application, *, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """Recompute ``due_on`` and its explanation from the events; returns (old, new)."""
    from gongkai.workdays.calendar import CalendarMissingError
    from gongkai.workdays.deadlines import DeadlineInputError

    old = app.due_on
    try:
        result = clock.compute(app, today=today)
    except (CalendarMissingError, DeadlineInputError) as exc:
        app.clock_error = str(exc)[:200]
        app.save(update_fields=["clock_error"])
        return old, old
    if result is None:
        app.due_on, app.due_explanation, app.clock_error = None, [], ""
    else:
        app.due_on = result.final_due_on
        app.due_explanation = list(result.explanation)
        app.clock_error = ""
    app.save(update_fields=["due_on", "due_explanation", "clock_error"])
    return old, app.due_on


def _check_clock(app: Application, *, today: dt.date) -> Any:
    """Compute the clock and turn engine errors into ApplicationError (for guards)."""
    from gongkai.workdays.calendar import CalendarMissingError
    from gongkai.workdays.deadlines import DeadlineInputError

    try:
        return clock.compute(app, today=today)
    except (CalendarMissingError, DeadlineInputError) as exc:
        raise ApplicationError(str(exc)) from exc


def _issue(
    app: Application, kind: str, *, by: Any, today: dt.date, extra: dict[str, Any] | None = None
) -> Notice:
    try:
        notice = notice_issue(application=app, kind=kind, by=by, today=today, extra=extra)
    except NoticeTemplateMissing as exc:
        raise ApplicationError(str(exc)) from exc
    _event(app, "notice", f"制发《{notice.title}》（{notice.doc_number}）", on=today, actor=by)
    return notice


@contextlib.contextmanager
def _discard_files_on_error() -> Iterator[list[Any]]:
    """Collect the files (``FieldFile``) a step writes to storage; if the step fails, delete
    them again. Use it *outside* the step's ``transaction.atomic()``: when the block raises,
    the transaction (or savepoint) has rolled back, so no row refers to those files and they
    would otherwise stay on disk for ever. Files of a step that succeeds are kept.

    Limitation: when the step runs inside a caller's outer transaction that commits the
    step's savepoint and later rolls back for another reason, the files stay (Django has
    no rollback hook); every caller in this app lets the step's own error propagate.
    """
    written: list[Any] = []
    try:
        yield written
    except BaseException:
        for f in written:
            name = getattr(f, "name", "")
            if not name:
                continue
            try:
                f.storage.delete(name)
            except Exception:  # noqa: BLE001 - cleanup must never hide the real error
                logger.warning("could not delete orphaned upload %s", name, exc_info=True)
        raise


def _store_file(field_file: Any, upload: Any, written: list[Any]) -> None:
    """Write ``upload`` through ``field_file`` now (its storage name is decided here) and
    remember it for ``_discard_files_on_error``."""
    field_file.save(getattr(upload, "name", "") or "file", upload, save=False)
    written.append(field_file)


# --- query codes ------------------------------------------------------------------------


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalise_query_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def hash_query_code(number: str, code: str) -> str:
    key = hashlib.sha256(("gongkai-query-code|" + settings.SECRET_KEY).encode("utf-8")).digest()
    return hmac.new(
        key, f"{number}|{normalise_query_code(code)}".encode(), hashlib.sha256
    ).hexdigest()


def check_query_code(number: str, code: str) -> Application | None:
    """The application with ``number`` if ``code`` matches (constant-time), else None.

    A missing number costs the same HMAC and comparison as a wrong code.
    """
    number = (number or "").strip().upper()
    if not NUMBER_RE.fullmatch(number):
        number = ""  # never send control characters or junk to the database
    app = Application.objects.filter(number=number).select_related("agency").first()
    expected = app.query_code_hash if app and app.query_code_hash else "0" * 64
    given = hash_query_code(app.number if app else "x", code)
    ok = hmac.compare_digest(expected, given)
    return app if ok and app is not None else None
