"""A computed report as a document: its JSON form, HTML, PDF, DOCX, CSV and XLSX.

``build_report_data(scope, year, style, narrative)`` returns the JSON form (the thing a
published report freezes); every other format is rendered from that JSON alone, so a
frozen report renders the same forever.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from gongkai.lib.taxonomy import OUTCOMES_BY_CODE, TABLE3_COLUMNS, ContentClass
from gongkai.reports import charts, placeholders
from gongkai.reports.compute import (
    CHANNEL_GROUPS_2012,
    LEVEL_LABELS_2012,
    Scope,
    compute_report_2021,
)
from gongkai.reports.tables import (
    TABLE2_LAYOUT,
    TABLE4_AFTER_REVIEW,
    TABLE4_DIRECT,
    TABLE4_LITIGATION,
    TABLE4_OUTCOMES,
    TABLE4_REVIEW,
    iter_table3_paths,
    share,
)

SECTIONS_2021 = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
# editable narrative sections and their default text; {名称} is filled from the figures
DEFAULT_NARRATIVE_2021 = {
    "前言": (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国"
        "政府信息公开工作年度报告格式》要求编制，全文包括总体情况、主动公开政府信息情况、收到和"
        "处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进"
        "情况、其他需要报告的事项。所列数据统计期限为{年度}年1月1日至12月31日。"
    ),
    # the five parts real reports and 国办公开办函〔2021〕30号 use; a 人民政府's report adds
    # 工作考核、社会评议和责任追究 (条例第五十条第（四）项: GOVERNMENT_ACCOUNTABILITY)
    "一、总体情况": (
        "{年度}年，{机关}认真贯彻落实《条例》，扎实推进政府信息公开工作。\n\n"
        "（一）主动公开。全年主动公开政府信息{本年主动公开政府信息条数}条，累计主动公开"
        "{累计主动公开政府信息条数}条；召开新闻发布会{新闻发布会次数}次。\n\n"
        "（二）依申请公开。全年受理政府信息公开申请{受理政府信息公开申请件次}件，已答复"
        "{已答复件次}件。\n\n"
        "（三）政府信息管理。落实政府信息公开保密审查和发布审核制度，及时更新政府信息公开指南和"
        "目录。\n\n"
        "（四）政府信息公开平台建设。维护和升级政府信息公开平台{平台维护升级次数}次，设置政务公开"
        "专栏{政务公开专栏数}个，设置公共查阅点{公共查阅点数}个。通过互动交流栏目收到网民留言"
        "{收到网民留言件数}件，办结{办结网民留言件数}件，其中按期答复{按期答复网民留言件数}件；"
        "发布政策解读{发布政策解读篇数}篇，回应社会关切{回应社会关切次数}次；开展意见征集"
        "{开展意见征集期数}期、网上调查{开展网上调查期数}期，举办在线访谈{举办在线访谈期数}期。\n\n"
        "（五）监督保障。共有{从事政府信息公开工作人数}人从事政府信息公开工作；举办培训"
        "{培训次数}次，参训{培训人数}人次；开展监督检查{监督检查次数}次。"
    ),
    "五、存在的主要问题及改进情况": "（请填写本年度存在的主要问题及改进措施。）",
    "六、其他需要报告的事项": "",  # by year: fee_text(year) in build_report_data
}
GOVERNMENT_ACCOUNTABILITY = (
    "工作考核、社会评议和责任追究结果情况：将政府信息公开工作纳入年度绩效考核，组织开展社会评议；"
    "本年度因政府信息公开工作被追究责任的情况：（请填写，没有的写“无”）。"
)


def fee_text(year: int) -> str:
    """六's fee sentence under the rule in force in ``year``: the 2008 条例 第二十七条 (cost
    fees for 检索、复制、邮寄) up to 2019-05-14; the 2019 条例 第四十二条 from then; the
    信息处理费 办法 (国办函〔2020〕109号, in force 2021-01-01) from 2021."""
    if year >= 2021:
        return (
            "本年度依据《条例》第四十二条和《政府信息公开信息处理费管理办法》"
            "（国办函〔2020〕109号）收取信息处理费{收费金额（元）}元。"
        )
    if year == 2020:
        return "本年度依据《条例》第四十二条收取信息处理费{收费金额（元）}元。"
    if year == 2019:
        return (
            "本年度依据《条例》（5月14日前为2008年版第二十七条，5月15日起为第四十二条）收取费用"
            "{收费金额（元）}元。"
        )
    return (
        "本年度依据《中华人民共和国政府信息公开条例》（国务院令第492号）第二十七条收取检索、复制、"
        "邮寄等成本费用{收费金额（元）}元。"
    )


def default_narrative(scope: Scope, year: int, style: str) -> dict[str, str]:
    """The editable texts a new report starts with: 六 cites the fee rule of ``year``; a
    人民政府's (or a region's) 2021-format report adds 工作考核、社会评议和责任追究 (条例第五十条)."""
    texts = dict(DEFAULT_NARRATIVE_2021 if style == "2021" else DEFAULT_NARRATIVE_2012)
    if style == "2021":
        texts["六、其他需要报告的事项"] = fee_text(year)
        if scope.agency is None or scope.agency.kind == "government":
            texts["一、总体情况"] += "\n\n" + GOVERNMENT_ACCOUNTABILITY
    return texts


def style_mismatch(year: int, style: str) -> str:
    """A Chinese reason why ``style`` is not the format of a ``year`` report, or "".

    The 2021 format (国办公开办函〔2021〕30号) applies from the 2021 reports; the 2019 and
    2020 reports used the 2019 trial format (国办公开办函〔2019〕60号), which this system
    checks (``validate_report --format 2019``) but does not generate: it must never pass
    one off as the other silently."""
    if style == "2021" and year in (2019, 2020):
        return (
            f"{year}年度报告应采用2019年试行格式（国办公开办函〔2019〕60号），本系统只按2021年格式"
            "（国办公开办函〔2021〕30号）生成表格，不能代替：请按试行格式编制后用 "
            "validate_report --format 2019 检查。"
        )
    return ""


DEFAULT_NARRATIVE_2012 = {
    "一、基本工作情况": (
        "{年度}年，{机关}共有{从事政府信息公开工作人数}人从事政府信息公开工作，其中专职人员"
        "{专职人员}人，兼职人员{兼职人员}人。全年共举办各类培训{培训次数}次，共计{培训人数}名"
        "同志参加了培训。对政府信息公开平台进行维护和升级{平台维护升级次数}次。先后"
        "{监督检查次数}次对政府信息公开工作进行了具体指导和监督检查。"
    ),
    "附：下一年度工作要点": "（请填写下一年度政务公开工作要点。）",
}


NARRATIVE_KEYS = {
    "前言": "intro",
    "一、总体情况": "s1",
    "五、存在的主要问题及改进情况": "s5",
    "六、其他需要报告的事项": "s6",
    "一、基本工作情况": "basic",
    "附：下一年度工作要点": "next",
}


def fill(text: str, values: dict[str, Any]) -> str:
    """``text`` with every allowed ``{名称}`` replaced (``placeholders.fill``: a closed set)."""
    return placeholders.fill(text, values)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


def _share_item(label: str, count: int, total: int, places: int) -> dict:
    s = share(count, total, places)
    if s is None:
        return {"label": label, "count": count, "share": None}
    return {"label": label, "count": count, "share": int(s) if places == 0 else float(s)}


def build_report_data(
    scope: Scope, year: int, style: str = "2021", narrative: dict[str, str] | None = None
) -> dict:
    """The report's JSON form (documented in docs/annual-report-json.md)."""
    report = compute_report_2021(scope, year)
    figures: dict[str, Any] = dict(report.figures.values)
    figures["年度"] = year
    figures["机关"] = scope.name
    fig = report.figures
    month_chart = charts.bar_chart(
        "本年主动公开政府信息（按月）", [(f"{m}月", fig.by_month.get(m, 0)) for m in range(1, 13)]
    )
    class_chart = charts.hbar_chart(
        "本年主动公开政府信息（按内容类别）",
        [(label, fig.by_class.get(value, 0)) for value, label in ContentClass.choices],
    )
    groups = {"disclose": "予以公开", "partial": "部分公开"}
    outcome_counts: dict[str, int] = {}
    for code, n in fig.by_outcome.items():
        cell = OUTCOMES_BY_CODE.get(code)
        label = groups.get(code) or (cell.group[3:] if cell else "其他处理")
        outcome_counts[label] = outcome_counts.get(label, 0) + n
    outcome_chart = charts.hbar_chart(
        "政府信息公开申请办理结果",
        [
            (label, outcome_counts.get(label, 0))
            for label in ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
        ],
    )
    data: dict[str, Any] = {
        "style": style,
        "year": year,
        "scope": scope.name,
        "scope_code": scope.agency.code if scope.agency else scope.region.code,  # type: ignore[union-attr]
        "scope_kind": "agency" if scope.agency else "region",
        "figures": _jsonable(figures),
        "charts": {"by_month": month_chart, "by_class": class_chart, "by_outcome": outcome_chart},
    }
    texts = {**default_narrative(scope, year, style), **(narrative or {})}
    data["narrative"] = {k: fill(v, figures) for k, v in texts.items()}
    if style == "2021":
        data["title"] = f"{scope.name}{year}年政府信息公开工作年度报告"
        data["table2"] = report.table2.to_json()
        data["table3"] = report.table3.to_json()
        data["table4"] = report.table4.to_json()
        return data
    data["title"] = f"{year}年{scope.name.removesuffix('人民政府')}政府信息公开工作年度报告"
    total = int(figures.get("本年主动公开政府信息条数", 0))
    apps_total = int(figures.get("受理政府信息公开申请件次", 0))
    replied = sum(fig.by_outcome.values())
    by_group: dict[str, int] = {}
    for code, n in fig.by_outcome.items():
        cell = OUTCOMES_BY_CODE.get(code)
        label = {"disclose": "同意公开", "partial": "同意部分公开"}.get(code) or (
            "不予公开" if cell and cell.group == "（三）不予公开" else "其他处理结果"
        )
        by_group[label] = by_group.get(label, 0) + n
    result_items = [
        _share_item(label, by_group.get(label, 0), replied, 1)
        for label in ["同意公开", "同意部分公开", "不予公开", "其他处理结果"]
        if label in ("同意公开", "同意部分公开") or by_group.get(label)
    ]
    data["breakdowns"] = [
        {
            "title": "本年主动公开政府信息（按层级）",
            "unit": "条",
            "total": total,
            "places": 1,
            "items": [
                _share_item(label, fig.by_level.get(level, 0), total, 1)
                for level, label in LEVEL_LABELS_2012
            ],
        },
        {
            "title": "本年主动公开政府信息（按内容）",
            "unit": "条",
            "total": total,
            "places": 1,
            "items": [
                _share_item(label, fig.by_class.get(value, 0), total, 1)
                for value, label in ContentClass.choices
            ],
        },
        {
            "title": "政府信息公开申请（按受理方式）",
            "unit": "件次",
            "total": apps_total,
            "places": 0,
            "items": [
                _share_item(label, sum(fig.by_channel.get(c, 0) for c in channels), apps_total, 0)
                for label, channels in CHANNEL_GROUPS_2012
            ],
        },
        {
            "title": "政府信息公开申请（按答复结果）",
            "unit": "件次",
            "total": replied,
            "places": 1,
            "items": result_items,
        },
        {
            "title": "政府信息公开申请答复情况",
            "unit": "件次",
            "total": apps_total,
            "places": 0,
            "complete": False,
            "items": [_share_item("已答复", int(figures.get("已答复件次", 0)), apps_total, 0)],
        },
        {
            "title": "行政复议办结情况",
            "unit": "件次",
            "total": int(figures.get("行政复议受理件次", 0)),
            "places": 0,
            "complete": False,
            "items": [
                _share_item(
                    "办结",
                    int(figures.get("行政复议办结件次", 0)),
                    int(figures.get("行政复议受理件次", 0)),
                    0,
                )
            ],
        },
    ]
    for b in data["breakdowns"]:  # named figures for the narrative and the seed comparison
        for item in b["items"]:
            data["figures"][f"{b['title']}·{item['label']}"] = item["count"]
    data["sums"] = [
        {
            "title": "从事政府信息公开工作人员",
            "unit": "人",
            "total": figures.get("从事政府信息公开工作人数", 0),
            "parts": {
                "专职人员": figures.get("专职人员", 0),
                "兼职人员": figures.get("兼职人员", 0),
            },
        }
    ]
    return data


