"""The certificate workflow tables are THE guard: at every step of a new certificate and of a
revocation, for every persona × verb, the service accepts the step exactly when the table's
``allowed()`` (``cert_actions``) offers it, and the application page shows exactly those
buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse

from gongkai.pki import services
from gongkai.pki.models import CertApplication, Kind, RevocationReason, Status
from gongkai.pki.services.flows import EMERGENCY_WORKFLOW, workflow_for
from gongkai.pki.tests.helpers import PkiTestCase, make_csr, scan

PERSONAS = (
    "lisi", "zhengyi", "wushi", "sunba", "zhoujiu", "zhaoliu", "chenzd", "chuwg", "weiwg",
    "sysadmin", "secadmin", "auditor",
)  # fmt: skip
VERBS = ("advance", "issue", "revoke", "reject")
URLS = {
    "advance": "pki:application_advance",
    "issue": "pki:application_issue",
    "revoke": "pki:application_revoke",
    "reject": "pki:application_reject",
}


class Rollback(Exception):
    pass


def accepted(call: Callable[[], Any]) -> bool:
    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        return True
    except services.PkiError:
        return False


class CertificateFlowTest(PkiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.csr = make_csr()[1]

    def call(self, verb: str, pk: int, user: Any) -> Callable[[], Any]:
        def run() -> Any:
            app = CertApplication.objects.get(pk=pk)  # the services refresh what they get
            nxt = services.next_status(app) or Status.ARCHIVED
            if verb == "advance":
                return services.cert_application_advance(
                    application=app, by=user, to_status=nxt, comment="同意", scan=scan()
                )
            if verb == "issue":
                return services.cert_application_issue(application=app, by=user, csr=self.csr)
            if verb == "revoke":
                return services.cert_application_revoke(
                    application=app, by=user, reason=RevocationReason.AFFILIATION_CHANGED
                )
            return services.cert_application_reject(application=app, by=user, comment="材料不全")

        return run

    def compare(self, app: CertApplication, mismatches: list[str]) -> set[str]:
        offered: set[str] = set()
        for name, user in self.personas().items():
            if name not in PERSONAS:
                continue
            fresh = CertApplication.objects.get(pk=app.pk)
            allowed = services.cert_actions(user, fresh)
            offered |= allowed
            for verb in VERBS:
                ok = accepted(self.call(verb, app.pk, user))
                if ok != (verb in allowed):
                    mismatches.append(
                        f"{fresh.status}/{name}/{verb}: 表={verb in allowed} 服务={ok}"
                    )
        return offered

    def walk(self, app: CertApplication, steps: list[tuple[str, Any]]) -> tuple[list[str], set]:
        """Compare at every state, then take the step with the right person."""
        mismatches: list[str] = []
        offered: set[str] = set()
        for verb, user in steps:
            offered |= self.compare(app, mismatches)
            if verb == "login":
                app.refresh_from_db()
                assert app.certificate is not None
                services.certificate_record_login(certificate=app.certificate, via="测试")
            else:
                self.call(verb, app.pk, user)()
            app.refresh_from_db()
        offered |= self.compare(app, mismatches)  # finished: nothing is offered
        return mismatches, offered

    def test_every_step_of_a_new_certificate_agrees_with_the_table(self) -> None:
        app = services.cert_application_submit(
            agency=self.agency_a, person=self.lisi, by=self.lisi, kind=Kind.NEW
        )
        mismatches, offered = self.walk(app, [
            ("advance", self.sunba), ("advance", self.chenzd), ("issue", self.chuwg),
            ("advance", self.weiwg), ("advance", self.zhoujiu), ("login", None),
            ("advance", self.zhoujiu), ("advance", self.chenzd),
        ])  # fmt: skip
        self.assertEqual(mismatches, [])
        self.assertEqual(offered, {"advance", "issue", "reject"})
        app.refresh_from_db()
        self.assertEqual(app.status, Status.ARCHIVED)

    def test_every_step_of_a_revocation_agrees_with_the_table(self) -> None:
        new = services.cert_application_submit(
            agency=self.agency_a, person=self.lisi, by=self.lisi, kind=Kind.NEW
        )
        services.cert_application_advance(
            application=new, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=new, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        cert, _ = services.cert_application_issue(application=new, by=self.chuwg, csr=self.csr)
        app = services.cert_application_submit(
            agency=self.agency_a, person=self.lisi, by=self.lisi, kind=Kind.REVOKE,
            old_certificate=cert, reason="调离岗位",
        )  # fmt: skip
        mismatches, offered = self.walk(app, [
            ("advance", self.sunba), ("advance", self.chenzd), ("revoke", self.chuwg),
            ("advance", self.chenzd),
        ])  # fmt: skip
        self.assertEqual(mismatches, [])
        self.assertEqual(offered, {"advance", "revoke", "reject"})

    def test_an_emergency_revocation_is_never_rejected(self) -> None:
        new = services.cert_application_submit(
            agency=self.agency_a, person=self.lisi, by=self.lisi, kind=Kind.NEW
        )
        services.cert_application_advance(
            application=new, by=self.sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=new, by=self.chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        cert, _ = services.cert_application_issue(application=new, by=self.chuwg, csr=self.csr)
        app = services.certificate_emergency_revoke(
            certificate=cert, by=self.weiwg, comment="UKey 丢失"
        )
        self.assertIs(workflow_for(app), EMERGENCY_WORKFLOW)
        mismatches: list[str] = []
        offered = self.compare(app, mismatches)
        self.assertEqual(mismatches, [])
        self.assertEqual(offered, {"advance"})  # the department leader records the approval

    def test_the_page_shows_exactly_the_allowed_buttons(self) -> None:
        app = services.cert_application_submit(
            agency=self.agency_a, person=self.lisi, by=self.lisi, kind=Kind.NEW
        )
        seen: set[str] = set()
        for step_by in (self.sunba, self.chenzd, None):
            fresh = CertApplication.objects.get(pk=app.pk)
            for user in (self.lisi, self.sunba, self.chenzd, self.chuwg, self.zhoujiu):
                self.client.force_login(user)
                page = self.client.get(reverse("pki:application_detail", args=[app.pk]))
                self.assertEqual(page.status_code, 200)
                html = page.content.decode()
                shown = {
                    v for v, url in URLS.items()
                    if f'action="{reverse(url, args=[app.pk])}"' in html
                }  # fmt: skip
                allowed = services.cert_actions(user, fresh)
                self.assertEqual(shown, allowed, (fresh.status, user.username))
                seen |= allowed
            if step_by is not None:
                self.call("advance", app.pk, step_by)()
        self.assertEqual(seen, {"advance", "issue", "reject"})
