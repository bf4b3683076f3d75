from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.workdays import calendar
from gongkai.workdays.models import CalendarYear, ExceptionDay
from gongkai.workdays.permissions import get_exception_day_for_user
from gongkai.workdays.tests.helpers import CalendarTestCase, d

CSV_2027 = (
    "日期,类型,名称\n"
    "2027-01-01,休息,元旦\n"
    "2027-02-06,休息,春节\n"
    "2027-02-07,休息,春节\n"
    "2027-02-08,休息,春节\n"
    "2027-02-13,上班,春节\n"
)


class CalendarHomeTest(CalendarTestCase):
    def test_it_lists_years_with_counts_for_the_system_admin(self) -> None:
        self.login(self.sysadmin)
        r = self.client.get(reverse("workdays:home"))
        self.assertEqual(r.status_code, 200)
        years = [y["record"].year for y in r.context["years"]]
        self.assertEqual(years, list(range(2026, 2003, -1)))
        y2012 = next(y for y in r.context["years"] if y["record"].year == 2012)
        self.assertEqual(
            y2012["work"], ExceptionDay.objects.filter(date__year=2012, kind="work").count()
        )
        self.assertEqual(
            y2012["rest"], ExceptionDay.objects.filter(date__year=2012, kind="rest").count()
        )
        self.assertContains(r, "2025年11月4日")

    def test_it_is_forbidden_to_everyone_else(self) -> None:
        urls = [
            reverse("workdays:home"),
            reverse("workdays:year", args=[2026]),
            reverse("workdays:import"),
            reverse("workdays:day_create"),
        ]
        for name, user in self.personas().items():
            if name == "sysadmin":
                continue
            self.client.force_login(user)
            for url in urls:
                with self.subTest(user=name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)

    def test_it_redirects_anonymous_users_to_login(self) -> None:
        r = self.client.get(reverse("workdays:home"))
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/", r["Location"])

    def test_it_matches_the_access_function_per_persona(self) -> None:
        day = ExceptionDay.objects.get(date=d("2026-10-10"))
        for name, user in self.personas().items():
            with self.subTest(user=name):
                visible = ExceptionDay.objects.for_user(user).filter(pk=day.pk).exists()
                try:
                    get_exception_day_for_user(user, day.pk, write=True)
                    allowed = True
                except (Http404, PermissionDenied):
                    allowed = False
                self.assertEqual(visible, allowed)
                self.assertEqual(allowed, name == "sysadmin")


