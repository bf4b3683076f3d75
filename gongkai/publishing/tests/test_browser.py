"""The issue's "done when" in a real browser: frame entry → 一校 → 二校 → 终审 → publication by
a clerk, two proofreaders and an approver; the scanner stops a planted ID number; a change
and a deletion each run their five steps; every step is in the audit log."""

from __future__ import annotations

import pytest

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEntry
from gongkai.lib.codes import id_check_char
from gongkai.lib.testing import assert_accessible, screenshot
from gongkai.publishing.models import CatalogItem, ChangeRequest, ReviewStage, Topic
from gongkai.publishing.topics import topics_load
from gongkai.test import PASSWORD, make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    from gongkai.agencies.models import Region

    topics_load(Topic, ReviewStage)
    city = Region.objects.create(code="220500", name="通化市", level="city")
    mzj = make_agency("th-mzj", "通化市民政局", city)
    gkb = make_agency("th-gkb", "通化市人民政府政务公开协调办公室", city, kind="office")
    return {
        "lisi": make_user("lisi", "李四", (mzj, Role.CLERK)),
        "wangwu": make_user("wangwu", "王五", (mzj, Role.PROOFREADER)),
        "qianqi": make_user("qianqi", "钱七", (mzj, Role.PROOFREADER)),
        "sunba": make_user("sunba", "孙八", (mzj, Role.APPROVER)),
        "zhoujiu": make_user("zhoujiu", "周九", (mzj, Role.DEPT_HEAD)),
        "chenzd": make_user("chenzd", "陈指导", (gkb, Role.GUIDANCE)),
        "chuwg": make_user("chuwg", "褚网管", (gkb, Role.NETWORK)),
        "agency": mzj,
    }


def login(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/")


def run_steps(page, cr_id: int) -> None:  # type: ignore[no-untyped-def]
    for who in ("sunba", "chenzd", "chuwg", "zhoujiu"):
        login(page, who)
        page.goto(f"{page.base_url}/console/catalog/changes/{cr_id}/")
        page.fill("#id_comment", "同意")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        assert "已办理" in page.content(), who


def rereview(page, item, who: str, *, diff: str) -> None:  # type: ignore[no-untyped-def]
    """详细信息录入 after 终审 sends the item back to 终审: ``who`` reads the diff and approves,
    then the clerk comes back to the item page."""
    login(page, who)
    page.goto(f"{page.base_url}/console/catalog/items/{item.pk}/")
    assert diff in page.locator("#review-diff").inner_text()
    screenshot(page, "publishing-review-diff")
    page.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_load_state()
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/items/{item.pk}/")


def test_it_takes_an_item_from_frame_entry_to_publication_and_through_change_and_deletion(
    page, people
) -> None:  # type: ignore[no-untyped-def]
    # 1. 框架录入 by the clerk
    login(page, "lisi")
    page.goto(page.base_url + "/console/catalog/new/")
    page.fill("#id_title", "通化市民政局关于2026年冬季困难群众救助的通知")
    page.fill("#id_formed_on", "2026-11-02")
    page.select_option("#id_topic", label="民政、扶贫、救灾\\社会福利")
    page.fill("#id_summary", "部署冬季困难群众救助工作。")
    screenshot(page, "publishing-frame-entry")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    assert "等待“一校”" in page.content()
    item = CatalogItem.objects.get()
    # 2. 一校, 二校 by two proofreaders, 终审 by the approver
    for who in ("wangwu", "qianqi", "sunba"):
        login(page, who)
        page.goto(page.base_url + "/console/catalog/queue/")
        page.get_by_role("link", name=item.title).click()
        page.fill("#id_comment", f"{who}同意")
        page.get_by_role("button", name="通过", exact=True).click()
        page.wait_for_load_state()
    assert_accessible(page)
    # 3. 详细信息录入 with a planted ID number: the scanner stops publication
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/items/{item.pk}/")
    page.get_by_role("link", name="录入正文等详细信息").click()
    body17 = "22050219800101123"
    page.click(".jodit-toolbar-button_source button")  # the body editor's HTML source view
    page.fill(
        ".jodit-source__mirror",
        f"<p>救助对象王某，身份证号{body17}{id_check_char(body17)}，已纳入救助。</p>",
    )
    page.get_by_role("button", name="保存").click()
    rereview(page, item, "sunba", diff="身份证号")
    page.get_by_role("button", name="保密审查并发布").click()
    page.wait_for_load_state()
    assert "身份证号" in page.content()
    assert page.locator("table.findings tbody tr").count() == 1
    assert body17 not in page.locator("table.findings").inner_text()
    screenshot(page, "publishing-scan-blocked")
    item.refresh_from_db()
    assert item.status == "draft"
    # 4. fixed and published
    page.get_by_role("link", name="录入正文等详细信息").click()
    page.click(".jodit-toolbar-button_source button")
    page.fill(".jodit-source__mirror", "<p>救助对象已纳入救助，名单在社区公示。</p>")
    page.get_by_role("button", name="保存").click()
    rereview(page, item, "sunba", diff="名单在社区公示")
    page.get_by_role("button", name="保密审查并发布").click()
    page.wait_for_load_state()
    item.refresh_from_db()
    assert item.status == "published"
    assert item.index_number in page.content()
    assert_accessible(page)
    screenshot(page, "publishing-item-published")
    # 5. a change request runs its five steps
    page.get_by_role("link", name="申请变更").click()
    page.fill("#id_reason", "名称中的年份有误，申请更正")
    page.fill("#id_title", "通化市民政局关于2026年冬春季困难群众救助的通知")
    page.get_by_role("button", name="提交申请书").click()
    cr = ChangeRequest.objects.get(kind="change")
    run_steps(page, cr.pk)
    assert_accessible(page)
    screenshot(page, "publishing-change-done")
    item.refresh_from_db()
    assert item.title == "通化市民政局关于2026年冬春季困难群众救助的通知"
    # 6. a deletion request runs its five steps
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/items/{item.pk}/")
    page.get_by_role("link", name="申请删除").click()
    page.fill("#id_reason", "救助工作已结束，信息撤回")
    page.get_by_role("button", name="提交申请书").click()
    cr_del = ChangeRequest.objects.get(kind="delete")
    run_steps(page, cr_del.pk)
    item.refresh_from_db()
    assert item.status == "withdrawn"
    # 7. every step is in the audit log
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    expected = {
        "publishing.item.created", "publishing.revision.submitted", "publishing.review.approve",
        "publishing.revision.updated", "publishing.item.published", "publishing.item.changed", "publishing.item.withdrawn",
    } | {f"publishing.change.{k}.{s}" for k in ("change", "delete") for s in ("submitted", "approve", "review", "execute", "verify")}  # fmt: skip
    assert expected <= actions, expected - actions
    # 一校, 二校, 终审, and 终审 twice more after each 详细信息录入
    assert AuditEntry.objects.filter(action="publishing.review.approve").count() == 5
    assert AuditEntry.objects.filter(action="publishing.revision.reopened").count() == 2


def test_console_lists_are_accessible(page, people) -> None:  # type: ignore[no-untyped-def]
    login(page, "lisi")
    for path, name in (
        ("", "list"),
        ("queue/", "queue"),
        ("guides/", "guides"),
        ("import/", "import"),
        ("changes/", "changes"),
    ):
        page.goto(f"{page.base_url}/console/catalog/{path}")
        assert_accessible(page)
        screenshot(page, f"publishing-{name}")
