"""Certificate login: the middleware behind the proxy, and the signed-challenge login."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.pki import ca as x509ca
from gongkai.pki import services
from gongkai.pki.tests.helpers import PkiTestCase, proxy_headers

STAFF = "/console/pki/"


@override_settings(PKI_CERT_REQUIRED_ROLES=["clerk", "network"])
class ProxyLoginTest(PkiTestCase):
    def setUp(self) -> None:
        self.app, self.cert, self.key = self.issued(self.lisi)
        self.login(self.lisi)

    def test_it_lets_a_valid_certificate_in_and_records_its_serial(self) -> None:
        r = self.client.get(STAFF, **proxy_headers(self.cert))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.wsgi_request.cert_serial, self.cert.serial)  # type: ignore[attr-defined]
        entry = AuditEntry.objects.filter(action="pki.certificate.login").latest("id")
        self.assertEqual(entry.cert_serial, self.cert.serial)
        self.assertEqual(entry.ip, "127.0.0.1")
        # recorded once per session, not on every request
        self.client.get(STAFF, **proxy_headers(self.cert))
        self.assertEqual(AuditEntry.objects.filter(action="pki.certificate.login").count(), 1)

    def test_it_refuses_staff_pages_without_a_certificate_but_serves_the_portal(self) -> None:
        r = self.client.get(STAFF)
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "需要有效的数字证书", status_code=403)
        self.assertContains(r, "未出示证书", status_code=403)
        self.assertEqual(self.client.get("/pki/crl.crl").status_code, 200)
        self.client.logout()
        self.assertEqual(
            self.client.get(STAFF).status_code, 302
        )  # anonymous: normal login redirect

    def test_it_refuses_a_revoked_certificate_at_once(self) -> None:
        self.assertEqual(self.client.get(STAFF, **proxy_headers(self.cert)).status_code, 200)
        services.certificate_revoke(certificate=self.cert, reason="key_compromise", by=self.chuwg)
        r = self.client.get(STAFF, **proxy_headers(self.cert))
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "已被吊销", status_code=403)

    def test_it_refuses_expired_and_not_yet_valid_certificates(self) -> None:
        past, _ = self.issue_at(self.wangwu, timezone.now() - dt.timedelta(days=400))
        future, _ = self.issue_at(self.qianqi, timezone.now() + dt.timedelta(days=3))
        for cert, user in ((past, self.wangwu), (future, self.qianqi)):
            # make them clerks so the requirement applies
            from gongkai.accounts.models import Membership, Role

            Membership.objects.create(user=user, agency=self.agency_a, role=Role.CLERK)
            self.login(user)
            r = self.client.get(STAFF, **proxy_headers(cert))
            self.assertEqual(r.status_code, 403, cert.not_before)
            self.assertContains(r, "已过期或尚未生效", status_code=403)

    def test_it_refuses_a_certificate_of_a_foreign_ca(self) -> None:
        foreign_key = ec.generate_private_key(ec.SECP256R1())
        foreign_ca = x509ca.build_ca_certificate(
            key=foreign_key, name=self.ca.certificate().subject, now=timezone.now(), days=30
        )
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        forged = x509ca.build_client_certificate(
            ca_cert=foreign_ca,
            ca_key=foreign_key,
            public_key=leaf_key.public_key(),
            subject=self.cert.certificate().subject,
            serial=int(self.cert.serial, 16),
            san_uri="urn:uuid:00000000-0000-0000-0000-000000000000",
            crl_url="",
            now=timezone.now(),
            days=30,
        )
        r = self.client.get(STAFF, **proxy_headers(forged))
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "不是本平台签发的", status_code=403)

    def test_it_ignores_headers_from_an_untrusted_address(self) -> None:
        r = self.client.get(STAFF, REMOTE_ADDR="203.0.113.9", **proxy_headers(self.cert))
        self.assertEqual(r.status_code, 403)
        self.assertEqual(r.wsgi_request.cert_serial, "")  # type: ignore[attr-defined]
        with override_settings(TRUSTED_PROXIES=[]):
            self.assertEqual(self.client.get(STAFF, **proxy_headers(self.cert)).status_code, 403)

    def test_it_ignores_a_certificate_the_proxy_did_not_verify(self) -> None:
        for verify in ("NONE", "FAILED:certificate revoked", ""):
            r = self.client.get(STAFF, **proxy_headers(self.cert, verify=verify))
            self.assertEqual(r.status_code, 403, verify)
        r = self.client.get(
            STAFF, HTTP_X_SSL_CLIENT_VERIFY="SUCCESS", HTTP_X_SSL_CLIENT_CERT="garbage"
        )
        self.assertEqual(r.status_code, 403)

    def test_it_refuses_another_users_certificate(self) -> None:
        _, other, _ = self.issued(self.wangwu)
        r = self.client.get(STAFF, **proxy_headers(other))
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "不属于当前登录的账户", status_code=403)

    def test_it_leaves_roles_without_the_requirement_alone(self) -> None:
        self.login(self.zhoujiu)  # 部门负责人 is not in PKI_CERT_REQUIRED_ROLES here
        self.assertEqual(self.client.get(STAFF).status_code, 200)

    def test_it_does_not_require_certificates_by_default(self) -> None:
        with override_settings(PKI_CERT_REQUIRED_ROLES=[]):
            self.assertEqual(self.client.get(STAFF).status_code, 200)

    def test_it_does_not_log_in_from_a_certificate_alone(self) -> None:
        self.client.logout()
        r = self.client.get(STAFF, **proxy_headers(self.cert))
        self.assertEqual(r.status_code, 302)
        self.assertIn(reverse("accounts:login"), r["Location"])


@override_settings(PKI_CERT_REQUIRED_ROLES=["clerk"])
class ChallengeLoginTest(PkiTestCase):
    def setUp(self) -> None:
        self.app, self.cert, self.key = self.issued(self.lisi)
        self.login(self.lisi)

    def challenge(self) -> str:
        r = self.client.get(reverse("pki_public:challenge"))
        self.assertEqual(r.status_code, 200)
        m = re.search(
            r'<pre class="pki-challenge" id="challenge">(.*?)</pre>', r.content.decode(), re.S
        )
        assert m is not None
        import html

        return html.unescape(m.group(1))

    def test_it_binds_a_certificate_proven_by_a_signed_challenge(self) -> None:
        self.assertEqual(self.client.get(STAFF).status_code, 403)
        message = self.challenge()
        self.assertIn("lisi", message)
        signature = x509ca.sign_challenge(self.key, message.encode())
        r = self.client.post(
            reverse("pki_public:challenge") + "?next=" + urllib.parse.quote(STAFF),
            {"signature": signature},
        )
        self.assertRedirects(r, STAFF)
        r = self.client.get(STAFF)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.wsgi_request.cert_serial, self.cert.serial)  # type: ignore[attr-defined]
        # a revocation takes effect on the next request
        services.certificate_revoke(certificate=self.cert, reason="key_compromise", by=self.chuwg)
        self.assertEqual(self.client.get(STAFF).status_code, 403)
        self.assertEqual(self.client.get(STAFF).status_code, 403)

    def test_it_refuses_a_wrong_signature_and_a_reused_nonce(self) -> None:
        message = self.challenge()
        other = ec.generate_private_key(ec.SECP256R1())
        r = self.client.post(
            reverse("pki_public:challenge"),
            {"signature": x509ca.sign_challenge(other, message.encode())},
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "签名验证失败", status_code=400)
        self.assertAudited("pki.challenge.failed")
        # the nonce was consumed by the failed attempt
        good = x509ca.sign_challenge(self.key, message.encode())
        r = self.client.post(reverse("pki_public:challenge"), {"signature": good})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(self.client.get(STAFF).status_code, 403)
        r = self.client.post(reverse("pki_public:challenge"), {"signature": "not base64!!"})
        self.assertEqual(r.status_code, 400)

    def test_it_refuses_a_signature_by_a_revoked_certificate(self) -> None:
        services.certificate_revoke(certificate=self.cert, reason="key_compromise", by=self.chuwg)
        message = self.challenge()
        r = self.client.post(
            reverse("pki_public:challenge"),
            {"signature": x509ca.sign_challenge(self.key, message.encode())},
        )
        self.assertEqual(r.status_code, 400)

    def test_it_signs_and_verifies_rsa_too(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_key = services._ca_key(self.ca)
        cert = x509ca.build_client_certificate(
            ca_cert=self.ca.certificate(),
            ca_key=ca_key,
            public_key=key.public_key(),
            subject=x509.Name([]),
            serial=x509ca.new_serial(),
            san_uri="urn:uuid:00000000-0000-0000-0000-000000000000",
            crl_url="",
            now=timezone.now(),
            days=1,
        )
        sig = x509ca.sign_challenge(key, b"hello")
        self.assertTrue(x509ca.verify_challenge(cert, b"hello", sig))
        self.assertFalse(x509ca.verify_challenge(cert, b"hellO", sig))
        _ = hashes  # keep import for readers


class LoginTestStepTest(PkiTestCase):
    def test_it_does_not_record_the_login_test_before_the_department_check(self) -> None:
        app, cert, _ = self.issued()
        self.login(self.lisi)
        self.client.get("/console/", **proxy_headers(cert))
        app.refresh_from_db()
        self.assertEqual(app.status, "issued")
        cert.refresh_from_db()
        self.assertIsNotNone(cert.first_login_at)


class SignToolTest(PkiTestCase):
    """tools/gongkai-sign signs the challenge exactly as the server verifies it."""

    def test_it_logs_in_with_the_cli_signature_from_a_pkcs12(self) -> None:
        import subprocess
        import sys
        import tempfile
        from pathlib import Path

        from django.conf import settings

        app = self.approve_to_issue(self.submit())
        _, p12 = services.cert_application_issue(
            application=app, by=self.chuwg, pkcs12_password="Cli#Passw0rd-26"
        )
        assert p12 is not None
        self.login(self.lisi)
        r = self.client.get(reverse("pki_public:challenge"))
        m = re.search(
            r'<pre class="pki-challenge" id="challenge">(.*?)</pre>', r.content.decode(), re.S
        )
        assert m is not None
        import html

        challenge = html.unescape(m.group(1))
        with tempfile.TemporaryDirectory() as d:
            Path(d, "me.p12").write_bytes(p12)
            out = subprocess.run(
                [
                    sys.executable,
                    str(Path(settings.BASE_DIR) / "tools" / "gongkai-sign"),
                    "--p12",
                    f"{d}/me.p12",
                    "--password",
                    "Cli#Passw0rd-26",
                ],
                input=challenge + "\n",
                capture_output=True,
                text=True,
                check=True,
            )
        with override_settings(PKI_CERT_REQUIRED_ROLES=["clerk"]):
            r = self.client.post(reverse("pki_public:challenge"), {"signature": out.stdout.strip()})
            self.assertRedirects(r, "/console/", fetch_redirect_response=False)
            self.assertEqual(self.client.get(STAFF).status_code, 200)
