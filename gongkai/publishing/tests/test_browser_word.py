"""The issue's done-when in a real browser: a clerk uploads a real .docx (heading, table,
right-aligned 落款, image) on the item form, edits it in the editor, pastes from Word, and
after review the published page shows the same structure, the image as an attachment."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.accounts.models import Role
from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem, ReviewStage, Revision, Topic
from gongkai.publishing.tests.test_browser import login
from gongkai.publishing.tests.word_samples import SIGN_DATE, SIGNER, sample_docx
from gongkai.publishing.topics import topics_load
from gongkai.test import make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _align(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.eval_on_selector(selector, "el => getComputedStyle(el).textAlign")


def test_it_publishes_an_uploaded_word_document_as_it_was_drafted(page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gongkai.agencies.models import Region
    from gongkai.lib.testing import screenshot

    topics_load(Topic, ReviewStage)
    city = Region.objects.create(code="220500", name="通化市", level="city")
    mzj = make_agency("th-mzj", "通化市民政局", city)
    lisi = make_user("lisi", "李四", (mzj, Role.CLERK))
    reviewers = [
        make_user("wangwu", "王五", (mzj, Role.PROOFREADER)),
        make_user("qianqi", "钱七", (mzj, Role.PROOFREADER)),
        make_user("sunba", "孙八", (mzj, Role.APPROVER)),
    ]
    rev = services.item_create(
        agency=mzj,
        by=lisi,
        fields={"title": "通化市2026年农机购置补贴实施方案", "formed_on": dt.date.today()},
    )
    docx_path = tmp_path / "农机购置补贴实施方案.docx"
    docx_path.write_bytes(sample_docx())

    # 1. upload the .docx on the item form
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/revisions/{rev.pk}/edit/")
    page.set_input_files("#word-file", str(docx_path))
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_load_state()
    assert "已从“农机购置补贴实施方案.docx”导入正文，1张图片已作为附件上传" in page.content()
    editor = ".jodit-wysiwyg"  # the body editor (Jodit, static/js/body-editor.js)
    page.wait_for_selector(editor)
    assert page.inner_text(f"{editor} h2").replace("\ufeff", "") == "一、补贴对象和补贴标准"
    assert page.locator(f"{editor} table tr").count() == 2
    assert page.locator(f"{editor} ol li").count() == 2
    assert _align(page, f"{editor} p.align-right >> nth=0") == "right"
    screenshot(page, "word-import-editor")

    # 2. a small edit in the editor: a new paragraph typed at the end of the first paragraph,
    #    then a paste from Word (its clipboard HTML) that keeps a right alignment
    page.click(f"{editor} p >> nth=0")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("补贴资金实行定额补贴。")
    page.evaluate(
        """() => {
        const data = new DataTransfer();
        data.setData('text/html', "<p class=MsoNormal style='text-align:right'>（联系电话：0435-3922150）<o:p></o:p></p><script>alert(1)</script>");
        data.setData('text/plain', '（联系电话：0435-3922150）');
        document.querySelector('.jodit-wysiwyg').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }"""
    )
    page.wait_for_function(
        "() => document.querySelector('.jodit-wysiwyg').innerText.includes('0435-3922150')"
    )
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    body = Revision.objects.get(pk=rev.pk).body
    assert "<p>补贴资金实行定额补贴。</p>" in body
    assert '<p class="align-right">（联系电话：0435-3922150）</p>' in body
    assert "script" not in body

    # 3. review and publish (services; the review UI has its own browser test)
    services.revision_submit(revision=rev, by=lisi)
    for who in reviewers:
        services.review_record(revision=rev, by=who, decision="approve", comment="同意")
    item = services.item_publish(revision=Revision.objects.get(pk=rev.pk), by=lisi)
    assert item.status == CatalogItem.Status.PUBLISHED

    # 4. the published page matches the document
    page.goto(f"{page.base_url}/xxgk/{item.pk}/")
    doc = ".doc-body"
    assert page.inner_text(f"{doc} h2") == "一、补贴对象和补贴标准"
    cells = page.locator(f"{doc} table td").all_inner_texts()
    assert [c.strip() for c in cells] == ["机具类别", "单机补贴上限", "收获机械", "12万元"]
    assert page.locator(f"{doc} ol li").all_inner_texts() == ["耕整地机械", "收获机械"]
    signer = page.locator(f"{doc} p", has_text=SIGNER)
    assert signer.evaluate("el => getComputedStyle(el).textAlign") == "right"
    date = page.locator(f"{doc} p", has_text=SIGN_DATE)
    assert date.evaluate("el => getComputedStyle(el).textAlign") == "right"
    # right-aligned means drawn at the right edge of the body, not only styled so
    body_box = page.locator(doc).bounding_box()
    range_right = date.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect().right; }"
    )
    assert body_box is not None and body_box["x"] + body_box["width"] - range_right < 30
    link = page.get_by_role("link", name="农机购置补贴实施方案-图1.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "农机购置补贴实施方案-图1.png"
    # 【字体：大 中 小】: the body's size changes and the choice is remembered
    before = page.eval_on_selector(doc, "el => parseFloat(getComputedStyle(el).fontSize)")
    page.get_by_role("button", name="大", exact=True).click()
    after = page.eval_on_selector(doc, "el => parseFloat(getComputedStyle(el).fontSize)")
    assert after > before
    page.reload()
    assert "font-large" in (page.get_attribute(doc, "class") or "")
    assert page.get_attribute("button[data-size='font-large']", "aria-pressed") == "true"
    page.get_by_role("button", name="中", exact=True).click()
    screenshot(page, "word-import-published")
    # the visit buffer lives in the cache, outside this test's database: write it out here so
    # these page views are not counted against an item of a later test with the same id
    from gongkai.search import visits

    visits.flush_visits()
