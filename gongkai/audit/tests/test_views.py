import csv
import datetime as dt
import io

from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_log, audit_verify
from gongkai.test import BaseTestCase


class AuditViewsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.entry = audit_log(
            "accounts.user.created",
            actor=self.secadmin,
            obj=self.lisi,
            agency_code=self.agency_a.code,
            changes={"username": [None, "lisi"]},
        )
        # a row written before the codes were unified keeps its stored code
        self.legacy = audit_log(
            "pki.certificate_login", actor=self.lisi, agency_code=self.agency_a.code
        )

    def test_it_shows_the_log_to_the_audit_administrator_in_chinese(self) -> None:
        self.login(self.auditor)
        r = self.client.get("/console/audit/")
        self.assertContains(r, "新建用户")
        self.assertContains(r, "通化市民政局")  # the agency's name, not th-mzj
        self.assertNotContains(r, ">th-mzj<")
        self.assertContains(r, f"用户「李四」（#{self.lisi.pk}）")  # not "accounts.user 3"
        self.assertContains(r, "证书登录")  # the legacy code reads the same label
        detail = self.client.get(f"/console/audit/{self.entry.pk}/")
        self.assertContains(detail, "用户名")  # the changed field's verbose name
        self.assertContains(detail, "新建用户")
        self.assertContains(self.client.get("/console/audit/verify/"), "哈希链完好")

    def test_it_hides_the_log_from_every_other_persona(self) -> None:
        for name, user in self.personas().items():
            if name == "auditor":
                continue
            self.client.force_login(user)
            self.assertEqual(self.client.get("/console/audit/").status_code, 403, name)
            self.assertEqual(self.client.get("/console/audit/export.csv").status_code, 403, name)
            self.assertEqual(
                self.client.get(f"/console/audit/{self.entry.pk}/").status_code, 404, name
            )

    def test_it_filters_by_person_agency_action_and_dates(self) -> None:
        self.login(self.auditor)
        day = audit_log("workdays.day.created", actor=self.sysadmin, object_repr="国庆节")
        created, legacy, holiday = (
            f'href="/console/audit/{e.pk}/"' for e in (self.entry, self.legacy, day)
        )

        def shown(params: dict[str, str]) -> str:
            r = self.client.get("/console/audit/", params)
            self.assertEqual(r.status_code, 200, params)
            return r.content.decode()

        page = shown({"person": "安全管理员"})
        self.assertIn(created, page)
        self.assertNotIn(holiday, page)
        page = shown({"person": "sysadmin"})  # by username too
        self.assertIn(holiday, page)
        self.assertNotIn(created, page)
        page = shown({"agency": self.agency_a.code})
        self.assertIn(created, page)
        self.assertNotIn(holiday, page)
        page = shown({"action": "pki.certificate.login"})
        self.assertIn(legacy, page)  # the row stored under the legacy code is found
        self.assertNotIn(created, page)
        page = shown({"action": "workdays."})  # a whole module
        self.assertIn(holiday, page)
        self.assertNotIn(created, page)
        today = timezone.localdate().isoformat()
        self.assertIn(created, shown({"date_from": today, "date_to": today}))
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        self.assertNotIn(created, shown({"date_to": yesterday}))

    def test_it_refuses_bad_filter_values_with_a_chinese_message(self) -> None:
        self.login(self.auditor)
        for params, message in (
            ({"date_from": "not-a-date"}, "请输入有效日期"),
            ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "结束日期不能早于开始日期"),
            ({"date_from": "1900-01-01"}, "日期应在2000年至2100年之间"),
            ({"action": "no.such.code"}, "没有这种事件"),
            ({"agency": "nowhere"}, "没有这个机构"),
            ({"person": "x" * 61}, "操作人最多60个字"),
        ):
            r = self.client.get("/console/audit/", {**params, "page": "999999999"})
            self.assertContains(r, message, status_code=400)
            self.assertContains(r, "没有符合条件的记录", status_code=400)  # no unfiltered rows
            r = self.client.get("/console/audit/export.csv", params)
            self.assertContains(r, message, status_code=400)
        self.assertFalse(AuditEntry.objects.filter(action="audit.log.exported").exists())

    def test_it_exports_csv_for_excel_and_audits_the_export(self) -> None:
        self.login(self.auditor)
        audit_log("publishing.item.created", actor=self.lisi, message="=HYPERLINK(1)")
        r = self.client.get("/console/audit/export.csv", {"agency": self.agency_a.code})
        self.assertEqual(r.status_code, 200)
        self.assertIn("attachment;", r["Content-Disposition"])
        body = b"".join(r.streaming_content)  # type: ignore[attr-defined]
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["编号", "时间", "事件"])
        self.assertEqual([row[2] for row in rows[1:]], ["新建用户", "证书登录"])
        self.assertEqual(rows[1][6], "通化市民政局")
        export = AuditEntry.objects.get(action="audit.log.exported")
        self.assertEqual(export.actor, self.auditor)
        self.assertIn("2 条", export.message)
        self.assertIn("机构=th-mzj", export.message)
        r = self.client.get("/console/audit/export.csv")
        body = b"".join(r.streaming_content)  # type: ignore[attr-defined]
        self.assertIn("'=HYPERLINK(1)", body.decode("utf-8-sig"))  # no formula injection
        self.assertTrue(audit_verify().ok)


class DeniedAccessTest(BaseTestCase):
    def test_it_records_a_refused_console_page_with_the_reason(self) -> None:
        self.login(self.zhaoliu)
        r = self.client.get("/console/audit/")
        self.assertEqual(r.status_code, 403)
        entry = AuditEntry.objects.get(action="audit.access.denied")
        self.assertEqual(entry.actor, self.zhaoliu)
        self.assertIn("403", entry.message)
        self.assertIn("只有审计管理员可以查看审计日志", entry.message)
        self.assertEqual(entry.object_type, "page:audit:list")
        self.assertTrue(audit_verify().ok)

    def test_it_records_a_404_on_a_protected_object_with_its_id(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/console/applications/987654/").status_code, 404)
        entry = AuditEntry.objects.get(action="audit.access.denied")
        self.assertEqual(entry.object_id, "987654")
        self.assertIn("申请不存在或无权查看", entry.message)

    def test_it_records_refusals_in_user_administration_and_the_django_admin(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/accounts/users/").status_code, 403)
        self.assertEqual(self.client.get("/admin/pki/certificate/").status_code, 403)
        pages = set(
            AuditEntry.objects.filter(action="audit.access.denied").values_list(
                "object_repr", flat=True
            )
        )
        self.assertEqual(pages, {"/accounts/users/", "/admin/pki/certificate/"})

    def test_it_does_not_record_anonymous_visitors_or_the_portal(self) -> None:
        self.client.get("/console/audit/")  # redirect to login
        self.login(self.zhaoliu)
        self.client.get("/xxgk/987654/")
        self.assertFalse(AuditEntry.objects.filter(action="audit.access.denied").exists())

    def test_it_shows_denied_attempts_on_the_audit_page(self) -> None:
        self.login(self.zhaoliu)
        self.client.get("/console/audit/")
        self.login(self.auditor)
        r = self.client.get("/console/audit/", {"action": "audit.access.denied"})
        self.assertContains(r, "拒绝访问")
        self.assertContains(r, "赵六")
        self.assertContains(r, "页面 /console/audit/")
