"""SQLite: make ``search_fts`` contentless (``content=''``) — 2.8 GB → ≈1.3 GB per 100,000 items.

The FTS5 table used to keep its own copy of every row's segmented text (title words, body
words, bigrams: ≈16 KB per item, 57 % of the database), which nothing reads: result pages and
snippets come from ``search_searchentry``. A contentless table keeps only the index. Before
SQLite 3.43 FTS5 can remove a row from a contentless table only when given the row's exact
text, so that text is kept zlib-compressed (≈2.4 KB per item) in ``search_fts_doc(id, z)``;
``backends.SqliteBackend`` and the delete trigger read it back with ``gk_fts_part`` (a SQL
function registered on every connection by ``apps.SearchConfig.ready``).

The rebuild copies each entry's rows from the old table (exactly what was indexed) and
segments any entry the old table lacks. The file keeps its size until ``VACUUM``.
PostgreSQL is unchanged.
"""

from django.db import migrations

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"
BATCH = 1000

NEW_TABLES = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5(t, b, g, content='', {TOKENIZE})",
    "CREATE TABLE search_fts_doc (id INTEGER PRIMARY KEY, z BLOB NOT NULL)",
    # Whatever deletes an entry (the api, a flush, a cascade) also deletes its FTS row.
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts (search_fts, rowid, t, b, g) "
    "SELECT 'delete', id, gk_fts_part(z, 0), gk_fts_part(z, 1), gk_fts_part(z, 2) "
    "FROM search_fts_doc WHERE id = old.id; "
    "DELETE FROM search_fts_doc WHERE id = old.id; END",
]
OLD_TABLES = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5(t, b, g, {TOKENIZE})",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]


def _entry_batches(cur):
    last = 0
    while True:
        cur.execute(
            "SELECT id, title, doc_number, index_number, body_text FROM search_searchentry "
            "WHERE id > %s ORDER BY id LIMIT %s",
            [last, BATCH],
        )
        rows = cur.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _segment(row):
    from gongkai.search.api import SearchDoc, segment_doc

    _id, title, doc_number, index_number, body_text = row
    doc = SearchDoc(
        key="", kind="", agency_id=None, title=title, body_text=body_text,
        doc_number=doc_number, index_number=index_number,
    )  # fmt: skip
    t, b, g = segment_doc(doc)
    return " ".join(t), " ".join(b), " ".join(g)


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from gongkai.search.backends import pack_fts_row

    with schema_editor.connection.cursor() as cur:
        cur.execute("DROP TRIGGER IF EXISTS search_entry_fts_delete")
        cur.execute("ALTER TABLE search_fts RENAME TO search_fts_old")
        for sql in NEW_TABLES:
            cur.execute(sql)
        for rows in _entry_batches(cur):
            ids = [r[0] for r in rows]
            cur.execute(
                "SELECT rowid, t, b, g FROM search_fts_old WHERE rowid IN "  # noqa: S608 - placeholders only
                f"({', '.join(['%s'] * len(ids))})",
                ids,
            )
            old = {r[0]: r[1:] for r in cur.fetchall()}
            texts = [(r[0], *(old.get(r[0]) or _segment(r))) for r in rows]
            cur.executemany("INSERT INTO search_fts (rowid, t, b, g) VALUES (%s, %s, %s, %s)", texts)
            cur.executemany(
                "INSERT INTO search_fts_doc (id, z) VALUES (%s, %s)",
                [(i, pack_fts_row(t, b, g)) for i, t, b, g in texts],
            )
        cur.execute("DROP TABLE search_fts_old")
        cur.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def down(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cur:
        cur.execute("DROP TRIGGER IF EXISTS search_entry_fts_delete")
        cur.execute("DROP TABLE search_fts")
        for sql in OLD_TABLES:
            cur.execute(sql)
        cur.execute(
            "INSERT INTO search_fts (rowid, t, b, g) SELECT id, gk_fts_part(z, 0), "
            "gk_fts_part(z, 1), gk_fts_part(z, 2) FROM search_fts_doc"
        )
        cur.execute("DROP TABLE search_fts_doc")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_pg_single_vector")]
    operations = [migrations.RunPython(up, down)]
