"""Views of personal data outside the applications app are in the audit log (issue 12):
the unmasked name and contact of a 留言, the applicant/plaintiff of a remedy case, the
complainant of a complaint, the phone number on a certificate application. A page that
shows the values masked (or has none to show) writes nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gongkai.audit.labels import ACTION_LABELS, object_display
from gongkai.audit.models import AuditEntry
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.test import BaseTestCase


class PersonalDataViewsTest(BaseTestCase):
    def entries(self, action: str) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action=action).order_by("id"))

    def assertListedInChinese(self, entry: AuditEntry) -> None:  # noqa: N802
        """The auditor's list, filtered to the event, names it by its Chinese label and the
        object by kind, name and id."""
        self.login(self.auditor)
        page = self.client.get(reverse("audit:list"), {"action": entry.action})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, ACTION_LABELS[entry.action])
        self.assertContains(page, object_display(entry))

    def test_it_records_the_unmasked_view_of_a_message_writer(self) -> None:
        from gongkai.interaction.tests.helpers import QUESTION, answered

        q = answered(self)
        url = reverse("interaction:question", args=[q.pk])
        self.login(self.fenger)  # read-only: masked, nothing to record
        page = self.client.get(url)
        self.assertNotContains(page, QUESTION["contact"])
        self.assertEqual(self.entries("interaction.question.personal_data_viewed"), [])
        self.login(self.lisi)  # the handler: unmasked, recorded
        page = self.client.get(url)
        self.assertContains(page, QUESTION["contact"])
        [entry] = self.entries("interaction.question.personal_data_viewed")
        self.assertEqual(entry.actor, self.lisi)
        self.assertEqual((entry.object_type, entry.object_id), ("interaction.question", str(q.pk)))
        self.assertIn("联系方式", entry.message)
        self.assertListedInChinese(entry)

    def test_it_records_the_view_of_a_remedy_case_with_the_applicants_name(self) -> None:
        named = RemedyCase.objects.create(
            agency=self.agency_a,
            kind="review",
            applicant_name="欧阳明华",
            filed_on=dt.date(2025, 6, 1),
        )
        anonymous = RemedyCase.objects.create(
            agency=self.agency_a, kind="review", filed_on=dt.date(2025, 6, 2)
        )
        self.login(self.lisi)
        self.assertEqual(
            self.client.get(reverse("remedies:case", args=[anonymous.pk])).status_code, 200
        )
        self.assertEqual(self.entries("remedies.case.personal_data_viewed"), [])
        self.assertContains(self.client.get(reverse("remedies:case", args=[named.pk])), "欧阳明华")
        # the form shown again with its errors shows the name too
        bad = self.client.post(reverse("remedies:case_conclude", args=[named.pk]), {"outcome": "?"})
        self.assertEqual(bad.status_code, 400)
        entries = self.entries("remedies.case.personal_data_viewed")
        self.assertEqual(len(entries), 2)
        self.assertEqual({e.object_id for e in entries}, {str(named.pk)})
        self.assertEqual({e.actor_id for e in entries}, {self.lisi.pk})
        self.assertListedInChinese(entries[0])

    def test_it_records_the_view_of_a_complaint_with_the_complainants_name(self) -> None:
        c = Complaint.objects.create(
            agency=self.agency_a, kind="complaint", received_on=dt.date(2025, 3, 1),
            complainant="李某某", subject="未按期答复",
        )  # fmt: skip
        self.login(self.chenzd)  # the 指导科 sees the region's complaints
        self.assertContains(self.client.get(reverse("remedies:complaint", args=[c.pk])), "李某某")
        [entry] = self.entries("remedies.complaint.personal_data_viewed")
        self.assertEqual(entry.actor, self.chenzd)
        self.assertEqual((entry.object_type, entry.object_id), ("remedies.complaint", str(c.pk)))
        self.login(self.sysadmin)  # refused: no view, and the refusal is what is recorded
        self.assertEqual(
            self.client.get(reverse("remedies:complaint", args=[c.pk])).status_code, 404
        )
        self.assertEqual(len(self.entries("remedies.complaint.personal_data_viewed")), 1)
        self.assertTrue(
            AuditEntry.objects.filter(
                action="audit.access.denied", actor=self.sysadmin, object_id=str(c.pk)
            ).exists()
        )
        self.assertListedInChinese(entry)

    def test_it_records_the_view_of_a_certificate_holders_phone_by_others(self) -> None:
        from gongkai.pki import services

        app = services.cert_application_submit(
            agency=self.agency_a, person=self.wangwu, by=self.lisi, phone="13900001111"
        )
        url = reverse("pki:application_detail", args=[app.pk])
        self.login(self.wangwu)  # the holder sees his own number: nothing to record
        self.assertContains(self.client.get(url), "13900001111")
        self.assertEqual(self.entries("pki.application.personal_data_viewed"), [])
        self.login(self.secadmin)  # certificate administration reads every application
        self.assertContains(self.client.get(url), "13900001111")
        [entry] = self.entries("pki.application.personal_data_viewed")
        self.assertEqual(entry.actor, self.secadmin)
        self.assertEqual((entry.object_type, entry.object_id), ("pki.certapplication", str(app.pk)))
        self.assertIn(self.wangwu.display_name, entry.message)
        self.assertListedInChinese(entry)
