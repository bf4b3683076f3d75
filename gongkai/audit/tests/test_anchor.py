"""Anchoring the audit chain outside the database (issue 13): rewound and reset heads are
found with ``verify_audit --anchor-file`` / ``--expect-head``; TRUNCATE is refused on
PostgreSQL; Django-admin edits reach the audit log."""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit.models import AuditEntry, AuditHead
from gongkai.audit.services import GENESIS, audit_log
from gongkai.test import BaseTestCase


def _raw_delete(where: str, params: list[int]) -> None:
    """What a database-only attacker does (past the PostgreSQL append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(f"DELETE FROM audit_auditentry WHERE {where}", params)  # noqa: S608
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


class AnchorTests(BaseTestCase):
    def setUp(self) -> None:
        for n in range(6):
            audit_log("accounts.login.failed", object_repr=f"probe{n}")
        self.path = os.path.join(tempfile.mkdtemp(prefix="gk-anchor-"), "anchor.jsonl")
        call_command("audit_anchor", "--file", self.path, stdout=io.StringIO())
        self.head = AuditHead.objects.get(pk=1)

    def test_it_writes_the_head_to_a_private_file(self) -> None:
        record = json.loads(Path(self.path).read_text(encoding="utf-8").splitlines()[-1])
        self.assertEqual(record["last_id"], self.head.last_id)
        self.assertEqual(record["last_hash"], self.head.last_hash)
        self.assertEqual(stat.S_IMODE(os.stat(self.path).st_mode), 0o600)
        self.assertIn("链头", _verify("--anchor-file", self.path))

    def rewind_to(self, last_id: int) -> None:
        _raw_delete("id > %s", [last_id])
        kept = AuditEntry.objects.filter(id=last_id).first()
        AuditHead.objects.filter(pk=1).update(
            last_id=last_id, last_hash=kept.entry_hash if kept else GENESIS
        )

    def test_a_rewound_head_passes_the_chain_but_not_the_anchor(self) -> None:
        self.rewind_to(self.head.last_id - 2)
        self.assertIn("审计日志完好", _verify())  # the gap issue 13 found
        with self.assertRaisesMessage(CommandError, "已不在审计日志中"):
            _verify("--anchor-file", self.path)
        with self.assertRaisesMessage(CommandError, "已不在审计日志中"):
            _verify("--expect-head", f"{self.head.last_id}:{self.head.last_hash}")

    def test_a_full_delete_with_a_reset_head_is_found(self) -> None:
        self.rewind_to(0)
        self.assertIn("共 0 条", _verify())
        with self.assertRaisesMessage(CommandError, "已不在审计日志中"):
            _verify("--anchor-file", self.path)

    def test_new_entries_after_the_anchor_are_fine(self) -> None:
        audit_log("accounts.login.failed", object_repr="later")
        self.assertIn("一致", _verify("--expect-head", self.head.last_hash))

    def test_an_anchor_at_another_position_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "重新编排"):
            _verify("--expect-head", f"{self.head.last_id + 7}:{self.head.last_hash}")

    def test_it_refuses_bad_arguments_in_chinese(self) -> None:
        with self.assertRaisesMessage(CommandError, "格式"):
            _verify("--expect-head", "x:abc")
        with self.assertRaisesMessage(CommandError, "无法读取锚定文件"):
            _verify("--anchor-file", self.path + ".missing")

    def test_beat_runs_it_every_hour(self) -> None:
        from gongkai.audit.tasks import anchor

        entry = settings.CELERY_BEAT_SCHEDULE["audit-anchor"]
        self.assertEqual(entry["task"], "audit.anchor")
        with self.settings(AUDIT_ANCHOR_FILE=self.path):
            self.assertEqual(anchor.apply().get(), self.head.last_id)
        self.assertEqual(len(Path(self.path).read_text(encoding="utf-8").splitlines()), 2)


@pytest.mark.postgres
class TruncateTests(BaseTestCase):
    def test_postgresql_refuses_truncate(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("TRUNCATE exists on PostgreSQL only")
        audit_log("accounts.login.failed", object_repr="x")
        with (
            self.assertRaisesRegex(DatabaseError, "TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL gongkai.audit_truncate TO ''")
            cursor.execute("TRUNCATE audit_auditentry")
        self.assertTrue(AuditEntry.objects.exists())


class AdminEditAuditTests(BaseTestCase):
    def test_an_agency_edit_in_django_admin_is_audited(self) -> None:
        from django.contrib.admin.models import CHANGE, LogEntry
        from django.contrib.contenttypes.models import ContentType

        LogEntry.objects.log_actions(
            user_id=self.sysadmin.pk,
            queryset=[self.agency_a],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["Name"]}}],
            single_object=True,
        )
        entry = AuditEntry.objects.filter(action="admin.object.changed").latest("id")
        self.assertEqual(entry.actor_id, self.sysadmin.pk)
        self.assertEqual(entry.object_type, "agencies.agency")
        self.assertEqual(entry.object_id, str(self.agency_a.pk))
        self.assertTrue(ContentType.objects.filter(model="agency").exists())
