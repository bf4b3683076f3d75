"""The closed set of ``{名称}`` placeholders of a report's narrative, and filling them safely.

A narrative is hand-typed text in which ``{本年主动公开政府信息条数}`` and the like are
replaced by the report's figures. Only a name of ``PLACEHOLDERS`` in braces is a placeholder:
no format specs (``{名称:>2000000}`` once inflated a page to 8 MB), no attribute or index
access (``{x.y}``, ``{a[b]}`` once made a report and its downloads fail for good). Saving
refuses any other ``{…}`` with the list of allowed names; rendering leaves anything else as
typed, so a narrative stored before this check still renders.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

# Every key of ``compute.Figures.values`` plus 年度 and 机关 (a test keeps the two in step).
PLACEHOLDERS: tuple[str, ...] = (
    "年度",
    "机关",
    "累计主动公开政府信息条数",
    "本年主动公开政府信息条数",
    "生成至网上公开不超过20个工作日条数",
    "生成至网上公开超过20个工作日条数",
    "受理政府信息公开申请件次",
    "已答复件次",
    "收费金额（元）",
    "行政复议受理件次",
    "行政复议办结件次",
    "行政复议维持原行为件次",
    "行政诉讼件次",
    "行政申诉件次",
    "投诉举报件次",
    "专职人员",
    "兼职人员",
    "从事政府信息公开工作人数",
    "公共查阅点数",
    "可电子查阅的查阅点数",
    "查阅点汇集纸质信息条数",
    "查阅点汇集电子信息条数",
    "生成至查阅点报送不超过30个工作日条数",
    "查阅点接待公众人次",
    "查阅点借阅文件件次",
    "新闻发布会次数",
    "新闻发布会发布信息项数",
    "政府公报期数",
    "政府公报发放份数",
    "培训次数",
    "培训人数",
    "监督检查次数",
    "平台维护升级次数",
    "政务公开专栏数",
    "专栏点击次数",
    "收到网民留言件数",
    "办结网民留言件数",
    "按期答复网民留言件数",
    "发布政策解读篇数",
    "回应社会关切次数",
    "开展意见征集期数",
    "开展网上调查期数",
    "举办在线访谈期数",
)
_ALLOWED = frozenset(PLACEHOLDERS)
_TOKEN = re.compile(r"\{([^{}]{0,60})\}")


def unknown_placeholders(text: str) -> list[str]:
    """The ``{…}`` of ``text`` that are not allowed placeholders, each once, as typed."""
    seen: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.group(1) not in _ALLOWED and m.group(0) not in seen:
            seen.append(m.group(0))
    return seen


def placeholder_error(text: str) -> str:
    """A Chinese error naming the unknown placeholders and listing the allowed ones, or ""."""
    bad = unknown_placeholders(text)
    if not bad:
        return ""
    shown = "、".join(bad[:5]) + ("等" if len(bad) > 5 else "")
    allowed = "、".join("{" + p + "}" for p in PLACEHOLDERS)
    return f"无法识别的占位符：{shown}。可用的占位符只有：{allowed}。"


def _plain(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def fill(text: str, values: dict[str, Any]) -> str:
    """``text`` with every allowed ``{名称}`` known in ``values`` replaced; anything else as typed."""

    def replace(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _ALLOWED and name in values:
            return _plain(values[name])
        return m.group(0)

    return _TOKEN.sub(replace, text)
