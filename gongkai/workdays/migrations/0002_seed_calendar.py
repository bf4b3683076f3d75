"""Seed the calendar for 2004–2026 from the chinese_calendar package (a frozen copy of
each year's 国务院办公厅 notice)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from gongkai.workdays.seed import seed

    seed(
        apps.get_model("workdays", "CalendarYear"),
        apps.get_model("workdays", "ExceptionDay"),
        apps.get_model("workdays", "CalendarVersion"),
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("workdays", "ExceptionDay").objects.all().delete()
    apps.get_model("workdays", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
