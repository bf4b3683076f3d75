"""The confidentiality scanner and the upload checks."""

from __future__ import annotations

import io

from django.test import SimpleTestCase, override_settings

from gongkai.lib.codes import id_check_char
from gongkai.publishing import scanner

ID17 = "22050219800101123"
ID = ID17 + id_check_char(ID17)
WRONG_ID = ID17 + ("0" if id_check_char(ID17) != "0" else "1")
CARD = "6222020200112233445"  # completed below so that Luhn holds


def luhn_complete(body: str) -> str:
    from gongkai.lib.codes import luhn_valid

    return next(body + d for d in "0123456789" if luhn_valid(body + d))


class ScanTextTest(SimpleTestCase):
    def kinds(self, text: str) -> list[str]:
        return [f.kind for f in scanner.scan_text(text)]

    def test_it_finds_an_id_number_only_with_a_valid_check_digit(self) -> None:
        self.assertEqual(self.kinds(f"身份证号{ID}。"), ["id_number"])
        self.assertEqual(self.kinds(f"编号{WRONG_ID}。"), [])

    def test_it_finds_mobiles_cards_and_emails(self) -> None:
        card = luhn_complete("622202020011223344")
        found = self.kinds(f"电话13943512345，卡号{card}，邮箱 li.si@example.com")
        self.assertEqual(found, ["mobile", "bank_card", "email"])
        bad_card = card[:-1] + str((int(card[-1]) + 1) % 10)
        self.assertNotIn("bank_card", self.kinds(f"流水号{bad_card}"))

    def test_it_finds_classification_markings(self) -> None:
        for text in ("机密★", "秘密★1年", "绝密★长期", "密级：机密", "【秘密】"):
            self.assertEqual(self.kinds(f"文件{text}正文"), ["secret"], text)
        self.assertEqual(self.kinds("加强保密工作，做好秘密载体管理"), [])

    @override_settings(PUBLISHING_SCAN_WORDS=["内部传阅"])
    def test_it_uses_the_configured_word_list(self) -> None:
        self.assertEqual(self.kinds("本文件内部传阅"), ["word"])
        self.assertEqual(self.kinds("内部资料"), [])

    def test_it_shows_context_with_personal_data_masked(self) -> None:
        [finding] = scanner.scan_text(f"申请人张某身份证号{ID}住址东昌区")
        self.assertIn("【2205**********", finding.context)
        self.assertNotIn(ID, finding.context)
        self.assertIn("身份证号", finding.context)

    def test_mask_personal_masks_ids_and_mobiles(self) -> None:
        masked = scanner.mask_personal(f"{ID} 13943512345 文号2026")
        self.assertNotIn(ID, masked)
        self.assertNotIn("13943512345", masked)
        self.assertIn("文号2026", masked)


class UploadTest(SimpleTestCase):
    def docx_bytes(self, text: str) -> bytes:
        import docx

        d = docx.Document()
        d.add_paragraph(text)
        buf = io.BytesIO()
        d.save(buf)
        return buf.getvalue()

    def test_it_extracts_text_from_docx_xlsx_pdf_and_txt(self) -> None:
        import openpyxl

        self.assertIn(ID, scanner.extract_text("a.docx", self.docx_bytes(f"身份证{ID}")))
        wb = openpyxl.Workbook()
        wb.active.append(["姓名", "手机"])
        wb.active.append(["张三", "13943512345"])
        buf = io.BytesIO()
        wb.save(buf)
        self.assertIn("13943512345", scanner.extract_text("a.xlsx", buf.getvalue()))
        self.assertIn("秘密★", scanner.extract_text("a.txt", "秘密★1年".encode("gb18030")))
        self.assertIn("Hello", scanner.extract_text("a.pdf", _pdf_with_text("Hello 13943512345")))

    def test_it_refuses_a_file_that_is_not_what_its_extension_says(self) -> None:
        with self.assertRaisesMessage(scanner.UploadError, "不符"):
            scanner.check_upload("report.pdf", b"MZ\x90\x00" + b"\x00" * 100)
        with self.assertRaisesMessage(scanner.UploadError, "不符"):
            scanner.check_upload("table.xlsx", self.docx_bytes("x"))
        with self.assertRaisesMessage(scanner.UploadError, "不支持"):
            scanner.check_upload("run.exe", b"MZ")
        self.assertEqual(
            scanner.check_upload("a.docx", self.docx_bytes("x")), scanner.ALLOWED_EXTENSIONS["docx"]
        )
        self.assertEqual(scanner.check_upload("a.pdf", _pdf_with_text("x")), "application/pdf")

    @override_settings(UPLOAD_MAX_BYTES=1000)
    def test_it_refuses_oversized_files(self) -> None:
        with self.assertRaisesMessage(scanner.UploadError, "超过大小上限"):
            scanner.check_upload("a.txt", b"a" * 1001)


def _pdf_with_text(text: str) -> bytes:
    """A minimal one-page PDF with ``text`` in Helvetica (ASCII only)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


class ScannerPropertyTest(SimpleTestCase):
    """Any valid ID number or mobile number, wherever it sits in text, is found and masked."""

    def test_it_finds_and_masks_every_valid_id_number(self) -> None:
        import datetime as dt

        from hypothesis import given, settings
        from hypothesis import strategies as st

        chinese = st.text(alphabet="通化市民政局关于申请人住址联系电话，。：", max_size=20)

        @settings(max_examples=200, deadline=None)
        @given(
            region=st.sampled_from(["220502", "220521", "110105", "370802"]),
            born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2010, 12, 31)),
            seq=st.integers(min_value=0, max_value=999),
            before=chinese,
            after=chinese,
        )
        def check(region: str, born: dt.date, seq: int, before: str, after: str) -> None:
            body = f"{region}{born:%Y%m%d}{seq:03d}"
            number = body + id_check_char(body)
            text = before + number + after
            kinds = [f.kind for f in scanner.scan_text(text)]
            assert kinds == ["id_number"], (text, kinds)
            assert number not in scanner.mask_personal(text)

        check()

    def test_it_never_leaks_a_mobile_number_into_masked_text(self) -> None:
        from hypothesis import given, settings
        from hypothesis import strategies as st

        @settings(max_examples=200, deadline=None)
        @given(
            number=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
            before=st.text(alphabet="电话手机：，号", max_size=8),
        )
        def check(number: str, before: str) -> None:
            text = f"{before}{number}。"
            assert [f.kind for f in scanner.scan_text(text)] == ["mobile"]
            assert number not in scanner.mask_personal(text)

        check()
