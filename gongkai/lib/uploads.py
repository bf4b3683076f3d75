"""One validator for every uploaded file: extension and content checked together.

Every upload field (catalog attachments and change requests, applications' ID proofs and
disclosed files, certificate-application scans, imports) calls ``check_upload`` (or the form
helper ``clean_upload``) with the extensions it accepts:

1. Active content is never accepted, whatever the field allows: HTML, SVG, XML, scripts,
   style sheets, Flash, executables (``ACTIVE_EXTENSIONS``) — a browser would run them from
   our origin.
2. The extension must be one the field accepts; the file must not be empty nor larger than
   ``UPLOAD_MAX_BYTES``.
3. The content must be what the extension says: PDF/JPEG/PNG by their signatures
   (``filetype``); DOCX/XLSX/OFD/ZIP as ZIP containers within the decompression limits of
   ``gongkai.lib.archive`` and, for DOCX/XLSX/OFD, holding their main part; DOC/XLS as OLE2
   compound files; TXT/CSV/JSON as UTF-8 or GB18030 text without control characters.
4. Whatever the declared type, content that starts like a web page or an SVG image (markup
   in the first kilobyte) is refused, so a PNG header glued to HTML under a ``.html``/``.svg``
   name, or HTML in a ``.txt``, is not stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings

from gongkai.lib.archive import ArchiveError, check_zip

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ofd": "application/ofd",
    "txt": "text/plain",
    "csv": "text/csv",
    "json": "application/json",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "zip": "application/zip",
}
ACTIVE_EXTENSIONS = frozenset(
    [
        "html",
        "htm",
        "xhtml",
        "shtml",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xml",
        "xsl",
        "xslt",
        "js",
        "mjs",
        "css",
        "swf",
        "php",
        "asp",
        "aspx",
        "jsp",
        "exe",
        "dll",
        "bat",
        "cmd",
        "com",
        "sh",
        "ps1",
        "vbs",
        "jar",
        "msi",
        "hta",
    ]
)
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "ofd": "OFD.xml"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|meta|\?xml|xsl)\b",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UploadError(ValueError):
    """A refused upload (message in Chinese)."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower().strip() if "." in name else ""


def _is_text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not _CONTROL.search(text)
    return False


def check_upload(name: str, data: bytes, *, allowed: Iterable[str], label: str = "附件") -> str:
    """The content type of an acceptable upload, or ``UploadError`` (see the module docstring)."""
    import filetype

    allowed = {a.lower().lstrip(".") for a in allowed}
    ext = extension(name)
    shown = f"{label}“{name}”"
    if ext in ACTIVE_EXTENSIONS:
        raise UploadError(
            f"{shown}是网页、矢量图、脚本或可执行文件：出于安全原因，不支持上传此类文件。"
        )
    if ext not in allowed:
        raise UploadError(
            f"{shown}的类型“{ext or '无扩展名'}”不支持，只接受："
            + "、".join(sorted(allowed))
            + "。"
        )
    if not data:
        raise UploadError(f"{shown}是空文件。")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UploadError(f"{shown}超过大小上限（{limit // (1024 * 1024)} MB）。")
    containers = ("docx", "xlsx", "ofd", "zip", "doc", "xls")  # checked by structure below
    if ext not in containers and _MARKUP.search(data[:1024]):
        raise UploadError(
            f"{shown}含有网页或脚本内容，出于安全原因不予接收（只接受："
            + "、".join(sorted(allowed))
            + "）。"
        )
    mismatch = f"{shown}的内容与扩展名 .{ext} 不符。"
    expected = MIME.get(ext, "application/octet-stream")
    if ext in ("txt", "csv", "json"):
        if not _is_text(data) or filetype.guess(data) is not None:
            raise UploadError(mismatch)
        return expected
    if ext in ("docx", "xlsx", "ofd", "zip"):
        try:
            names = check_zip(data, label=shown)
        except ArchiveError as exc:
            raise UploadError(str(exc)) from exc
        if ext in MAIN_PART and MAIN_PART[ext] not in names:
            raise UploadError(mismatch)
        return expected
    if ext in ("doc", "xls"):
        if not data.startswith(OLE2):
            raise UploadError(mismatch)
        return expected
    kind = filetype.guess(data)
    sniffed = kind.mime if kind else ""
    if sniffed != expected:
        raise UploadError(f"{mismatch[:-1]}（实际为 {sniffed or '未知类型'}）。")
    return expected


def clean_upload(f: Any, *, allowed: Iterable[str], label: str = "文件") -> Any:
    """Form helper: ``check_upload`` on an ``UploadedFile``, as a ``ValidationError``; the file
    is left rewound for whoever saves it."""
    from django import forms

    if f is None:
        return f
    if f.size is not None and f.size > max_upload_bytes():
        raise forms.ValidationError(
            f"{label}“{f.name}”超过大小上限（{max_upload_bytes() // (1024 * 1024)} MB）。"
        )
    f.seek(0)
    data = f.read()
    f.seek(0)
    try:
        check_upload(f.name or "", data, allowed=allowed, label=label)
    except UploadError as exc:
        raise forms.ValidationError(str(exc)) from exc
    return f
