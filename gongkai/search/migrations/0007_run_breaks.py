"""Re-segment every entry: the bigram field now separates runs (``segment.RUN_BREAK``).

Without the break a bigram phrase could match across punctuation (the last bigram of one run
followed by the first of the next), so a query could match characters that are not adjacent
in the document. ``api.reindex_entries`` rewrites the FTS5 rows (SQLite) or the vectors
(PostgreSQL) from each entry's stored text, 500 per transaction; at a million entries this
takes about 40 minutes on a 2-core machine (the cost is segmentation). Searching keeps
working meanwhile: an entry not yet rewritten is still found by its words and bigrams.
"""

from django.db import migrations


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        return  # migration 0008 rebuilds the SQLite index from the entries (with run breaks)
    from gongkai.search.api import reindex_entries

    reindex_entries()


class Migration(migrations.Migration):
    atomic = False  # one transaction per batch (api.reindex_entries)
    dependencies = [("search", "0006_pg_buckets")]
    operations = [migrations.RunPython(up, migrations.RunPython.noop)]
