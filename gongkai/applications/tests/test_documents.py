"""Notice documents: PDF (fonts embedded, A4, official layout) and DOCX, rendered to PNG."""

from __future__ import annotations

import os
import shutil
import subprocess

from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Notice
from gongkai.applications.notices import notice_blocks, notice_docx, notice_pdf
from gongkai.applications.tests.factories import AppTestCase, person
from gongkai.lib import pdf
from gongkai.lib.testing import ARTIFACTS, require_system

OUT = os.path.join(ARTIFACTS, "notices")


def render_png(data: bytes, name: str) -> str:
    """Write the PDF and its first page as PNG under test-artifacts/notices/."""
    require_system(
        "pdftoppm", shutil.which("pdftoppm") is not None, "apt-get install poppler-utils"
    )
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"{name}.pdf")
    with open(path, "wb") as fh:
        fh.write(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", path, path[:-4]],
        check=True,
    )
    return path[:-4] + ".png"


class DocumentTests(AppTestCase):
    def test_it_renders_every_reply_notice_as_pdf_with_embedded_cjk_fonts(self) -> None:
        import pypdf

        today = timezone.localdate()
        for outcome in ("partial", "withhold_third_party", "unable_not_held"):
            app, _ = services.application_register(
                agency=self.agency_a, by=self.lisi, channel="letter", data=person(), today=today
            )
            services.application_assign(
                application=app, by=self.lisi, handler=self.zhengyi, today=today
            )
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome=outcome,
                reply_text="经审查，答复如下。",
                withheld_ground="withhold_third_party" if outcome == "partial" else "",
                today=today,
            )
        require_system(
            "Noto CJK fonts", pdf.cjk_fonts_available(), "apt-get install fonts-noto-cjk"
        )
        for notice in Notice.objects.all():
            data = notice_pdf(notice)
            reader = pypdf.PdfReader(__import__("io").BytesIO(data))
            page = reader.pages[0]
            width_mm = float(page.mediabox.width) / 72 * 25.4
            self.assertAlmostEqual(width_mm, 210, delta=1)
            fonts = set()
            for p in reader.pages:
                for f in (p["/Resources"].get("/Font") or {}).values():  # type: ignore[attr-defined]
                    fobj = f.get_object()
                    desc = fobj.get("/FontDescriptor") or (fobj.get("/DescendantFonts") or [{}])[
                        0
                    ].get_object().get("/FontDescriptor")
                    if desc and any(
                        k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    ):
                        fonts.add(str(fobj.get("/BaseFont")))
            self.assertTrue(any("CJK" in f for f in fonts), fonts)
            text = "".join(p.extract_text() for p in reader.pages)
            self.assertIn(
                notice.doc_number.replace("〔", "").replace("〕", "")[:6],
                text.replace("〔", "").replace("〕", ""),
            )
            png = render_png(data, f"{notice.kind}-{notice.pk}")
            self.assertTrue(os.path.getsize(png) > 1000)

    def test_it_renders_docx_with_the_same_blocks(self) -> None:
        import docx

        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        notice = Notice.objects.get(application=app)
        document = docx.Document(__import__("io").BytesIO(notice_docx(notice)))
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn(notice.title, text)
        self.assertIn(notice.doc_number, text)
        section = document.sections[0]
        assert section.top_margin is not None and section.left_margin is not None
        self.assertAlmostEqual(section.top_margin.mm, 37, delta=0.5)
        self.assertAlmostEqual(section.left_margin.mm, 28, delta=0.5)
        self.assertEqual(notice_blocks(notice)[0], {"type": "masthead", "text": "通化市民政局"})

    def test_it_escapes_markup_in_pdf_blocks(self) -> None:
        html = pdf.blocks_to_html([{"type": "paragraph", "text": "<script>alert(1)</script>"}])
        self.assertIn("&lt;script&gt;", html)
        self.assertNotIn("<script>", html)

    def test_it_raises_a_chinese_error_naming_debian_packages_when_weasyprint_is_missing(
        self,
    ) -> None:
        import builtins
        from unittest import mock

        real_import = builtins.__import__

        def fake_import(name, *args, **kwargs):  # type: ignore[no-untyped-def]
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0'")
            return real_import(name, *args, **kwargs)

        with (
            mock.patch("builtins.__import__", fake_import),
            self.assertRaises(pdf.PdfUnavailableError) as ctx,
        ):
            pdf.render([{"type": "paragraph", "text": "x"}])
        self.assertIn("libpango-1.0-0", str(ctx.exception))
        self.assertIn("无法生成PDF", str(ctx.exception))
