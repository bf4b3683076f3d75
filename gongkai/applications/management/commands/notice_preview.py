"""Print the notice an applicant would get, without storing anything.

    python manage.py notice_preview --cell CODE --agency CODE --received YYYY-MM-DD \\
        --decided YYYY-MM-DD [--format text|pdf] [--output FILE]

``--cell`` is an outcome cell of report table 三 (``withhold_secret``, ``partial`` …), an
alternative reply notice (``not_this_agency``, ``disclose_published``) or a procedural
notice kind (``correction``, ``third_party`` …). The 条例 era follows ``--received``; the
remedy clause follows ``--decided`` (the issue date). For operators who edit templates
and for checking the legal-basis table (``docs/legal-basis.md``). A notice that cannot be
issued (e.g. its 行政复议机关 cannot be named) prints the Chinese reason and exits 2.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, Notice, NoticeKind, era_for
from gongkai.applications.notices import (
    OWN_CITATION_KINDS,
    NoticeTemplateMissing,
    doc_number_for,
    notice_blocks,
    notice_render,
)
from gongkai.lib.taxonomy import OUTCOMES_BY_CODE

ALTERNATIVE_CELL = {"not_this_agency": "unable_not_held", "disclose_published": "disclose"}


def preview_notice(
    *,
    cell: str,
    agency: Agency,
    received: dt.date,
    decided: dt.date,
    withheld_ground: str = "",
    responsible_agency: str = "",
    responsible_contact: str = "",
    legal_basis: str = "",
) -> Notice:
    """An unsaved ``Notice`` for ``cell`` as ``agency`` would issue it on ``decided``.

    Raises ``NoticeTemplateMissing`` (Chinese message) when it cannot be issued, and
    ``ValueError`` for an unknown cell."""
    if cell in OUTCOMES_BY_CODE:
        outcome, kind = cell, OUTCOMES_BY_CODE[cell].notice
    elif cell in OWN_CITATION_KINDS:
        outcome, kind = ALTERNATIVE_CELL[cell], cell
    elif cell in NoticeKind.values:
        outcome, kind = "", cell
    else:
        raise ValueError(f"不认识的办理结果或文书类型：{cell}")
    app = Application(
        agency=agency,
        year=decided.year,
        serial=0,
        number=f"预览-{received:%Y%m%d}",
        channel="letter",
        applicant_type="natural",
        era=era_for(received),
        applicant_name="张三",
        description="（申请内容示例）本机关2012年度的政府信息公开工作情况",
        received_on=received,
        due_on=received,
        outcome=outcome,
        reply_text="（答复内容示例）",
        legal_basis=legal_basis,
        withheld_ground=withheld_ground,
        responsible_agency_name=responsible_agency,
        responsible_agency_contact=responsible_contact,
        correction_items="（需补正事项示例）",
        correction_due_on=decided,
        reasons_items="（需说明理由事项示例）",
        reasons_due_on=decided,
        extension_workdays=20,
        extension_reason="（延期理由示例）",
        fee_due_on=decided,
        correction_requested_on=received,
        fee_notified_on=received,
    )
    extra = {"party": "（被征求意见方）", "consult_due_on": None, "fee_explanation": "（计算说明）"}
    template, title, paragraphs = notice_render(app, kind=kind, today=decided, extra=extra)
    return Notice(
        application=app,
        agency=agency,
        kind=kind,
        template=template,
        year=decided.year,
        serial=0,
        doc_number=doc_number_for(agency, decided.year, 0).replace("〕0号", "〕（预览）号"),
        title=title,
        recipient="" if kind in ("third_party", "agency_consult") else "张三：",
        paragraphs=paragraphs,
        issued_on=decided,
    )


def notice_text(notice: Notice) -> str:
    lines = []
    for block in notice_blocks(notice):
        text = block.get("text", "")
        if block["type"] == "signature":
            lines += ["", text, block.get("date", "")]
        elif block["type"] == "title":
            lines += [text, ""]
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "预览申请人将收到的告知书（不保存）：--cell 办理结果 --agency 机构代号 --received 收到日期 --decided 决定日期。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cell", required=True, help="办理结果代码，如 withhold_secret、partial"
        )
        parser.add_argument("--agency", required=True, help="机构代号，如 th-gov")
        parser.add_argument(
            "--received", required=True, help="收到申请之日 YYYY-MM-DD（定条例版本）"
        )
        parser.add_argument(
            "--decided", required=True, help="作出决定之日 YYYY-MM-DD（定救济规则）"
        )
        parser.add_argument("--format", choices=["text", "pdf"], default="text")
        parser.add_argument("--output", help="PDF 写入的文件（默认标准输出）")
        parser.add_argument(
            "--withheld-ground", default="", help="部分公开：不予公开部分的理由代码"
        )
        parser.add_argument("--responsible-agency", default="", help="非本机关：负责公开的机关名称")
        parser.add_argument("--responsible-contact", default="", help="非本机关：其联系方式")
        parser.add_argument("--legal-basis", default="", help="（六）3.其他：承办人写明的法律依据")

    def fail(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            received = dt.date.fromisoformat(opts["received"])
            decided = dt.date.fromisoformat(opts["decided"])
        except ValueError:
            self.fail("日期格式应为 YYYY-MM-DD。")
            return
        if decided < received:
            self.fail("决定日期不能早于收到申请之日。")
        agency = Agency.objects.filter(code=opts["agency"]).select_related("region").first()
        if agency is None:
            self.fail(f"没有代号为“{opts['agency']}”的机构。")
            return
        try:
            notice = preview_notice(
                cell=opts["cell"],
                agency=agency,
                received=received,
                decided=decided,
                withheld_ground=opts["withheld_ground"],
                responsible_agency=opts["responsible_agency"],
                responsible_contact=opts["responsible_contact"],
                legal_basis=opts["legal_basis"],
            )
        except (ValueError, NoticeTemplateMissing) as exc:
            self.fail(str(exc))
            return
        if opts["format"] == "text":
            self.stdout.write(notice_text(notice), ending="")
            return
        from gongkai.lib import pdf

        data = pdf.render(notice_blocks(notice), title=notice.title)
        if opts.get("output"):
            with open(opts["output"], "wb") as fh:
                fh.write(data)
            self.stdout.write(f"已写入 {opts['output']}（{len(data)} 字节）")
        else:
            sys.stdout.buffer.write(data)
