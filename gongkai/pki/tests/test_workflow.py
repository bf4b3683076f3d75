"""The NEW, REPLACE and REVOKE workflows and emergency revocation, through HTTP."""

from __future__ import annotations

from cryptography.hazmat.primitives.serialization import pkcs12
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.pki import services
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    CertificateStatus,
    Kind,
    RevocationReason,
    Status,
    Step,
)
from gongkai.pki.tests.helpers import PkiTestCase, make_csr, proxy_headers, scan


class NewFlowTest(PkiTestCase):
    def advance(self, app: CertApplication, user, to_status: str, **extra):  # type: ignore[no-untyped-def]
        self.login(user)
        return self.client.post(
            reverse("pki:application_advance", args=[app.pk]),
            {"to_status": to_status, "comment": "同意", **extra},
        )

    def test_it_runs_every_step_of_the_seed_flow(self) -> None:
        self.login(self.lisi)
        r = self.client.post(
            reverse("pki:application_new"),
            {
                "kind": "new",
                "agency": self.agency_a.pk,
                "person": self.lisi.pk,
                "position": "录入员",
                "phone": "0435-1234567",
            },
        )
        app = CertApplication.objects.get()
        self.assertRedirects(r, reverse("pki:application_detail", args=[app.pk]))
        self.assertEqual(app.status, Status.SUBMITTED)
        self.assertTrue(app.number.startswith("证申〔"))

        self.advance(app, self.sunba, Status.DEPT_APPROVED, scan=scan())
        app.refresh_from_db()
        self.assertEqual(app.status, Status.DEPT_APPROVED)
        self.assertEqual(len(app.scan_sha256), 64)

        self.advance(app, self.chenzd, Status.GUIDANCE_REVIEWED)
        key, csr = make_csr()
        self.login(self.chuwg)
        r = self.client.post(
            reverse("pki:application_issue", args=[app.pk]),
            {"csr": SimpleUploadedFile("lisi.csr", csr)},
        )
        self.assertRedirects(r, reverse("pki:application_detail", args=[app.pk]))
        app.refresh_from_db()
        self.assertEqual(app.status, Status.ISSUED)
        cert = app.certificate
        assert cert is not None

        self.advance(app, self.weiwg, Status.NETWORK_REVIEWED)
        self.advance(app, self.zhoujiu, Status.DEPT_CHECKED)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.DEPT_CHECKED)

        # the holder's first certificate login is recorded automatically as the login test
        self.login(self.lisi)
        r = self.client.get(reverse("pki:application_list"), **proxy_headers(cert))
        self.assertEqual(r.status_code, 200)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.LOGIN_TESTED)
        step = app.steps.get(status=Status.LOGIN_TESTED)
        self.assertTrue(step.automatic)
        self.assertEqual(step.actor, self.lisi)
        cert.refresh_from_db()
        self.assertIsNotNone(cert.first_login_at)

        self.advance(app, self.zhoujiu, Status.HANDED_OVER)
        self.advance(app, self.chenzd, Status.ARCHIVED)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.ARCHIVED)
        self.assertEqual(
            list(app.steps.values_list("status", flat=True)),
            [s for s in services.NEW_FLOW],
        )
        actors = dict(app.steps.values_list("status", "actor__username"))
        self.assertEqual(actors[Status.ISSUED], "chuwg")
        self.assertEqual(actors[Status.NETWORK_REVIEWED], "weiwg")
        self.assertEqual(
            AuditEntry.objects.filter(action="pki.application.step", object_id=str(app.pk)).count(),
            8,
        )
        from gongkai.audit.services import audit_verify

        self.assertTrue(audit_verify().ok)
        # the detail page shows who did each step
        r = self.client.get(reverse("pki:application_detail", args=[app.pk]))
        self.assertContains(r, "卫网管")
        self.assertContains(r, "系统自动记录")

    def test_it_refuses_out_of_order_steps_and_changes_nothing(self) -> None:
        app = self.submit()
        r = self.advance(app, self.chenzd, Status.GUIDANCE_REVIEWED)
        self.assertRedirects(r, reverse("pki:application_detail", args=[app.pk]))
        msgs = [str(m) for m in get_messages(r.wsgi_request)]
        self.assertTrue(any("步骤顺序不对" in m for m in msgs), msgs)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.SUBMITTED)
        self.assertEqual(app.steps.count(), 1)
        # issuing before the approvals is refused too
        _, csr = make_csr()
        with self.assertRaisesMessage(services.PkiError, "步骤顺序不对"):
            services.cert_application_issue(application=app, by=self.chuwg, csr=csr)
        self.assertEqual(Certificate.objects.count(), 0)

    def test_it_refuses_the_same_person_doing_both_network_steps(self) -> None:
        app, cert, _ = self.issued()
        r = self.advance(app, self.chuwg, Status.NETWORK_REVIEWED)
        msgs = [str(m) for m in get_messages(r.wsgi_request)]
        self.assertTrue(any("双人复核" in m for m in msgs), msgs)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.ISSUED)
        with self.assertRaisesMessage(services.PkiError, "双人复核"):
            services.cert_application_reject(application=app, by=self.chuwg, comment="自己退回")
        cert.refresh_from_db()
        self.assertEqual(cert.status, CertificateStatus.ACTIVE)

    def test_it_refuses_a_step_by_the_wrong_role(self) -> None:
        app = self.submit()
        for user in (self.lisi, self.chenzd, self.chuwg, self.fenger):
            with self.assertRaises(services.PkiError):
                services.cert_application_advance(
                    application=app, by=user, to_status=Status.DEPT_APPROVED, scan=scan()
                )
        app.refresh_from_db()
        self.assertEqual(app.status, Status.SUBMITTED)

    def test_it_refuses_the_holder_approving_their_own_application(self) -> None:
        app = services.cert_application_submit(
            agency=self.agency_a, person=self.sunba, by=self.lisi
        )
        with self.assertRaisesMessage(services.PkiError, "不能审核或签发自己"):
            services.cert_application_advance(
                application=app, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
            )

    def test_it_requires_a_real_sealed_scan(self) -> None:
        app = self.submit()
        r = self.advance(app, self.sunba, Status.DEPT_APPROVED)
        self.assertIn("扫描件", " ".join(str(m) for m in get_messages(r.wsgi_request)))
        r = self.advance(
            app,
            self.sunba,
            Status.DEPT_APPROVED,
            scan=SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf"),
        )
        self.assertIn("格式不正确", " ".join(str(m) for m in get_messages(r.wsgi_request)))
        app.refresh_from_db()
        self.assertEqual(app.status, Status.SUBMITTED)

    def test_it_refuses_bad_submissions(self) -> None:
        with self.assertRaisesMessage(services.PkiError, "只有本部门工作人员"):
            services.cert_application_submit(
                agency=self.agency_a, person=self.lisi, by=self.zhaoliu
            )
        with self.assertRaisesMessage(services.PkiError, "不是通化市民政局的工作人员"):
            services.cert_application_submit(
                agency=self.agency_a, person=self.zhaoliu, by=self.lisi
            )
        self.submit()
        with self.assertRaisesMessage(services.PkiError, "正在办理"):
            self.submit()
        self.login(self.lisi)
        r = self.client.post(
            reverse("pki:application_new"),
            {"kind": "revoke", "agency": self.agency_a.pk, "person": self.wangwu.pk},
        )
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "请选择要吊销或更换的原证书", status_code=400)
        self.assertEqual(CertApplication.objects.count(), 1)

    def test_it_issues_a_one_time_pkcs12_download(self) -> None:
        app = self.approve_to_issue(self.submit())
        self.login(self.chuwg)
        r = self.client.post(
            reverse("pki:application_issue", args=[app.pk]), {"pkcs12_password": "Handover#2026x"}
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/x-pkcs12")
        self.assertIn("attachment", r["Content-Disposition"])
        self.assertEqual(r["Cache-Control"], "no-store")
        bundle = pkcs12.load_pkcs12(r.content, b"Handover#2026x")
        assert bundle.cert is not None
        self.assertEqual(bundle.cert.certificate, Certificate.objects.get().certificate())
        # a second attempt is out of order: the key exists nowhere any more
        r = self.client.post(
            reverse("pki:application_issue", args=[app.pk]), {"pkcs12_password": "Handover#2026x"}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Certificate.objects.count(), 1)

    def test_it_rejects_a_weak_password_over_http(self) -> None:
        app = self.approve_to_issue(self.submit())
        self.login(self.chuwg)
        r = self.client.post(
            reverse("pki:application_issue", args=[app.pk]), {"pkcs12_password": "123456"}
        )
        self.assertRedirects(r, reverse("pki:application_detail", args=[app.pk]))
        self.assertIn("过于简单", " ".join(str(m) for m in get_messages(r.wsgi_request)))
        self.assertEqual(Certificate.objects.count(), 0)

    def test_it_rejects_a_csr_with_a_bad_signature_over_http(self) -> None:
        app = self.approve_to_issue(self.submit())
        self.login(self.chuwg)
        r = self.client.post(
            reverse("pki:application_issue", args=[app.pk]),
            {
                "csr": SimpleUploadedFile(
                    "x.csr",
                    b"-----BEGIN CERTIFICATE REQUEST-----\nZm9v\n-----END CERTIFICATE REQUEST-----\n",
                )
            },
        )
        self.assertIn("CSR", " ".join(str(m) for m in get_messages(r.wsgi_request)))
        self.assertEqual(Certificate.objects.count(), 0)

    def test_it_ends_the_flow_on_rejection_and_revokes_an_unreviewed_certificate(self) -> None:
        app, cert, _ = self.issued()
        self.login(self.weiwg)
        self.client.post(
            reverse("pki:application_reject", args=[app.pk]), {"comment": "证书信息有误"}
        )
        app.refresh_from_db()
        cert.refresh_from_db()
        self.assertEqual(app.status, Status.REJECTED)
        self.assertEqual(cert.status, CertificateStatus.REVOKED)
        self.assertEqual(cert.revocation_reason, RevocationReason.CESSATION_OF_OPERATION)
        with self.assertRaisesMessage(services.PkiError, "不能再办理"):
            services.cert_application_advance(
                application=app, by=self.weiwg, to_status=Status.NETWORK_REVIEWED
            )

    def test_it_rejects_get_on_state_changing_views(self) -> None:
        app = self.submit()
        self.login(self.sunba)
        for name in (
            "application_advance",
            "application_reject",
            "application_issue",
            "application_revoke",
        ):
            self.assertEqual(
                self.client.get(reverse(f"pki:{name}", args=[app.pk])).status_code, 405
            )

    def test_it_hides_other_agencies_applications(self) -> None:
        app = self.submit()
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("pki:application_detail", args=[app.pk])).status_code, 404
        )
        r = self.client.post(
            reverse("pki:application_advance", args=[app.pk]), {"to_status": Status.DEPT_APPROVED}
        )
        self.assertEqual(r.status_code, 404)

    def test_it_forbids_the_read_only_viewer(self) -> None:
        app = self.submit()
        self.login(self.fenger)
        self.assertEqual(
            self.client.get(reverse("pki:application_detail", args=[app.pk])).status_code, 200
        )
        r = self.client.post(
            reverse("pki:application_advance", args=[app.pk]), {"to_status": Status.DEPT_APPROVED}
        )
        self.assertEqual(r.status_code, 403)


