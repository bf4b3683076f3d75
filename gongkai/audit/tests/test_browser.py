"""The audit page in a real browser: Chinese labels, denied attempts, accessibility, screenshots."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import AdminRole, Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region
from gongkai.lib.testing import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test@Passw0rd"


def _login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")


def test_it_reads_in_chinese_and_shows_denied_attempts(page) -> None:  # type: ignore[no-untyped-def]
    from gongkai.audit.services import audit_log

    region = Region.objects.create(code="220500", name="通化市", level="city")
    agency = Agency.objects.create(
        code="th-mzj", name="通化市民政局", region=region, level="city",
        org_code=demo_org_code("th-mzj"), uscc=demo_uscc("th-mzj", "220500"),
    )  # fmt: skip
    clerk = User.objects.create_user(username="lisi", password=PASSWORD, display_name="李四")
    Membership.objects.create(user=clerk, agency=agency, role=Role.CLERK)
    User.objects.create_user(
        username="sysadmin", password=PASSWORD, display_name="系统管理员",
        admin_role=AdminRole.SYSTEM,
    )  # fmt: skip
    User.objects.create_user(
        username="auditor", password=PASSWORD, display_name="审计管理员",
        admin_role=AdminRole.AUDIT,
    )  # fmt: skip
    audit_log("accounts.membership.granted", obj=clerk, agency_code="th-mzj")
    audit_log("pki.certificate_login", actor=clerk, agency_code="th-mzj")  # a legacy code

    _login(page, "sysadmin")
    page.goto(page.base_url + "/console/applications/424242/")  # someone's application: 404
    page.goto(page.base_url + "/console/audit/")  # not the auditor: 403
    page.context.clear_cookies()

    _login(page, "auditor")
    page.goto(page.base_url + "/console/audit/")
    text = page.inner_text("main")
    for words in ("授予岗位", "证书登录", "通化市民政局", "用户「李四」", "拒绝访问", "登录成功"):
        assert words in text, words
    assert "th-mzj" not in page.inner_text("table")
    assert_accessible(page)
    screenshot(page, "audit-list")
    page.select_option("#id_action", "audit.access.denied")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**action=audit.access.denied**")
    rows = page.inner_text("tbody")
    assert "/console/applications/424242/" in rows and "/console/audit/" in rows
    screenshot(page, "audit-denied")
    page.click("tbody tr:first-child a")
    assert "拒绝访问" in page.inner_text("h1")
    assert "状态" in page.inner_text("main") or "status" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "audit-entry")
    page.goto(page.base_url + "/console/audit/?date_from=2026-13-01")
    assert "请输入有效日期" in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "audit-bad-filter")
