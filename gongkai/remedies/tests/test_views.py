from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.remedies.records import RecordError
from gongkai.remedies.services import remedy_case_conclude, remedy_case_create
from gongkai.test import BaseTestCase


class RemedyViewsTest(BaseTestCase):
    case_a: RemedyCase
    case_b: RemedyCase

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case_a = RemedyCase.objects.create(
            agency=cls.agency_a, kind="review", filed_on=dt.date(2025, 3, 1)
        )
        cls.case_b = RemedyCase.objects.create(
            agency=cls.agency_b, kind="direct", filed_on=dt.date(2025, 3, 1)
        )

    def test_it_lists_only_visible_cases_for_each_persona(self) -> None:
        for name, user in self.personas().items():
            self.login(user)
            resp = self.client.get(reverse("remedies:list", args=["cases"]))
            self.assertEqual(resp.status_code, 200, name)
            expected = set(RemedyCase.objects.for_user(user).values_list("pk", flat=True))
            shown = {o.pk for o in resp.context["page"]}
            self.assertEqual(shown, expected, name)
        self.assertEqual(set(RemedyCase.objects.for_user(self.personas()["lisi"])), {self.case_a})
        self.assertEqual(
            set(RemedyCase.objects.for_user(self.personas()["chenzd"])), {self.case_a, self.case_b}
        )
        self.assertEqual(list(RemedyCase.objects.for_user(self.personas()["auditor"])), [])

    def test_it_registers_a_case(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("remedies:create", args=["cases"]),
            {
                "agency": self.agency_a.pk,
                "kind": "review",
                "filed_on": "2025-05-01",
                "outcome": "upheld",
                "concluded_on": "2025-06-01",
                "case_number": "通政复〔2025〕1号",
            },
        )
        self.assertEqual(resp.status_code, 302)
        case = RemedyCase.objects.get(case_number="通政复〔2025〕1号")
        self.assertEqual(case.outcome, "upheld")
        self.assertAudited("remedies.case.created", object_id=str(case.pk))

    def test_it_rejects_inconsistent_input_in_chinese(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("remedies:create", args=["cases"]),
            {
                "agency": self.agency_a.pk,
                "kind": "review",
                "filed_on": "2025-05-01",
                "outcome": "upheld",
            },
        )
        self.assertEqual(resp.status_code, 400)
        self.assertContains(resp, "已审结的案件须填写审结日期", status_code=400)

    def test_it_refuses_other_agencies_and_read_only_users(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("remedies:create", args=["cases"]),
            {
                "agency": self.agency_b.pk,
                "kind": "review",
                "filed_on": "2025-05-01",
                "outcome": "pending",
            },
        )
        self.assertEqual(resp.status_code, 400)  # agency B is not a choice for 李四
        self.login(self.fenger)
        self.assertEqual(
            self.client.get(reverse("remedies:create", args=["cases"])).status_code, 403
        )
        self.login(self.auditor)
        self.assertEqual(
            self.client.get(reverse("remedies:import", args=["cases"])).status_code, 403
        )

    def test_it_imports_all_or_nothing(self) -> None:
        self.login(self.lisi)
        good = "类别,被投诉机关,收到日期,事由,状态,处理结果,办结日期\n申诉,th-mzj,2025-02-01,答复超期,已办结,已督促答复,2025-02-10\n"
        bad = good + "投诉,th-czj,2025-02-01,x,办理中,,\n投诉,th-mzj,2025-13-01,y,办理中,,\n"
        resp = self.client.post(
            reverse("remedies:import", args=["complaints"]),
            {"file": SimpleUploadedFile("c.csv", bad.encode())},
        )
        self.assertEqual(resp.status_code, 400)
        self.assertEqual(Complaint.objects.count(), 0)
        lines = [line for line, _r in resp.context["rejected"]]
        self.assertEqual(lines, [3, 4])
        resp = self.client.post(
            reverse("remedies:import", args=["complaints"]),
            {"file": SimpleUploadedFile("c.csv", good.encode("gb18030"))},
        )
        self.assertEqual(resp.status_code, 302)
        self.assertEqual(Complaint.objects.get().kind, "appeal")

    def test_it_concludes_a_pending_case_once(self) -> None:
        case = remedy_case_conclude(
            case=self.case_a, by=self.lisi, outcome="corrected", concluded_on=dt.date(2025, 4, 1)
        )
        self.assertEqual(case.outcome, "corrected")
        with self.assertRaisesMessage(RecordError, "已审结"):
            remedy_case_conclude(
                case=case, by=self.lisi, outcome="upheld", concluded_on=dt.date(2025, 4, 1)
            )

    def test_it_links_a_case_to_an_application(self) -> None:
        from gongkai.reports.tests.helpers import make_application

        app = make_application(self.agency_a, dt.date(2025, 1, 5))
        case = remedy_case_create(
            by=self.lisi,
            agency=self.agency_a,
            kind="review",
            filed_on=dt.date(2025, 3, 1),
            application_number=app.number,
        )
        self.assertEqual(case.application, app)
        with self.assertRaisesMessage(RecordError, "没有编号为"):
            remedy_case_create(
                by=self.lisi,
                agency=self.agency_a,
                kind="review",
                filed_on=dt.date(2025, 3, 1),
                application_number="NOPE",
            )


