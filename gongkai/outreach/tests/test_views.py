from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog
from gongkai.outreach.services import delivery_create
from gongkai.test import BaseTestCase


class OutreachViewsTest(BaseTestCase):
    point_a: ReadingPoint
    point_b: ReadingPoint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.point_a = ReadingPoint.objects.create(
            agency=cls.agency_a, name="市档案馆查阅点", kind="archive", address="新华大街1号"
        )
        cls.point_b = ReadingPoint.objects.create(
            agency=cls.agency_b,
            name="市图书馆查阅点",
            kind="library",
            address="光明路2号",
            electronic=True,
        )
        ReadingPoint.objects.create(
            agency=cls.agency_b, name="已关闭", kind="other", address="x", is_active=False
        )

    def test_it_lists_only_visible_records_for_each_persona(self) -> None:
        kinds: list[tuple[str, Any]] = [
            ("points", ReadingPoint),
            ("deliveries", Delivery),
            ("visits", VisitLog),
            ("activities", Activity),
        ]
        for slug, model in kinds:
            for name, user in self.personas().items():
                self.login(user)
                resp = self.client.get(reverse("outreach:list", args=[slug]))
                self.assertEqual(resp.status_code, 200, (slug, name))
                expected = set(model.objects.for_user(user).values_list("pk", flat=True))
                self.assertEqual({o.pk for o in resp.context["page"]}, expected, (slug, name))
        self.assertEqual(
            set(ReadingPoint.objects.for_user(self.personas()["lisi"])), {self.point_a}
        )

    def test_it_records_a_delivery_with_its_working_days(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("outreach:create", args=["deliveries"]),
            {
                "reading_point": self.point_a.pk,
                "title": "关于低保标准的通知",
                "medium": "paper",
                "quantity": 3,
                "formed_on": "2025-09-26",
                "delivered_on": "2025-10-09",
            },
        )
        self.assertEqual(resp.status_code, 302)
        d = Delivery.objects.get()
        # 2025: 10月1日–8日 is the National Day holiday, 9月28日 and 10月11日 are make-up days
        self.assertEqual(d.workdays_taken, 4)  # 9/28(Sun, make-up), 9/29, 9/30, 10/9
        self.assertAudited("outreach.delivery.created", object_id=str(d.pk))

    def test_it_refuses_a_delivery_to_another_agencys_point(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("outreach:create", args=["deliveries"]),
            {
                "reading_point": self.point_b.pk,
                "title": "x",
                "medium": "paper",
                "quantity": 1,
                "formed_on": "2025-09-26",
                "delivered_on": "2025-10-09",
            },
        )
        self.assertEqual(resp.status_code, 400)
        self.assertEqual(Delivery.objects.count(), 0)

    def test_it_rejects_a_delivery_before_formation(self) -> None:
        self.login(self.lisi)
        resp = self.client.post(
            reverse("outreach:create", args=["deliveries"]),
            {
                "reading_point": self.point_a.pk,
                "title": "x",
                "medium": "paper",
                "quantity": 1,
                "formed_on": "2025-09-26",
                "delivered_on": "2025-09-01",
            },
        )
        self.assertContains(resp, "报送日期不能早于生成日期", status_code=400)

    def test_it_imports_activities_and_reports_bad_rows(self) -> None:
        self.login(self.lisi)
        csv = "机关,类别,日期,名称,次数,数量\nth-mzj,培训,2025-03-01,政务公开培训,2,80\nth-mzj,新闻发布会,2025-04-01,发布会,1,5\n"
        resp = self.client.post(
            reverse("outreach:import", args=["activities"]),
            {"file": SimpleUploadedFile("a.csv", csv.encode())},
        )
        self.assertEqual(resp.status_code, 302)
        self.assertEqual(Activity.objects.filter(kind="training").get().quantity, 80)
        bad = "机关,类别,日期,名称,次数,数量\nth-mzj,培训,2025-03-01,a,2,80\nth-mzj,跳舞,2025-04-01,b,1,5\nth-czj,培训,2025-04-01,c,1,5\n"
        resp = self.client.post(
            reverse("outreach:import", args=["activities"]),
            {"file": SimpleUploadedFile("a.csv", bad.encode())},
        )
        self.assertEqual(resp.status_code, 400)
        reasons = dict(resp.context["rejected"])
        self.assertEqual(sorted(reasons), [3, 4])
        self.assertIn("th-czj", reasons[4])
        self.assertEqual(Activity.objects.count(), 2)
        resp = self.client.post(
            reverse("outreach:import", args=["activities"]),
            {"file": SimpleUploadedFile("a.txt", b"x")},
        )
        self.assertContains(resp, "只支持 .csv、.xlsx 文件", status_code=400)

    def test_it_shows_open_reading_points_on_the_portal(self) -> None:
        resp = self.client.get(reverse("outreach_public:index"))
        self.assertContains(resp, "市档案馆查阅点")
        self.assertContains(resp, "市图书馆查阅点")
        self.assertNotContains(resp, "已关闭")

    def test_it_leaves_workdays_empty_without_calendar_data(self) -> None:
        d = delivery_create(
            by=self.lisi,
            reading_point=self.point_a,
            title="x",
            medium="electronic",
            quantity=1,
            formed_on=dt.date(1999, 1, 4),
            delivered_on=dt.date(1999, 1, 8),
        )
        self.assertIsNone(d.workdays_taken)

    def test_it_imports_deliveries_naming_the_reading_point(self) -> None:
        self.login(self.lisi)
        csv = (
            "查阅点,文件名称,载体,件数,生成日期,报送日期\n"
            "市档案馆查阅点,关于救助标准的通知,纸质,5,2025-03-03,2025-03-10\n"
        )
        url = reverse("outreach:import", args=["deliveries"])
        resp = self.client.post(url, {"file": SimpleUploadedFile("d.csv", csv.encode())})
        self.assertEqual(resp.status_code, 302)
        d = Delivery.objects.get()
        self.assertEqual((d.reading_point, d.quantity, d.workdays_taken), (self.point_a, 5, 5))
        other = csv.replace("市档案馆查阅点", "市图书馆查阅点")  # agency B's point: not for 李四
        resp = self.client.post(url, {"file": SimpleUploadedFile("d.csv", other.encode())})
        self.assertEqual(resp.status_code, 400)
        self.assertIn("查阅点", resp.context["rejected"][0][1])

    def test_it_edits_and_closes_a_reading_point(self) -> None:
        url = reverse("outreach:point", args=[self.point_a.pk])
        self.login(self.lisi)
        self.assertContains(self.client.get(reverse("outreach:list", args=["points"])), url)
        data = {
            "name": "市档案馆查阅点",
            "kind": "archive",
            "address": "新华大街9号",
            "hours": "全天",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)  # is_active unticked
        self.point_a.refresh_from_db()
        self.assertEqual((self.point_a.address, self.point_a.is_active), ("新华大街9号", False))
        self.assertAudited("outreach.reading_point.changed", object_id=str(self.point_a.pk))
        self.assertNotContains(self.client.get(reverse("outreach_public:index")), "市档案馆查阅点")
        self.login(self.fenger)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.login(self.zhaoliu)
        self.assertEqual(self.client.get(url).status_code, 404)
