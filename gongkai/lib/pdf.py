"""HTML or document blocks → PDF, laid out as an official document after GB/T 9704-2012.

``render(source)`` takes either an HTML string (rendered with the official-document
stylesheet unless it brings its own) or a list of *blocks* — the same structure
``gongkai.lib.docx.render`` takes, so one document can be produced in both formats:

    {"type": "masthead", "text": "通化市民政局"}          发文机关标志 (red, with the red rule)
    {"type": "doc_number", "text": "通化市民政局信公〔2026〕3号"}
    {"type": "title", "text": "政府信息公开告知书"}
    {"type": "recipient", "text": "张三："}                主送
    {"type": "paragraph", "text": "…"}                     body, 2-character first-line indent
    {"type": "heading", "text": "一、…"}                   一级标题 (黑体)
    {"type": "table", "rows": [["a", "b"], …], "header": True}
    {"type": "signature", "text": "通化市民政局", "date": "2026年11月28日", "seal": True}
    {"type": "note", "text": "…"}                          附注 / small print
    {"type": "page_break"}

Layout (GB/T 9704-2012 §5, §7): A4; margins top 37 mm, bottom 35 mm, left 28 mm, right
26 mm (版心 156 × 225 mm); body 3号 (16 pt) 仿宋-style, 22 lines × 28 characters; title
2号 (22 pt) bold serif; page numbers 4号 "— 1 —" at the foot. The Noto CJK fonts
(Debian ``fonts-noto-cjk``) stand in for 仿宋/小标宋 and are embedded (subset) in the PDF.

When WeasyPrint or its system libraries (Pango) are missing, ``render`` raises
``PdfUnavailableError`` with a Chinese message naming the Debian packages; callers turn
it into a message, never a 500.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

Block = dict[str, Any]
logger = logging.getLogger(__name__)

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libfontconfig1 fonts-noto-cjk"

OFFICIAL_CSS = """
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {
    content: "— " counter(page) " —";
    font-family: "Noto Serif CJK SC", serif;
    font-size: 14pt;
  }
}
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt; color: #000; }
body { margin: 0; line-height: 28.9pt; }
p { margin: 0; text-align: justify; }
.masthead { color: #c00; text-align: center; font-size: 28pt; font-weight: 700;
  letter-spacing: 2pt; line-height: 1.2; margin-top: 0; }
