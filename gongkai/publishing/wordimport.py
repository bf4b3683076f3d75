"""Word (.docx) → catalog body: what a clerk drafted in Word/WPS, as sanitised HTML.

1. Paragraph alignment is marked first: mammoth keeps structure (headings, paragraphs, lists,
   tables, bold/italic) but drops alignment, so each centred or right-aligned paragraph (a
   centred title, a right-aligned 落款) gets an invisible marker run, read with python-docx
   from its direct formatting or its style chain, and the marker becomes ``text-align``.
2. mammoth converts with a style map for Word's and WPS's heading names (English and
   Chinese): 标题/Title → h2, 标题 1 → h2, 标题 2 → h3, 标题 3+ → h4.
3. Images are taken out: each becomes an attachment (same checks as an upload) and a line
   "（图片：name，见附件）" stays where it was.
4. The result goes through the project's sanitiser (``sanitize_body``: nh3, only
   ``text-align`` survives of styles), and the confidentiality scan runs on its text.

``.doc``/``.wps`` (binary formats) are refused with a message saying to save as .docx: no
converter is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai.publishing import scanner
from gongkai.publishing.models import Revision
from gongkai.publishing.services.common import PublishingError, sanitize_body

ALIGN_MARK = "\ue000{}\ue001"  # private-use characters: never in a real document
# the innermost block before a marker (only inline tags may come between them)
ALIGN_RE = re.compile(
    r"<(p|h[1-6]|li|td|th)([^>]*)>((?:<(?:strong|em|b|i|u|s|sub|sup|a|span)\b[^>]*>)*)"
    r"\ue000(right|center)\ue001"
)
MAX_IMAGES = 30
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h2:fresh",
        "p[style-name='标题'] => h2:fresh",
        "p[style-name='heading 1'] => h2:fresh",
        "p[style-name='Heading 1'] => h2:fresh",
        "p[style-name='标题 1'] => h2:fresh",
        "p[style-name='Heading 2'] => h3:fresh",
        "p[style-name='heading 2'] => h3:fresh",
        "p[style-name='标题 2'] => h3:fresh",
        "p[style-name='Heading 3'] => h4:fresh",
        "p[style-name='heading 3'] => h4:fresh",
        "p[style-name='标题 3'] => h4:fresh",
        "p[style-name='Heading 4'] => h4:fresh",
        "p[style-name='标题 4'] => h4:fresh",
        "r[style-name='Strong'] => strong",
    ]
)


@dataclass
class WordImport:
    """The converted body, the images taken out of it, and what the user should know."""

    body: str
    images: list[tuple[str, bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _alignment(paragraph: Any) -> str:
    """ "right", "center" or "" for a python-docx paragraph (direct formatting, then styles)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    value = paragraph.paragraph_format.alignment
    style = paragraph.style
    while value is None and style is not None:
        value = style.paragraph_format.alignment
        style = style.base_style
    if value is None:
        return ""
    if value == WD_ALIGN_PARAGRAPH.RIGHT or value == getattr(WD_ALIGN_PARAGRAPH, "END", -1):
        return "right"
    if value == WD_ALIGN_PARAGRAPH.CENTER:
        return "center"
    return ""


