"""Every audit action code in the code base has a Chinese label, and codes follow one scheme.

The scan reads every module under ``gongkai/`` (tests and migrations excluded) and collects
the first argument of each ``audit_log(...)`` call: a string literal is a code; an f-string
is a pattern whose placeholders must be covered by labelled codes; a conditional picks
between literals. When the code is a variable (a helper taking ``action``), every string
literal of that app shaped like a code (``<app>.<entity>.<verb>``) counts as a code. Any
other expression is reported so that it can be made scannable.
"""

from __future__ import annotations

import ast
import fnmatch
import pathlib
import re

from django.test import SimpleTestCase

from gongkai.audit.labels import (
    ACTION_LABELS,
    LEGACY_CODES,
    action_label,
    codes_for,
    field_label,
    field_value,
    object_type_label,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEME = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+(\.[a-z_]+)*$")


def _codes(node: ast.expr) -> list[str] | None:
    """Codes (literal or glob pattern) an expression can evaluate to, or None if unknown."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = [
            v.value if isinstance(v, ast.Constant) else "*" for v in node.values
        ]  # fmt: skip
        return ["".join(str(p) for p in parts)]
    if isinstance(node, ast.IfExp):
        a, b = _codes(node.body), _codes(node.orelse)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _codes(node.left), _codes(node.right)
        if left is None or right is None:
            return None
        return [x + y for x in left for y in right]
    return None


def scan() -> tuple[dict[str, list[str]], list[str]]:
    """{code or pattern: [file:line, …]} and the calls whose code could not be read."""
    found: dict[str, list[str]] = {}
    unreadable: list[str] = []
    literals: dict[str, dict[str, list[str]]] = {}  # app → {code-shaped literal: [where]}
    variable_apps: set[str] = set()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        app = rel.parts[0]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(f"{app}.")
                and SCHEME.match(node.value)
            ):
                literals.setdefault(app, {}).setdefault(node.value, []).append(
                    f"{rel}:{node.lineno}"
                )
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name != "audit_log":
                continue
            codes = _codes(node.args[0])
            where = f"{rel}:{node.lineno}"
            if codes is None:
                if isinstance(node.args[0], ast.Name):
                    variable_apps.add(app)
                else:
                    unreadable.append(f"{where}: {ast.unparse(node.args[0])}")
                continue
            for code in codes:
                found.setdefault(code, []).append(where)
    for app in variable_apps:
        for code, where_list in literals.get(app, {}).items():
            found.setdefault(code, []).extend(where_list)
    return found, unreadable


class ActionLabelTest(SimpleTestCase):
    def test_it_finds_the_audit_calls(self) -> None:
        found, _ = scan()
        self.assertIn("publishing.item.published", found)
        self.assertGreater(len(found), 60)

    def test_it_has_a_chinese_label_for_every_code_in_the_code_base(self) -> None:
        found, unreadable = scan()
        self.assertEqual(
            unreadable, [], "audit_log(...) with a code the scan cannot read; use a literal"
        )
        missing = []
        for code, where in sorted(found.items()):
            if "*" in code:
                if not any(fnmatch.fnmatchcase(c, code) for c in ACTION_LABELS):
                    missing.append(f"{code} ({where[0]})")
            elif code not in ACTION_LABELS:
                missing.append(f"{code} ({where[0]})")
        self.assertEqual(
            missing, [], "add these codes with a Chinese label to gongkai/audit/labels.py"
        )

    def test_it_uses_one_scheme_for_every_code(self) -> None:
        found, _ = scan()
        bad = [c for c in found if not SCHEME.match(c.replace("*", "x"))]
        self.assertEqual(bad, [], "action codes are app.entity.verb")
        self.assertEqual([c for c in ACTION_LABELS if not SCHEME.match(c)], [])

    def test_it_labels_in_chinese(self) -> None:
        for code, label in ACTION_LABELS.items():
            self.assertRegex(label, r"[\u4e00-\u9fff]", code)

    def test_it_maps_every_legacy_code_to_a_labelled_code(self) -> None:
        for old, new in LEGACY_CODES.items():
            self.assertIn(new, ACTION_LABELS, old)
            self.assertNotIn(old, ACTION_LABELS)
        self.assertEqual(action_label("pki.certificate_login"), "证书登录")
        self.assertEqual(action_label("application.registered"), "登记申请")
        self.assertEqual(action_label("no.such.code"), "no.such.code")

    def test_it_filters_by_code_and_by_app_including_legacy_codes(self) -> None:
        self.assertEqual(
            sorted(codes_for("pki.certificate.login")),
            ["pki.certificate.login", "pki.certificate_login"],
        )
        whole_app = codes_for("workdays.")
        self.assertIn("workdays.recomputed", whole_app)
        self.assertIn("workdays.day.created", whole_app)
        self.assertNotIn("pki.ca.created", whole_app)

    def test_it_names_object_types_by_their_model(self) -> None:
        self.assertEqual(object_type_label("accounts.user"), "用户")
        self.assertEqual(object_type_label("nothing.here"), "nothing.here")

    def test_it_names_changed_fields_and_choice_values_in_chinese(self) -> None:
        from gongkai.publishing.models import Revision

        self.assertEqual(field_label("accounts.user", "username"), "用户名")
        self.assertEqual(field_label("page:audit:list", "status"), "HTTP状态码")
        self.assertEqual(field_label("publishing.revision", "no_such_field"), "no_such_field")
        self.assertEqual(
            field_value("publishing.revision", "status", Revision.Status.IN_REVIEW),
            Revision.Status.IN_REVIEW.label,
        )
        self.assertEqual(field_value("publishing.revision", "title", "x"), "x")
