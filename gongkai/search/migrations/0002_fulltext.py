"""The vendor's full-text structures for SearchEntry (see models.py).

SQLite: an FTS5 table (t = title words, b = body words, g = bigrams), rowid = entry id, and
a trigger that removes the FTS row with its entry.
PostgreSQL: tsvector columns written from pre-segmented tokens with the 'simple'
configuration semantics (no stemming, no stop words) and GIN indexes on both.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(t, b, g, tokenize = 'unicode61 remove_diacritics 0')",
    # Whatever deletes an entry (the api, a flush, a cascade) also deletes its FTS row.
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS search_entry_fts_delete", "DROP TABLE IF EXISTS search_fts"]

PG_UP = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv tsvector, ADD COLUMN gsv tsvector",
    "CREATE INDEX search_entry_tsv_gin ON search_searchentry USING gin (tsv)",
    "CREATE INDEX search_entry_gsv_gin ON search_searchentry USING gin (gsv)",
]
PG_DOWN = [
    "DROP INDEX IF EXISTS search_entry_gsv_gin",
    "DROP INDEX IF EXISTS search_entry_tsv_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv, DROP COLUMN IF EXISTS gsv",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)
    elif vendor == "postgresql":
        _run(schema_editor, PG_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)
    elif vendor == "postgresql":
        _run(schema_editor, PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
