"""The body editor (Jodit, vendored, issue 17) in a real browser: the clerk adds a heading, a
table and a right-aligned 落款 with the editor's own toolbar, pastes Word's clipboard HTML
(mso- styles, ``<o:p>``, a heading, a table, a right-aligned date), saves; the stored body,
the console preview and the published page keep the structure without Word's junk. The
page loads nothing from elsewhere and breaks no rule of the CSP; a pasted ID number is
caught by the confidentiality scan on the saved result."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gongkai.accounts.models import Role
from gongkai.lib.codes import id_check_char
from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem, ReviewStage, Revision, Topic
from gongkai.publishing.tests.test_browser import login
from gongkai.publishing.topics import topics_load
from gongkai.test import make_agency, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = ".jodit-wysiwyg"

# What Word 2016 puts on the clipboard (shortened): namespaces, a style block, conditional
# comments, MsoNormal paragraphs with mso- styles and <o:p>, a 标题 2 heading, a bordered
# table and a right-aligned date.
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<style>p.MsoNormal{mso-style-parent:"";margin:0cm;font-family:等线;}</style></head>
<body lang=ZH-CN style='tab-interval:21.0pt;word-wrap:break-word'><!--StartFragment-->
<h2 style='mso-outline-level:2'><span style='font-family:黑体;mso-ascii-font-family:黑体'>二、申请程序<span lang=EN-US><o:p></o:p></span></span></h2>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:"Times New Roman"'>购机者向乡镇农机站提出申请。<span lang=EN-US><o:p></o:p></span></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184'>
<tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'><td width=277 valign=top style='width:207.4pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal><span style='font-family:仿宋_GB2312'>环节<span lang=EN-US><o:p></o:p></span></span></p></td>
<td width=277 valign=top style='width:207.4pt;border:solid windowtext 1.0pt;border-left:none;mso-border-left-alt:solid windowtext .5pt'><p class=MsoNormal align=center style='text-align:center'><span style='font-family:仿宋_GB2312'>时限<span lang=EN-US><o:p></o:p></span></span></p></td></tr>
<tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'><td style='border:solid windowtext 1.0pt;border-top:none'><p class=MsoNormal>受理<o:p></o:p></p></td><td style='border-top:none'><p class=MsoNormal align=center style='text-align:center'>5个工作日<o:p></o:p></p></td></tr>
</table>
<p class=MsoNormal align=right style='text-align:right'><span lang=EN-US style='font-size:16.0pt;mso-bidi-font-family:"Times New Roman"'>2026年11月2日<o:p></o:p></span></p>
<!--EndFragment--></body></html>"""