# --- rendering -------------------------------------------------------------------------------
def _table2_rows(data: dict) -> list[dict]:
    out = []
    for section, columns, rows in TABLE2_LAYOUT:
        out.append(
            {
                "section": section,
                "columns": columns,
                "rows": [
                    {"label": r, "values": [data["table2"][section][r][c] for c in columns]}
                    for r in rows
                ],
            }
        )
    return out


def _table3_rows(data: dict) -> list[dict]:
    rows: list[dict] = []
    seen: set[str] = set()
    paths = list(iter_table3_paths())
    results_len = sum(1 for p, _k in paths if len(p) > 1)
    first_result = True
    for path, _key in paths:
        node = data["table3"]
        for k in path:
            node = node[k]
        row: dict[str, Any] = {"label": path[-1], "values": [node[c] for c in TABLE3_COLUMNS]}
        if len(path) > 1:
            row["in_results"] = True
            if first_result:
                row["results_span"] = results_len
                first_result = False
            if len(path) == 3:
                row["sub"] = True
                if path[1] not in seen:
                    seen.add(path[1])
                    row["group"] = path[1]
                    row["group_span"] = sum(1 for p, _k in paths if len(p) == 3 and p[1] == path[1])
        rows.append(row)
    return rows


def _table4_values(data: dict) -> list[int]:
    t4 = data["table4"]
    return (
        [t4[TABLE4_REVIEW][c] for c in TABLE4_OUTCOMES]
        + [t4[TABLE4_LITIGATION][TABLE4_DIRECT][c] for c in TABLE4_OUTCOMES]
        + [t4[TABLE4_LITIGATION][TABLE4_AFTER_REVIEW][c] for c in TABLE4_OUTCOMES]
    )


