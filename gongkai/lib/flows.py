"""Workflows as data: one transition table per workflow, read by services, views and docs.

A ``Workflow`` lists its states and its ``Transition`` s. Each transition names the states it
leaves from, where it goes, who may take it (in words, for the docs) and the predicate
``can(user, obj)`` that decides it. Services call ``workflow.require(verb, user, obj)`` as
their guard (the error they raise is their own); views and templates ask
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


@dataclass(frozen=True)
class Transition:
    """One step of a workflow."""

    verb: str  # the service verb: ``can_<verb>`` / ``<entity>_<verb>``
    label: str  # Chinese, as on the button
    sources: tuple[str, ...]  # states it may start from
    target: str  # the state it leads to (or a Chinese description when it depends)
    who: str  # Chinese: who may take it, with the extra conditions
    can: Predicate = _always  # the condition beyond "status is a source"


@dataclass(frozen=True)
class Workflow:
    """The states and transitions of one object type."""

    key: str
    title: str  # Chinese
    states: list[tuple[str, str]]  # (value, Chinese label), in order
    transitions: list[Transition]
    status_of: Callable[[Any], str] = lambda obj: obj.status
    notes: list[str] = field(default_factory=list)

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

    def require(self, verb: str, user: Any, obj: Any, error: type[Exception], message: str) -> None:
        """Raise ``error(message)`` unless ``user`` may take ``verb`` on ``obj``."""
        if not self.can(verb, user, obj):
            raise error(message)

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