def _paste(page, html: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """A clipboard paste event as the browser fires it for Ctrl+V (Playwright cannot write
    the system clipboard of a headless browser)."""
    page.evaluate(
        """([html, text]) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', text);
        document.querySelector('.jodit-wysiwyg').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""",
        [html, text],
    )


def _caret_at_end_of(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.click(selector)
    page.keyboard.press("End")


def _text(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    """Text as read, without the editor's invisible caret markers (U+FEFF)."""
    return page.inner_text(selector).replace("\ufeff", "")


def _align(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.eval_on_selector(selector, "el => getComputedStyle(el).textAlign")


def _setup():  # type: ignore[no-untyped-def]
    from gongkai.agencies.models import Region

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
        fields={"title": "通化市2026年农机购置补贴实施方案", "formed_on": dt.date(2026, 11, 2)},
    )
    return lisi, reviewers, rev


# What the CSP refuses of Jodit's own chrome (never of the body), 'report-sample' giving the
# first 40 characters: the toolbar's focus helper (the stylesheet hides it instead), a
# transient Firefox redraw hack in a clicked table cell, and the <style> element that
# outlines a multi-cell selection (under this CSP a selection of several cells is not
# outlined; merging and the table menu still work). Everything else is a failure.
JODIT_CHROME_STYLES = (
    ("style-src-attr", "width: 0; height:0; position: absolute; "),
    ("style-src-attr", "color:rgba(0,0,0,0.01);width:0;height:0"),
    ("style-src-elem", ""),  # the selection <style> appended while still empty
)
JODIT_SELECTION_STYLE = "main#main > "  # its cssPath() rules, once a cell is selected

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    {directive: e.violatedDirective, sample: e.sample, blocked: e.blockedURI}));
"""


@pytest.fixture(autouse=True)
def _csp_samples(settings):  # type: ignore[no-untyped-def]
    """The site's CSP with 'report-sample': a violation then says what was refused."""
    policy = settings.CONTENT_SECURITY_POLICY
    assert "style-src 'self';" in policy and "script-src 'self';" in policy
    settings.CONTENT_SECURITY_POLICY = policy.replace(
        "style-src 'self';", "style-src 'self' 'report-sample';"
    ).replace("script-src 'self';", "script-src 'self' 'report-sample';")


def _watch(page) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Console errors (other than the CSP's own reports, checked by ``_check_csp``) and
    every request that left the live server."""
    errors: list[str] = []
    foreign: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Content Security Policy" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((page.base_url, "data:", "blob:"))
            else None
        ),
    )
    return errors, foreign


def _check_csp(page) -> None:  # type: ignore[no-untyped-def]
    """No script was refused, and no style but Jodit's known chrome (never the body's)."""
    violations = page.evaluate("() => window.__violations")
    unexpected = [
        v
        for v in violations
        if (v["directive"], v["sample"]) not in JODIT_CHROME_STYLES
        and not (
            v["directive"] == "style-src-elem" and v["sample"].startswith(JODIT_SELECTION_STYLE)
        )
    ]
    assert not unexpected, unexpected


def test_it_edits_a_body_with_heading_table_alignment_and_a_word_paste(page) -> None:  # type: ignore[no-untyped-def]
    from gongkai.lib.testing import assert_accessible, screenshot

    lisi, reviewers, rev = _setup()
    errors, foreign = _watch(page)
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/revisions/{rev.pk}/edit/")
    page.wait_for_selector(EDITOR)
    assert not page.is_visible("#id_body")  # the textarea is the no-JavaScript fallback
    assert page.is_visible("#word-file")  # and the Word upload stays beside the editor

    # 1. a heading through the editor's 格式块 list
    page.click(EDITOR)
    page.keyboard.type("一、补贴对象和补贴标准")
    page.click(".jodit-toolbar-button_paragraph button")
    page.locator(".jodit-popup").get_by_text("一级标题", exact=True).click()
    assert _text(page, f"{EDITOR} h2") == "一、补贴对象和补贴标准"
    # 2. a paragraph and a right-aligned 落款
    _caret_at_end_of(page, f"{EDITOR} h2")
    page.keyboard.press("Enter")
    page.keyboard.type("补贴资金实行定额补贴。")
    page.keyboard.press("Enter")
    page.keyboard.type("通化市民政局")
    page.click(".jodit-toolbar-button_right button")
    signer = page.locator(f"{EDITOR} p", has_text="通化市民政局")
    assert signer.evaluate("el => getComputedStyle(el).textAlign") == "right"
    # held as the stored class, not as an inline style the CSP would refuse on re-parsing
    assert signer.evaluate("el => [el.className, el.getAttribute('style')]") == [
        "align-right",
        None,
    ]
    page.keyboard.press("Control+z")  # undo and redo re-parse the HTML
    page.keyboard.press("Control+Shift+z")
    assert signer.evaluate("el => getComputedStyle(el).textAlign") == "right"
    # 3. a 2×2 table after the paragraph, filled cell by cell
    _caret_at_end_of(page, f"{EDITOR} p >> text=补贴资金实行定额补贴。")
    page.click(".jodit-toolbar-button_table button")
    page.click(".jodit-popup [role=gridcell][aria-label='2 by 2']")
    cells = page.locator(f"{EDITOR} table td")
    assert cells.count() == 4
    for i, text in enumerate(["机具类别", "单机补贴上限", "收获机械", "12万元"]):
        cells.nth(i).click()
        page.keyboard.type(text)
    # 4. Word's clipboard after the 落款
    _caret_at_end_of(page, f"{EDITOR} p >> text=通化市民政局")
    _paste(page, WORD_HTML, "二、申请程序\n购机者向乡镇农机站提出申请。\n2026年11月2日")
    page.wait_for_function(
        "() => document.querySelector('.jodit-wysiwyg').innerText.includes('2026年11月2日')"
    )
    assert _text(page, f"{EDITOR} h3") == "二、申请程序"  # Word's 标题 2, as the .docx import
    assert page.locator(f"{EDITOR} table").count() == 2
    assert _align(page, f"{EDITOR} p >> text=2026年11月2日") == "right"
    screenshot(page, "body-editor")
    assert_accessible(page)
    _check_csp(page)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert "已保存。" in page.content()

    # the stored body: the server's sanitised HTML, structure kept, Word's junk gone
    body = Revision.objects.get(pk=rev.pk).body
    assert "<h2>一、补贴对象和补贴标准</h2>" in body
    assert '<p class="align-right">通化市民政局</p>' in body
    assert '<p class="align-right">2026年11月2日</p>' in body
    assert "<h3>二、申请程序</h3>" in body
    assert re.search(r"<td>(<p>)?机具类别(</p>)?</td>", body), body
    assert re.search(r'<td class="align-center">(<p>)?时限|<p class="align-center">时限', body)
    assert (
        body.index("补贴资金实行定额补贴。") < body.index("机具类别") < body.index("通化市民政局")
    )
    for junk in ("\ufeff", "mso-", "o:p", "Mso", "style=", "font-family", "<span", "<!--", "xml"):
        assert junk not in body, (junk, body)

    # the console preview
    preview = ".body-preview"
    assert page.inner_text(f"{preview} h2") == "一、补贴对象和补贴标准"
    assert page.locator(f"{preview} table").count() == 2
    assert _align(page, f"{preview} p >> text=通化市民政局") == "right"

    # published: the portal page keeps heading, tables and right alignment
    services.revision_submit(revision=Revision.objects.get(pk=rev.pk), by=lisi)
    for who in reviewers:
        services.review_record(
            revision=Revision.objects.get(pk=rev.pk), by=who, decision="approve", comment="同意"
        )
    item = services.item_publish(revision=Revision.objects.get(pk=rev.pk), by=lisi)
    assert item.status == CatalogItem.Status.PUBLISHED
    page.goto(f"{page.base_url}/xxgk/{item.pk}/")
    doc = ".doc-body"
    assert page.inner_text(f"{doc} h2") == "一、补贴对象和补贴标准"
    assert page.inner_text(f"{doc} h3") == "二、申请程序"
    texts = [c.strip() for c in page.locator(f"{doc} table td").all_inner_texts()]
    assert texts == [
        "机具类别",
        "单机补贴上限",
        "收获机械",
        "12万元",
        "环节",
        "时限",
        "受理",
        "5个工作日",
    ]
    assert _align(page, f"{doc} p >> text=通化市民政局") == "right"
    assert _align(page, f"{doc} p >> text=2026年11月2日") == "right"
    assert not foreign, foreign  # nothing from a CDN, on any page
    assert not errors, errors  # no script error
    from gongkai.search import visits

    visits.flush_visits()


def test_it_runs_the_confidentiality_scan_on_a_pasted_body(page) -> None:  # type: ignore[no-untyped-def]
    lisi, _reviewers, rev = _setup()
    errors, foreign = _watch(page)
    login(page, "lisi")
    page.goto(f"{page.base_url}/console/catalog/revisions/{rev.pk}/edit/")
    page.wait_for_selector(EDITOR)
    id17 = "22050219800101123"
    number = id17 + id_check_char(id17)
    page.click(EDITOR)
    _paste(
        page,
        f"<p class=MsoNormal>救助对象王某，身份证号{number}，已纳入救助。<o:p></o:p></p>",
        f"救助对象王某，身份证号{number}，已纳入救助。",
    )
    page.wait_for_function(
        f"() => document.querySelector('.jodit-wysiwyg').innerText.includes('{number}')"
    )
    _check_csp(page)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert "保密审查：正文中发现1处疑似问题（身份证号）" in page.content()
    assert number in Revision.objects.get(pk=rev.pk).body
    # and publication stays blocked until the body is fixed
    services.revision_submit(revision=Revision.objects.get(pk=rev.pk), by=lisi)
    for who in _reviewers:
        services.review_record(
            revision=Revision.objects.get(pk=rev.pk), by=who, decision="approve", comment="同意"
        )
    with pytest.raises(services.PublishingError, match="保密审查发现"):
        services.item_publish(revision=Revision.objects.get(pk=rev.pk), by=lisi)
    assert not foreign and not errors, (foreign, errors)


def test_it_keeps_the_plain_textarea_without_javascript(chromium_browser, live_server) -> None:  # type: ignore[no-untyped-def]
    _lisi, _reviewers, rev = _setup()
    context = chromium_browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.base_url = live_server.url
    try:
        login(page, "lisi")
        page.goto(f"{page.base_url}/console/catalog/revisions/{rev.pk}/edit/")
        assert page.locator(EDITOR).count() == 0
        page.fill("#id_body", "第一段\n\n通化市民政局")
        page.get_by_role("button", name="保存", exact=True).click()
        page.wait_for_load_state()
        assert Revision.objects.get(pk=rev.pk).body == "<p>第一段</p><p>通化市民政局</p>"
    finally:
        context.close()