def context_for(data: dict) -> dict:
    narrative = data.get("narrative", {})
    ctx: dict[str, Any] = {
        "d": data,
        # template variables cannot hold "、" or "（）": keys without punctuation
        "f": {re.sub(r"\W", "", k): v for k, v in data.get("figures", {}).items()},
        "n": {NARRATIVE_KEYS.get(k, k): v for k, v in narrative.items()},
    }
    if data.get("style") == "2021":
        ctx["table2"] = _table2_rows(data)
        ctx["table3"] = _table3_rows(data)
        ctx["table4"] = _table4_values(data)
        ctx["outcomes4"] = TABLE4_OUTCOMES[:-1]
    else:
        ctx["b"] = data.get("breakdowns", [])
    return ctx


def render_html_fragment(data: dict) -> str:
    """The report body (no page chrome): used by the portal page, the console and the PDF."""
    template = (
        "reports/report_2021.html" if data.get("style") == "2021" else "reports/report_2012.html"
    )
    return render_to_string(template, context_for(data))


def render_standalone_html(data: dict) -> str:
    return render_to_string(
        "reports/report_standalone.html", {"body": render_html_fragment(data), "d": data}
    )


def render_pdf(data: dict) -> bytes:
    """PDF through gongkai.lib.pdf (raises lib.pdf.PdfUnavailableError without WeasyPrint)."""
    from gongkai.lib import pdf

    html = render_to_string(
        "reports/report_pdf.html",
        {"body": render_html_fragment(data), "d": data, "css": pdf.OFFICIAL_CSS},
    )
    return pdf.render(html, title=data.get("title", ""))


