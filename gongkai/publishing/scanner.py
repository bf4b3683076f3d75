"""保密审查: a scanner for personal data and classification markings, and upload checks.

``scan_text`` finds, each with its context:
* 身份证号 — 18 characters whose check character is right (``codes.id_number_valid``);
* 手机号 — 11 digits starting 13–19;
* 银行卡号 — 16–19 digits passing Luhn (and not already an ID number);
* 电子邮箱;
* 密级标志 — 绝密/机密/秘密, with or without ★ and a 期限 (``秘密★1年``), in the forms
  that mark a document (not the bare word inside 保密工作 etc.);
* words of the configurable list ``settings.PUBLISHING_SCAN_WORDS`` (default: 内部资料 …).

``extract_text`` reads PDF, DOCX, XLSX and TXT; ``check_upload`` sniffs the real type of an
upload with ``filetype`` and refuses files whose content does not match their extension.
``mask_personal`` replaces ID and mobile numbers for search indexing.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings

from gongkai.lib import archive, codes, uploads

ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
CARD_RE = re.compile(r"(?<!\d)\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# A 密级 marking: the word followed by ★ (optionally a 期限), or in 【】/［］ brackets, or a
# "密级：机密" label. The bare word in prose (保密工作, 秘密会议?) is not a marking.
SECRET_RE = re.compile(
    r"(?:密级[:：]\s*)(绝密|机密|秘密)"
    r"|(绝密|机密|秘密)\s*[★☆*]\s*(?:\d+\s*(?:年|个月|月|天|日))?"
    r"|[【\[［(（](绝密|机密|秘密)[】\]］)）]"
)
DEFAULT_WORDS = ["内部资料", "内部文件", "注意保存", "不得外传", "涉密", "国家秘密"]
CONTEXT = 15

KIND_LABELS = {
    "id_number": "身份证号",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "secret": "密级标志",
    "word": "敏感词",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    label: str
    match: str  # masked for personal data
    context: str  # the surrounding text, personal data masked
    source: str  # "正文" or the attachment name
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def scan_words() -> list[str]:
    words = getattr(settings, "PUBLISHING_SCAN_WORDS", None)
    return [w for w in (words if words is not None else DEFAULT_WORDS) if w]


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML (tags dropped, entities decoded, blocks on lines)."""
    value = re.sub(r"<(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", "\n", value or "", flags=re.I)
    value = re.sub(r"<[^>]+>", "", value)
    return html.unescape(value)


def _masked(kind: str, value: str) -> str:
    if kind in ("id_number", "bank_card"):
        return codes.mask(value.replace(" ", "").replace("-", ""), keep_start=4, keep_end=4)
    if kind == "mobile":
        return codes.mask(value[-11:], keep_start=3, keep_end=4)
    return value


def scan_text(text: str, *, source: str = "正文") -> list[Finding]:
    """Every finding in ``text`` in order of position, with masked context."""
    text = text or ""
    spans: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, value: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        spans.append((start, end, kind, value))

    for m in ID_RE.finditer(text):
        if codes.id_number_valid(m.group().upper()):
            add(m.start(), m.end(), "id_number", m.group())
    for m in CARD_RE.finditer(text):
        digits = re.sub(r"[ -]", "", m.group())
        if 16 <= len(digits) <= 19 and codes.luhn_valid(digits):
            add(m.start(), m.end(), "bank_card", m.group())
    for m in MOBILE_RE.finditer(text):
        add(m.start(), m.end(), "mobile", m.group())
    for m in EMAIL_RE.finditer(text):
        add(m.start(), m.end(), "email", m.group())
    for m in SECRET_RE.finditer(text):
        add(m.start(), m.end(), "secret", m.group())
    for word in scan_words():
        for m in re.finditer(re.escape(word), text):
            add(m.start(), m.end(), "word", m.group())
    spans.sort()
    findings = []
    for start, end, kind, value in spans:
        before = mask_personal(text[max(0, start - CONTEXT) : start])
        after = mask_personal(text[end : end + CONTEXT])
        shown = _masked(kind, value)
        context = f"…{before}【{shown}】{after}…".replace("\n", " ")
        findings.append(Finding(kind, KIND_LABELS[kind], shown, context, source, start))
    return findings


