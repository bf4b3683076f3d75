"""PostgreSQL: the vectors (``doc``) are TOAST-compressed with lz4 instead of pglz (issue 18).

pglz gave up on almost every vector (positions and CJK lexemes hardly compress) after trying:
about a fifth of the server's time per new row, for nothing. lz4 tries faster and saves about
2 % of the vectors' size. Only values written from now on are affected (``search_reindex``
rewrites the others). A server built without lz4 keeps pglz. SQLite is unchanged.
"""

from django.db import DatabaseError, migrations, transaction

UP = "ALTER TABLE search_searchentry ALTER COLUMN doc SET COMPRESSION lz4"
DOWN = "ALTER TABLE search_searchentry ALTER COLUMN doc SET COMPRESSION pglz"


def up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(UP)
    except DatabaseError:  # compiled without lz4 ("compression method lz4 not supported")
        pass


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOWN)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_compressed_body")]
    operations = [migrations.RunPython(up, down)]
