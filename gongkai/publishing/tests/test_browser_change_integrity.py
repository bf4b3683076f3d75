"""In a real browser: the requester amends a change request after two approvals, and the
分管领导 finds it back on their desk with the diff of what changed since the approvals."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gongkai.lib.testing import assert_accessible, screenshot
from gongkai.publishing import services
from gongkai.publishing.models import ChangeRequest
from gongkai.publishing.tests.factories import published
from gongkai.publishing.tests.test_browser import login, people  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_amended_change_request_returns_to_the_approver_with_the_diff(page, people) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    case = SimpleNamespace(agency_a=people["agency"], **people)
    item = published(case)
    cr = services.change_request_create(
        item=item, by=case.lisi, kind="change", reason="文号录入错误，申请更正",
        fields={"doc_number": "通民发〔2026〕13号"},
    )  # fmt: skip
    for who in (case.sunba, case.chenzd):
        services.change_request_step(request=cr, by=who, accept=True, comment="同意")
    # the requester amends the 申请书 in the browser
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/changes/{cr.pk}/")
    page.get_by_role("link", name="修改申请书").click()
    page.fill("#id_doc_number", "通民发〔2026〕14号")
    page.get_by_role("button", name="提交修改后的申请书").click()
    page.wait_for_load_state()
    assert "退回分管领导审批" in page.content()
    cr.refresh_from_db()
    assert cr.status == ChangeRequest.Status.SUBMITTED
    # the 分管领导 sees what changed since 指导科审核 and the diff against the published item
    login(page, "sunba")
    page.goto(f"{page.base_url}/console/catalog/changes/{cr.pk}/")
    text = page.locator("#change-diff").inner_text()
    assert "+ 通民发〔2026〕14号" in text and "- 通民发〔2026〕13号" in text
    assert "- 通民发〔2026〕12号" in text  # the published 文号
    assert_accessible(page)
    screenshot(page, "publishing-change-amended-diff")
