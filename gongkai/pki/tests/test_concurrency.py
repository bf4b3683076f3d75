"""PostgreSQL only: two 网管科 people issuing the same application at once get one certificate."""

from __future__ import annotations

import shutil
import tempfile
import threading

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from gongkai.accounts.models import Role
from gongkai.agencies.models import Region
from gongkai.pki import services
from gongkai.pki.models import Certificate, Status
from gongkai.pki.tests.helpers import PASSPHRASE, make_csr, scan
from gongkai.test import make_agency, make_user


@pytest.mark.postgres
class ConcurrentIssueTest(TransactionTestCase):
    def test_it_issues_only_once_when_two_operators_race(self) -> None:
        tmp = tempfile.mkdtemp()
        try:
            with override_settings(
                PKI_CA_DIR=f"{tmp}/private",
                PKI_PUBLISH_DIR=f"{tmp}/public",
                PKI_CA_KEY_PASSPHRASE=PASSPHRASE,
            ):
                self._race()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _race(self) -> None:
        region = Region.objects.create(code="220500", name="通化市", level="city")
        agency = make_agency("th-mzj", "通化市民政局", region)
        office = make_agency("th-gkb", "协调办", region, kind="office")
        lisi = make_user("lisi", "李四", (agency, Role.CLERK))
        sunba = make_user("sunba", "孙八", (agency, Role.APPROVER))
        chenzd = make_user("chenzd", "陈指导", (office, Role.GUIDANCE))
        operators = [make_user(f"wg{i}", f"网管{i}", (office, Role.NETWORK)) for i in range(2)]
        services.ca_create()
        app = services.cert_application_submit(agency=agency, person=lisi, by=lisi)
        services.cert_application_advance(
            application=app, by=sunba, to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=app, by=chenzd, to_status=Status.GUIDANCE_REVIEWED
        )
        results: list[str] = []
        barrier = threading.Barrier(2)

        def issue(user) -> None:  # type: ignore[no-untyped-def]
            _, csr = make_csr()
            barrier.wait()
            try:
                services.cert_application_issue(application=app, by=user, csr=csr)
                results.append("ok")
            except services.PkiError as exc:
                results.append(str(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=issue, args=(u,)) for u in operators]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results)[0], "ok")
        self.assertIn("步骤顺序不对", sorted(results)[1])
        self.assertEqual(Certificate.objects.count(), 1)
        app.refresh_from_db()
        self.assertEqual(app.status, Status.ISSUED)
