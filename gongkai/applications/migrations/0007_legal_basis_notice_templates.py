"""Notice templates cite the legal-basis data table (``{{ citation }}`` / ``{{ remedy }}``).

1. Every (kind, era) whose current template was created by the system (``created_by`` is
   null: never edited by an administrator) and differs from today's default gets a new
   version with the default text; an administrator's own version is left alone (the
   console shows it; ``docs/legal-basis.md`` says to compare it with the default).
2. New kinds (``disclose_published``) get version 1.
3. Existing consultations had their 15 working days counted from the sending date; their
   receipt date is set to the sending date, so their stored due dates stay true.
"""

from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    from gongkai.applications.notice_texts import defaults

    NoticeTemplate = apps.get_model("applications", "NoticeTemplate")
    for row in defaults():
        current = NoticeTemplate.objects.filter(
            kind=row["kind"], era=row["era"], is_current=True
        ).first()
        if current is None:
            if not NoticeTemplate.objects.filter(kind=row["kind"], era=row["era"]).exists():
                NoticeTemplate.objects.create(version=1, is_current=True, **row)
            continue
        if current.created_by_id is not None:
            continue
        if all(getattr(current, k) == v for k, v in row.items()):
            continue
        last = NoticeTemplate.objects.filter(kind=row["kind"], era=row["era"]).aggregate(
            n=Max("version")
        )["n"]
        current.is_current = False
        current.save(update_fields=["is_current"])
        NoticeTemplate.objects.create(version=(last or 0) + 1, is_current=True, **row)
    Consultation = apps.get_model("applications", "Consultation")
    for c in Consultation.objects.filter(received_on__isnull=True):
        c.received_on = c.sent_on
        c.save(update_fields=["received_on"])


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_legal_basis_reply_fields_consultation_receipt")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