class YearImportTest(CalendarTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.sysadmin)
        self.url = reverse("workdays:import")

    def test_it_imports_a_year_from_an_upload(self) -> None:
        upload = SimpleUploadedFile(
            "2027.csv", CSV_2027.encode("utf-8-sig"), content_type="text/csv"
        )
        r = self.client.post(
            self.url,
            {"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知", "file": upload},
        )
        self.assertRedirects(r, reverse("workdays:year", args=[2027]))
        self.assertTrue(CalendarYear.objects.filter(year=2027).exists())
        self.assertEqual(ExceptionDay.objects.filter(date__year=2027).count(), 5)
        self.assertAudited(
            "workdays.year.imported", object_id=str(CalendarYear.objects.get(year=2027).pk)
        )
        self.assertAudited("workdays.deadlines.recomputed")
        # the new year now computes (Sat 2/13 worked, 2/6–2/8 rest)
        self.assertTrue(calendar.is_workday(d("2027-02-13")))
        self.assertFalse(calendar.is_workday(d("2027-02-08")))
        self.assertEqual(calendar.add_workdays(d("2026-12-31"), 1), d("2027-01-04"))

    def test_it_accepts_gbk_and_pasted_text_with_default_notice(self) -> None:
        upload = SimpleUploadedFile("2027.csv", CSV_2027.encode("gbk"), content_type="text/csv")
        r = self.client.post(self.url, {"year": 2027, "file": upload})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(
            CalendarYear.objects.get(year=2027).notice, "国务院办公厅关于2027年部分节假日安排的通知"
        )

    def test_it_imports_pasted_text(self) -> None:
        r = self.client.post(
            self.url, {"year": 2027, "text": CSV_2027.replace("日期,类型,名称", "date,kind,name")}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(ExceptionDay.objects.filter(date__year=2027).count(), 5)

    def test_it_imports_nothing_when_a_row_is_wrong(self) -> None:
        bad = (
            CSV_2027
            + "2027-02-30,休息,春节\n2027-03-01,上班,春节\n2027-04-05,放风,清明节\n2027-02-06,休息,春节\n2029-01-01,休息,元旦\n"
        )
        entries = AuditEntry.objects.count()
        r = self.client.post(self.url, {"year": 2027, "text": bad})
        self.assertEqual(r.status_code, 400)
        errors = r.context["form"].non_field_errors()
        self.assertIn("第7行：日期“2027-02-30”无效", "".join(errors))
        self.assertIn("第8行：2027-03-01是星期一", "".join(errors))
        self.assertIn("第9行：类型“放风”无效", "".join(errors))
        self.assertIn("第10行：日期2027-02-06与第3行重复", "".join(errors))
        self.assertIn("第11行：日期2029-01-01不属于2027年", "".join(errors))
        self.assertFalse(CalendarYear.objects.filter(year=2027).exists())
        self.assertFalse(ExceptionDay.objects.filter(date__year=2027).exists())
        self.assertEqual(AuditEntry.objects.count(), entries)

    def test_it_refuses_a_year_that_has_data(self) -> None:
        r = self.client.post(
            self.url, {"year": 2026, "text": "日期,类型,名称\n2026-01-01,休息,元旦\n"}
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "2026年已有日历数据", status_code=400)

    def test_it_refuses_a_conflicting_cross_year_row(self) -> None:
        text = "日期,类型,名称\n2026-12-31,上班,元旦\n2027-01-01,休息,元旦\n"
        r = self.client.post(self.url, {"year": 2027, "text": text})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "是星期四", status_code=400)  # 2026-12-31 is a Thursday
        r = self.client.post(
            self.url, {"year": 2027, "text": "日期,类型,名称\n2026-10-10,休息,国庆节\n"}
        )
        self.assertEqual(r.status_code, 400)  # October is not part of a 2027 notice

    def test_it_requires_a_header_and_some_content(self) -> None:
        r = self.client.post(self.url, {"year": 2027, "text": "2027-01-01,休息,元旦\n"})
        self.assertContains(r, "表头应为", status_code=400)
        r = self.client.post(self.url, {"year": 2027})
        self.assertContains(r, "请上传 CSV 文件或粘贴 CSV 内容", status_code=400)


