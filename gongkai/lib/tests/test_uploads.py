"""One upload validator: extension and content together, no active content, no ZIP bombs,
bounded memory and capped extracted text."""

from __future__ import annotations

import io
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from gongkai.lib import archive, uploads
from gongkai.publishing import scanner
from gongkai.publishing.models import Attachment
from gongkai.publishing.services import PublishingError, attachment_add, item_create
from gongkai.publishing.tests.factories import fields
from gongkai.test import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_stream(path: Path, paragraphs: int, text_of: object) -> None:
    """A minimal DOCX written paragraph by paragraph (memory stays small however big it gets)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(f"<w:document {W}><w:body>".encode())
            for i in range(paragraphs):
                fh.write(f"<w:p><w:r><w:t>{text_of(i)}</w:t></w:r></w:p>".encode())  # type: ignore[operator]
            fh.write(b"</w:body></w:document>")


def bomb(path: Path) -> None:
    """≈ 220 MB of XML in a few hundred kB."""
    line = "公开" * 500
    docx_stream(path, 70_000, lambda i: line)


class UploadValidatorTest(SimpleTestCase):
    def test_it_refuses_active_content_whatever_header_it_carries(self) -> None:
        for name, data in [
            ("a.html", PNG + HTML),
            ("a.svg", PNG + SVG),
            ("a.htm", PNG),
            ("a.xhtml", PNG),
            ("a.js", PNG),
            ("a.exe", b"MZ\x90\x00"),
        ]:
            with self.subTest(name), self.assertRaisesMessage(uploads.UploadError, "安全"):
                uploads.check_upload(name, data, allowed={"png", "html", "svg", name[2:]})

    def test_it_checks_the_content_against_the_extension(self) -> None:
        self.assertEqual(uploads.check_upload("a.png", PNG, allowed={"png"}), "image/png")
        cases = [
            ("a.pdf", PNG, "不符"),
            ("a.png", SVG, "网页"),
            ("a.txt", HTML, "网页"),
            ("a.txt", PNG, "不符"),
            ("a.doc", b"plain text", "不符"),
            ("a.docx", b"PK\x03\x04junk", "已损坏"),
            ("a.gif", b"GIF89a", "只接受"),
            ("a", PNG, "无扩展名"),
            ("a.png", b"", "空文件"),
        ]
        for name, data, words in cases:
            with self.subTest(name), self.assertRaisesMessage(uploads.UploadError, words):
                uploads.check_upload(name, data, allowed={"png", "pdf", "txt", "doc", "docx"})

    def test_it_refuses_a_zip_bomb_with_bounded_memory(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bomb.docx"
            bomb(path)
            self.assertLess(path.stat().st_size, 2 * 1024 * 1024)
            with zipfile.ZipFile(path) as zf:
                self.assertGreater(sum(i.file_size for i in zf.infolist()), 200 * 1024 * 1024)
            with self.assertRaisesMessage(uploads.UploadError, "压缩"):
                scanner.check_upload("bomb.docx", path.read_bytes())
            # In a fresh process: the validator, the text extraction and even the streaming
            # reader without the ZIP check must not follow the decompressed size.
            code = (
                "import json, os, resource, sys, django\n"
                "os.environ['DJANGO_SETTINGS_MODULE'] = 'gongkai.settings_test'\n"
                "django.setup()\n"
                "from gongkai.publishing import scanner\n"
                f"data = open({str(path)!r}, 'rb').read()\n"
                "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
                "try:\n    scanner.check_upload('bomb.docx', data); refused = False\n"
                "except scanner.UploadError:\n    refused = True\n"
                "text = scanner.extract_text('bomb.docx', data)\n"
                "streamed = scanner._docx_text(data, 1_000_000)\n"
                "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
                "print(json.dumps({'refused': refused, 'text': len(text), "
                "'streamed': len(streamed), 'grew_kb': peak - base}))\n"
            )
            result = subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                timeout=300,
            )
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            out = json.loads(result.stdout.strip().splitlines()[-1])
            self.assertTrue(out["refused"])
            self.assertEqual(out["text"], 0)
            self.assertLessEqual(out["streamed"], 1_000_000)
            self.assertLess(out["grew_kb"], 100 * 1024, out)  # < 100 MB for a 220 MB bomb

    def test_it_caps_the_extracted_text(self) -> None:
        rng = random.Random(13)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "long.docx"
            docx_stream(
                path,
                3_000,
                lambda i: "".join(rng.choices(string.ascii_letters + " ", k=1000)),
            )
            data = path.read_bytes()
        scanner.check_upload("long.docx", data)  # an honest big document is accepted
        text = scanner.extract_text("long.docx", data)
        self.assertEqual(len(text), archive.MAX_TEXT_CHARS)
        self.assertEqual(
            len(scanner.extract_text("a.txt", b"x" * 3_000_000)), archive.MAX_TEXT_CHARS
        )


class UploadFieldsTest(BaseTestCase):
    def test_it_stores_no_catalog_attachment_with_active_content_or_a_bomb(self) -> None:
        rev = item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bomb.docx"
            bomb(path)
            hostile = [
                ("a.html", PNG + HTML),
                ("a.svg", PNG + SVG),
                ("bomb.docx", path.read_bytes()),
            ]
        for name, data in hostile:
            with self.subTest(name), self.assertRaises(PublishingError):
                attachment_add(item=rev.item, by=self.lisi, name=name, data=data)
        self.assertEqual(Attachment.objects.count(), 0)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("a.txt", "x")
        ok = attachment_add(item=rev.item, by=self.lisi, name="a.zip", data=buf.getvalue())
        self.assertEqual(ok.content_type, "application/zip")

    def test_it_refuses_an_id_proof_that_is_a_web_page_with_a_png_header(self) -> None:
        from gongkai.applications.models import Application
        from gongkai.applications.tests.test_views import form_data

        for name in ("proof.html", "proof.svg"):
            upload = SimpleUploadedFile(name, PNG + SVG, content_type="image/png")
            response = self.client.post(
                reverse("apply:form"), {**form_data(self.agency_a.pk), "id_proof": upload}
            )
            self.assertContains(response, "安全原因", status_code=400)
        self.assertEqual(Application.objects.count(), 0)
