from gongkai.audit.services import audit_log
from gongkai.test import BaseTestCase


class AuditViewsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.entry = audit_log("tests.event", actor=self.lisi, object_repr="一条记录")

    def test_it_shows_the_log_to_the_audit_administrator(self) -> None:
        self.login(self.auditor)
        r = self.client.get("/console/audit/")
        self.assertContains(r, "tests.event")
        self.assertContains(self.client.get(f"/console/audit/{self.entry.pk}/"), "一条记录")
        self.assertContains(self.client.get("/console/audit/verify/"), "哈希链完好")

    def test_it_hides_the_log_from_every_other_persona(self) -> None:
        for name, user in self.personas().items():
            if name == "auditor":
                continue
            self.client.force_login(user)
            self.assertEqual(self.client.get("/console/audit/").status_code, 403, name)
            self.assertEqual(
                self.client.get(f"/console/audit/{self.entry.pk}/").status_code, 404, name
            )

    def test_it_filters_and_survives_bad_filter_values(self) -> None:
        self.login(self.auditor)
        r = self.client.get(
            "/console/audit/", {"action": "tests.", "date_from": "not-a-date", "page": "999999999"}
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "tests.event")
