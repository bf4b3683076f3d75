"""Real .docx files for the Word-import tests, written with python-docx as Word would save them."""

from __future__ import annotations

import io

SIGNER = "通化市农业委员会"
SIGN_DATE = "2012年4月5日"


def png(color: tuple[int, int, int] = (200, 0, 0)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 30), color).save(out, "PNG")
    return out.getvalue()


def sample_docx(*, extra_paragraph: str = "") -> bytes:
    """A heading, a paragraph, a numbered list, a 2×2 table, an image and a right-aligned 落款."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = docx.Document()
    doc.add_heading("一、补贴对象和补贴标准", level=1)
    doc.add_paragraph("补贴对象为直接从事农业生产的个人和农业生产经营组织。")
    if extra_paragraph:
        doc.add_paragraph(extra_paragraph)
    doc.add_paragraph("耕整地机械", style="List Number")
    doc.add_paragraph("收获机械", style="List Number")
    table = doc.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "机具类别", "单机补贴上限"
    table.cell(1, 0).text, table.cell(1, 1).text = "收获机械", "12万元"
    doc.add_picture(io.BytesIO(png()), width=Mm(30))
    for text in (SIGNER, SIGN_DATE):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