def docx_blocks(data: dict) -> list[dict]:
    """The report as document blocks for gongkai.lib.docx (tables as plain grids)."""
    blocks: list[dict] = [{"type": "title", "text": data.get("title", "")}]
    narrative = data.get("narrative", {})
    if data.get("style") == "2021":
        if narrative.get("前言"):
            blocks.append({"type": "paragraph", "text": narrative["前言"]})
        for section in SECTIONS_2021:
            blocks.append({"type": "heading", "text": section})
            if section in narrative:
                for part in narrative[section].split("\n\n"):  # 一's five parts
                    if part.strip():
                        blocks.append({"type": "paragraph", "text": part.strip()})
            if section.startswith("二"):
                for t in _table2_rows(data):
                    blocks.append(
                        {
                            "type": "table",
                            "header": True,
                            "rows": [[t["section"]], ["信息内容", *t["columns"]]]
                            + [[r["label"], *map(str, r["values"])] for r in t["rows"]],
                        }
                    )
            if section.startswith("三"):
                rows = [["项目", *TABLE3_COLUMNS]]
                rows += [[r["label"], *map(str, r["values"])] for r in _table3_rows(data)]
                blocks.append({"type": "table", "header": True, "rows": rows})
            if section.startswith("四"):
                values = _table4_values(data)
                blocks.append(
                    {
                        "type": "table",
                        "header": True,
                        "rows": [
                            ["", *TABLE4_OUTCOMES],
                            ["行政复议", *map(str, values[0:5])],
                            ["行政诉讼·未经复议直接起诉", *map(str, values[5:10])],
                            ["行政诉讼·复议后起诉", *map(str, values[10:15])],
                        ],
                    }
                )
        return blocks
    from html import unescape

    text = re.sub(r"<(script|style|svg)[^>]*>.*?</\1>", "", render_html_fragment(data), flags=re.S)
    for m in re.finditer(r"<(h2|h3|p)[^>]*>(.*?)</\1>", text, flags=re.S):
        content = unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        if content:
            blocks.append(
                {"type": "heading" if m.group(1) != "p" else "paragraph", "text": content}
            )
    return blocks


def render_docx(data: dict) -> bytes:
    from gongkai.lib import docx

    return docx.render(docx_blocks(data), title=data.get("title", ""))


def export_data(data: dict) -> dict:
    """What the JSON/CSV/XLSX exports contain: the report without its chart markup."""
    return {k: v for k, v in data.items() if k != "charts"}
