"""The assessment console through HTTP: who may run it, who sees what, inspections, work plans."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.assessment import services
from gongkai.assessment.models import (
    Assessment,
    FollowUp,
    Indicator,
    Inspection,
    RectificationTask,
    Score,
)
from gongkai.lib.testing import clock_at, require_system
from gongkai.publishing.tests.factories import published
from gongkai.test import BaseTestCase

# The 2026 assessment counts items published in 2026: the item is published, and the
# assessment run, on a fixed day of 2026 (with the real date it would fall out of the period).
NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=timezone.get_default_timezone())


class AssessmentViewsTest(BaseTestCase):
    item: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with clock_at(NOW):
            cls.item = published(cls)  # one timely item of agency A (formed 2026-11-02)

    def setUp(self) -> None:
        super().setUp()
        patcher = clock_at(NOW)
        patcher.start()
        self.addCleanup(patcher.stop)

    def create(self) -> Assessment:
        self.login(self.chenzd)
        response = self.client.post(
            reverse("assessment:create"), {"region": self.city_region.pk, "year": 2026}
        )
        self.assertEqual(response.status_code, 302)
        return Assessment.objects.get()

    def test_it_lets_the_guidance_section_create_score_and_publish(self) -> None:
        a = self.create()
        self.assertEqual(a.total_weight, Decimal(100))
        response = self.client.post(reverse("assessment:score", args=[a.pk]))
        self.assertEqual(response.status_code, 302)
        a.refresh_from_db()
        self.assertEqual(a.status, "scored")
        self.assertAudited("assessment.assessment.scored", object_id=str(a.pk))
        detail = self.client.get(reverse("assessment:detail", args=[a.pk]))
        self.assertContains(detail, "通化市民政局")
        self.assertContains(detail, "通化市财政局")
        self.assertContains(detail, "东昌区人民政府")  # a county government
        self.assertNotContains(detail, "金厂镇")  # townships are the county's to assess
        self.assertEqual(self.client.get(f"/kh/{a.pk}/").status_code, 404)
        self.client.post(reverse("assessment:publish", args=[a.pk]))
        page = self.client.get(f"/kh/{a.pk}/")
        self.assertContains(page, "通化市民政局")
        self.client.post(reverse("assessment:publish", args=[a.pk]), {"action": "unpublish"})
        self.assertEqual(self.client.get(f"/kh/{a.pk}/").status_code, 404)

    def test_it_explains_a_score_down_to_its_items(self) -> None:
        a = self.create()
        self.client.post(reverse("assessment:score", args=[a.pk]))
        page = self.client.get(reverse("assessment:agency", args=[a.pk, self.agency_a.pk]))
        self.assertContains(page, self.item.title)
        self.assertContains(page, reverse("publishing:item", args=[self.item.pk]))
        s = Score.objects.get(
            assessment=a, agency=self.agency_a, indicator__source="publication_timeliness"
        )
        on_time = int(self.item.publish_workdays <= 20)  # formed 2026-11-02, published 16 Nov
        self.assertEqual((s.numerator, s.denominator, s.ratio), (on_time, 1, Decimal(on_time)))
        self.assertEqual(s.evidence[0]["id"], self.item.pk)
        self.assertIn(f"用时 {self.item.publish_workdays} 个工作日", s.evidence[0]["note"])
        empty = Score.objects.get(
            assessment=a, agency=self.agency_b, indicator__source="publication_timeliness"
        )
        self.assertEqual(empty.ratio, Decimal(0))
        self.assertIn("按 0% 计", empty.explanation)

    def test_it_shows_an_agency_only_its_own_scores(self) -> None:
        a = self.create()
        self.client.post(reverse("assessment:score", args=[a.pk]))
        self.login(self.lisi)
        page = self.client.get(reverse("assessment:detail", args=[a.pk]))
        self.assertContains(page, "通化市民政局")
        self.assertNotContains(page, "通化市财政局")
        self.assertEqual(
            self.client.get(
                reverse("assessment:agency", args=[a.pk, self.agency_a.pk])
            ).status_code,
            200,
        )
        self.assertEqual(
            self.client.get(
                reverse("assessment:agency", args=[a.pk, self.agency_b.pk])
            ).status_code,
            404,
        )
        self.assertEqual(
            self.client.post(reverse("assessment:score", args=[a.pk])).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("assessment:xlsx", args=[a.pk])).status_code, 403)

    def test_it_keeps_administrators_out(self) -> None:
        a = self.create()
        for user in (self.sysadmin, self.secadmin, self.auditor):
            self.login(user)
            self.assertEqual(self.client.get(reverse("assessment:list")).status_code, 403, user)
            self.assertEqual(
                self.client.get(reverse("assessment:detail", args=[a.pk])).status_code, 404
            )
            self.assertEqual(
                self.client.post(reverse("assessment:score", args=[a.pk])).status_code, 404
            )

    def test_it_refuses_to_create_without_the_guidance_role(self) -> None:
        self.login(self.sunba)
        self.client.post(
            reverse("assessment:create"), {"region": self.city_region.pk, "year": 2026}
        )
        self.assertFalse(Assessment.objects.exists())

    def test_it_rejects_get_on_state_changes(self) -> None:
        a = self.create()
        for name in ("score", "publish"):
            self.assertEqual(
                self.client.get(reverse(f"assessment:{name}", args=[a.pk])).status_code, 405
            )

    def test_it_changes_weights_and_refuses_bad_input(self) -> None:
        a = self.create()
        ind = a.indicators.get(source="overdue_replies")
        url = reverse("assessment:indicator", args=[a.pk, ind.pk])
        self.client.post(url, {"weight": "12", "params": '{"penalty": "0.25"}'})
        ind.refresh_from_db()
        self.assertEqual((ind.weight, ind.params), (Decimal(12), {"penalty": "0.25"}))
        for bad in (
            {"weight": "200"},
            {"weight": "abc"},
            {"weight": "5", "params": "{bad"},
            {"weight": "5", "params": "[1]"},
        ):
            response = self.client.post(url, bad, follow=True)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "填写有误")
        ind.refresh_from_db()
        self.assertEqual(ind.weight, Decimal(12))

    def test_it_records_manual_ratings_only_with_evidence(self) -> None:
        a = self.create()
        ind = a.indicators.get(source="manual")
        url = reverse("assessment:rating", args=[a.pk, ind.pk])
        response = self.client.post(
            url, {"agency": self.agency_a.pk, "ratio": "0.8", "evidence": "无"}, follow=True
        )
        self.assertContains(response, "佐证材料")
        self.assertFalse(ind.ratings.exists())
        self.client.post(
            url,
            {
                "agency": self.agency_a.pk,
                "ratio": "0.8",
                "evidence": "年度报告按时公布，数据报送及时。",
            },
        )
        self.client.post(reverse("assessment:score", args=[a.pk]))
        s = Score.objects.get(assessment=a, agency=self.agency_a, indicator=ind)
        self.assertEqual(s.points, Decimal("4.00"))
        self.assertIn("年度报告按时公布", s.evidence[0]["note"])
        other = Score.objects.get(assessment=a, agency=self.agency_b, indicator=ind)
        self.assertEqual(other.points, Decimal(0))

    def test_it_exports_xlsx_and_pdf(self) -> None:
        a = self.create()
        self.client.post(reverse("assessment:score", args=[a.pk]))
        response = self.client.get(reverse("assessment:xlsx", args=[a.pk]))
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(wb.sheetnames, ["排名", "计分依据"])
        names = [row[1] for row in wb["排名"].iter_rows(min_row=4, values_only=True)]
        self.assertIn("通化市民政局", names)
        self.assertTrue(
            any(self.item.title in str(r) for r in wb["计分依据"].iter_rows(values_only=True))
        )
        from gongkai.lib.pdf import PdfUnavailableError

        try:
            from gongkai.assessment.documents import pdf

            pdf(a)
        except PdfUnavailableError as exc:  # CI (GONGKAI_REQUIRE_SYSTEM_DEPS=1) fails instead
            require_system("WeasyPrint/Pango", False, str(exc))
        response = self.client.get(reverse("assessment:pdf", args=[a.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_it_refuses_changes_after_publication(self) -> None:
        a = self.create()
        self.client.post(reverse("assessment:score", args=[a.pk]))
        self.client.post(reverse("assessment:publish", args=[a.pk]))
        ind: Indicator = a.indicators.first()  # type: ignore[assignment]
        response = self.client.post(
            reverse("assessment:indicator", args=[a.pk, ind.pk]), {"weight": "1"}, follow=True
        )
        self.assertContains(response, "考核结果已公布")
        response = self.client.post(reverse("assessment:score", args=[a.pk]), follow=True)
        self.assertContains(response, "考核结果已公布")


class InspectionViewsTest(BaseTestCase):
    def test_it_follows_a_finding_up_until_closed(self) -> None:
        self.login(self.chenzd)
        self.client.post(
            reverse("assessment:inspection_create"),
            {
                "agency": self.agency_a.pk,
                "title": "网络监督检查",
                "inspected_on": "2026-03-02",
                "inspectors": "陈指导",
            },
        )
        ins = Inspection.objects.get()
        self.client.post(
            reverse("assessment:finding_create", args=[ins.pk]),
            {"description": "公开指南未更新", "severity": "minor", "evidence": "截图：指南第1版",
             "owner": self.zhoujiu.pk, "due_on": "2026-03-20"},
        )  # fmt: skip
        task = RectificationTask.objects.get()
        self.assertEqual((task.owner, task.status), (self.zhoujiu, "open"))
        url = reverse("assessment:follow_up", args=[task.pk])
        # the agency's clerk is neither the owner nor a head: refused
        self.login(self.lisi)
        self.client.post(url, {"kind": "submit", "note": "已整改"})
        task.refresh_from_db()
        self.assertEqual(task.status, "open")
        # another agency does not even see it
        self.login(self.zhaoliu)
        self.assertEqual(self.client.post(url, {"kind": "submit", "note": "x"}).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("assessment:inspection", args=[ins.pk])).status_code, 404
        )
        # the owner reports, the guidance section closes
        self.login(self.zhoujiu)
        self.assertContains(self.client.get(reverse("assessment:inspections")), "公开指南未更新")
        self.client.post(url, {"kind": "close", "note": "自己销号"})
        task.refresh_from_db()
        self.assertEqual(task.status, "open")
        self.client.post(url, {"kind": "submit", "note": "已更新指南"})
        self.login(self.chenzd)
        self.client.post(url, {"kind": "reopen", "note": "电话仍未更新"})
        self.login(self.zhoujiu)
        self.client.post(url, {"kind": "submit", "note": "电话已更新"})
        self.login(self.chenzd)
        self.client.post(url, {"kind": "close", "note": "复核通过"})
        task.refresh_from_db()
        self.assertEqual(task.status, "closed")
        self.assertEqual(
            list(FollowUp.objects.values_list("kind", flat=True)),
            ["submit", "reopen", "submit", "close"],
        )
        self.assertAudited("assessment.rectification.close", object_id=str(task.pk))
        page = self.client.get(reverse("assessment:inspection", args=[ins.pk]))
        self.assertContains(page, "已销号")

    def test_it_refuses_a_finding_without_evidence_or_an_outside_owner(self) -> None:
        ins = services.inspection_create(
            agency=self.agency_a,
            by=self.chenzd,
            title="检查",
            inspected_on=dt.date(2026, 3, 2),
            inspectors="陈指导",
        )
        with self.assertRaisesMessage(services.AssessmentError, "佐证材料"):
            services.finding_add(
                inspection=ins, by=self.chenzd, description="问题", severity="minor", evidence=""
            )
        with self.assertRaisesMessage(
            services.AssessmentError, "整改责任人须为通化市民政局的工作人员"
        ):
            services.finding_add(
                inspection=ins, by=self.chenzd, description="问题", severity="minor", evidence="截图",
                owner=self.zhaoliu, due_on=dt.date(2026, 4, 1),
            )  # fmt: skip
        with self.assertRaisesMessage(services.AssessmentError, "指导科"):
            services.inspection_create(
                agency=self.agency_a,
                by=self.sunba,
                title="检查",
                inspected_on=dt.date(2026, 3, 2),
                inspectors="x",
            )

    def test_it_tracks_work_plan_progress(self) -> None:
        plan = services.workplan_create(
            region=self.city_region, year=2026, by=self.chenzd, title="2026年全市政务公开工作要点",
            tasks=[{"title": "推进财政预算决算公开", "owner_agency": self.agency_b, "owner": self.zhaoliu}],
        )  # fmt: skip
        task = plan.tasks.get()
        url = reverse("assessment:worktask", args=[plan.pk, task.pk])
        self.login(self.lisi)  # another agency's clerk
        self.client.post(url, {"progress": "50", "note": "x"})
        task.refresh_from_db()
        self.assertEqual(task.progress, 0)
        self.login(self.zhaoliu)
        self.client.post(url, {"progress": "150", "note": "过半"}, follow=True)
        self.client.post(url, {"progress": "60", "note": "预算已公开，决算待公开"})
        task.refresh_from_db()
        self.assertEqual(task.progress, 60)
        page = self.client.get(reverse("assessment:workplan", args=[plan.pk]))
        self.assertContains(page, "预算已公开，决算待公开")
        self.assertContains(page, "60%")
