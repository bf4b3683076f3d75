"""Data: the gov.cn 主题分类 and the default review chain (一校, 二校, 终审)."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.publishing.topics import topics_load

    topics_load(apps.get_model("publishing", "Topic"), apps.get_model("publishing", "ReviewStage"))


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
