"""Browser tests (headless Debian chromium): the public journey, search, 适老化, axe checks.

Screenshots at desktop and phone width go to test-artifacts/screenshots/portal-*.png.
"""

from __future__ import annotations

import tempfile

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings

from gongkai.agencies.models import Region
from gongkai.lib.testing import assert_accessible, screenshot
from gongkai.publishing.models import Attachment
from gongkai.search.tests.factories import make_item
from gongkai.test import make_agency

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEDIA = tempfile.mkdtemp(prefix="gk-portal-browser-")


@pytest.fixture
def catalog():  # type: ignore[no-untyped-def]
    from gongkai.publishing.services import search_doc_for
    from gongkai.search.api import index_documents

    cache.clear()
    region = Region.objects.create(code="220500", name="通化市", level="city")
    mzj = make_agency("th-mzj", "通化市民政局", region)
    czj = make_agency("th-czj", "通化市财政局", region)
    items = [
        make_item(
            mzj,
            title="关于做好2024年农机购置补贴工作的通知",
            doc_number="通政发〔2024〕12号",
            keywords="农机 补贴",
            body="<p>各县（市、区）农业农村局：</p><p>为落实农机购置补贴政策，现将有关事项通知如下。</p>",
        ),
        make_item(
            czj, title="通化市财政局2024年部门预算公开", body="<p>部门预算及补贴资金安排。</p>"
        ),
        make_item(
            mzj, title="民政局开展最低生活保障专项检查", column="news", body="<p>走访低保家庭。</p>"
        ),
        make_item(czj, title="关于征求意见的公告", column="notice", body="<p>公开征求意见。</p>"),
    ]
    with override_settings(MEDIA_ROOT=MEDIA):
        att = Attachment(
            item=items[0],
            original_name="补贴申请表.pdf",
            size=8,
            sha256="0" * 64,
            content_type="application/pdf",
        )
        att.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    index_documents([search_doc_for(i) for i in items])
    return items


@override_settings(MEDIA_ROOT=MEDIA)
def test_it_walks_home_column_item_and_downloads(page, catalog) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    assert_accessible(page)
    screenshot(page, "portal-home")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="主动公开").click()
    page.wait_for_url("**/xxgk/")
    assert page.get_by_role("link", name="关于做好2024年农机购置补贴工作的通知").is_visible()
    assert_accessible(page)
    screenshot(page, "portal-catalog")
    page.select_option("#f-agency", "th-czj")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/xxgk/?agency=th-czj*")
    assert page.get_by_role("link", name="关于做好2024年农机购置补贴工作的通知").count() == 0
    page.goto(page.base_url + "/xxgk/")
    page.get_by_role("link", name="关于做好2024年农机购置补贴工作的通知").click()
    page.wait_for_url("**/xxgk/*/")
    assert page.get_by_text("通政发〔2024〕12号").first.is_visible()
    assert page.get_by_text("访问次数").is_visible()
    assert_accessible(page)
    screenshot(page, "portal-item")
    with page.expect_download() as info:
        page.get_by_role("link", name="补贴申请表.pdf").click()
    assert info.value.suggested_filename == "补贴申请表.pdf"
    page.get_by_role("link", name="打印本页").click()
    page.wait_for_url("**/print/")
    screenshot(page, "portal-item-print")


def test_it_searches_with_filters(page, catalog) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    page.fill("#home-q", "补贴")
    page.get_by_role("button", name="检索").last.click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".hit").count() == 2, page.locator(".hit h3").all_inner_texts()
    assert page.locator(".hit mark").first.inner_text() == "补贴"
    assert_accessible(page)
    screenshot(page, "portal-search")
    page.get_by_text("筛选与排序").first.click()  # the filters fold away until used
    page.select_option("#s-agency", "th-mzj")
    page.select_option("#s-sort", "date")
    page.locator(".search-form button[type=submit]").first.click()
    page.wait_for_url("**agency=th-mzj*")
    assert page.locator(".hit").count() == 1
    page.fill("#s-q", "航天飞机")
    page.locator(".search-form button[type=submit]").first.click()
    page.wait_for_url("**q=%E8%88%AA*")
    assert page.get_by_text("没有找到符合条件的信息").is_visible()
    assert_accessible(page)
    screenshot(page, "portal-search-empty")


def test_it_toggles_and_keeps_elder_mode(page, catalog) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/xxgk/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="适老模式").click()
    page.wait_for_load_state()
    assert "elder" in (page.locator("body").get_attribute("class") or "")
    page.goto(page.base_url + "/")  # persists across pages
    assert "elder" in (page.locator("body").get_attribute("class") or "")
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > normal
    assert_accessible(page)
    screenshot(page, "portal-home-elder")
    page.get_by_role("button", name="退出适老模式").click()
    page.wait_for_load_state()
    assert "elder" not in (page.locator("body").get_attribute("class") or "")


def test_it_can_be_used_with_the_keyboard(page, catalog) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
