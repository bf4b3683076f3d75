"""Document blocks → DOCX (python-docx), with the same official-document layout as ``pdf``.

``render(blocks)`` takes the block list described in ``gongkai.lib.pdf`` (masthead,
doc_number, title, recipient, paragraph, heading, table, signature, note, page_break) or a
plain string (one paragraph per blank-line separated block). Page set-up follows
GB/T 9704-2012: A4, margins 37/35/28/26 mm, body 3号 (16 pt) 仿宋, title 2号 (22 pt)
方正小标宋/宋体, fixed 28.9 pt line spacing; East-Asian fonts are set on every run so Word
and WPS pick 仿宋_GB2312 where installed (fonts are not embedded in DOCX).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

Block = dict[str, Any]

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def _set_font(
    run: Any, name: str, size_pt: float, *, bold: bool = False, color: Any = None
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
    color: Any = None,
) -> Any:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.9 if size <= 16 else size * 1.45)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _set_font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _set_properties(doc: Any, *, title: str, author: str) -> None:
    """Document properties of our own, not python-docx's template ("python-docx", "generated
    by python-docx", created 2013): Word/WPS show them under 文件 → 属性."""
    import datetime as dt

    if not author:
        from django.conf import settings

        author = str(getattr(settings, "SITE_NAME", "") or "政府信息公开平台")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.keywords = ""
    props.created = now
    props.modified = now
    props.revision = 1


def render(source: str | Sequence[Block], *, title: str = "", author: str = "") -> bytes:
    """DOCX bytes for a list of blocks (or a plain text); ``author`` defaults to the site name."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    if isinstance(source, str):
        blocks: Sequence[Block] = [
            {"type": "paragraph", "text": part.strip()}
            for part in source.split("\n\n")
            if part.strip()
        ]
    else:
        blocks = source
    doc = Document()
    _set_properties(doc, title=title, author=author)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    red = RGBColor(0xCC, 0x00, 0x00)
    for block in blocks:
        kind = block.get("type", "paragraph")
        text = str(block.get("text", ""))
        if kind == "masthead":
            _paragraph(
                doc,
                text,
                font=TITLE_FONT,
                size=30,
                bold=True,
                align=WD_ALIGN_PARAGRAPH.CENTER,
                color=red,
            )
            _paragraph(doc, "━" * 20, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, color=red)
        elif kind == "doc_number":
            _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif kind == "title":
            _paragraph(
                doc, text, font=TITLE_FONT, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
            )
            _paragraph(doc, "", size=16)
        elif kind == "recipient":
            _paragraph(doc, text)
        elif kind == "heading":
            _paragraph(doc, text, font=HEADING_FONT, indent=True)
        elif kind == "note":
            _paragraph(doc, text, size=12)
        elif kind == "table":
            rows = block.get("rows", [])
            if rows:
                table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
                table.style = "Table Grid"
                for i, row in enumerate(rows):
                    for j, cell in enumerate(row):
                        cell_p = table.cell(i, j).paragraphs[0]
                        _set_font(
                            cell_p.add_run(str(cell)),
                            BODY_FONT,
                            12,
                            bold=bool(block.get("header") and i == 0),
                        )
        elif kind == "signature":
            _paragraph(doc, "", size=16)
            if block.get("seal"):
                _paragraph(doc, "（印章）", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, color=red)
            p = _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(64)
            p = _paragraph(doc, str(block.get("date", "")), align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(64)
        elif kind == "page_break":
            doc.add_page_break()
        else:
            for part in text.split("\n"):
                _paragraph(doc, part, indent=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
