"""Shared set-up for pki tests: a throw-away CA in a temporary directory, CSRs, scans."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import urllib.parse
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from gongkai.pki import ca as x509ca
from gongkai.pki import services
from gongkai.pki.models import CertApplication, Certificate, CertificateAuthority, Status
from gongkai.test import BaseTestCase

PASSPHRASE = "Pki-Test-Passphrase-2026!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_csr(key: Any = None, cn: str = "Mallory 伪造主题") -> tuple[Any, bytes]:
    key = key or ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, cn),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Evil Corp"),
                ]
            )
        )
        .sign(key, hashes.SHA256())
    )
    return key, csr.public_bytes(serialization.Encoding.PEM)


def scan(name: str = "登记表.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def proxy_headers(cert: Certificate | x509.Certificate, verify: str = "SUCCESS") -> dict[str, Any]:
    c = cert.certificate() if isinstance(cert, Certificate) else cert
    return {
        "HTTP_X_SSL_CLIENT_VERIFY": verify,
        "HTTP_X_SSL_CLIENT_CERT": urllib.parse.quote(x509ca.to_pem(c)),
    }


class PkiTestCase(BaseTestCase):
    """BaseTestCase plus a CA whose encrypted key lives in a temporary directory."""

    tmp: str
    ca: CertificateAuthority
    _pki_settings: Any

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.mkdtemp(prefix="gk-pki-")
        cls._pki_settings = override_settings(
            PKI_CA_DIR=f"{cls.tmp}/private",
            PKI_PUBLISH_DIR=f"{cls.tmp}/public",
            PKI_CA_KEY_PASSPHRASE=PASSPHRASE,
            PKI_CRL_URL="https://gk.example.gov.cn/pki/crl.crl",
            TRUSTED_PROXIES=["127.0.0.1"],
        )
        cls._pki_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._pki_settings.disable()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ca = services.ca_create(name="测试 CA")

    # --- driving the workflow through services -----------------------------------------
    def submit(self, person: Any = None, **kwargs: Any) -> CertApplication:
        return services.cert_application_submit(
            agency=self.agency_a, person=person or self.lisi, by=self.lisi, **kwargs
        )

    def approve_to_issue(self, app: CertApplication) -> CertApplication:
        services.cert_application_advance(
            application=app, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=app, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        app.refresh_from_db()
        return app

    def issued(self, person: Any = None, **kwargs: Any) -> tuple[CertApplication, Certificate, Any]:
        """An application in ISSUED with a certificate from a CSR; returns the device key too."""
        app = self.approve_to_issue(self.submit(person, **kwargs))
        key, csr = make_csr()
        cert, _ = services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        app.refresh_from_db()
        return app, cert, key

    def issue_at(self, person: Any, now: dt.datetime) -> tuple[Certificate, Any]:
        app = self.approve_to_issue(self.submit(person))
        key, csr = make_csr()
        cert, _ = services.cert_application_issue(application=app, by=self.chuwg, csr=csr, now=now)
        return cert, key