def mask_personal(text: str) -> str:
    """Replace valid ID numbers, bank cards and mobile numbers by masked forms (for indexing)."""

    def id_sub(m: re.Match[str]) -> str:
        return (
            _masked("id_number", m.group())
            if codes.id_number_valid(m.group().upper())
            else m.group()
        )

    def card_sub(m: re.Match[str]) -> str:
        digits = re.sub(r"[ -]", "", m.group())
        ok = 16 <= len(digits) <= 19 and codes.luhn_valid(digits)
        return _masked("bank_card", m.group()) if ok else m.group()

    text = ID_RE.sub(id_sub, text or "")
    text = CARD_RE.sub(card_sub, text)
    return MOBILE_RE.sub(lambda m: _masked("mobile", m.group()), text)


# --- attachments ---------------------------------------------------------------------------

ALLOWED_EXTENSIONS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}


UploadError = uploads.UploadError  # one class for every upload field (gongkai.lib.uploads)


def max_upload_bytes() -> int:
    return uploads.max_upload_bytes()


def check_upload(name: str, data: bytes) -> str:
    """Return the content type of a valid attachment, or raise ``UploadError``
    (``gongkai.lib.uploads.check_upload`` over ``ALLOWED_EXTENSIONS``: extension and content
    together, no active content, ZIP containers within the decompression limits)."""
    return uploads.check_upload(name, data, allowed=ALLOWED_EXTENSIONS)


def extract_text(name: str, data: bytes, *, limit: int = archive.MAX_TEXT_CHARS) -> str:
    """Plain text of a PDF, DOCX, XLSX or TXT file, at most ``limit`` characters ("" for other
    types or unreadable files).

    Memory stays bounded whatever the file: ZIP containers are checked first
    (``archive.check_zip``), DOCX is streamed (``iterparse``) rather than loaded whole, and every
    format stops reading once ``limit`` characters are collected."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    try:
        if ext == "txt":
            head = data[: limit * 4]
            try:
                return archive.cap_text(head.decode("utf-8"), limit)
            except UnicodeDecodeError:
                return archive.cap_text(head.decode("gb18030", errors="replace"), limit)
        if ext == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            pdf_parts: list[str] = []
            size = 0
            for page in reader.pages[:MAX_PDF_PAGES]:
                text = page.extract_text() or ""
                pdf_parts.append(text)
                size += len(text) + 1
                if size >= limit:
                    break
            return archive.cap_text("\n".join(pdf_parts), limit)
        if ext in ("docx", "xlsx"):
            archive.check_zip(data)
        if ext == "docx":
            return _docx_text(data, limit)
        if ext == "xlsx":
            import openpyxl

            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            lines = []
            size = 0
            try:
                for ws in wb.worksheets:
                    for row in ws.iter_rows(values_only=True):
                        cells = [str(c) for c in row if c is not None]
                        if cells:
                            lines.append(" ".join(cells))
                            size += len(lines[-1]) + 1
                        if size >= limit:
                            return archive.cap_text("\n".join(lines), limit)
            finally:
                wb.close()
            return "\n".join(lines)
    except Exception:  # noqa: BLE001 - a damaged or oversized file yields no text; the scan says so
        return ""
    return ""


MAX_PDF_PAGES = 2000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(data: bytes, limit: int) -> str:
    """Paragraph texts of ``word/document.xml`` (table cells included), streamed."""
    import zipfile

    from lxml import etree

    parts: list[str] = []
    size = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open("word/document.xml") as fh:
        current: list[str] = []
        for _event, el in etree.iterparse(fh, events=("end",), huge_tree=False):
            if el.tag == _W + "t" and el.text:
                current.append(el.text)
                size += len(el.text)
            elif el.tag == _W + "tab":
                current.append("\t")
            elif el.tag == _W + "p":
                parts.append("".join(current))
                current = []
                size += 1
                el.clear()
            if size >= limit:
                parts.append("".join(current))
                break
    return archive.cap_text("\n".join(parts), limit)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
