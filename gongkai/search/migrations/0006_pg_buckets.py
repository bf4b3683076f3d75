"""PostgreSQL: add the bucket lexeme ``'~r<id // 10000>'`` to every vector.

Searches ask the GIN index for the newest buckets first (``backends.PostgresBackend._newest``);
a vector without its bucket lexeme would only be found by the last, unbounded window. The
lexeme has no position, so phrase queries and ranking are unaffected. SQLite is unchanged
(FTS5 seeks rowid ranges by itself).
"""

from django.db import migrations

UP = (
    "UPDATE search_searchentry SET doc = doc || "
    "array_to_tsvector(ARRAY['~r' || (id / 10000)::text]) WHERE doc IS NOT NULL"
)


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UP)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_searchentry SET doc = ts_delete(doc, '~r' || (id / 10000)::text) "
            "WHERE doc IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_visitlogcursor")]
    operations = [migrations.RunPython(up, down)]
