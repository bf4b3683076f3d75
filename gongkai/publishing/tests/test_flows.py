"""Workflows as data: the tables are consistent, docs/workflows.md is generated from them,
and the buttons a page offers are exactly the actions the services accept."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import transaction

from gongkai.lib.flows import all_workflows, splice, workflows_markdown
from gongkai.publishing import services
from gongkai.publishing.flows import CHANGE_WORKFLOW, REVISION_WORKFLOW
from gongkai.publishing.models import Revision
from gongkai.publishing.services import PublishingError
from gongkai.publishing.tests.factories import fields, published
from gongkai.test import BaseTestCase


class Rollback(Exception):
    pass


def accepted(call: object) -> bool:
    """Whether the service accepts the call (its effects are rolled back either way)."""
    try:
        with transaction.atomic():
            call()  # type: ignore[operator]
            raise Rollback
    except Rollback:
        return True
    except PublishingError:
        return False


class TablesTest(BaseTestCase):
    def test_it_names_only_known_states_and_one_predicate_per_transition(self) -> None:
        workflows = all_workflows()
        self.assertEqual(
            {w.key for w in workflows} >= {
                "catalog.revision", "catalog.change_request", "applications.application",
                "pki.new", "reports.annual_report",
            },
            True,
        )  # fmt: skip
        for w in workflows:
            states = {value for value, _label in w.states}
            for t in w.transitions:
                self.assertLessEqual(set(t.sources), states, (w.key, t.verb))
                self.assertTrue(callable(t.can), (w.key, t.verb))
                self.assertTrue(t.who and t.label, (w.key, t.verb))

    def test_the_docs_tables_are_generated_from_the_transition_tables(self) -> None:
        path = Path(__file__).resolve().parents[3] / "docs" / "workflows.md"
        text = path.read_text(encoding="utf-8")
        self.assertEqual(text, splice(text, workflows_markdown()), "运行 manage.py workflow_docs")
        call_command("workflow_docs", "--check", stdout=io.StringIO())

    def test_the_check_fails_when_the_docs_drift(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            stale = Path(tmp) / "workflows.md"
            text = splice("# 文档\n", workflows_markdown()).replace("提交审核", "送审")
            stale.write_text(text, encoding="utf-8")
            target = "gongkai.publishing.management.commands.workflow_docs.docs_path"
            with mock.patch(target, return_value=stale):
                with self.assertRaisesMessage(CommandError, "不一致"):
                    call_command("workflow_docs", "--check")
                call_command("workflow_docs", stdout=io.StringIO())
                self.assertIn("提交审核", stale.read_text(encoding="utf-8"))


class ButtonsMatchServicesTest(BaseTestCase):
    def test_review_buttons_agree_with_the_review_service_for_every_persona(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        services.review_record(revision=rev, by=self.wangwu, decision="approve")  # at 二校 now
        offered = set()
        for name, user in self.personas().items():
            fresh = Revision.objects.select_related("item", "stage").get(pk=rev.pk)
            can = REVISION_WORKFLOW.can("review_approve", user, fresh)
            ok = accepted(
                lambda u=user, r=fresh: services.review_record(revision=r, by=u, decision="approve")
            )
            self.assertEqual(can, ok, name)
            if can:
                offered.add(name)
        self.assertEqual(offered, {"qianqi"})  # not wangwu (did 一校), not lisi (the author)

    def test_change_step_buttons_agree_with_the_change_service_for_every_persona(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.sunba, kind="delete", reason="信息已过时，申请撤回"
        )
        for name, user in self.personas().items():
            can = CHANGE_WORKFLOW.can("step", user, cr)
            ok = accepted(
                lambda u=user: services.change_request_step(request=cr, by=u, accept=True)
            )
            self.assertEqual(can, ok, name)
        self.assertFalse(CHANGE_WORKFLOW.can("step", self.sunba, cr))  # the requester
