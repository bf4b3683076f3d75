from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Staffing
from gongkai.audit.models import AuditEntry
from gongkai.test import BaseTestCase


class AgencyCreateTestCase(BaseTestCase):
    url = "/console/agencies/new/"

    def data(self, **overrides: str) -> dict:
        data = {
            "name": "通化市测试局",
            "short_name": "测试局",
            "code": "th-csj",
            "region": self.city_region.pk,
            "level": "city",
            "kind": "department",
            "org_code": demo_org_code("th-csj"),
            "uscc": demo_uscc("th-csj", "220500"),
            "sort_order": 1,
            "is_active": "on",
        }
        data.update(overrides)
        return data

    def test_it_creates_an_agency_and_audits_it(self) -> None:
        self.login(self.sysadmin)
        r = self.client.post(self.url, self.data())
        agency = Agency.objects.get(code="th-csj")
        self.assertRedirects(r, f"/console/agencies/{agency.pk}/")
        entry = AuditEntry.objects.get(action="agencies.agency.created", object_id=str(agency.pk))
        self.assertEqual(entry.changes["name"], [None, "通化市测试局"])

    def test_it_rejects_a_malformed_code_in_chinese(self) -> None:
        self.login(self.sysadmin)
        r = self.client.post(self.url, self.data(uscc="11220500123456789X"))
        self.assertContains(r, "统一社会信用代码", status_code=400)
        r = self.client.post(self.url, self.data(org_code="12345678-0", uscc=""))
        self.assertContains(r, "组织机构代码校验码错误", status_code=400)
        self.assertFalse(Agency.objects.filter(code="th-csj").exists())

    def test_it_rejects_a_duplicate_agency(self) -> None:
        self.login(self.sysadmin)
        r = self.client.post(self.url, self.data(name="通化市民政局"))
        self.assertContains(r, "已存在", status_code=400)
        self.assertEqual(Agency.objects.filter(name="通化市民政局").count(), 1)

    def test_it_is_for_the_system_administrator_only(self) -> None:
        for user in (self.lisi, self.chenzd, self.secadmin, self.auditor):
            self.login(user)
            self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.assertFalse(Agency.objects.filter(code="th-csj").exists())


class AgencyEditTestCase(BaseTestCase):
    def test_it_lets_the_office_head_edit_office_details(self) -> None:
        self.login(self.wushi)
        r = self.client.post(
            f"/console/agencies/{self.agency_a.pk}/edit/",
            {"office_phone": "0435-1234567", "office_email": "mzj@example.gov.cn"},
        )
        self.assertRedirects(r, f"/console/agencies/{self.agency_a.pk}/")
        self.agency_a.refresh_from_db()
        self.assertEqual(self.agency_a.office_phone, "0435-1234567")
        entry = AuditEntry.objects.get(action="agencies.agency.updated")
        self.assertEqual(entry.changes["office_phone"], ["", "0435-1234567"])

    def test_it_denies_read_only_and_other_agencies(self) -> None:
        self.login(self.fenger)
        self.assertEqual(
            self.client.post(
                f"/console/agencies/{self.agency_a.pk}/edit/", {"office_phone": "1"}
            ).status_code,
            403,
        )
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.post(
                f"/console/agencies/{self.agency_a.pk}/edit/", {"office_phone": "1"}
            ).status_code,
            404,
        )

    def test_it_records_staffing_figures(self) -> None:
        self.login(self.zhoujiu)
        url = f"/console/agencies/{self.agency_a.pk}/staffing/"
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url, {"year": 2012, "full_time": 3, "part_time": 5})
        self.client.post(url, {"year": 2012, "full_time": 4, "part_time": 5})
        row = Staffing.objects.get(agency=self.agency_a, year=2012)
        self.assertEqual((row.full_time, row.part_time, row.total), (4, 5, 9))
        r = self.client.post(url, {"year": 2012, "full_time": -1, "part_time": 5}, follow=True)
        self.assertContains(r, "人员配置填写有误")