.red-rule { height: 0; border-bottom: 2.2pt solid #c00; margin: 4pt 0 16pt 0; }
.doc-number { text-align: center; margin-bottom: 6pt; }
.title { text-align: center; font-size: 22pt; font-weight: 700; line-height: 1.45;
  margin: 6pt 0 14pt 0; }
.recipient { text-indent: 0; margin-bottom: 0; }
.paragraph { text-indent: 2em; white-space: pre-wrap; }
.heading { font-family: "Noto Sans CJK SC", sans-serif; text-indent: 2em; }
.note { font-size: 12pt; line-height: 16pt; margin-top: 2pt; text-indent: 2em; }
/* 落款 (GB/T 9704-2012 §7.3.5.1): the seal's top within one line of the body, the seal pressing
   on the agency name and date which sit a little below its centre. The block is as tall as
   the seal, so the 附注 after it never runs under the circle. */
.signature { margin-top: 10pt; position: relative; height: 42mm; text-align: right;
  padding-right: 4em; padding-top: 15mm; box-sizing: border-box; break-inside: avoid; }
.signature.no-seal { height: auto; padding-top: 14pt; }
.signature .sig-name, .signature .sig-date { display: block; text-align: right;
  position: relative; }
.seal { position: absolute; right: 3.2em; top: 0; width: 42mm; height: 42mm;
  border: 1.2pt dashed #c00; border-radius: 50%; color: #c00; font-size: 12pt;
  padding-top: 5mm; box-sizing: border-box; text-align: center; line-height: 1; opacity: 0.8; }
/* the last body paragraph, the 落款 and the 附注 stay on one page: never a signature alone */
.closing { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 1.5; margin: 8pt 0; }
th, td { border: 0.75pt solid #000; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { font-family: "Noto Sans CJK SC", sans-serif; font-weight: 400; }
.page-break { page-break-after: always; }
"""


# line heights tried (in order) to keep a closing group on the body's last page
TIGHTER_LINES = ("26pt", "24pt")


class PdfUnavailableError(RuntimeError):
    """PDF output is not possible on this machine (WeasyPrint or Pango missing)."""


def _text(block: Block) -> str:
    return escape(str(block.get("text", "")))


def blocks_to_html(blocks: Sequence[Block], *, title: str = "") -> str:
    """The HTML (with the official-document stylesheet) for a list of blocks."""
    parts: list[str] = []
    sig = next((i for i, b in enumerate(blocks) if b.get("type") == "signature"), None)
    # the closing group: the last body paragraph before the 落款, the 落款, the 附注 after it
    first_closing = last_closing = -1
    if sig is not None:
        first_closing = (
            sig - 1 if sig > 0 and blocks[sig - 1].get("type", "paragraph") == "paragraph" else sig
        )
        last_closing = sig
        while last_closing + 1 < len(blocks) and blocks[last_closing + 1].get("type") == "note":
            last_closing += 1
    for index, block in enumerate(blocks):
        if index == first_closing:
            parts.append('<div class="closing">')
        kind = block.get("type", "paragraph")
        if kind == "masthead":
            parts.append(f'<p class="masthead">{_text(block)}</p><div class="red-rule"></div>')
        elif kind == "doc_number":
            parts.append(f'<p class="doc-number">{_text(block)}</p>')
        elif kind == "title":
            parts.append(f'<h1 class="title">{_text(block)}</h1>')
        elif kind == "recipient":
            parts.append(f'<p class="recipient">{_text(block)}</p>')
        elif kind == "heading":
            parts.append(f'<p class="heading">{_text(block)}</p>')
        elif kind == "note":
            parts.append(f'<p class="note">{_text(block)}</p>')
        elif kind == "table":
            rows = block.get("rows", [])
            html_rows = []
            for i, row in enumerate(rows):
                tag = "th" if block.get("header") and i == 0 else "td"
                cells = "".join(f"<{tag}>{escape(str(c))}</{tag}>" for c in row)
                html_rows.append(f"<tr>{cells}</tr>")
            parts.append(f"<table>{''.join(html_rows)}</table>")
        elif kind == "signature":
            seal = '<span class="seal">（印章）</span>' if block.get("seal") else ""
            css = "signature" if block.get("seal") else "signature no-seal"
            parts.append(
                f'<div class="{css}">{seal}<span class="sig-name">{_text(block)}</span>'
                f'<span class="sig-date">{escape(str(block.get("date", "")))}</span></div>'
            )
        elif kind == "page_break":
            parts.append('<div class="page-break"></div>')
        else:
            parts.append(f'<p class="paragraph">{_text(block)}</p>')
        if index == last_closing:
            parts.append("</div>")
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{OFFICIAL_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


@functools.cache
def cjk_fonts_available() -> bool:
    """Whether fontconfig knows a Chinese font (without one every character is a box)."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            found = subprocess.run(
                [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20
            ).stdout
        except (OSError, subprocess.SubprocessError):
            found = ""
        return bool(found.strip())
    dirs = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
    return any(next(Path(d).glob("**/*CJK*"), None) for d in dirs if os.path.isdir(d))


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz shared libraries missing
        raise PdfUnavailableError(
            "无法生成PDF：缺少 WeasyPrint 或其依赖的系统库（Pango）。"
            f"请安装 Debian 软件包：apt-get install {DEBIAN_PACKAGES}，"
            "并在虚拟环境中安装 weasyprint。"
        ) from exc
    return weasyprint


def render(source: str | Sequence[Block], *, title: str = "", base_url: str | None = None) -> bytes:
    """PDF bytes for an HTML string or a list of blocks (see the module docstring)."""
    weasyprint = _weasyprint()
    if not cjk_fonts_available():
        logger.warning(
            "没有中文字体，PDF中的汉字将无法显示。请安装 Debian 软件包：apt-get install fonts-noto-cjk"
        )
    if isinstance(source, str):
        html = source
        if "<style" not in html and "stylesheet" not in html:
            html = f"<style>{OFFICIAL_CSS}</style>" + html
    else:
        html = blocks_to_html(source, title=title)
    try:
        document = weasyprint.HTML(string=html, base_url=base_url).render()
        if not isinstance(source, str) and len(document.pages) > 1 and "closing" in html:
            # GB/T 9704-2012 §7.3.5.1: when the 落款 and seal do not fit in the space left,
            # adjust the line spacing rather than carry them over; tighten in two small steps
            # and keep the first layout that saves the page.
            for line in TIGHTER_LINES:
                tighter = html.replace("</style>", f"body {{ line-height: {line}; }}</style>", 1)
                candidate = weasyprint.HTML(string=tighter, base_url=base_url).render()
                if len(candidate.pages) < len(document.pages):
                    document = candidate
                    break
        return bytes(document.write_pdf())
    except OSError as exc:  # pragma: no cover - broken font configuration
        raise PdfUnavailableError(
            f"生成PDF失败（{exc}）。请确认已安装 Debian 软件包：{DEBIAN_PACKAGES}。"
        ) from exc
