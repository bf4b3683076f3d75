"""Headers and cookies of issue 13: no-store on staff pages, CSP on /admin/, the /admin/ loop
for non-sysadmin staff, the elder cookie."""

from __future__ import annotations

from django.test import override_settings

from gongkai.test import BaseTestCase


class StaffPageHeaderTests(BaseTestCase):
    def test_every_console_page_is_no_store(self) -> None:
        self.login(self.zhengyi)
        for url in ("/console/", "/console/applications/", "/console/does-not-exist/"):
            response = self.client.get(url)
            self.assertEqual(response["Cache-Control"], "no-store", url)

    def test_portal_pages_keep_their_caching(self) -> None:
        self.assertNotEqual(self.client.get("/").get("Cache-Control"), "no-store")

    def test_admin_has_its_own_csp(self) -> None:
        self.login(self.sysadmin)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 200)
        csp = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(response["Cache-Control"], "no-store")


class AdminLoopTests(BaseTestCase):
    def test_non_sysadmin_staff_get_a_403_not_a_redirect_loop(self) -> None:
        self.login(self.lisi)
        response = self.client.get("/admin/", follow=True)
        self.assertEqual(response.status_code, 403)
        self.assertLessEqual(len(response.redirect_chain), 1)
        self.assertContains(response, "无权访问", status_code=403)

    def test_anonymous_visitors_go_to_the_login_page(self) -> None:
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        response = self.client.get(response["Location"])
        self.assertRedirects(
            response, "/accounts/login/?next=/admin/", fetch_redirect_response=False
        )

    def test_the_system_administrator_gets_in(self) -> None:
        self.login(self.sysadmin)
        self.assertEqual(self.client.get("/admin/").status_code, 200)


class ElderCookieTests(BaseTestCase):
    def test_it_is_httponly_samesite_and_secure_on_https(self) -> None:
        response = self.client.post("/elder/", {"next": "/"}, secure=True)
        morsel = response.cookies["elder"]
        self.assertTrue(morsel["httponly"])
        self.assertEqual(morsel["samesite"], "Lax")
        self.assertTrue(morsel["secure"])

    def test_it_is_not_secure_over_plain_http(self) -> None:
        response = self.client.post("/elder/", {"next": "/"})
        self.assertFalse(response.cookies["elder"]["secure"])


class CrlAddressTests(BaseTestCase):
    @override_settings(DEBUG=False, HTTPS=True, SITE_URL="http://127.0.0.1:8000")
    def test_it_refuses_a_loopback_crl_address_in_production(self) -> None:
        from gongkai.pki import conf

        self.assertIn("SITE_URL", conf.crl_url_problem())

    @override_settings(DEBUG=False, HTTPS=True, SITE_URL="https://xxgk.tonghua.gov.cn")
    def test_it_accepts_the_public_site_url(self) -> None:
        from gongkai.pki import conf

        self.assertEqual(conf.crl_url_problem(), "")
        self.assertEqual(conf.crl_url(), "https://xxgk.tonghua.gov.cn/pki/crl.crl")

    @override_settings(DEBUG=True, HTTPS=False)
    def test_development_installs_may_use_localhost(self) -> None:
        from gongkai.pki import conf

        self.assertEqual(conf.crl_url_problem(), "")


def _pki_case():  # type: ignore[no-untyped-def]
    from gongkai.pki.tests.helpers import PkiTestCase

    return PkiTestCase


class CrlIssueRefusalTests(_pki_case()):  # type: ignore[misc]
    def test_it_refuses_to_issue_with_a_loopback_crl_address_in_production(self) -> None:
        from gongkai.pki.models import Certificate
        from gongkai.pki.services import PkiError, cert_application_issue
        from gongkai.pki.tests.helpers import make_csr

        app = self.approve_to_issue(self.submit())
        with (
            override_settings(
                DEBUG=False, HTTPS=True, SITE_URL="http://127.0.0.1:8000", PKI_CRL_URL=""
            ),
            self.assertRaisesMessage(PkiError, "SITE_URL"),
        ):
            cert_application_issue(application=app, by=self.chuwg, csr=make_csr()[1])
        self.assertEqual(Certificate.objects.count(), 0)
        with override_settings(
            DEBUG=False, HTTPS=True, SITE_URL="https://xxgk.tonghua.gov.cn", PKI_CRL_URL=""
        ):
            cert, _ = cert_application_issue(application=app, by=self.chuwg, csr=make_csr()[1])
        from cryptography import x509

        points = cert.certificate().extensions.get_extension_for_class(x509.CRLDistributionPoints)
        urls = [n.value for p in points.value for n in p.full_name]
        self.assertEqual(urls, ["https://xxgk.tonghua.gov.cn/pki/crl.crl"])
