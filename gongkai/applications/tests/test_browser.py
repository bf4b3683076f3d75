"""The whole path in a real browser: apply online → receipt → staff confirm → correction
requested → the applicant corrects → reply 部分公开 → the applicant downloads the notice
PDF with the query code. Every notice PDF is rendered to PNG under test-artifacts/notices/."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest
from django.utils import timezone

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import ID_NUMBER
from gongkai.lib.testing import (
    ARTIFACTS,
    assert_accessible,
    clock_at,
    require_system,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test@Passw0rd"
OUT = os.path.join(ARTIFACTS, "notices")


@pytest.fixture
def org(db):  # type: ignore[no-untyped-def]
    from gongkai.applications.notices import ensure_default_templates
    from gongkai.workdays import calendar
    from gongkai.workdays.seed import ensure_seeded

    ensure_seeded()  # transactional tests start from a flushed database
    calendar.invalidate()
    ensure_default_templates()
    region = Region.objects.create(code="220500", name="通化市", level="city")
    agency = Agency.objects.create(
        code="th-mzj",
        name="通化市民政局",
        region=region,
        level="city",
        org_code=demo_org_code("th-mzj"),
        uscc=demo_uscc("th-mzj", "220500"),
        office_address="通化市东昌区新华大街100号",
        office_phone="0435-3200000",
    )
    for username, name, role in (("lisi", "李四", Role.CLERK), ("zhengyi", "郑一", Role.HANDLER)):
        user = User.objects.create_user(username=username, password=PASSWORD, display_name=name)
        Membership.objects.create(user=user, agency=agency, role=role)
    yield agency
    while CONTEXTS:  # close every extra browser before the live server stops
        CONTEXTS.pop().close()
    calendar.invalidate()


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url("**/console/")


CONTEXTS: list = []


def new_page(browser, base_url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    CONTEXTS.append(context)
    pg = context.new_page()
    pg.base_url = base_url
    return pg


def save_pdf_png(download, name: str) -> str:  # type: ignore[no-untyped-def]
    require_system(
        "pdftoppm", shutil.which("pdftoppm") is not None, "apt-get install poppler-utils"
    )
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"browser-{name}.pdf")
    download.save_as(path)
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, path[:-4]],
        check=True,
    )
    return path[:-4] + ".png"


def test_the_whole_path_from_application_to_notice(page, chromium_browser, org) -> None:  # type: ignore[no-untyped-def]
    # A fixed day: the reply's 20 working days must stay inside the calendar's last year.
    with clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone())):
        _whole_path(page, chromium_browser, org)


def _whole_path(page, chromium_browser, org) -> None:  # type: ignore[no-untyped-def]
    base = page.base_url
    # 1. the applicant applies online
    page.goto(base + "/ysqgk/")
    assert_accessible(page)
    screenshot(page, "applications-portal-index")
    page.goto(base + "/ysqgk/apply/?agency=th-mzj")
    page.select_option("#id_applicant_type", "natural")
    page.fill("#id_applicant_name", "张三")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", "13812345678")
    page.fill("#id_email", "zhangsan@example.com")
    page.fill("#id_address", "通化市东昌区新华大街1号")
    from django.utils import timezone

    from gongkai.search.api import SearchDoc, index_documents

    index_documents(
        [
            SearchDoc(
                key="catalog:9001",
                kind="catalog",
                agency_id=org.pk,
                title="2025年度城乡低保资金发放情况",
                body_text="全市城乡低保资金发放明细",
                published_at=timezone.now(),
                url="/xxgk/9001/",
            )
        ]
    )
    page.locator("#id_description").press_sequentially("低保资金发放")
    page.wait_for_selector("#suggestions .ysq-suggest-box")
    assert "2025年度城乡" in page.inner_text("#suggestions")
    page.fill("#id_description", "关于低保的文件")
    page.select_option("#id_delivery", "email")
    from gongkai.lib import captcha

    page.fill("#id_captcha", captcha.solve(page.input_value("input[name=captcha_token]")))
    assert_accessible(page)
    screenshot(page, "applications-portal-form")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/ysqgk/apply/submitted/")
    number = page.inner_text("#app-number").strip()
    code = page.inner_text("#query-code").strip()
    assert number == "TH-MZJ-2026-00001" or number.startswith("TH-MZJ-")
    assert len(code) == 10
    assert_accessible(page)
    screenshot(page, "applications-portal-submitted")
    app = Application.objects.get(number=number)

    # 2. the clerk confirms (Art 31: the day both sides confirm) and assigns
    staff = new_page(chromium_browser, base)
    login(staff, "lisi")
    staff.goto(base + "/console/applications/")
    staff.click(f"text={number}")
    staff.click("text=确认收到并出具登记回执")
    staff.wait_for_selector(".msg-success")
    staff.select_option("#id_assign-handler", label="郑一")
    staff.click("button:has-text('分办')")
    staff.wait_for_selector(".msg-success")
    app.refresh_from_db()
    assert (app.status, getattr(app.handler, "username", None)) == ("processing", "zhengyi")

    # 3. the handler asks for a correction
    handler = new_page(chromium_browser, base)
    login(handler, "zhengyi")
    handler.goto(base + f"/console/applications/{app.pk}/")
    handler.click("summary:has-text('要求补正')")
    handler.fill("#id_corr-items", "请写明所需文件的名称、年度或者文号。")
    handler.click("button:has-text('发出补正告知书')")
    handler.wait_for_selector(".msg-success")
    assert_accessible(handler)
    screenshot(handler, "applications-console-detail-correction")

    # 4. the applicant corrects online (with number + query code, in a fresh browser)
    applicant = new_page(chromium_browser, base)
    applicant.goto(base + "/ysqgk/track/")
    applicant.fill("#id_number", number)
    applicant.fill("#id_code", code)
    applicant.click("button[type=submit].primary")
    applicant.wait_for_url(f"**/ysqgk/track/{number}/")
    assert "待补正" in applicant.inner_text("#app-status")
    applicant.fill("#id_text", "2025年度城乡低保资金发放明细（通民发〔2025〕12号）")
    applicant.click("button:has-text('提交补正')")
    applicant.wait_for_selector(".msg-success")
    app.refresh_from_db()
    assert app.status == "processing" and app.correction_received_on is not None

    # 5. the handler replies 部分公开
    handler.goto(base + f"/console/applications/{app.pk}/")
    handler.select_option("#id_reply-outcome", "partial")
    handler.select_option("#id_reply-withheld_ground", "withhold_third_party")
    handler.fill(
        "#id_reply-reply_text", "发放汇总表予以公开；其中个人身份信息属于个人隐私，不予公开。"
    )
    handler.click("button:has-text('作出答复并制发告知书')")
    handler.wait_for_selector(".msg-success")
    screenshot(handler, "applications-console-detail-replied")
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("replied", "partial")

    # 6. the applicant downloads every notice with the query code; each PDF → PNG
    fresh = new_page(chromium_browser, base)
    fresh.goto(base + "/ysqgk/track/")
    fresh.fill("#id_number", number)
    fresh.fill("#id_code", code)
    fresh.click("button[type=submit].primary")
    fresh.wait_for_url(f"**/ysqgk/track/{number}/")
    assert_accessible(fresh)
    screenshot(fresh, "applications-portal-status")
    kinds = [
        el.get_attribute("data-kind") for el in fresh.query_selector_all("#notices a[data-kind]")
    ]
    assert kinds == ["receipt", "correction", "partial"]
    for kind in kinds:
        with fresh.expect_download() as info:
            fresh.click(f"#notices a[data-kind='{kind}']")
        png = save_pdf_png(info.value, kind)
        assert os.path.getsize(png) > 5000


def test_art35_reasons_and_withdrawal_in_the_browser(page, chromium_browser, org) -> None:  # type: ignore[no-untyped-def]
    """Art 35: the handler asks for reasons, the applicant explains them on the tracking
    page and downloads the 要求说明理由通知书, then withdraws the application."""
    from django.utils import timezone

    from gongkai.accounts.models import User
    from gongkai.applications import services
    from gongkai.applications.tests.factories import person

    base = page.base_url
    today = timezone.localdate()
    lisi, zhengyi = User.objects.get(username="lisi"), User.objects.get(username="zhengyi")
    app, code = services.application_register(
        agency=org, by=lisi, channel="in_person", data=person(), today=today
    )
    services.application_assign(application=app, by=lisi, handler=zhengyi, today=today)

    handler = new_page(chromium_browser, base)
    login(handler, "zhengyi")
    handler.goto(base + f"/console/applications/{app.pk}/")
    handler.click("summary:has-text('要求说明理由')")
    handler.fill("#id_reasons-items", "您本月已提交40件申请，请说明申请的用途和频次理由。")
    handler.click("button:has-text('发出要求说明理由通知书')")
    handler.wait_for_selector(".msg-success")
    assert_accessible(handler)
    screenshot(handler, "applications-console-detail-reasons")

    applicant = new_page(chromium_browser, base)
    applicant.goto(base + "/ysqgk/track/")
    applicant.fill("#id_number", app.number)
    applicant.fill("#id_code", code)
    applicant.click("button[type=submit].primary")
    applicant.wait_for_url(f"**/ysqgk/track/{app.number}/")
    assert "说明理由" in applicant.inner_text("#reasons-h")
    applicant.fill("#id_text", "开展低保政策课题研究，需要逐月比对数据。")
    applicant.click("button:has-text('提交理由')")
    applicant.wait_for_selector(".msg-success")
    app.refresh_from_db()
    assert app.reasons_received_on == today
    with applicant.expect_download() as info:
        applicant.click("#notices a[data-kind='reasons']")
    png = save_pdf_png(info.value, "reasons")
    assert os.path.getsize(png) > 5000

    applicant.click("summary:has-text('撤回申请')")
    applicant.fill("#id_reason", "已通过其他途径取得所需信息。")
    applicant.check("#id_confirm")
    assert_accessible(applicant)
    screenshot(applicant, "applications-portal-withdraw")
    applicant.click("button:has-text('撤回申请')")
    applicant.wait_for_selector(".msg-success")
    assert "已办结" in applicant.inner_text("#app-status")
    app.refresh_from_db()
    assert (app.status, app.outcome) == ("closed", "other")
