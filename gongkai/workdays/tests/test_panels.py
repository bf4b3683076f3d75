from __future__ import annotations

from django.urls import reverse

from gongkai.workdays import calendar, panels
from gongkai.workdays.models import CalendarVersion, CalendarYear
from gongkai.workdays.tests.helpers import CalendarTestCase, d


class PanelsTest(CalendarTestCase):
    def test_it_warns_the_admin_about_next_year(self) -> None:
        alerts = panels.alerts(self.sysadmin, today=d("2026-11-28"))
        self.assertEqual(len(alerts), 1)
        self.assertIn("2027年", alerts[0].text)
        self.assertEqual(alerts[0].level, "warning")
        self.assertEqual(alerts[0].url, reverse("workdays:home"))
        self.assertEqual(panels.alerts(self.sysadmin, today=d("2025-11-28")), [])
        self.assertEqual(panels.alerts(self.lisi, today=d("2026-11-28")), [])

    def test_it_tells_all_staff_when_the_current_year_is_missing(self) -> None:
        CalendarYear.objects.filter(year=2026).delete()
        CalendarVersion.objects.filter(pk=1).update(version=777)
        calendar.invalidate()
        staff = panels.alerts(self.lisi, today=d("2026-03-01"))
        self.assertEqual([a.level for a in staff], ["error"])
        self.assertIn("请联系系统管理员", staff[0].text)
        self.assertEqual(len(panels.alerts(self.sysadmin, today=d("2026-03-01"))), 2)
        self.assertEqual(panels.alerts(self.zhangsan, today=d("2026-03-01")), [])

    def test_it_shows_the_alert_on_the_console_home(self) -> None:
        from django.utils import timezone

        this_year = timezone.localdate().year
        CalendarYear.objects.filter(year=this_year).delete()
        CalendarVersion.objects.filter(pk=1).update(version=778)
        calendar.invalidate()
        self.login(self.zhengyi)
        r = self.client.get(reverse("console:home"))
        self.assertContains(r, f"工作日历缺少{this_year}年的节假日安排")

    def test_it_adds_nav_entries(self) -> None:
        self.assertEqual([n.label for n in panels.nav(self.sysadmin)], ["工作日历", "期限计算"])
        self.assertEqual([n.label for n in panels.nav(self.zhengyi)], ["期限计算"])
        self.assertEqual(panels.nav(self.zhangsan), [])
