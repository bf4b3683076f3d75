"""Default notice templates (version 1, both eras) — data the administrator can revise."""

from django.db import migrations


def load(apps, schema_editor):
    from gongkai.applications.notice_texts import defaults

    NoticeTemplate = apps.get_model("applications", "NoticeTemplate")
    for row in defaults():
        if not NoticeTemplate.objects.filter(kind=row["kind"], era=row["era"]).exists():
            NoticeTemplate.objects.create(version=1, is_current=True, **row)


def unload(apps, schema_editor):
    apps.get_model("applications", "NoticeTemplate").objects.filter(version=1, created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
