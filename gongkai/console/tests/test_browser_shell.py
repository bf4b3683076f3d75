"""The console and portal shells in a real browser: keyboard login, accessibility, screenshots."""

import pytest

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region
from gongkai.lib.testing import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk(db):  # type: ignore[no-untyped-def]
    region = Region.objects.create(code="220500", name="通化市", level="city")
    agency = Agency.objects.create(
        code="th-mzj",
        name="通化市民政局",
        region=region,
        level="city",
        org_code=demo_org_code("th-mzj"),
        uscc=demo_uscc("th-mzj", "220500"),
    )
    user = User.objects.create_user(username="lisi", password="Test@Passw0rd", display_name="李四")
    Membership.objects.create(user=user, agency=agency, role=Role.CLERK)
    return user


def test_it_serves_an_accessible_portal_shell(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    assert page.title()
    assert page.locator("nav[aria-label='主导航'] a").count() >= 7
    assert_accessible(page)
    screenshot(page, "portal-home")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"


def test_it_logs_in_with_the_keyboard_and_shows_the_console(page, clerk) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    assert_accessible(page)
    screenshot(page, "login")
    page.locator("#id_username").focus()
    page.keyboard.type("lisi")
    page.keyboard.press("Tab")
    page.keyboard.type("Test@Passw0rd")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")
    assert "通化市民政局" in page.content()
    assert_accessible(page)
    screenshot(page, "console-home")


def test_it_switches_to_the_elder_mode_and_keeps_it(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    page.get_by_role("button", name="适老模式").click()
    page.wait_for_load_state()
    assert "elder" in page.locator("body").get_attribute("class")
    page.goto(page.base_url + "/")
    assert "elder" in page.locator("body").get_attribute("class")
    font = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert font == "21px"
    assert_accessible(page)
    screenshot(page, "portal-home-elder")
