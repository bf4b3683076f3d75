"""What a newcomer sees after ``make run`` (the quick demo): every search the portal itself
suggests finds something, a published 2012 annual report, items with real bodies and
attachments that download, dates that agree with each other, and notices whose PDFs keep
the 落款 and seal with the last body lines."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from gongkai.accounts.models import User
from gongkai.applications.models import Notice
from gongkai.lib import pdf
from gongkai.lib.testing import require_system
from gongkai.lib.tests.test_pdf_layout import MM, _words
from gongkai.publishing.models import Attachment, CatalogItem
from gongkai.publishing.scanner import html_to_text
from gongkai.reports.models import AnnualReport

SUGGESTION = re.compile(r"“([^”]{1,30})”")


def _suggested_searches(home_html: str, tips_html: str) -> list[str]:
    """The examples the home page's search box and the no-results tips put in front of users."""
    placeholder = re.search(r'id="home-q"[^>]*placeholder="如：([^"]+)"', home_html)
    assert placeholder, "home page search box lost its examples"
    examples = [e.strip() for e in re.split("[、，,]", placeholder.group(1)) if e.strip()]
    tips = re.search(r'<div class="no-results">(.*?)</div>', tips_html, re.S)
    assert tips, "no-results tips missing"
    examples += SUGGESTION.findall(tips.group(1))
    # “补贴”而不是“补贴发放标准”: the second one is the counter-example, not a suggestion
    return [e for e in dict.fromkeys(examples) if e != "补贴发放标准"]


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class DemoFirstImpressionTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", "--quiet", stdout=StringIO())

    def _hits(self, q: str) -> int:
        response = self.client.get("/search/", {"q": q})
        self.assertEqual(response.status_code, 200, q)
        return response.content.decode().count('<li class="hit">')

    def test_it_finds_every_search_the_portal_suggests(self) -> None:
        home = self.client.get("/").content.decode()
        empty = self.client.get(
            "/search/", {"q": "完全不存在的检索词语组合甲乙丙"}
        ).content.decode()
        examples = _suggested_searches(home, empty)
        self.assertIn("农机购置补贴", examples)
        self.assertIn("通政发〔2012〕12号", examples)
        self.assertIn("补贴", examples)
        for q in examples:
            self.assertGreater(self._hits(q), 0, f"suggested search “{q}” finds nothing")

    def test_it_publishes_a_2012_annual_report(self) -> None:
        report = AnnualReport.objects.public().filter(year=2012).first()
        self.assertIsNotNone(report)
        assert report is not None
        self.assertEqual(timezone.localtime(report.published_at).year, 2013)
        index = self.client.get(reverse("reports_public:index"))
        self.assertContains(index, report.title)
        page = self.client.get(reverse("reports_public:detail", kwargs={"pk": report.pk}))
        self.assertContains(page, "2012年")
        self.assertContains(page, "全局共有5人从事政府信息公开工作")  # its staffing is recorded
        self.assertContains(page, "<p>围绕城乡低保")  # each narrative line its own paragraph
        # the downloaded PDF's title breaks before 政府信息公开工作年度报告, not inside a word
        try:
            pdf._weasyprint()
        except pdf.PdfUnavailableError as exc:
            require_system("WeasyPrint/Pango", False, str(exc))
        require_system(
            "pdftotext", shutil.which("pdftotext") is not None, "apt-get install poppler-utils"
        )
        response = self.client.get(f"/ndbg/{report.pk}/report.pdf")
        self.assertEqual(response.status_code, 200)
        first_lines = [str(w["text"]) for w in _words(_content(response))[:2]]
        self.assertEqual(first_lines, ["2012年通化市民政局", "政府信息公开工作年度报告"])

    def test_it_gives_items_real_bodies_and_downloadable_attachments(self) -> None:
        public = list(CatalogItem.objects.public().filter(disclosure_mode="proactive"))
        self.assertGreaterEqual(len(public), 25)
        shown = 0
        for item in public:
            text = html_to_text(item.body)
            self.assertTrue(text.strip(), item.title)
            self.assertNotIn(item.title, text, f"body repeats its title: {item.title}")
            # nor is a 内容概述 taken from the body shown twice on the page
            page = self.client.get(f"/xxgk/{item.pk}/").content.decode()
            article = page[page.index('<article class="doc">') : page.index("</article>")]
            if item.summary:
                self.assertLessEqual(article.count(item.summary), 1, item.title)
                shown += '<p class="summary">' in article
        self.assertGreater(shown, 0, "a 内容概述 of its own is still shown")
        attachments = Attachment.objects.filter(item__in=public, removed_at__isnull=True)
        kinds = {a.original_name.rsplit(".", 1)[-1] for a in attachments}
        self.assertLessEqual({"docx", "xlsx"}, kinds)
        try:  # the demo makes its PDFs where WeasyPrint can
            pdf._weasyprint()
            self.assertIn("pdf", kinds)
        except pdf.PdfUnavailableError:
            pass
        for att in attachments:
            response = self.client.get(f"/xxgk/{att.item_id}/fj/{att.pk}/")
            self.assertEqual(response.status_code, 200, att.original_name)
            body = _content(response)
            self.assertEqual(len(body), att.size)
            self.assertTrue(att.extracted_text.strip(), att.original_name)

    def test_it_dates_index_numbers_and_timeliness_from_the_items_own_dates(self) -> None:
        from gongkai.workdays.calendar import workdays_between

        for item in CatalogItem.objects.exclude(index_number="").exclude(published_at=None):
            published = timezone.localtime(item.published_at).date()
            self.assertTrue(
                item.index_number.split("/")[1].startswith(str(published.year)), item.title
            )
            self.assertEqual(
                item.publish_workdays, workdays_between(item.formed_on, published), item.title
            )
            self.assertLess(item.publish_workdays, 60, item.title)
        # each agency's serials follow the publication dates
        by_agency: dict[tuple[int, str], list[tuple[str, str]]] = {}
        for item in CatalogItem.objects.exclude(index_number="").order_by("published_at"):
            year = item.index_number.split("/")[1][:4]
            by_agency.setdefault((item.agency_id, year), []).append(item.index_number)
        for numbers in by_agency.values():
            self.assertEqual(numbers, sorted(numbers))

    def test_it_keeps_the_seal_with_the_body_on_every_demo_notice(self) -> None:
        """The notices a newcomer downloads: 落款 and 印章 on the page of the last body lines,
        the seal's circle above the 附注 (``pdftotext -bbox``), and the red seal drawn on
        the right of that page (``pdftoppm``)."""
        require_system(
            "pdftotext/pdftoppm",
            shutil.which("pdftoppm") is not None,
            "apt-get install poppler-utils",
        )
        try:
            pdf._weasyprint()
        except pdf.PdfUnavailableError as exc:
            require_system("WeasyPrint/Pango", False, str(exc))
        self.client.force_login(User.objects.get(username="zhengyi"))  # the demo's 承办人
        notices = list(Notice.objects.select_related("agency", "application"))
        self.assertGreaterEqual(len(notices), 8)
        self.assertTrue({"partial", "withhold", "receipt"} <= {n.kind for n in notices})
        pdfs: dict[int, bytes] = {}
        for notice in notices:
            response = self.client.get(
                f"/console/applications/{notice.application_id}/notices/{notice.pk}.pdf"
            )
            self.assertEqual(response.status_code, 200, notice.doc_number)
            data = pdfs[notice.pk] = _content(response)
            words = _words(data)
            pages = max(int(w["page"]) for w in words)
            name = [w for w in words if w["text"] == notice.agency.name and float(w["x0"]) > 250]
            seal = [w for w in words if "印章" in str(w["text"])]
            note = [w for w in words if "申请编号" in str(w["text"])][-1]
            tail = [p["text"] for p in notice.paragraphs if p.get("text")][-1][-2:]
            body_end = [w for w in words if str(w["text"]).endswith(tail) and w is not note]
            label = f"{notice.kind} {notice.doc_number}"
            self.assertTrue(name and seal and body_end, label)
            self.assertEqual(name[-1]["page"], pages, label)
            self.assertEqual(seal[0]["page"], pages, label)
            self.assertEqual(note["page"], pages, label)
            self.assertEqual(max(int(w["page"]) for w in body_end), pages, label)
            circle_bottom = float(seal[0]["y0"]) - 5 * MM + 42 * MM
            self.assertLessEqual(circle_bottom, float(note["y0"]) + 1, label)
        # one multi-page notice as the holder sees it: the seal in red on the last page
        longest = max(notices, key=lambda n: sum(len(p.get("text", "")) for p in n.paragraphs))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "n.pdf"
            path.write_bytes(pdfs[longest.pk])
            subprocess.run(
                ["pdftoppm", "-png", "-r", "40", str(path), str(Path(tmp) / "p")], check=True
            )
            image = Image.open(sorted(Path(tmp).glob("p*.png"))[-1]).convert("RGB")
        w, h = image.size
        reds = sum(
            True
            for x in range(w // 2, w)
            for y in range(0, h)
            if (p := image.getpixel((x, y)))[0] > 180 and p[1] < 120 and p[2] < 120  # type: ignore[index]
        )
        self.assertGreater(reds, 20)
