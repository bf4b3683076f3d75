from django.test import override_settings

from gongkai.audit.models import AuditEntry
from gongkai.test import PASSWORD, BaseTestCase


class LoginTestCase(BaseTestCase):
    url = "/accounts/login/"

    def test_it_logs_in_and_audits_it(self) -> None:
        r = self.client.post(
            self.url, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
        )
        self.assertRedirects(r, "/console/")
        entry = AuditEntry.objects.filter(action="accounts.login.succeeded").latest("id")
        self.assertEqual(entry.actor_id, self.lisi.pk)
        self.assertEqual(entry.ip, "10.1.2.3")
        self.assertIn("录入员", entry.role)
        self.assertEqual(entry.agency_code, "th-mzj")

    def test_it_refuses_a_wrong_password_with_a_chinese_message(self) -> None:
        r = self.client.post(self.url, {"username": "lisi", "password": "wrong"})
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "用户名或密码错误", status_code=400)
        self.assertTrue(
            AuditEntry.objects.filter(action="accounts.login.failed", object_repr="lisi").exists()
        )

    def test_it_audits_an_unknown_user(self) -> None:
        self.client.post(self.url, {"username": "nobody", "password": "x"})
        self.assertTrue(
            AuditEntry.objects.filter(action="accounts.login.failed", object_repr="nobody").exists()
        )

    @override_settings(LOGIN_MAX_FAILURES=3)
    def test_it_slows_the_address_down_after_repeated_failures(self) -> None:
        for _ in range(3):
            self.client.post(
                self.url, {"username": "lisi", "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
            )
        r = self.client.post(
            self.url, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
        )
        self.assertContains(r, "后再试", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)
        # the real user elsewhere is not locked out
        r = self.client.post(
            self.url, {"username": "lisi", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
        )
        self.assertRedirects(r, "/console/")

    def test_it_logs_out_with_post_only_and_audits_it(self) -> None:
        self.login(self.lisi)
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)
        r = self.client.post("/accounts/logout/")
        self.assertRedirects(r, "/")
        self.assertTrue(
            AuditEntry.objects.filter(action="accounts.session.logout", actor=self.lisi).exists()
        )

    @override_settings(SESSION_IDLE_TIMEOUT=60)
    def test_it_expires_idle_sessions(self) -> None:
        self.login(self.lisi)
        session = self.client.session
        session["last_seen"] = 0
        session.save()
        r = self.client.get("/console/")
        self.assertEqual(r.status_code, 302)
        self.assertIn("/accounts/login/", r["Location"])
