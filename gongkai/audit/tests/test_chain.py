"""Tampering behind the application's back is caught by verify_audit."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_log, audit_verify
from gongkai.test import BaseTestCase


def _raw(sql: str, params: list | None = None) -> None:
    """Run SQL as a DBA would, with the append-only trigger out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params or [])
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute(sql, params or [])


class AuditChainTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        for i in range(5):
            audit_log(
                "tests.event",
                actor=self.lisi,
                object_type="tests.thing",
                object_id=str(i),
                changes={"n": [i, i + 1]},
            )
        self.first_id: int = AuditEntry.objects.order_by("id").values_list("id", flat=True)[0]

    def test_it_verifies_an_intact_chain(self) -> None:
        result = audit_verify()
        self.assertTrue(result.ok, result.reason)
        out = StringIO()
        call_command("verify_audit", stdout=out)
        self.assertIn("审计日志完好", out.getvalue())

    def test_it_links_each_entry_to_the_previous_one(self) -> None:
        entries = list(AuditEntry.objects.order_by("id"))
        for before, after in zip(entries, entries[1:], strict=False):
            self.assertEqual(after.prev_hash, before.entry_hash)
            self.assertEqual(after.id, before.id + 1)

    def test_it_refuses_updates_through_the_database(self) -> None:
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(id=self.first_id).update(message="改")

    def test_it_catches_a_changed_row(self) -> None:
        target = self.first_id + 2
        _raw("UPDATE audit_auditentry SET message = %s WHERE id = %s", ["被篡改", target])
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_id, target)
        self.assertIn("篡改", result.reason)
        with self.assertRaisesMessage(CommandError, f"#{target}"):
            call_command("verify_audit")

    def test_it_catches_a_changed_actor(self) -> None:
        target = self.first_id + 1
        _raw("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", ["别人", target])
        self.assertEqual(audit_verify().broken_id, target)

    def test_it_catches_a_deleted_row(self) -> None:
        target = self.first_id + 1
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [target])
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_id, target + 1)

    def test_it_catches_a_deleted_last_row(self) -> None:
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [last])
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertIn("末尾", result.reason)

    def test_it_catches_an_inserted_row(self) -> None:
        entry = AuditEntry.objects.order_by("id")[2]
        # shift the tail up by one and insert a forged entry in the gap
        _raw("UPDATE audit_auditentry SET id = id + 1000 WHERE id > %s", [entry.id])
        _raw(
            "INSERT INTO audit_auditentry (id, created_at, action, actor_name, role, agency_code, user_agent, cert_serial,"
            " object_type, object_id, object_repr, changes, message, prev_hash, entry_hash)"
            " VALUES (%s, %s, 'tests.forged', '', '', '', '', '', '', '', '', '{}', '', %s, %s)",
            [entry.id + 1, entry.created_at, entry.entry_hash, "f" * 64],
        )
        result = audit_verify()
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_id, entry.id + 1)
