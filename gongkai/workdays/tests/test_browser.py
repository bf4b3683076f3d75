"""The calendar console and the deadline calculator in a real browser."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import AdminRole, User
from gongkai.lib.testing import assert_accessible, screenshot
from gongkai.workdays import calendar
from gongkai.workdays.seed import ensure_seeded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test@Passw0rd"


@pytest.fixture
def sysadmin(db):  # type: ignore[no-untyped-def]
    ensure_seeded()  # transactional tests start from a flushed database
    yield User.objects.create_user(
        username="sysadmin",
        password=PASSWORD,
        display_name="系统管理员",
        admin_role=AdminRole.SYSTEM,
    )
    calendar.invalidate()


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/console/")


def test_it_shows_the_calendar_and_imports_a_year(page, sysadmin) -> None:  # type: ignore[no-untyped-def]
    login(page, "sysadmin")
    page.goto(page.base_url + "/console/calendar/")
    assert "2026年" in page.content()
    assert_accessible(page)
    screenshot(page, "workdays-calendar-home")

    page.goto(page.base_url + "/console/calendar/year/2026/")
    assert "2026-10-10" in page.content()
    assert_accessible(page)
    screenshot(page, "workdays-year-2026")

    page.goto(page.base_url + "/console/calendar/import/")
    page.fill("#id_year", "2027")
    page.fill("#id_text", "日期,类型,名称\n2027-01-01,休息,元旦\n2027-02-09,上班,春节\n")
    page.click("button[type=submit].primary")
    page.wait_for_selector(".form-errors")
    assert "第3行：2027-02-09是星期二" in page.content()
    assert_accessible(page)
    screenshot(page, "workdays-import-errors")
    page.fill("#id_text", "日期,类型,名称\n2027-01-01,休息,元旦\n2027-02-06,休息,春节\n")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/console/calendar/year/2027/")
    assert "已导入2027年节假日安排" in page.content()


def test_it_explains_a_due_date(page, sysadmin) -> None:  # type: ignore[no-untyped-def]
    login(page, "sysadmin")
    page.goto(page.base_url + "/console/calendar/deadline/")
    page.fill("#id_received", "2026-02-06")
    page.fill("#id_pauses", "2026-03-02:2026-03-04")
    page.fill("#id_extend", "5")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#result-title")
    content = page.content()
    assert "为什么是这一天" in content
    assert "春节2月15日至2月23日" in content
    assert_accessible(page)
    screenshot(page, "workdays-deadline")
