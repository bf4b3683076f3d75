"""The CA: key at rest, the certificate profile, serials, CSRs, PKCS#12, the CRL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store
from django.test import override_settings
from django.utils import timezone

from gongkai.pki import ca as x509ca
from gongkai.pki import services
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    CertificateAuthority,
    CertificateStatus,
    RevocationReason,
    Status,
)
from gongkai.pki.tests.helpers import PASSPHRASE, PkiTestCase, make_csr


class CaKeyTest(PkiTestCase):
    def test_it_keeps_the_ca_key_encrypted_outside_the_database(self) -> None:
        pem = Path(self.ca.key_file).read_bytes()
        self.assertTrue(pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        self.assertEqual(os.stat(self.ca.key_file).st_mode & 0o777, 0o600)
        key = serialization.load_pem_private_key(pem, password=PASSPHRASE.encode())
        self.assertEqual(
            x509ca.public_key_sha256(key.public_key()),  # type: ignore[arg-type]
            x509ca.public_key_sha256(self.ca.certificate().public_key()),  # type: ignore[arg-type]
        )
        for field in CertificateAuthority._meta.concrete_fields:
            value = str(getattr(self.ca, field.attname))
            self.assertNotIn("PRIVATE KEY", value)
            self.assertNotIn(PASSPHRASE, value)
        self.assertAudited("pki.ca.created")

    def test_it_refuses_to_sign_with_a_wrong_passphrase(self) -> None:
        app = self.approve_to_issue(self.submit())
        _, csr = make_csr()
        with (
            override_settings(PKI_CA_KEY_PASSPHRASE="wrong-passphrase"),
            self.assertRaisesMessage(services.PkiError, "口令错误"),
        ):
            services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.GUIDANCE_REVIEWED)
        self.assertEqual(Certificate.objects.count(), 0)

    def test_it_refuses_a_second_active_ca(self) -> None:
        with self.assertRaisesMessage(services.PkiError, "已存在启用的证书颁发机构"):
            services.ca_create()

    def test_it_refuses_a_passphrase_file_next_to_the_key(self) -> None:
        CertificateAuthority.objects.update(is_active=False)
        key_dir = Path(self.tmp) / "private"
        key_dir.mkdir(exist_ok=True)
        (key_dir / "pass").write_text("x" * 20)
        with (
            override_settings(
                PKI_CA_KEY_PASSPHRASE="", PKI_CA_KEY_PASSPHRASE_FILE=str(key_dir / "pass")
            ),
            self.assertRaisesMessage(services.PkiError, "不得与私钥存放在同一目录"),
        ):
            services.ca_create()

    def test_it_reads_the_passphrase_from_a_file(self) -> None:
        CertificateAuthority.objects.update(is_active=False)
        with tempfile.TemporaryDirectory() as other:
            Path(other, "pass").write_text("file-passphrase-123\n")
            with override_settings(
                PKI_CA_KEY_PASSPHRASE="", PKI_CA_KEY_PASSPHRASE_FILE=f"{other}/pass"
            ):
                ca = services.ca_create(name="文件口令 CA")
                pem = Path(ca.key_file).read_bytes()
                serialization.load_pem_private_key(pem, password=b"file-passphrase-123")

    def test_it_refuses_to_run_without_a_passphrase_in_production(self) -> None:
        CertificateAuthority.objects.update(is_active=False)
        with override_settings(PKI_CA_KEY_PASSPHRASE="", PKI_DEV_PASSPHRASE=False):
            os.environ.pop("PKI_CA_KEY_PASSPHRASE", None)
            with self.assertRaisesMessage(services.PkiError, "未配置 CA 私钥口令"):
                services.ca_create()
        self.assertFalse(CertificateAuthority.objects.filter(is_active=True).exists())

    def test_it_creates_an_rsa_ca_and_issues_rsa_when_configured(self) -> None:
        CertificateAuthority.objects.update(is_active=False)
        with override_settings(PKI_KEY_ALGORITHM="rsa-2048"):
            ca = services.ca_create(name="RSA CA")
            self.assertEqual(ca.key_algorithm, "rsa-2048")
            self.assertIsInstance(ca.certificate().public_key(), rsa.RSAPublicKey)
            app = self.approve_to_issue(self.submit())
            cert, p12 = services.cert_application_issue(
                application=app, by=self.chuwg, pkcs12_password="Zq8!rsa-Passw0rd"
            )
        self.assertEqual(cert.key_algorithm, "rsa-2048")
        assert p12 is not None
        bundle = pkcs12.load_pkcs12(p12, b"Zq8!rsa-Passw0rd")
        assert bundle.cert is not None
        bundle.cert.certificate.verify_directly_issued_by(ca.certificate())

    def test_it_refuses_an_unknown_algorithm(self) -> None:
        CertificateAuthority.objects.update(is_active=False)
        with self.assertRaisesMessage(services.PkiError, "不支持的密钥算法"):
            services.ca_create(algorithm="sm2")


class ProfileTest(PkiTestCase):
    def test_it_issues_the_client_auth_profile_with_the_subject_of_the_application(self) -> None:
        app, cert_row, _ = self.issued()
        cert = cert_row.certificate()
        ca_cert = self.ca.certificate()
        cert.verify_directly_issued_by(ca_cert)
        ext = cert.extensions
        bc = ext.get_extension_for_class(x509.BasicConstraints)
        self.assertTrue(bc.critical)
        self.assertFalse(bc.value.ca)
        ku = ext.get_extension_for_class(x509.KeyUsage)
        self.assertTrue(ku.critical)
        self.assertTrue(ku.value.digital_signature)
        self.assertFalse(ku.value.key_cert_sign)
        self.assertFalse(ku.value.crl_sign)
        eku = ext.get_extension_for_class(x509.ExtendedKeyUsage)
        self.assertEqual(list(eku.value), [ExtendedKeyUsageOID.CLIENT_AUTH])
        ski = ext.get_extension_for_class(x509.SubjectKeyIdentifier).value
        self.assertEqual(ski, x509.SubjectKeyIdentifier.from_public_key(cert.public_key()))
        aki = ext.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        self.assertEqual(aki.key_identifier, ca_ski.digest)
        cdp = ext.get_extension_for_class(x509.CRLDistributionPoints).value
        self.assertEqual(cdp[0].full_name[0].value, "https://gk.example.gov.cn/pki/crl.crl")
        san = ext.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertTrue(san[0].value.startswith("urn:uuid:"))
        # the subject comes from the approved application, never from the CSR
        self.assertEqual(cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value, "李四")
        self.assertEqual(
            cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value,
            "通化市民政局",
        )
        self.assertNotIn("Mallory", cert.subject.rfc4514_string())
        self.assertNotIn("Evil", cert.subject.rfc4514_string())
        self.assertLessEqual(
            cert.not_valid_after_utc - cert.not_valid_before_utc, dt.timedelta(days=366)
        )
        self.assertAudited("pki.certificate.issued", object_id=str(cert_row.pk))

    def test_it_is_accepted_by_the_cryptography_client_verifier(self) -> None:
        _, cert_row, _ = self.issued()
        verifier = PolicyBuilder().store(Store([self.ca.certificate()])).build_client_verifier()
        verified = verifier.verify(cert_row.certificate(), [])
        self.assertTrue(verified.subjects)

    def test_it_passes_openssl_verify_for_ssl_clients(self) -> None:
        _, cert_row, _ = self.issued()
        with tempfile.TemporaryDirectory() as d:
            Path(d, "ca.pem").write_text(self.ca.certificate_pem)
            Path(d, "leaf.pem").write_text(x509ca.to_pem(cert_row.certificate()))
            r = subprocess.run(
                [
                    "openssl",
                    "verify",
                    "-CAfile",
                    f"{d}/ca.pem",
                    "-purpose",
                    "sslclient",
                    f"{d}/leaf.pem",
                ],
                capture_output=True,
                text=True,
            )
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_it_draws_unique_serials_with_more_than_64_random_bits(self) -> None:
        ca_key = services._ca_key(self.ca)
        ca_cert = self.ca.certificate()
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        subject = x509ca.client_name(common_name="t", unit="u", organization="o", uid="x")
        serials = []
        for _ in range(300):
            cert = x509ca.build_client_certificate(
                ca_cert=ca_cert,
                ca_key=ca_key,
                public_key=leaf_key.public_key(),
                subject=subject,
                serial=x509ca.new_serial(),
                san_uri="urn:uuid:00000000-0000-0000-0000-000000000000",
                crl_url="",
                now=timezone.now(),
                days=30,
            )
            serials.append(cert.serial_number)
        self.assertEqual(len(set(serials)), len(serials))
        self.assertTrue(all(s > 0 and s.bit_length() > 64 for s in serials))
        self.assertGreater(sum(s.bit_length() for s in serials) / len(serials), 150)
        # every bit position varies: the serials are not a counter with a random prefix
        for bit in range(0, 150, 10):
            self.assertEqual(len({(s >> bit) & 1 for s in serials}), 2)


class CsrTest(PkiTestCase):
    def assertNothingIssued(self, app: CertApplication) -> None:  # noqa: N802
        app.refresh_from_db()
        self.assertEqual(app.status, Status.GUIDANCE_REVIEWED)
        self.assertIsNone(app.certificate_id)
        self.assertEqual(Certificate.objects.count(), 0)

    def test_it_rejects_a_malformed_csr(self) -> None:
        app = self.approve_to_issue(self.submit())
        for bad in (
            b"not a csr",
            b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
            b"",
        ):
            with self.assertRaises(services.PkiError) as ctx:
                services.cert_application_issue(application=app, by=self.chuwg, csr=bad)
            self.assertRegex(str(ctx.exception), "CSR")
        self.assertNothingIssued(app)

    def test_it_rejects_a_csr_with_a_wrong_signature(self) -> None:
        app = self.approve_to_issue(self.submit())
        key = ec.generate_private_key(ec.SECP256R1())
        csr = (
            x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
            .sign(key, hashes.SHA256())
        )
        # Flip a bit of the signature's last byte (inside the INTEGER s): the DER stays well
        # formed and the signature is wrong. (Grafting another key's signature of equal length
        # was flaky: ECDSA's DER integers vary in length, so the graft could break the DER.)
        der = csr.public_bytes(serialization.Encoding.DER)
        bad_der = der[:-1] + bytes([der[-1] ^ 0x01])
        bad = x509.load_der_x509_csr(bad_der)
        self.assertFalse(bad.is_signature_valid)
        with self.assertRaisesMessage(services.PkiError, "签名无效"):
            services.cert_application_issue(application=app, by=self.chuwg, csr=bad_der)
        self.assertNothingIssued(app)

    def test_it_reads_a_der_csr_whose_last_byte_looks_like_whitespace(self) -> None:
        # DER is binary: a valid CSR may end in 0x0a or 0x20 and must not be stripped (CI once
        # failed 1 run in ~100 because the parser stripped it).
        for _ in range(2000):
            key = ec.generate_private_key(ec.SECP256R1())
            csr = (
                x509.CertificateSigningRequestBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
                .sign(key, hashes.SHA256())
            )
            der = csr.public_bytes(serialization.Encoding.DER)
            if der[-1:].isspace():
                break
        else:  # pragma: no cover - P(no whitespace ending in 2000 tries) ≈ e^-94
            self.fail("no DER CSR ending in a whitespace byte was generated")
        self.assertEqual(x509ca.parse_csr(der).public_bytes(serialization.Encoding.DER), der)

    def test_it_rejects_weak_keys_and_unknown_curves(self) -> None:
        app = self.approve_to_issue(self.submit())
        weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
        _, csr = make_csr(weak)
        with self.assertRaisesMessage(services.PkiError, "至少需要 2048 位"):
            services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        _, csr = make_csr(ec.generate_private_key(ec.SECP521R1()))
        with self.assertRaisesMessage(services.PkiError, "不支持的椭圆曲线"):
            services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        self.assertNothingIssued(app)

    def test_it_refuses_a_public_key_used_before(self) -> None:
        _, first, key = self.issued(self.lisi)
        app = self.approve_to_issue(self.submit(self.wangwu))
        _, csr = make_csr(key)
        with self.assertRaisesMessage(services.PkiError, "该公钥已用于签发其他证书"):
            services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        self.assertEqual(Certificate.objects.count(), 1)


class Pkcs12Test(PkiTestCase):
    PASSWORD = "Strong#Pass2026"

    def test_it_round_trips_a_pkcs12_and_keeps_no_key(self) -> None:
        app = self.approve_to_issue(self.submit())
        before = sorted(p.name for p in Path(self.tmp).rglob("*"))
        cert, p12 = services.cert_application_issue(
            application=app, by=self.chuwg, pkcs12_password=self.PASSWORD
        )
        assert p12 is not None
        bundle = pkcs12.load_pkcs12(p12, self.PASSWORD.encode())
        assert bundle.key is not None and bundle.cert is not None
        self.assertEqual(bundle.cert.certificate, cert.certificate())
        self.assertEqual(
            x509ca.public_key_sha256(bundle.key.public_key()),  # type: ignore[arg-type]
            cert.public_key_sha256,
        )
        self.assertEqual([c.certificate for c in bundle.additional_certs], [self.ca.certificate()])
        with self.assertRaises(ValueError):
            pkcs12.load_pkcs12(p12, b"wrong-password")
        # nothing new on disk (only the CRL publish dir may change on commit) and no key in the DB
        after = sorted(p.name for p in Path(self.tmp).rglob("*"))
        self.assertEqual(before, after)
        for field in Certificate._meta.concrete_fields:
            self.assertNotIn(b"PRIVATE KEY", str(getattr(cert, field.attname)).encode())
        self.assertEqual(cert.issue_method, "pkcs12")

    def test_it_opens_both_variants_with_openssl(self) -> None:
        app = self.approve_to_issue(self.submit())
        _, modern = services.cert_application_issue(
            application=app, by=self.chuwg, pkcs12_password=self.PASSWORD
        )
        app2 = self.approve_to_issue(self.submit(self.wangwu))
        _, legacy = services.cert_application_issue(
            application=app2, by=self.chuwg, pkcs12_password=self.PASSWORD, legacy=True
        )
        for blob, expect in ((modern, "AES-256-CBC"), (legacy, "3-KeyTripleDES")):
            assert blob is not None
            with tempfile.NamedTemporaryFile(suffix=".p12") as fh:
                fh.write(blob)
                fh.flush()
                r = subprocess.run(
                    [
                        "openssl",
                        "pkcs12",
                        "-info",
                        "-in",
                        fh.name,
                        "-noout",
                        "-passin",
                        f"pass:{self.PASSWORD}",
                    ],
                    capture_output=True,
                    text=True,
                )
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(expect, r.stdout + r.stderr)

    def test_it_rejects_a_weak_pkcs12_password(self) -> None:
        app = self.approve_to_issue(self.submit())
        for weak in ("short1!A", "alllowercaseletters", "lisi-Passw0rd!x"):
            with self.assertRaises(services.PkiError) as ctx:
                services.cert_application_issue(
                    application=app, by=self.chuwg, pkcs12_password=weak
                )
            self.assertIn("口令", str(ctx.exception))
        app.refresh_from_db()
        self.assertEqual(app.status, Status.GUIDANCE_REVIEWED)
        self.assertEqual(Certificate.objects.count(), 0)


class CrlTest(PkiTestCase):
    def test_it_lists_revoked_serials_with_reason_and_increasing_number(self) -> None:
        _, alice, _ = self.issued(self.lisi)
        _, bob, _ = self.issued(self.wangwu)
        first = CertificateAuthority.objects.get(pk=self.ca.pk).crl_number
        now = timezone.now()
        services.certificate_revoke(
            certificate=bob, reason=RevocationReason.AFFILIATION_CHANGED, by=self.chuwg, now=now
        )
        ca = CertificateAuthority.objects.get(pk=self.ca.pk)
        self.assertEqual(ca.crl_number, first + 1)
        crl = x509.load_pem_x509_crl(ca.crl_pem.encode())
        self.assertTrue(crl.is_signature_valid(ca.certificate().public_key()))  # type: ignore[arg-type]
        entry = crl.get_revoked_certificate_by_serial_number(int(bob.serial, 16))
        assert entry is not None
        reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        self.assertEqual(reason, x509.ReasonFlags.affiliation_changed)
        self.assertIsNone(crl.get_revoked_certificate_by_serial_number(int(alice.serial, 16)))
        number = crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
        self.assertEqual(number, ca.crl_number)
        assert crl.next_update_utc is not None
        self.assertEqual(crl.next_update_utc - crl.last_update_utc, dt.timedelta(hours=48))
        self.assertLess(abs((crl.last_update_utc - now).total_seconds()), 1)
        self.assertAudited("pki.certificate.revoked", object_id=str(bob.pk))
        self.assertAudited("pki.crl.generated")
        # openssl agrees: bob is refused, alice is fine
        with tempfile.TemporaryDirectory() as d:
            Path(d, "ca.pem").write_text(ca.certificate_pem)
            Path(d, "crl.pem").write_text(ca.crl_pem)
            results = {}
            for name, c in (("alice", alice), ("bob", bob)):
                Path(d, f"{name}.pem").write_text(x509ca.to_pem(c.certificate()))
                r = subprocess.run(
                    [
                        "openssl",
                        "verify",
                        "-CAfile",
                        f"{d}/ca.pem",
                        "-crl_check",
                        "-CRLfile",
                        f"{d}/crl.pem",
                        f"{d}/{name}.pem",
                    ],
                    capture_output=True,
                    text=True,
                )
                results[name] = (r.returncode, r.stdout + r.stderr)
        self.assertEqual(results["alice"][0], 0, results["alice"][1])
        self.assertNotEqual(results["bob"][0], 0)
        self.assertIn("revoked", results["bob"][1])

    def test_it_maps_every_business_reason_to_its_rfc5280_code(self) -> None:
        expected = {
            RevocationReason.KEY_COMPROMISE: x509.ReasonFlags.key_compromise,
            RevocationReason.AFFILIATION_CHANGED: x509.ReasonFlags.affiliation_changed,
            RevocationReason.SUPERSEDED: x509.ReasonFlags.superseded,
            RevocationReason.CESSATION_OF_OPERATION: x509.ReasonFlags.cessation_of_operation,
            RevocationReason.PRIVILEGE_WITHDRAWN: x509.ReasonFlags.privilege_withdrawn,
        }
        people = [self.lisi, self.wangwu, self.qianqi, self.zhengyi, self.fenger]
        certs = {}
        for (reason, _), person in zip(expected.items(), people, strict=True):
            _, cert, _ = self.issued(person)
            services.certificate_revoke(certificate=cert, reason=reason, by=self.chuwg)
            certs[reason] = cert
        crl = x509.load_pem_x509_crl(CertificateAuthority.objects.get().crl_pem.encode())
        for reason, flag in expected.items():
            entry = crl.get_revoked_certificate_by_serial_number(int(certs[reason].serial, 16))
            assert entry is not None
            self.assertEqual(
                entry.extensions.get_extension_for_class(x509.CRLReason).value.reason, flag
            )
        self.assertNotIn("certificate_hold", RevocationReason.values)

    def test_it_refuses_to_revoke_twice_and_unknown_reasons(self) -> None:
        _, cert, _ = self.issued()
        services.certificate_revoke(certificate=cert, reason="key_compromise", by=self.chuwg)
        number = CertificateAuthority.objects.get().crl_number
        with self.assertRaisesMessage(services.PkiError, "已被吊销"):
            services.certificate_revoke(certificate=cert, reason="key_compromise", by=self.chuwg)
        _, other, _ = self.issued(self.wangwu)
        with self.assertRaisesMessage(services.PkiError, "吊销原因无效"):
            services.certificate_revoke(certificate=other, reason="certificate_hold", by=self.chuwg)
        self.assertEqual(CertificateAuthority.objects.get().crl_number, number)
        other.refresh_from_db()
        self.assertEqual(other.status, CertificateStatus.ACTIVE)

    def test_it_refreshes_the_crl_well_before_next_update(self) -> None:
        ca = CertificateAuthority.objects.get()
        now = ca.crl_last_update
        assert now is not None
        self.assertFalse(services.crl_refresh(now=now + dt.timedelta(hours=1)))
        self.assertTrue(services.crl_refresh(dry_run=True, now=now + dt.timedelta(hours=7)))
        self.assertEqual(CertificateAuthority.objects.get().crl_number, ca.crl_number)
        self.assertTrue(services.crl_refresh(now=now + dt.timedelta(hours=7)))
        ca2 = CertificateAuthority.objects.get()
        self.assertEqual(ca2.crl_number, ca.crl_number + 1)
        self.assertEqual(ca2.crl_next_update, now + dt.timedelta(hours=7 + 48))

    def test_it_publishes_the_crl_file_for_nginx_on_commit(self) -> None:
        _, cert, _ = self.issued()
        with self.captureOnCommitCallbacks(execute=True):
            services.certificate_revoke(certificate=cert, reason="key_compromise", by=self.chuwg)
        published = Path(self.tmp, "public", "crl.pem").read_text()
        crl = x509.load_pem_x509_crl(published.encode())
        self.assertIsNotNone(crl.get_revoked_certificate_by_serial_number(int(cert.serial, 16)))
        self.assertEqual(Path(self.tmp, "public", "ca.pem").read_text(), self.ca.certificate_pem)

    def test_it_serves_the_crl_at_its_distribution_point(self) -> None:
        r = self.client.get("/pki/crl.crl")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/pkix-crl")
        crl = x509.load_der_x509_crl(r.content)
        self.assertEqual(crl.issuer, self.ca.certificate().subject)
        self.assertEqual(self.client.get("/pki/ca.crt").status_code, 200)
        self.assertEqual(self.client.get("/pki/crl.pem").status_code, 200)


class CommandsTest(PkiTestCase):
    def test_it_creates_the_ca_and_refreshes_the_crl_from_the_command_line(self) -> None:
        from io import StringIO

        from django.core.management import CommandError, call_command

        out = StringIO()
        with self.assertRaisesMessage(CommandError, "已存在启用的证书颁发机构"):
            call_command("pki_create_ca", stdout=out)
        CertificateAuthority.objects.update(is_active=False)
        call_command(
            "pki_create_ca", "--name", "命令行 CA", "--algorithm", "ecdsa-p256", stdout=out
        )
        self.assertIn("已创建 CA", out.getvalue())
        ca = CertificateAuthority.objects.get(is_active=True)
        self.assertEqual(ca.name, "命令行 CA")
        out = StringIO()
        call_command("pki_refresh_crl", "--dry-run", stdout=out)
        self.assertIn("无需重新签发", out.getvalue())
        call_command("pki_refresh_crl", "--force", stdout=out)
        self.assertIn("已重新签发", out.getvalue())
        self.assertEqual(CertificateAuthority.objects.get(pk=ca.pk).crl_number, ca.crl_number + 1)

    def test_it_runs_the_periodic_task(self) -> None:
        from gongkai.pki.tasks import refresh_crl

        self.assertFalse(refresh_crl.delay().get())
