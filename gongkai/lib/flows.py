"""Workflows as data: one transition table per workflow, read by services, views and docs.

A ``Workflow`` lists its states and its ``Transition`` s. Each transition names the states it
leaves from, where it goes, who may take it (in words, for the docs) and the predicate
``can(user, obj)`` that decides it. Services call ``workflow.require(verb, user, obj, error)``
as their guard (the error class is their own; the Chinese message comes from the table: a
``Rule`` predicate names the reason of each of its conditions, and a status outside the
transition's sources gets the workflow's ``status_message``); views and templates ask
``workflow.allowed(user, obj)`` which buttons to show, so a user never sees a button whose
action the service would refuse. ``workflows_markdown()`` renders every table for
docs/workflows.md; a test fails when the file drifts from the tables.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Predicate = Callable[[Any, Any], bool]

# The modules that define ``WORKFLOWS`` (fixed list: no plugin discovery).
WORKFLOW_MODULES = [
    "gongkai.publishing.flows",
    "gongkai.applications.flows",
    "gongkai.pki.services.flows",
    "gongkai.reports.flows",
]


def _always(user: Any, obj: Any) -> bool:
    return True


# A condition of a ``Rule``: a predicate and the Chinese reason shown when it fails (the
# reason may use ``{action}`` and ``{obj.<field>}``), or a function returning the reason
# (or None when the condition holds).
Condition = tuple[Predicate, str] | Callable[[Any, Any], str | None]


class Rule:
    """A transition's predicate made of conditions, each with its refusal reason, so that the
    decision and the message a service shows come from the same line of the table.

    ``who`` conditions are about the user (roles, being the handler …), ``when`` conditions
    about the object; a refusal names the first failing one, then the status. A service
    acting without a user (the applicant on the tracking page, a seeding command) checks only
    the status and the ``when`` conditions (``Workflow.require_state``).
    """

    def __init__(
        self, name: str, *, who: Iterable[Condition] = (), when: Iterable[Condition] = ()
    ) -> None:
        self.__name__ = name
        self.who = tuple(who)
        self.when = tuple(when)

    def __call__(self, user: Any, obj: Any) -> bool:
        return self.why(user, obj) is None

    def __repr__(self) -> str:
        return f"Rule({self.__name__})"

    @staticmethod
    def _failed(conditions: tuple[Condition, ...], user: Any, obj: Any) -> str | None:
        for cond in conditions:
            if isinstance(cond, tuple):
                predicate, message = cond
                if not predicate(user, obj):
                    return message
            else:
                reason = cond(user, obj)
                if reason:
                    return reason
        return None

    def why_who(self, user: Any, obj: Any) -> str | None:
        return self._failed(self.who, user, obj)

    def why_when(self, user: Any, obj: Any) -> str | None:
        return self._failed(self.when, user, obj)

    def why(self, user: Any, obj: Any) -> str | None:
        """The reason (unformatted) the first failing condition gives, or None."""
        return self.why_who(user, obj) or self.why_when(user, obj)


@dataclass(frozen=True)
class Transition:
    """One step of a workflow."""

    verb: str  # the service verb: ``can_<verb>`` / ``<entity>_<verb>``
    label: str  # Chinese, as on the button
    sources: tuple[str, ...]  # states it may start from
    target: str  # the state it leads to (or a Chinese description when it depends)
    who: str  # Chinese: who may take it, with the extra conditions
    can: Predicate = _always  # the condition beyond "status is a source" (often a ``Rule``)
    action: str = ""  # Chinese verb phrase for refusal messages ("不能{action}"); default label
    status_message: str = ""  # this transition's refusal outside its sources (else the workflow's)

    @property
    def action_text(self) -> str:
        return self.action or self.label


@dataclass(frozen=True)
class Workflow:
    """The states and transitions of one object type."""

    key: str
    title: str  # Chinese
    states: list[tuple[str, str]]  # (value, Chinese label), in order
    transitions: list[Transition]
    status_of: Callable[[Any], str] = lambda obj: obj.status
    notes: list[str] = field(default_factory=list)
    # The refusal when the object's status is not a source of the transition; may use
    # {obj.<field>}, {status} (its label), {action} and {sources} (the sources' labels).
    status_message: str = "当前状态为“{status}”，不能{action}（仅限{sources}）。"

    def transition(self, verb: str, status: str | None = None) -> Transition:
        """The transition ``verb`` (from ``status``, when one verb leaves several states)."""
        for t in self.transitions:
            if t.verb == verb and (status is None or status in t.sources):
                return t
        raise KeyError(f"{self.key}: no transition {verb!r} from {status!r}")

    def can(self, verb: str, user: Any, obj: Any) -> bool:
        """True when ``user`` may take ``verb`` on ``obj`` now."""
        if obj is None or not getattr(user, "is_authenticated", False):
            return False
        status = self.status_of(obj)
        return any(
            t.verb == verb and status in t.sources and bool(t.can(user, obj))
            for t in self.transitions
        )

    def allowed(self, user: Any, obj: Any) -> set[str]:
        """Every verb ``user`` may take on ``obj`` now (the buttons to show)."""
        return {t.verb for t in self.transitions if self.can(t.verb, user, obj)}

    @property
    def verbs(self) -> set[str]:
        return {t.verb for t in self.transitions}

    def _candidates(self, verb: str) -> list[Transition]:
        found = [t for t in self.transitions if t.verb == verb]
        if not found:
            raise KeyError(f"{self.key}: no transition {verb!r}")
        return found

    def _format(self, message: str, t: Transition, obj: Any) -> str:
        status = self.status_of(obj)
        sources = "、".join(self.state_label(s) for s in t.sources)
        return message.format(
            obj=obj, action=t.action_text, status=self.state_label(status), sources=sources
        )

    def refusal(self, verb: str, user: Any, obj: Any) -> str | None:
        """Why ``user`` may not take ``verb`` on ``obj`` now (Chinese), or None when they may:
        the first failing condition of the transition's ``Rule`` (user conditions first), else
        the status message when the status is not one of its sources."""
        candidates = self._candidates(verb)
        if self.can(verb, user, obj):
            return None
        if obj is None or not getattr(user, "is_authenticated", False):
            return "请先登录。"
        status = self.status_of(obj)
        t = next((c for c in candidates if status in c.sources), candidates[0])
        reason = t.can.why(user, obj) if isinstance(t.can, Rule) else None
        if reason is None:
            outside = t.status_message or self.status_message
            reason = outside if status not in t.sources else "您不能{action}。"
        return self._format(reason, t, obj)

    def require(
        self, verb: str, user: Any, obj: Any, error: type[Exception], message: str | None = None
    ) -> None:
        """THE guard of a service: raise ``error`` unless ``user`` may take ``verb`` on ``obj``,
        with ``message`` or else the reason the table gives (``refusal``)."""
        if not self.can(verb, user, obj):
            raise error(message or self.refusal(verb, user, obj) or f"不能{verb}。")

    def state_refusal(self, verb: str, obj: Any) -> str | None:
        """For a step taken without a staff user (the applicant on the tracking page, a
        seeding command): why the object's status or the ``when`` conditions of the rule
        refuse ``verb`` (the ``who`` conditions do not apply), or None."""
        candidates = self._candidates(verb)
        status = self.status_of(obj)
        t = next((c for c in candidates if status in c.sources), candidates[0])
        reason = t.can.why_when(None, obj) if isinstance(t.can, Rule) else None
        if reason is None and status not in t.sources:
            reason = t.status_message or self.status_message
        return self._format(reason, t, obj) if reason else None

    def require_state(
        self, verb: str, obj: Any, error: type[Exception], message: str | None = None
    ) -> None:
        """The guard of a step taken without a staff user (``state_refusal``)."""
        reason = self.state_refusal(verb, obj)
        if reason:
            raise error(message or reason)

    def state_label(self, value: str) -> str:
        return dict(self.states).get(value, value)

    def markdown(self) -> str:
        """The workflow as Markdown: states, then the transition table."""
        lines = [f"### {self.title} (`{self.key}`)", ""]
        lines.append("状态：" + "、".join(f"{label}（`{value}`）" for value, label in self.states))
        lines += [
            "",
            "| 操作 | verb | 谓词 | 起始状态 | 结果状态 | 谁可以办理 |",
            "|---|---|---|---|---|---|",
        ]
        for t in self.transitions:
            sources = "、".join(self.state_label(s) for s in t.sources)
            target = self.state_label(t.target)
            name = getattr(t.can, "__name__", "")
            predicate = (
                f"`{name}`" if name.startswith("can_") or name.startswith("is_") else "表内条件"
            )
            lines.append(
                f"| {t.label} | `{t.verb}` | {predicate} | {sources} | {target} | {t.who} |"
            )
        for note in self.notes:
            lines += ["", note]
        return "\n".join(lines) + "\n"


def all_workflows(modules: Iterable[str] = WORKFLOW_MODULES) -> list[Workflow]:
    """Every workflow of the product, in the order of ``WORKFLOW_MODULES``."""
    out: list[Workflow] = []
    for name in modules:
        out += list(importlib.import_module(name).WORKFLOWS)
    return out


BEGIN = "<!-- BEGIN GENERATED: manage.py workflow_docs -->"
END = "<!-- END GENERATED -->"


def workflows_markdown() -> str:
    """The generated part of docs/workflows.md."""
    parts = [w.markdown() for w in all_workflows()]
    return BEGIN + "\n\n" + "\n".join(parts) + "\n" + END


def splice(document: str, generated: str) -> str:
    """``document`` with its generated part replaced (appended when it has none)."""
    if BEGIN in document and END in document:
        head, rest = document.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        return head + generated + tail
    return document.rstrip("\n") + "\n\n" + generated + "\n"
