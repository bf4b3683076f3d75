"""Console pages, panels (alerts, queue) and the report's count."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gongkai.pki import api, panels, services
from gongkai.pki.models import CertificateAuthority
from gongkai.pki.tests.helpers import PkiTestCase


class PagesTest(PkiTestCase):
    def test_it_renders_every_console_page_for_the_network_section(self) -> None:
        app, cert, _ = self.issued()
        self.login(self.weiwg)
        for url in (
            reverse("pki:application_list"),
            reverse("pki:application_list") + "?mine=1",
            reverse("pki:application_list") + "?status=issued&kind=new",
            reverse("pki:application_detail", args=[app.pk]),
            reverse("pki:certificate_list"),
            reverse("pki:certificate_list") + "?state=expiring&q=李",
            reverse("pki:certificate_detail", args=[cert.pk]),
            reverse("pki:ca_detail"),
        ):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
        r = self.client.get(reverse("pki:application_detail", args=[app.pk]))
        self.assertContains(r, "办理：网管科已复核")
        r = self.client.get(reverse("pki:certificate_download", args=[cert.pk]))
        self.assertContains(r, "BEGIN CERTIFICATE")
        self.assertNotContains(r, "PRIVATE KEY")

    def test_it_shows_the_issue_form_only_to_the_network_section(self) -> None:
        app = self.approve_to_issue(self.submit())
        self.login(self.chuwg)
        self.assertContains(
            self.client.get(reverse("pki:application_detail", args=[app.pk])), "签发证书"
        )
        self.login(self.lisi)
        self.assertNotContains(
            self.client.get(reverse("pki:application_detail", args=[app.pk])), "签发证书"
        )

    def test_it_keeps_the_ca_page_from_departments(self) -> None:
        self.login(self.lisi)
        self.assertEqual(self.client.get(reverse("pki:ca_detail")).status_code, 403)
        self.login(self.secadmin)
        self.assertEqual(self.client.get(reverse("pki:ca_detail")).status_code, 200)

    def test_it_offers_the_form_only_to_department_staff(self) -> None:
        self.login(self.chenzd)
        self.assertEqual(self.client.get(reverse("pki:application_new")).status_code, 403)
        self.login(self.lisi)
        r = self.client.get(reverse("pki:application_new"))
        self.assertContains(r, "录入人员详细信息登记")
        self.assertNotContains(r, "赵六")  # only people of the user's own agencies


class PanelsTest(PkiTestCase):
    def test_it_alerts_on_an_expiring_and_an_expired_crl(self) -> None:
        ca = CertificateAuthority.objects.get()
        assert ca.crl_next_update is not None
        self.assertEqual([a for a in panels.alerts(self.chuwg) if "CRL" in a.text], [])
        soon = ca.crl_next_update - dt.timedelta(hours=2)
        texts = [a.text for a in panels.alerts(self.chuwg, now=soon)]
        self.assertTrue(any("CRL" in t and "将于" in t for t in texts), texts)
        late = ca.crl_next_update + dt.timedelta(minutes=1)
        errors = [a for a in panels.alerts(self.chuwg, now=late) if a.level == "error"]
        self.assertEqual(len(errors), 1)
        self.assertEqual([a for a in panels.alerts(self.lisi, now=late) if "CRL" in a.text], [])

    def test_it_reminds_holders_and_the_network_section_of_expiring_certificates(self) -> None:
        _, cert, _ = self.issued()
        later = cert.not_after - dt.timedelta(days=10)
        self.assertTrue(any("您的数字证书" in a.text for a in panels.alerts(self.lisi, now=later)))
        self.assertTrue(any("1 张证书" in a.text for a in panels.alerts(self.chuwg, now=later)))
        self.assertFalse(any("您的数字证书" in a.text for a in panels.alerts(self.lisi)))

    def test_it_queues_applications_awaiting_the_users_step(self) -> None:
        self.submit()
        self.assertEqual(panels.queue(self.sunba)[0].count, 1)
        self.assertEqual(panels.queue(self.chenzd), [])
        self.assertEqual([n.label for n in panels.nav(self.chuwg)], ["数字证书", "证书颁发机构"])
        self.assertEqual(panels.nav(self.auditor), [])


class ReportCountTest(PkiTestCase):
    def test_it_counts_agencies_holding_a_certificate_during_the_year(self) -> None:
        now = timezone.now()
        self.issued(self.lisi)
        self.issued(self.wangwu)  # same agency: counted once
        services.cert_application_submit(agency=self.agency_b, person=self.zhaoliu, by=self.zhaoliu)
        self.assertEqual(api.agencies_with_certificates(year=now.year), 1)
        self.assertEqual(api.agencies_with_certificates(year=now.year - 1), 0)
        self.assertEqual(
            api.agencies_with_certificates(year=now.year, region=self.county_region), 0
        )
        self.assertEqual(api.agencies_with_certificates(year=now.year, region=self.city_region), 1)


class ReminderTest(PkiTestCase):
    def test_it_reminds_each_holder_once_by_mail(self) -> None:
        from django.core import mail
        from django.core.management import call_command

        self.lisi.email = "lisi@example.gov.cn"
        self.lisi.save(update_fields=["email"])
        _, cert, _ = self.issued(self.lisi)
        _, other, _ = self.issued(self.wangwu)
        soon = cert.not_after - dt.timedelta(days=5)
        self.assertEqual(
            services.certificate_remind_expiring(now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)), []
        )
        self.assertEqual(len(services.certificate_remind_expiring(now=soon, dry_run=True)), 2)
        with self.captureOnCommitCallbacks(execute=True):
            done = services.certificate_remind_expiring(now=soon)
        self.assertEqual({c.pk for c in done}, {cert.pk, other.pk})
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("即将到期", mail.outbox[0].subject)
        self.assertEqual(mail.outbox[0].to, ["lisi@example.gov.cn"])
        self.assertEqual(services.certificate_remind_expiring(now=soon), [])
        self.assertAudited("pki.certificate.expiry_reminded", object_id=str(cert.pk))
        from io import StringIO

        out = StringIO()
        call_command("pki_remind_expiring", "--dry-run", stdout=out)
        self.assertIn("需提醒 0 张证书", out.getvalue())


class CaPageTest(PkiTestCase):
    def test_it_shows_the_yearly_count_of_certificate_holding_agencies(self) -> None:
        self.issued()
        self.login(self.chenzd)
        year = timezone.localdate().year
        r = self.client.get(reverse("pki:ca_detail") + f"?year={year}")
        self.assertContains(r, f"{year} 年内持有有效录入电子证书的部门、单位：<strong>1</strong>")
        r = self.client.get(reverse("pki:ca_detail") + "?year=2012")
        self.assertContains(r, "2012 年内持有有效录入电子证书的部门、单位：<strong>0</strong>")
        self.assertEqual(self.client.get(reverse("pki:ca_detail") + "?year=abc").status_code, 200)
