"""PostgreSQL: compact the entry table after migration 0009 rewrote every row.

0009 wrote each entry's compressed body in an UPDATE: every row left a dead copy, and every
index, the GIN index of the vectors included, got an entry for each new row version (a GIN
pending list of hundreds of pages, twice the index). Searches then read those pages and the
planner, with fresh statistics, chose parallel plans. ``VACUUM (FULL, ANALYZE)`` rewrites the
table and builds every index again in one pass (a GIN index built at once is about half the
size of one grown by inserts). It takes an exclusive lock on the table while it runs (about a
minute per 100,000 entries here): run migrations in a maintenance window. VACUUM cannot run
in a transaction, hence a migration of its own. SQLite is unchanged (0011 rebuilt its index;
the file keeps its size until ``VACUUM``).
"""

from django.db import migrations


def compact(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM (FULL, ANALYZE) search_searchentry")


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction block
    dependencies = [("search", "0011_sqlite_fts_grams_first")]

    operations = [migrations.RunPython(compact, migrations.RunPython.noop)]
