"""The pki demo data: the seed's 44 certificate-holder agencies, idempotent."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.serialization import pkcs12
from django.test import TestCase, override_settings

from gongkai.pki import api
from gongkai.pki import ca as x509ca
from gongkai.pki.models import CertApplication, Certificate, Status


class DemoTest(TestCase):
    def test_it_loads_the_seed_count_and_applications_in_various_steps_idempotently(self) -> None:
        from gongkai.accounts import demo as accounts_demo
        from gongkai.agencies import demo as agencies_demo
        from gongkai.pki import demo

        tmp = tempfile.mkdtemp()
        try:
            with override_settings(
                PKI_CA_DIR=f"{tmp}/private",
                PKI_PUBLISH_DIR=f"{tmp}/public",
                VAR_DIR=tmp,
                PKI_CA_KEY_PASSPHRASE="demo-test-passphrase",
            ):
                agencies_demo.load()
                accounts_demo.load()
                first = demo.load()
                second = demo.load()
                p12 = Path(tmp, "pki", "demo", "lisi.p12").read_bytes()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(first, second)
        self.assertEqual(api.agencies_with_certificates(year=2012), 44)
        self.assertEqual(first["agencies_2012"], 44)
        self.assertEqual(api.agencies_with_certificates(year=2011), 0)
        statuses = dict(CertApplication.objects.values_list("person__username", "status"))
        self.assertEqual(
            statuses,
            {
                "lisi": Status.ARCHIVED,
                "wangwu": Status.GUIDANCE_REVIEWED,
                "qianqi": Status.ISSUED,
                "zhengyi": Status.SUBMITTED,
                "fenger": Status.REJECTED,
            },
        )
        lisi_app = CertApplication.objects.get(person__username="lisi")
        self.assertTrue(lisi_app.steps.get(status=Status.LOGIN_TESTED).automatic)
        bundle = pkcs12.load_pkcs12(p12, demo.DEMO_P12_PASSWORD.encode())
        assert bundle.cert is not None
        fp = x509ca.fingerprint(bundle.cert.certificate)
        self.assertEqual(Certificate.objects.get(fingerprint_sha256=fp).user.username, "lisi")
