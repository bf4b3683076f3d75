"""Default 要求说明理由通知书 (Art 35) templates, version 1 — data the administrator can revise.

A new data migration (not an edit of 0002) so databases that already ran 0002 get the
new kind too.
"""

from django.db import migrations

KINDS = ("reasons",)


def load(apps, schema_editor):
    from gongkai.applications.notice_texts import defaults

    NoticeTemplate = apps.get_model("applications", "NoticeTemplate")
    for row in defaults():
        if row["kind"] not in KINDS:
            continue
        if not NoticeTemplate.objects.filter(kind=row["kind"], era=row["era"]).exists():
            NoticeTemplate.objects.create(version=1, is_current=True, **row)


def unload(apps, schema_editor):
    NoticeTemplate = apps.get_model("applications", "NoticeTemplate")
    NoticeTemplate.objects.filter(kind__in=KINDS, version=1, created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_art35_reasons_and_withdrawal")]
    operations = [migrations.RunPython(load, unload)]
