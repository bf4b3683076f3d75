"""The certificate workflow can be finished on a development machine (``make run``, no nginx)
by following the application page's own instructions for the 登录测试 step: the holder opens
the linked 证书签名登录 page, runs the printed ``tools/gongkai-sign`` command on the .p12 and
pastes the signature back."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from gongkai.pki import services
from gongkai.pki.models import Status
from gongkai.pki.tests.helpers import PkiTestCase
from gongkai.test import BaseTestCase

P12_PASSWORD = "Handover#2026x"


def follow_instructions(client, page: str, p12_path: Path, password: str) -> None:  # type: ignore[no-untyped-def]
    """Do what the 下一步 section says, as the (logged-in) holder: open its link, run its
    command on the .p12, paste the signature back."""
    section = re.search(r'<section[^>]*id="pki-next-step".*?</section>', page, re.S)
    assert section, "the login-test step has no instructions"
    text = html.unescape(section.group(0))
    link = re.search(r'<a href="([^"]+)">证书签名登录</a>', text)
    command = re.search(r"<code>(python3 tools/gongkai-sign [^<]+)</code>", text)
    assert link and command
    challenge_page = client.get(link.group(1)).content.decode()
    challenge = html.unescape(
        re.search(
            r'<pre class="pki-challenge" id="challenge">(.*?)</pre>', challenge_page, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    argv = command.group(1).split()
    assert argv[:2] == ["python3", "tools/gongkai-sign"], argv
    argv = [sys.executable, str(Path(settings.BASE_DIR) / argv[1])] + [
        str(p12_path) if a == "证书文件.p12" else a for a in argv[2:]
    ]
    signed = subprocess.run(
        [*argv, "--password", password], input=challenge, capture_output=True, text=True, check=True
    )
    response = client.post(link.group(1), {"signature": signed.stdout.strip().splitlines()[-1]})
    assert response.status_code == 302, response.content.decode()[:500]
    client.get(reverse("console:home"))  # the next request records the first login


class LoginTestStepTest(PkiTestCase):
    def test_it_tells_the_holder_how_to_finish_without_nginx_and_that_works(self) -> None:
        app = self.approve_to_issue(self.submit())
        self.login(self.chuwg)
        p12 = self.client.post(
            reverse("pki:application_issue", args=[app.pk]), {"pkcs12_password": P12_PASSWORD}
        ).content
        services.cert_application_advance(
            application=app, by=self.weiwg, to_status=Status.NETWORK_REVIEWED
        )
        services.cert_application_advance(
            application=app, by=self.zhoujiu, to_status=Status.DEPT_CHECKED
        )

        # 1. the page names who does the next step, what it needs, and how
        self.login(self.zhoujiu)
        page = self.client.get(reverse("pki:application_detail", args=[app.pk])).content.decode()
        section = re.search(r'<section[^>]*id="pki-next-step".*?</section>', page, re.S)
        assert section, "the login-test step has no instructions"
        text = html.unescape(section.group(0))
        self.assertIn(self.lisi.username, text)
        self.assertIn(".p12", text)
        link = re.search(r'<a href="([^"]+)">证书签名登录</a>', text)
        command = re.search(r"<code>(python3 tools/gongkai-sign [^<]+)</code>", text)
        assert link and command
        self.assertIn("make run", text)

        # 2. the holder follows them: open the link, sign with the printed command, paste back
        self.login(self.lisi)
        challenge_page = self.client.get(link.group(1)).content.decode()
        challenge = html.unescape(
            re.search(
                r'<pre class="pki-challenge" id="challenge">(.*?)</pre>', challenge_page, re.S
            ).group(1)  # type: ignore[union-attr]
        )
        p12_path = Path(self.tmp_dir()) / "证书文件.p12"
        p12_path.write_bytes(p12)
        argv = command.group(1).split()
        self.assertEqual(argv[:2], ["python3", "tools/gongkai-sign"])
        argv = [sys.executable, str(Path(settings.BASE_DIR) / argv[1])] + [
            str(p12_path) if a == "证书文件.p12" else a for a in argv[2:]
        ]
        signed = subprocess.run(
            [*argv, "--password", P12_PASSWORD],
            input=challenge,
            capture_output=True,
            text=True,
            check=True,
        )
        signature = signed.stdout.strip().splitlines()[-1]
        response = self.client.post(link.group(1), {"signature": signature})
        self.assertEqual(response.status_code, 302)
        self.client.get(reverse("console:home"))  # the next request records the first login

        app.refresh_from_db()
        self.assertEqual(app.status, Status.LOGIN_TESTED)
        step = app.steps.get(status=Status.LOGIN_TESTED)
        self.assertTrue(step.automatic)
        self.assertEqual(step.actor, self.lisi)

    def tmp_dir(self) -> str:
        import tempfile

        directory = tempfile.mkdtemp(prefix="gongkai-p12-")
        self.addCleanup(__import__("shutil").rmtree, directory, True)
        return directory


class DemoLoginTestStepTest(BaseTestCase):
    """The same on the quick demo, as a newcomer after ``make run`` (DEBUG): the page names the
    demo's saved .p12 and its password."""

    def setUp(self) -> None:
        import shutil
        import tempfile
        from io import StringIO

        from django.core.management import call_command

        # the demo writes its CA key and .p12 files under VAR_DIR: a directory of this test's
        # own, so a parallel worker's demo cannot replace the file between writing and signing
        tmp = tempfile.mkdtemp(prefix="gk-demo-pki-")
        self.addCleanup(shutil.rmtree, tmp, True)
        isolated = override_settings(
            VAR_DIR=Path(tmp), PKI_CA_DIR=f"{tmp}/pki/private", PKI_PUBLISH_DIR=f"{tmp}/pki/public"
        )
        isolated.enable()
        self.addCleanup(isolated.disable)
        call_command("load_demo", "--quiet", stdout=StringIO())

    def test_it_can_be_finished_from_the_demo_by_following_the_page(self) -> None:
        from gongkai.accounts.models import User
        from gongkai.pki.models import CertApplication

        app = CertApplication.objects.get(person__username="qianqi", status=Status.ISSUED)
        users = {
            u.username: u for u in User.objects.filter(username__in=["weiwg", "zhoujiu", "qianqi"])
        }
        services.cert_application_advance(
            application=app, by=users["weiwg"], to_status=Status.NETWORK_REVIEWED
        )
        services.cert_application_advance(
            application=app, by=users["zhoujiu"], to_status=Status.DEPT_CHECKED
        )
        with override_settings(DEBUG=True):
            self.client.force_login(users["zhoujiu"])
            page = self.client.get(
                reverse("pki:application_detail", args=[app.pk])
            ).content.decode()
            demo = re.search(r"证书的文件是 <code>([^<]+)</code>，口令 <code>([^<]+)</code>", page)
            assert demo, "the demo's .p12 is not named on the page"
            shown = Path(html.unescape(demo.group(1)))
            p12_path = shown if shown.is_absolute() else Path(settings.BASE_DIR) / shown
            self.assertTrue(p12_path.exists())
            self.client.force_login(users["qianqi"])
            follow_instructions(self.client, page, p12_path, html.unescape(demo.group(2)))
        app.refresh_from_db()
        self.assertEqual(app.status, Status.LOGIN_TESTED)
        self.assertTrue(app.steps.get(status=Status.LOGIN_TESTED).automatic)