class ReplaceRevokeTest(PkiTestCase):
    def finish_new(self, app: CertApplication, cert: Certificate) -> None:
        services.cert_application_advance(
            application=app, by=self.weiwg, to_status=Status.NETWORK_REVIEWED
        )
        services.cert_application_advance(
            application=app, by=self.zhoujiu, to_status=Status.DEPT_CHECKED
        )
        services.certificate_record_login(certificate=cert, via="测试")
        services.cert_application_advance(
            application=app, by=self.zhoujiu, to_status=Status.HANDED_OVER
        )

    def test_it_revokes_the_old_certificate_as_superseded_at_handover(self) -> None:
        app, old, _ = self.issued()
        self.finish_new(app, old)
        replace, new, _ = self.issued(kind=Kind.REPLACE, old_certificate=old, reason="证书到期更换")
        services.cert_application_advance(
            application=replace, by=self.weiwg, to_status=Status.NETWORK_REVIEWED
        )
        services.cert_application_advance(
            application=replace, by=self.zhoujiu, to_status=Status.DEPT_CHECKED
        )
        old.refresh_from_db()
        self.assertEqual(old.status, CertificateStatus.ACTIVE)  # both valid until the handover
        services.certificate_record_login(certificate=new, via="测试")
        services.cert_application_advance(
            application=replace, by=self.zhoujiu, to_status=Status.HANDED_OVER
        )
        old.refresh_from_db()
        self.assertEqual(old.status, CertificateStatus.REVOKED)
        self.assertEqual(old.revocation_reason, RevocationReason.SUPERSEDED)
        new.refresh_from_db()
        self.assertEqual(new.status, CertificateStatus.ACTIVE)

    def test_it_runs_the_revoke_flow(self) -> None:
        app, cert, _ = self.issued()
        self.finish_new(app, cert)
        rev = self.submit(kind=Kind.REVOKE, old_certificate=cert, reason="人员调离")
        self.assertEqual(services.flow_of(rev)[-2:], [Status.REVOKED, Status.ARCHIVED])
        services.cert_application_advance(
            application=rev, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=rev, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        self.login(self.chuwg)
        self.client.post(
            reverse("pki:application_revoke", args=[rev.pk]),
            {"reason": "affiliation_changed", "comment": "调离"},
        )
        rev.refresh_from_db()
        cert.refresh_from_db()
        self.assertEqual(rev.status, Status.REVOKED)
        self.assertEqual(cert.status, CertificateStatus.REVOKED)
        self.assertEqual(cert.revocation_reason, RevocationReason.AFFILIATION_CHANGED)
        services.cert_application_advance(
            application=rev, by=self.chenzd, to_status=Status.ARCHIVED
        )
        rev.refresh_from_db()
        self.assertEqual(rev.status, Status.ARCHIVED)

    def test_it_revokes_at_once_in_an_emergency_and_records_approvals_afterwards(self) -> None:
        app, cert, _ = self.issued()
        self.finish_new(app, cert)
        self.login(self.zhoujiu)
        r = self.client.post(
            reverse("pki:certificate_emergency_revoke", args=[cert.pk]), {"comment": "UKey 丢失"}
        )
        self.assertEqual(r.status_code, 403)
        self.login(self.chuwg)
        r = self.client.post(
            reverse("pki:certificate_emergency_revoke", args=[cert.pk]), {"comment": "UKey 丢失"}
        )
        emergency = CertApplication.objects.get(emergency=True)
        self.assertRedirects(r, reverse("pki:application_detail", args=[emergency.pk]))
        cert.refresh_from_db()
        self.assertEqual(cert.status, CertificateStatus.REVOKED)
        self.assertEqual(cert.revocation_reason, RevocationReason.KEY_COMPROMISE)
        self.assertEqual(emergency.status, Status.REVOKED)
        self.assertAudited("pki.certificate.emergency_revoked")
        # approvals recorded afterwards, in order
        with self.assertRaisesMessage(services.PkiError, "步骤顺序不对"):
            services.cert_application_advance(
                application=emergency, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
            )
        services.cert_application_advance(
            application=emergency, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=emergency, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        services.cert_application_advance(
            application=emergency, by=self.weiwg, to_status=Status.ARCHIVED
        )
        emergency.refresh_from_db()
        self.assertEqual(emergency.status, Status.ARCHIVED)
        self.assertEqual(
            list(emergency.steps.values_list("status", flat=True)),
            [Status.REVOKED, Status.DEPT_APPROVED, Status.GUIDANCE_REVIEWED, Status.ARCHIVED],
        )
        r = self.client.post(
            reverse("pki:certificate_emergency_revoke", args=[cert.pk]), {"comment": "再次"}
        )
        self.assertIn("已被吊销", " ".join(str(m) for m in get_messages(r.wsgi_request)))
        self.assertEqual(CertApplication.objects.filter(emergency=True).count(), 1)


class VisibilityTest(PkiTestCase):
    def test_it_lists_exactly_what_the_access_functions_allow(self) -> None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from gongkai.pki.permissions import get_cert_application_for_user, get_certificate_for_user

        self.issued(self.lisi)
        other = services.cert_application_submit(
            agency=self.agency_b, person=self.zhaoliu, by=self.zhaoliu
        )
        for name, user in self.personas().items():
            listed = set(CertApplication.objects.for_user(user).values_list("pk", flat=True))
            for app in CertApplication.objects.all():
                try:
                    get_cert_application_for_user(user, app.pk)
                    visible = True
                except Http404:
                    visible = False
                self.assertEqual(app.pk in listed, visible, f"{name} application {app.number}")
            listed_certs = set(Certificate.objects.for_user(user).values_list("pk", flat=True))
            for cert in Certificate.objects.all():
                try:
                    get_certificate_for_user(user, cert.pk)
                    visible = True
                except (Http404, PermissionDenied):
                    visible = False
                self.assertEqual(cert.pk in listed_certs, visible, f"{name} certificate")
        a = self.personas()
        self.assertEqual(CertApplication.objects.for_user(a["zhaoliu"]).count(), 1)
        self.assertEqual(CertApplication.objects.for_user(a["chenzd"]).count(), 2)
        self.assertEqual(CertApplication.objects.for_user(a["auditor"]).count(), 0)
        self.assertEqual(Step.objects.filter(application=other).count(), 1)
