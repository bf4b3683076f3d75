"""SQLite: no copy of the indexed text any more (issue 18) — the FTS row to delete is computed
again from the entry's own text.

``search_fts_doc`` kept every FTS row's segmented text, compressed (≈3.6 KB per item with its
page overhead, a quarter of the database), only so that FTS5 could be told what to delete.
Segmentation is deterministic for a given jieba/rjieba version and Unicode database, so
``backends.SqliteBackend`` now computes that text again from the entry (SQL function
``gk_fts_old``); what changes at run time, the custom-word tokens (``custom.txt``, agency
names), is kept per row in ``search_fts_extra(id, t, b, h)`` with the row's CRC-32 (a few
dozen bytes; a row whose tokens come out differently is refused, never deleted wrongly), and
the segmenter's version in ``search_fts_meta``. The FTS5 table now uses the ``ascii`` tokenizer
(see ``NEW_FTS``).

The index is rebuilt from the entries (``SqliteBackend.rebuild``, 1,000 per transaction;
about 10 minutes per 100,000 entries on a loaded 2-core machine, less when it is idle);
searching finds only the entries already rebuilt until it ends. PostgreSQL is unchanged.
The file keeps its size until ``VACUUM``.
"""

from django.db import migrations

# The rows arrive as tokens already normalised by ``segment`` (NFKC, lower case, letters and
# digits only) and separated by single spaces: FTS5's ``ascii`` tokenizer splits on the spaces
# and keeps each token as it is, where ``unicode61`` classified and case-folded every
# character again (40 % of the insert time) and treated letters newer than its Unicode 6.1
# tables as separators. Queries go through the same tokenizer, so matching is unchanged.
NEW_FTS = "CREATE VIRTUAL TABLE search_fts USING fts5(t, b, g, content='', tokenize = 'ascii')"
OLD_FTS = (  # migration 0004's
    "CREATE VIRTUAL TABLE search_fts USING fts5(t, b, g, content='', "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
# Whatever deletes an entry (the api, a flush, a cascade) also deletes its FTS row (migrations
# 0009 and 0011 create it again after changing the tables it reads).
DELETE_TRIGGER = (
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, t, b, g) SELECT 'delete', old.id, "
    "gk_fts_old(0, old.title, old.doc_number, old.index_number, old.body_text, x.t, x.b, x.h), "
    "gk_fts_old(1, old.title, old.doc_number, old.index_number, old.body_text, x.t, x.b, x.h), "
    "gk_fts_old(2, old.title, old.doc_number, old.index_number, old.body_text, x.t, x.b, x.h) "
    "FROM search_fts_extra x WHERE x.id = old.id; "
    "DELETE FROM search_fts_extra WHERE id = old.id; END"
)
NEW_TABLES = [
    NEW_FTS,
    "CREATE TABLE search_fts_extra "
    "(id INTEGER PRIMARY KEY, t TEXT NOT NULL, b TEXT NOT NULL, h INTEGER NOT NULL)",
    "CREATE TABLE search_fts_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    DELETE_TRIGGER,
]
OLD_TABLES = [  # migration 0004's
    OLD_FTS,
    "CREATE TABLE search_fts_doc (id INTEGER PRIMARY KEY, z BLOB NOT NULL)",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, t, b, g) "
    "SELECT 'delete', id, gk_fts_part(z, 0), gk_fts_part(z, 1), gk_fts_part(z, 2) "
    "FROM search_fts_doc WHERE id = old.id; "
    "DELETE FROM search_fts_doc WHERE id = old.id; END",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from django.db import transaction

    from gongkai.search.backends import SqliteBackend

    with transaction.atomic(), schema_editor.connection.cursor() as cur:
        cur.execute("DROP TRIGGER IF EXISTS search_entry_fts_delete")
        cur.execute("DROP TABLE IF EXISTS search_fts")
        cur.execute("DROP TABLE IF EXISTS search_fts_doc")
        for sql in NEW_TABLES:
            cur.execute(sql)
    SqliteBackend().rebuild()


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from django.db import transaction

    from gongkai.search import segment
    from gongkai.search.backends import pack_fts_row

    with transaction.atomic(), schema_editor.connection.cursor() as cur:
        cur.execute("DROP TRIGGER IF EXISTS search_entry_fts_delete")
        cur.execute("DROP TABLE IF EXISTS search_fts")
        cur.execute("DROP TABLE IF EXISTS search_fts_extra")
        cur.execute("DROP TABLE IF EXISTS search_fts_meta")
        for sql in OLD_TABLES:
            cur.execute(sql)
        cur.execute("SELECT id, title, doc_number, index_number, body_text FROM search_searchentry")
        for pk, title, doc_number, index_number, body in cur.fetchall():
            t, b, g, _ = segment.document_fields(title, doc_number, index_number, body)
            row = (" ".join(t), " ".join(b), " ".join(g))
            cur.execute(
                "INSERT INTO search_fts (rowid, t, b, g) VALUES (%s, %s, %s, %s)", [pk, *row]
            )
            cur.execute(
                "INSERT INTO search_fts_doc (id, z) VALUES (%s, %s)", [pk, pack_fts_row(*row)]
            )


class Migration(migrations.Migration):
    atomic = False  # the rebuild commits every 1,000 entries
    dependencies = [("search", "0007_run_breaks")]
    operations = [migrations.RunPython(up, down)]
