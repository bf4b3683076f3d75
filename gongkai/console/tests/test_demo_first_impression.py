"""What a newcomer sees after ``make run`` (the quick demo): every search the portal itself
suggests finds something, a published 2012 annual report, items with real bodies and
attachments that download, and dates that agree with each other."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

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

    def test_it_gives_items_real_bodies_and_downloadable_attachments(self) -> None:
        public = list(CatalogItem.objects.public().filter(disclosure_mode="proactive"))
        self.assertGreaterEqual(len(public), 25)
        for item in public:
            text = html_to_text(item.body)
            self.assertTrue(text.strip(), item.title)
            self.assertNotIn(item.title, text, f"body repeats its title: {item.title}")
        attachments = Attachment.objects.filter(item__in=public, removed_at__isnull=True)
        kinds = {a.original_name.rsplit(".", 1)[-1] for a in attachments}
        self.assertLessEqual({"docx", "xlsx"}, kinds)
        for att in attachments:
            response = self.client.get(f"/xxgk/{att.item_id}/fj/{att.pk}/")
            self.assertEqual(response.status_code, 200, att.original_name)
            body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined,arg-type]
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
