from gongkai.test import BaseTestCase


class ConsoleHomeTestCase(BaseTestCase):
    def test_it_requires_login(self) -> None:
        r = self.client.get("/console/")
        self.assertRedirects(r, "/accounts/login/?next=/console/", fetch_redirect_response=False)

    def test_it_shows_each_persona_their_own_roles(self) -> None:
        self.login(self.lisi)
        r = self.client.get("/console/")
        self.assertContains(r, "通化市民政局")
        self.assertContains(r, "录入员")
        self.assertNotContains(r, "通化市财政局")
        self.assertContains(r, 'href="#main"')  # skip link

    def test_it_shows_the_audit_administrator_only_the_audit_log(self) -> None:
        self.login(self.auditor)
        r = self.client.get("/console/")
        nav = [item.label for item in r.context["console_nav"]]
        self.assertEqual(nav, ["审计日志"])

    def test_it_opens_django_admin_to_the_system_administrator_only(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.assertEqual(self.client.get("/admin/agencies/agency/").status_code, 200)
        for user in (self.secadmin, self.auditor, self.lisi, self.chenzd):
            self.client.force_login(user)
            r = self.client.get("/admin/agencies/agency/")
            self.assertNotEqual(r.status_code, 200)
        # the audit log and user accounts are not in the admin at all
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/admin/audit/auditentry/").status_code, 404)
        self.assertEqual(self.client.get("/admin/accounts/user/").status_code, 404)