class RemedyDetailTest(BaseTestCase):
    case: RemedyCase
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.case = RemedyCase.objects.create(
            agency=cls.agency_a, kind="review", filed_on=dt.date(2025, 3, 1)
        )
        cls.complaint = Complaint.objects.create(
            agency=cls.agency_a,
            kind="report",
            received_on=dt.date(2025, 3, 1),
            subject="未按时公开",
        )

    def test_it_concludes_a_case_through_its_page(self) -> None:
        self.login(self.lisi)
        self.assertContains(
            self.client.get(reverse("remedies:list", args=["cases"])),
            reverse("remedies:case", args=[self.case.pk]),
        )
        self.assertEqual(
            self.client.get(reverse("remedies:case_conclude", args=[self.case.pk])).status_code, 405
        )
        resp = self.client.post(
            reverse("remedies:case_conclude", args=[self.case.pk]),
            {"outcome": "corrected", "concluded_on": "2025-02-01"},
        )
        self.assertEqual(resp.status_code, 302)  # refused with a message, never a 500
        self.case.refresh_from_db()
        self.assertEqual(self.case.outcome, "pending")
        resp = self.client.post(
            reverse("remedies:case_conclude", args=[self.case.pk]),
            {"outcome": "corrected", "concluded_on": "2025-04-01"},
        )
        self.assertEqual(resp.status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual(self.case.outcome, "corrected")
        self.assertAudited("remedies.case.concluded", object_id=str(self.case.pk))

    def test_it_denies_other_agencies_and_viewers(self) -> None:
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("remedies:case", args=[self.case.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(
                reverse("remedies:complaint_close", args=[self.complaint.pk]), {}
            ).status_code,
            404,
        )
        self.login(self.fenger)
        self.assertEqual(
            self.client.get(reverse("remedies:case", args=[self.case.pk])).status_code, 200
        )
        resp = self.client.post(
            reverse("remedies:case_conclude", args=[self.case.pk]),
            {"outcome": "upheld", "concluded_on": "2025-04-01"},
        )
        self.assertEqual(resp.status_code, 403)

    def test_it_closes_a_complaint_once(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("remedies:complaint_close", args=[self.complaint.pk]),
            {"result": "", "closed_on": "2025-04-01"},
        )
        self.assertEqual(resp.status_code, 400)
        url = reverse("remedies:complaint_close", args=[self.complaint.pk])
        self.assertEqual(
            self.client.post(url, {"result": "已责令整改", "closed_on": "2025-04-01"}).status_code,
            302,
        )
        self.complaint.refresh_from_db()
        self.assertEqual((self.complaint.status, self.complaint.result), ("closed", "已责令整改"))
        self.client.post(url, {"result": "再次", "closed_on": "2025-04-02"})
        self.complaint.refresh_from_db()
        self.assertEqual(self.complaint.result, "已责令整改")


class RemedyQueueTest(BaseTestCase):
    def test_it_counts_pending_work_of_visible_agencies(self) -> None:
        from gongkai.remedies.panels import queue

        RemedyCase.objects.create(agency=self.agency_a, kind="review", filed_on=dt.date(2025, 3, 1))
        RemedyCase.objects.create(agency=self.agency_b, kind="review", filed_on=dt.date(2025, 3, 1))
        Complaint.objects.create(
            agency=self.agency_a, kind="appeal", received_on=dt.date(2025, 3, 1), subject="x"
        )
        people = self.personas()
        self.assertEqual(
            [(q.label, q.count) for q in queue(people["lisi"])],
            [("尚未审结的复议、诉讼案件", 1), ("办理中的投诉、举报和申诉", 1)],
        )
        self.assertEqual(queue(people["chenzd"])[0].count, 2)
        self.assertEqual(queue(people["auditor"]), [])
