"""Importing historical applications handled on another system (``import_applications``).

Columns (first row, Chinese headers; order free; docs/annual-report-json.md):

| 列名 | 必填 | 内容 |
|---|---|---|
| 机构代号 | 是 | the agency's code, e.g. th-mzj |
| 收到日期 | 是 | YYYY-MM-DD (Art 31 receipt date) |
| 申请方式 | 是 | 网上申请 / 信函 / 当面 / 传真 / 电子邮件 / 口头（代为填写） / 其他 (or the stored value) |
| 申请人类型 | 是 | 自然人 / 商业企业 / 科研机构 / 社会公益组织 / 法律服务机构 / 其他 |
| 办理结果 | 否 | the exact row label of table 三 (e.g. （一）予以公开, 1.属于国家秘密); empty = still open |
| 答复日期 | 否 | YYYY-MM-DD; required with a result |
| 信息处理费（元） | 否 | a non-negative amount |
| 申请人 / 内容描述 | 否 | free text (defaults: 历史申请 / 历史数据导入) |

All or nothing: every row is checked first; one bad row imports nothing, and every rejected
row is reported with its line number and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_log
from gongkai.lib import tabular
from gongkai.lib.taxonomy import OUTCOME_CELLS, ApplicantType, Channel

REQUIRED = ["机构代号", "收到日期", "申请方式", "申请人类型"]
MAX_ROWS = 200_000
OPTIONAL = ["办理结果", "答复日期", "信息处理费（元）", "申请人", "内容描述"]
CHANNEL_ALIASES = {"网上": "online", "当面受理": "in_person", "信函受理": "letter", "邮件": "email"}


class ImportFileError(ValueError):
    """The file cannot be read as a table (Chinese message)."""


@dataclass
class Rejected:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.reason}"


def _outcome_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for c in OUTCOME_CELLS:
        out[c.code] = c.code
        out[c.label] = c.code
        if c.group:
            out[c.group + c.label] = c.code
    return out


def _check_header(header: list[str]) -> None:
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ImportFileError("缺少必需的列：" + "、".join(missing) + "。")


def read_table(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a CSV or XLSX file as {header: value} (``gongkai.lib.tabular``)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"无法读取文件“{path}”：{exc.strerror}。") from exc
    try:
        table = tabular.read_table(path.name, raw, max_rows=MAX_ROWS, check_header=_check_header)
    except tabular.TabularError as exc:
        raise ImportFileError(str(exc)) from exc
    return table.records()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


def validate_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Rejected]]:
    """Clean every row; returns (cleaned rows, rejected rows)."""
    agencies = {a.code: a for a in Agency.objects.all()}
    channels = {label: value for value, label in Channel.choices} | {v: v for v in Channel.values}
    channels |= CHANNEL_ALIASES
    types = {label: value for value, label in ApplicantType.choices} | {
        v: v for v in ApplicantType.values
    }
    outcomes = _outcome_lookup()
    cleaned: list[dict[str, Any]] = []
    rejected: list[Rejected] = []
    for line, row in enumerate(rows, start=2):
        reasons: list[str] = []

        def text(key: str, row: dict = row) -> str:
            value = row.get(key)
            return "" if value is None else str(value).strip()

        agency = agencies.get(text("机构代号"))
        if agency is None:
            reasons.append(f"机构代号“{text('机构代号')}”不存在")
        received = replied = None
        try:
            received = _date(row.get("收到日期"))
            if received is None:
                reasons.append("缺少收到日期")
        except ValueError:
            reasons.append(f"收到日期“{text('收到日期')}”应为YYYY-MM-DD格式")
        try:
            replied = _date(row.get("答复日期"))
        except ValueError:
            reasons.append(f"答复日期“{text('答复日期')}”应为YYYY-MM-DD格式")
        channel = channels.get(text("申请方式"))
        if channel is None:
            reasons.append(f"申请方式“{text('申请方式')}”不可识别")
        applicant_type = types.get(text("申请人类型"))
        if applicant_type is None:
            reasons.append(f"申请人类型“{text('申请人类型')}”不可识别")
        outcome = ""
        if text("办理结果"):
            outcome = outcomes.get(text("办理结果").replace(" ", ""), "")
            if not outcome:
                reasons.append(f"办理结果“{text('办理结果')}”不是表三的行名称")
        if outcome and replied is None and not any("答复日期" in r for r in reasons):
            reasons.append("有办理结果时须填写答复日期")
        if replied and not outcome:
            reasons.append("有答复日期时须填写办理结果")
        if received and replied and replied < received:
            reasons.append("答复日期早于收到日期")
        fee = Decimal(0)
        if text("信息处理费（元）"):
            try:
                fee = Decimal(text("信息处理费（元）").replace(",", ""))
                if fee < 0 or not fee.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                reasons.append(f"信息处理费“{text('信息处理费（元）')}”应为非负金额")
        if reasons:
            rejected.append(Rejected(line, "；".join(reasons) + "。"))
            continue
        cleaned.append(
            {
                "agency": agency,
                "received_on": received,
                "channel": channel,
                "applicant_type": applicant_type,
                "outcome": outcome,
                "replied_on": replied,
                "fee_amount": fee.quantize(Decimal("0.01")),
                "applicant_name": text("申请人")[:100] or "历史申请",
                "description": text("内容描述") or "历史数据导入",
            }
        )
    return cleaned, rejected


def import_applications(
    rows: list[dict[str, Any]], *, by: Any = None, source: str = ""
) -> tuple[int, list[Rejected]]:
    """Create the applications of ``rows`` (all or nothing). Numbers come from the same
    gap-free per-agency yearly counter as live applications."""
    from gongkai.applications.models import Application, era_for
    from gongkai.numbering.services import counter_next

    cleaned, rejected = validate_rows(rows)
    if rejected:
        return 0, rejected
    with transaction.atomic():
        objs = []
        for r in cleaned:
            year = r["received_on"].year
            serial = counter_next(scope="application", period=str(year), agency=r["agency"])
            done = r["outcome"] != ""
            objs.append(
                Application(
                    year=year,
                    serial=serial,
                    number=f"{r['agency'].code.upper()}-{year}-{serial:05d}",
                    era=era_for(r["received_on"]),
                    status=Application.Status.CLOSED if done else Application.Status.PROCESSING,
                    closed_on=r["replied_on"] if done else None,
                    **r,
                )
            )
        Application.objects.bulk_create(objs, batch_size=1000)
        audit_log(
            "reports.applications.imported",
            actor=by,
            object_type="applications.application",
            message=f"导入历史政府信息公开申请{len(objs)}件" + (f"（{source}）" if source else ""),
            changes={"count": [0, len(objs)]},
        )
    return len(cleaned), []
