"""Refuse TRUNCATE of the audit table on PostgreSQL (TRUNCATE fires no row triggers, so the
append-only trigger of 0002 did not stop it). No-op on SQLite, which has no TRUNCATE.

A session may allow it by setting ``gongkai.audit_truncate = 'allow'`` (the PostgreSQL test
settings do, because Django's test flush empties tables with TRUNCATE). An attacker who can
do that can also drop the trigger: what detects that is the head anchored outside the
database (``audit_anchor``, ``verify_audit --anchor-file``).
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('gongkai.audit_truncate', true), '') = 'allow' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit log is append-only (TRUNCATE refused)';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead;
DROP FUNCTION IF EXISTS audit_entry_no_truncate();
"""


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(up, down)]
