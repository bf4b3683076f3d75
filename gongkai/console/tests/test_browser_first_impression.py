"""What a newcomer sees after ``make run`` (the quick demo), in a real browser: the portal
home, an item page whose attachments download, the Chinese error pages of portal and
console, and console tables that stay usable at phone width (390 px). Screenshots go to
test-artifacts/screenshots/first-impression-*.png."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.lib.testing import SCREENSHOT_DIR, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("load_demo", "--quiet", stdout=StringIO())


def _login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    from gongkai.accounts.demo import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")


def _phone_shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}-phone.png"), full_page=True)


def _check_table_at_phone_width(page, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + url)
    assert page.locator(".console-main table tbody tr").count() > 0, url
    # the page itself does not scroll sideways: only the table scrolls, inside its own box
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{url}: the page is {overflow}px wider than the phone"
    table = page.locator(".console-main table").first
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    # column headings keep their words on one line (not one character per line)
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('.console-main th')).lineHeight)"
        " || 1.6 * parseFloat(getComputedStyle(document.querySelector('.console-main th')).fontSize)"
    )
    heights = page.eval_on_selector_all(
        ".console-main table thead th", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and max(heights) < 2.6 * line, f"{url}: headings wrap ({heights}, line {line})"
    # a linked title is readable: at least ten characters wide, not squeezed to a sliver
    link_width = page.eval_on_selector(
        ".console-main table tbody td a", "el => el.getBoundingClientRect().width"
    )
    font = page.eval_on_selector(
        ".console-main table tbody td a", "el => parseFloat(getComputedStyle(el).fontSize)"
    )
    assert link_width >= 10 * font, f"{url}: title column {link_width}px"
    # and the rest of the table can be reached by scrolling it
    scrollable = page.evaluate(
        "() => { const t = document.querySelector('.console-main table');"
        " return t.scrollWidth <= t.clientWidth + 1 || getComputedStyle(t).overflowX === 'auto'"
        " || getComputedStyle(t.parentElement).overflowX === 'auto'; }"
    )
    assert scrollable, url
    _phone_shot(page, f"first-impression-{name}")


def _phone_tables(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    _login(page, "lisi")
    _check_table_at_phone_width(page, "/console/catalog/", "console-catalog")
    _login(page, "zhengyi")
    _check_table_at_phone_width(page, "/console/applications/", "console-applications")
    _login(page, "auditor")
    _check_table_at_phone_width(page, "/console/audit/", "console-audit")
    page.set_viewport_size({"width": 1280, "height": 900})


def _portal(page) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publishing.models import Attachment, CatalogItem

    page.goto(page.base_url + "/")
    assert page.locator(".home-block li").count() >= 6
    screenshot(page, "first-impression-home")

    item = (
        CatalogItem.objects.public()
        .filter(attachments__original_name__endswith=".pdf", attachments__removed_at=None)
        .first()
    )
    assert item is not None, "no demo item with a PDF attachment"
    page.goto(f"{page.base_url}/xxgk/{item.pk}/")
    assert page.inner_text("h1").strip() == item.title
    assert page.get_by_role("button", name="大", exact=True).is_visible()  # 【字体：大 中 小】
    screenshot(page, "first-impression-item")
    names = list(
        Attachment.objects.filter(item=item, removed_at=None).values_list("original_name", "size")
    )
    assert names
    for name, size in names:
        with page.expect_download() as download:
            page.get_by_role("link", name=name).first.click()
        assert download.value.suggested_filename == name
        path = download.value.path()
        assert path is not None and os.path.getsize(path) == size, name
    from gongkai.search import visits

    visits.flush_visits()


def _errors(page) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(page.base_url + "/xxgk/999999999/")
    assert response is not None and response.status == 404
    assert "页面不存在" in page.content()
    assert page.locator(".site-footer").count() == 1  # the portal frame
    screenshot(page, "first-impression-portal-404")

    _login(page, "lisi")
    response = page.goto(page.base_url + "/console/catalog/items/999999999/")
    assert response is not None and response.status == 404
    # the console frame, not the portal's
    assert page.locator(".console-header").count() == 1
    assert page.locator(".site-footer").count() == 0
    assert "返回工作台首页" in page.content()
    screenshot(page, "first-impression-console-404")
    response = page.goto(page.base_url + "/console/audit/")
    assert response is not None and response.status == 403
    assert page.locator(".console-header").count() == 1
    assert "无权访问" in page.content()
    screenshot(page, "first-impression-console-403")


def test_it_shows_a_newcomer_a_portal_and_console_that_hold(page, demo) -> None:  # type: ignore[no-untyped-def]
    """One demo load (it takes a while) for the three checks: a populated portal whose
    attachments download, Chinese error pages in each side's frame, and console tables that
    stay usable at phone width."""
    _portal(page)
    _errors(page)
    _phone_tables(page)
