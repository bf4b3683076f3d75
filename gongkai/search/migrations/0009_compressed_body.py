"""The entry's body, kept for snippets and for recomputing its FTS row, is stored
zlib-compressed (issue 18: index size).

``search_searchentry.body_text`` was the largest part of the index (SQLite, bench corpus:
55 of 106 MB at 10,000 items, rows spilling into overflow pages); compressed it is a quarter
of that. The column becomes binary (BLOB / bytea, ``models.CompressedTextField``); the model
still reads a str. Steps: the SQLite delete trigger, which reads the column, is dropped; the
new column is added and filled in batches of 1,000; the old one is dropped and the new one
renamed; the trigger is created again (``gk_fts_old`` decompresses). Reversible.
"""

import importlib
import zlib

from django.db import migrations

import gongkai.search.models

# The delete trigger as migration 0008 created it (it reads body_text, whose type 0009 changes,
# and search_fts, which 0011 recreates).
TRIGGER = importlib.import_module(
    "gongkai.search.migrations.0008_sqlite_fts_regenerated_delete"
).DELETE_TRIGGER
BATCH = 1000


def _sqlite(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql)

    return run


def _copy(source, target, convert):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cur:
            last = 0
            while True:
                cur.execute(
                    f"SELECT id, {source} FROM search_searchentry WHERE id > %s "  # noqa: S608 - fixed names
                    "ORDER BY id LIMIT %s",
                    [last, BATCH],
                )
                rows = cur.fetchall()
                if not rows:
                    return
                cur.executemany(
                    f"UPDATE search_searchentry SET {target} = %s WHERE id = %s",  # noqa: S608 - fixed names
                    [(convert(value), pk) for pk, value in rows],
                )
                last = rows[-1][0]

    return run


def _compress(value):
    return zlib.compress((value or "").encode(), 6)


def _decompress(value):
    return gongkai.search.models.decompress_text(value) or ""


class Migration(migrations.Migration):
    dependencies = [("search", "0008_sqlite_fts_regenerated_delete")]

    operations = [
        migrations.RunPython(
            _sqlite("DROP TRIGGER IF EXISTS search_entry_fts_delete"), _sqlite(TRIGGER)
        ),
        migrations.AddField(
            model_name="searchentry",
            name="body_z",
            field=gongkai.search.models.CompressedTextField(
                blank=True, null=True, verbose_name="正文"
            ),
        ),
        migrations.RunPython(
            _copy("body_text", "body_z", _compress), _copy("body_z", "body_text", _decompress)
        ),
        migrations.RemoveField(model_name="searchentry", name="body_text"),
        migrations.RenameField(model_name="searchentry", old_name="body_z", new_name="body_text"),
        migrations.AlterField(
            model_name="searchentry",
            name="body_text",
            field=gongkai.search.models.CompressedTextField(
                blank=True, default="", verbose_name="正文"
            ),
        ),
        migrations.RunPython(
            _sqlite(TRIGGER), _sqlite("DROP TRIGGER IF EXISTS search_entry_fts_delete")
        ),
    ]
