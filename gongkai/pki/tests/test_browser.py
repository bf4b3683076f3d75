"""The pki console pages in a real browser: accessibility and screenshots."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.lib.testing import assert_accessible, screenshot
from gongkai.test import PASSWORD

pytestmark = [pytest.mark.browser]


def _login(page: Any, username: str) -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/console/")


def test_it_shows_the_workflow_and_certificates_to_the_network_section(
    page: Any, pki_world: dict[str, Any]
) -> None:
    from gongkai.pki.models import CertApplication

    _login(page, "chuwg")
    page.goto(page.base_url + "/console/pki/")
    assert "数字证书申请" in page.content()
    assert_accessible(page)
    screenshot(page, "pki-application-list")
    app = CertApplication.objects.get(person__username="lisi")
    page.goto(page.base_url + f"/console/pki/applications/{app.pk}/")
    assert "网管科已录入制证" in page.content()
    assert "褚网管" in page.content()
    assert "办理：网管科已复核" not in page.content()  # four eyes: not for the issuer
    assert_accessible(page)
    screenshot(page, "pki-application-detail")
    page.goto(page.base_url + "/console/pki/certificates/")
    assert "已吊销" in page.content()
    assert_accessible(page)
    screenshot(page, "pki-certificate-list")
    cert, _ = pki_world["lisi"]
    page.goto(page.base_url + f"/console/pki/certificates/{cert.pk}/")
    assert "紧急吊销" in page.content()
    assert_accessible(page)
    screenshot(page, "pki-certificate-detail")
    page.goto(page.base_url + "/console/pki/ca/")
    assert "CRL 编号" in page.content()
    assert_accessible(page)
    screenshot(page, "pki-ca")


def test_it_asks_a_clerk_without_certificate_for_one(page: Any, pki_world: dict[str, Any]) -> None:
    _login(page, "lisi")
    page.goto(page.base_url + "/console/pki/")
    assert "需要有效的数字证书" in page.content()
    assert_accessible(page)
    screenshot(page, "pki-certificate-required")
    page.click("text=证书签名登录")
    page.wait_for_load_state()
    assert "gongkai-login" in page.locator("#challenge").inner_text()
    assert_accessible(page)
    screenshot(page, "pki-challenge")