def _mark_alignment(data: bytes) -> bytes:
    """The document with a marker run at the start of each centred/right-aligned paragraph."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    changed = False
    for p in list(document.element.body.iter(qn("w:p"))):
        paragraph = Paragraph(p, document)
        align = _alignment(paragraph)
        if not align or not paragraph.text.strip():
            continue
        run = paragraph.add_run(ALIGN_MARK.format(align))
        # move the new run (appended at the end) to the front of the paragraph's content
        p.remove(run._r)
        ppr = p.find(qn("w:pPr"))
        p.insert(1 if ppr is not None else 0, run._r)
        changed = True
    if not changed:
        return data
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _apply_alignment(html: str) -> str:
    def repl(m: re.Match[str]) -> str:
        tag, attrs, inner, align = m.groups()
        return f'<{tag}{attrs} style="text-align:{align}">{inner}'

    html = ALIGN_RE.sub(repl, html)
    return html.replace("\ue000", "").replace("\ue001", "")


def docx_to_body(name: str, data: bytes) -> WordImport:
    """Convert an uploaded Word file; raises ``PublishingError`` (Chinese) when it cannot."""
    import mammoth

    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in ("doc", "wps"):
        raise PublishingError(f"暂不支持“.{ext}”格式：请在 Word 或 WPS 中“另存为” .docx 后再导入。")
    if ext != "docx":
        raise PublishingError("请上传 Word 文档（.docx）。")
    if not data:
        raise PublishingError(f"“{name}”是空文件。")
    if len(data) > scanner.max_upload_bytes():
        raise PublishingError(
            f"“{name}”超过大小上限（{scanner.max_upload_bytes() // (1024 * 1024)} MB）。"
        )
    try:
        scanner.check_upload(name, data)
        marked = _mark_alignment(data)
    except (scanner.UploadError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise PublishingError(f"“{name}”不是有效的 Word 文档（.docx），无法导入。") from exc
    images: list[tuple[str, bytes]] = []
    warnings: list[str] = []

    def convert_image(image: Any) -> dict[str, str]:
        ext_of = {"image/png": "png", "image/jpeg": "jpg"}
        if len(images) >= MAX_IMAGES:
            warnings.append(f"图片超过{MAX_IMAGES}张，其余未导入。")
            return {"alt": "\ue002"}
        with image.open() as handle:
            blob = handle.read()
        kind = ext_of.get(image.content_type or "")
        if kind is None:
            warnings.append(
                f"一张{image.content_type or '未知'}格式的图片未导入（只支持PNG和JPEG），请另存为图片后作为附件上传。"
            )
            return {"alt": "\ue002"}
        stem = name.rsplit(".", 1)[0][:80]
        images.append((f"{stem}-图{len(images) + 1}.{kind}", blob))
        return {"alt": f"\ue003{len(images)}\ue004"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(marked),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(convert_image),
        )
    except Exception as exc:  # noqa: BLE001 - a malformed document is the user's input
        raise PublishingError(
            f"“{name}”无法读取（{type(exc).__name__}），请检查文档后重试。"
        ) from exc
    html = _apply_alignment(result.value)
    # each image becomes a line naming its attachment
    html = re.sub(
        r'<img [^>]*alt="\ue003(\d+)\ue004"[^>]*/?>',
        lambda m: f"（图片：{images[int(m[1]) - 1][0]}，见附件）",
        html,
    )
    html = re.sub(r'<img [^>]*alt="\ue002"[^>]*/?>', "", html)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    body = sanitize_body(html)
    if not scanner.html_to_text(body).strip() and not images:
        raise PublishingError(f"“{name}”中没有可导入的正文。")
    return WordImport(body=body, images=images, warnings=list(dict.fromkeys(warnings)))


def revision_import_word(
    *, revision: Revision, by: Any, name: str, data: bytes, now: dt.datetime | None = None
) -> tuple[Revision, WordImport, list[scanner.Finding]]:
    """从Word导入正文: replace the revision's body with the document's, images as attachments.

    1. Convert (``docx_to_body``), refusing what is not a .docx;
    2. in one transaction: the body through ``revision_update`` (its guards: author, status,
       detail-only after 终审), then each image through ``attachment_add`` (upload checks,
       audit);
    3. return the confidentiality scan's findings on the new body, shown to the clerk at once
       (publication runs the scan again and blocks on them).
    """
    from gongkai.publishing import services

    converted = docx_to_body(name, data)
    with transaction.atomic():
        rev = services.revision_update(revision=revision, by=by, fields={"body": converted.body})
        for image_name, blob in converted.images:
            services.attachment_add(item=rev.item, by=by, name=image_name, data=blob, now=now)
    findings = scanner.scan_text(scanner.html_to_text(converted.body), source="正文")
    return rev, converted, findings
