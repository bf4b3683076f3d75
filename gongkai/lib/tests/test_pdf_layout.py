"""The official-document layout of notices (GB/T 9704-2012): the 落款 and seal stay with the
last body lines, and the dashed seal never runs over the 附注 — checked on the rendered PDF by
text position (``pdftotext -bbox``) and by rendering it (``pdftoppm``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

from django.test import SimpleTestCase

from gongkai.lib import pdf
from gongkai.lib.testing import require_system

MM = 72 / 25.4  # PDF points per millimetre
REMEDY = (
    "如对本告知书不服，可以自收到本告知书之日起60日内向通化市人民政府或者上一级主管部门申请"
    "行政复议，或者自收到本告知书之日起3个月内向有管辖权的人民法院提起行政诉讼。"
)


def _blocks(body_paragraphs: int) -> list[dict[str, object]]:
    blocks: list[dict[str, object]] = [
        {"type": "masthead", "text": "通化市民政局"},
        {"type": "doc_number", "text": "通化市民政局依申请〔2013〕2号"},
        {"type": "title", "text": "政府信息不予公开告知书"},
        {"type": "recipient", "text": "李国强："},
    ]
    blocks += [
        {
            "type": "paragraph",
            "text": f"第{i + 1}段：本机关于2013年9月3日收到您提交的政府信息公开申请。",
        }
        for i in range(body_paragraphs)
    ]
    blocks.append({"type": "paragraph", "text": REMEDY})
    blocks.append(
        {"type": "signature", "text": "通化市民政局", "date": "2013年9月22日", "seal": True}
    )
    blocks.append(
        {"type": "note", "text": "（申请编号：TH-MZJ-2013-00001；联系电话：0435-3000015）"}
    )
    return blocks


def _words(data: bytes) -> list[dict[str, float | str | int]]:
    """Every word of the PDF with its page and box (points from the top-left)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    words: list[dict[str, float | str | int]] = []
    for page_no, page in enumerate(re.findall(r"<page .*?</page>", out, re.S), start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        ):
            words.append({
                "page": page_no, "x0": float(m[1]), "y0": float(m[2]),
                "x1": float(m[3]), "y1": float(m[4]), "text": unescape(m[5]),
            })  # fmt: skip
    return words


def _first(words: list[dict[str, float | str | int]], needle: str) -> dict[str, float | str | int]:
    found = [w for w in words if needle in str(w["text"])]
    assert found, f"{needle!r} not in the PDF text"
    return found[0]


class NoticeLayoutTest(SimpleTestCase):
    def setUp(self) -> None:
        require_system(
            "pdftotext/pdftoppm",
            shutil.which("pdftotext") is not None,
            "apt-get install poppler-utils",
        )
        try:
            pdf._weasyprint()
        except pdf.PdfUnavailableError as exc:
            require_system("WeasyPrint/Pango", False, str(exc))

    def _check(self, body_paragraphs: int) -> list[dict[str, float | str | int]]:
        words = _words(pdf.render(_blocks(body_paragraphs), title="告知书"))
        pages = max(int(w["page"]) for w in words)
        name = next(w for w in words if w["text"] == "通化市民政局" and float(w["x0"]) > 250)
        seal = _first(words, "印章")
        note = _first(words, "申请编号")
        remedy_end = _first(words, "讼")  # the last character of the body
        # 1. the signature is on the last page, together with the last body lines
        self.assertEqual(name["page"], pages)
        self.assertEqual(remedy_end["page"], name["page"])
        self.assertEqual(seal["page"], name["page"])
        # 2. the seal's circle (42 mm, its label 5 mm below the top) ends above the 附注
        circle_bottom = float(seal["y0"]) - 5 * MM + 42 * MM
        self.assertLessEqual(circle_bottom, float(note["y0"]) + 1)
        # 3. the seal presses on the agency name and the date (GB/T 9704 §7.3.5.1)
        date = _first(words, "2013年9月22日")
        self.assertLess(float(seal["y0"]), float(name["y0"]))
        self.assertLess(float(date["y1"]), circle_bottom)
        return words

    def test_it_keeps_a_short_notice_on_one_page(self) -> None:
        words = self._check(body_paragraphs=2)
        self.assertEqual(max(int(w["page"]) for w in words), 1)

    def test_it_tightens_the_lines_rather_than_carry_the_seal_over(self) -> None:
        # four paragraphs leave too little room at the normal 28.9 pt spacing
        html = pdf.blocks_to_html(_blocks(4))
        self.assertEqual(len(pdf._weasyprint().HTML(string=html).render().pages), 2)
        words = self._check(body_paragraphs=4)
        self.assertEqual(max(int(w["page"]) for w in words), 1)

    def test_it_carries_the_last_paragraph_over_with_the_signature(self) -> None:
        words = self._check(body_paragraphs=14)
        self.assertEqual(max(int(w["page"]) for w in words), 2)
        last_page_text = [w for w in words if w["page"] == 2]
        self.assertTrue(any("行政复议" in str(w["text"]) for w in last_page_text))

    def test_it_renders_the_notice_to_an_image(self) -> None:
        require_system(
            "pdftoppm", shutil.which("pdftoppm") is not None, "apt-get install poppler-utils"
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "n.pdf"
            path.write_bytes(pdf.render(_blocks(4), title="告知书"))
            subprocess.run(
                ["pdftoppm", "-png", "-r", "40", str(path), str(Path(tmp) / "p")], check=True
            )
            pngs = sorted(Path(tmp).glob("p*.png"))
            self.assertEqual(len(pngs), 1)
            from PIL import Image

            image = Image.open(pngs[0]).convert("RGB")
            w, h = image.size
            # red of the dashed seal in the lower right of the page (not only the masthead)
            reds = sum(
                True
                for x in range(w // 2, w)
                for y in range(h // 2, h)
                if (p := image.getpixel((x, y)))[0] > 180 and p[1] < 120 and p[2] < 120  # type: ignore[index]
            )
            self.assertGreater(reds, 20)