class DayFormTest(CalendarTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.login(self.sysadmin)

    def test_it_adds_a_day_and_changes_the_arithmetic(self) -> None:
        self.assertTrue(calendar.is_workday(d("2026-03-02")))
        r = self.client.post(
            reverse("workdays:day_create"),
            {
                "date": "2026-03-02",
                "kind": "rest",
                "name": "临时放假",
                "notice": "国务院办公厅临时通知",
            },
        )
        self.assertRedirects(r, reverse("workdays:year", args=[2026]))
        self.assertFalse(calendar.is_workday(d("2026-03-02")))
        self.assertAudited("workdays.day.created")

    def test_it_refuses_a_weekday_makeup_day_and_an_uncovered_year(self) -> None:
        r = self.client.post(
            reverse("workdays:day_create"),
            {"date": "2026-03-03", "kind": "work", "name": "调休", "notice": "通知"},
        )
        self.assertContains(r, "本来就是工作日", status_code=400)
        r = self.client.post(
            reverse("workdays:day_create"),
            {"date": "2027-03-06", "kind": "work", "name": "调休", "notice": "通知"},
        )
        self.assertContains(r, "2027年尚无日历数据", status_code=400)
        r = self.client.post(
            reverse("workdays:day_create"),
            {"date": "2026-10-10", "kind": "work", "name": "国庆节", "notice": "通知"},
        )
        self.assertContains(r, "已有记录", status_code=400)

    def test_it_edits_a_day(self) -> None:
        day = ExceptionDay.objects.get(date=d("2026-10-10"))
        r = self.client.get(reverse("workdays:day_edit", args=[day.pk]))
        self.assertContains(r, "国庆节")
        r = self.client.post(
            reverse("workdays:day_edit", args=[day.pk]),
            {"date": "2030-01-01", "kind": "rest", "name": "国庆节", "notice": day.notice},
        )
        self.assertEqual(r.status_code, 302)
        day.refresh_from_db()
        self.assertEqual((day.date, day.kind), (d("2026-10-10"), "rest"))  # the date is fixed
        self.assertFalse(calendar.is_workday(d("2026-10-10")))
        self.assertAudited("workdays.day.updated", object_id=str(day.pk))

    def test_it_reports_an_edit_without_changes(self) -> None:
        day = ExceptionDay.objects.get(date=d("2026-10-10"))
        r = self.client.post(
            reverse("workdays:day_edit", args=[day.pk]),
            {
                "kind": day.kind,
                "name": day.name,
                "notice": day.notice,
                "notice_url": day.notice_url,
            },
        )
        self.assertContains(r, "没有需要保存的修改", status_code=400)

    def test_it_deletes_a_day_by_post_only(self) -> None:
        day = ExceptionDay.objects.get(date=d("2026-10-10"))
        url = reverse("workdays:day_delete", args=[day.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        r = self.client.post(url)
        self.assertRedirects(r, reverse("workdays:year", args=[2026]))
        self.assertFalse(ExceptionDay.objects.filter(pk=day.pk).exists())
        self.assertFalse(calendar.is_workday(d("2026-10-10")))  # a plain Saturday again
        self.assertAudited("workdays.day.deleted")

    def test_it_hides_days_from_other_users(self) -> None:
        day = ExceptionDay.objects.get(date=d("2026-10-10"))
        self.login(self.wushi)
        self.assertEqual(
            self.client.post(reverse("workdays:day_delete", args=[day.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("workdays:day_edit", args=[day.pk])).status_code, 404
        )
        self.assertTrue(ExceptionDay.objects.filter(pk=day.pk).exists())


class YearDetailTest(CalendarTestCase):
    def test_it_shows_a_year_and_redirects_for_an_unknown_one(self) -> None:
        self.login(self.sysadmin)
        r = self.client.get(reverse("workdays:year", args=[2012]))
        self.assertContains(r, "2012-01-21")
        self.assertContains(r, "上班（调休）")
        r = self.client.get(reverse("workdays:year", args=[2031]))
        self.assertRedirects(r, reverse("workdays:home"))


class DeadlineCalculatorPageTest(CalendarTestCase):
    def test_it_explains_a_due_date_to_staff(self) -> None:
        self.login(self.zhengyi)
        r = self.client.get(
            reverse("workdays:deadline"), {"received": "2026-02-06", "pauses": "", "extend": ""}
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["result"].due_on, d("2026-03-12"))
        self.assertContains(r, "为什么是这一天")
        self.assertContains(r, "春节2月15日至2月23日")

    def test_it_shows_errors_as_400(self) -> None:
        self.login(self.zhengyi)
        r = self.client.get(reverse("workdays:deadline"), {"received": "2026-12-20"})
        self.assertContains(r, "2027年的节假日安排尚未录入", status_code=400)
        r = self.client.get(
            reverse("workdays:deadline"),
            {"received": "2026-02-06", "pauses": "2026-02-10:2026-02-01"},
        )
        self.assertContains(r, "结束日期早于开始日期", status_code=400)

    def test_it_is_not_for_members_of_the_public(self) -> None:
        self.login(self.zhangsan)
        self.assertEqual(self.client.get(reverse("workdays:deadline")).status_code, 403)
        self.login(self.sysadmin)
        self.assertEqual(self.client.get(reverse("workdays:deadline")).status_code, 200)
