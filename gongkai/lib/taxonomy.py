"""Shared legal vocabularies: the annual report's cells and the catalog's classes.

One source for the applications app (the reply a handler picks), the publishing app (the
content class and Art 20 item of a catalog entry) and the reports app (the tables), so a
report cell can never drift from the choice that fills it. Labels are exactly those of
国办公开办函〔2021〕30号 (see shared reference/regulation.md §2.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ApplicantType(models.TextChoices):
    """The seven columns of table 三 (总计 is computed)."""

    NATURAL = "natural", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_WELFARE = "welfare", "社会公益组织"
    LEGAL_SERVICE = "legal", "法律服务机构"
    OTHER = "other", "其他"


TABLE3_COLUMNS = [label for _value, label in ApplicantType.choices] + ["总计"]


class Channel(models.TextChoices):
    """How an application arrived (Art 29/31); decides the receipt-date rule."""

    ONLINE = "online", "网上申请"
    LETTER = "letter", "信函"
    IN_PERSON = "in_person", "当面"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头（代为填写）"
    OTHER = "other", "其他"


@dataclass(frozen=True)
class OutcomeCell:
    code: str  # stable short code stored on applications
    group: str  # the row-span label, e.g. "（三）不予公开"; "" for single rows
    label: str  # the exact row label, e.g. "1.属于国家秘密"
    notice: str  # default reply notice kind (template key)


# 三、本年度办理结果: every cell a handler may choose (exactly one per application).
OUTCOME_CELLS: list[OutcomeCell] = [
    OutcomeCell("disclose", "", "（一）予以公开", "disclose"),
    OutcomeCell(
        "partial", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"
    ),
    OutcomeCell("withhold_secret", "（三）不予公开", "1.属于国家秘密", "withhold"),
    OutcomeCell("withhold_law", "（三）不予公开", "2.其他法律行政法规禁止公开", "withhold"),
    OutcomeCell("withhold_security", "（三）不予公开", "3.危及“三安全一稳定”", "withhold"),
    OutcomeCell("withhold_third_party", "（三）不予公开", "4.保护第三方合法权益", "withhold"),
    OutcomeCell("withhold_internal", "（三）不予公开", "5.属于三类内部事务信息", "withhold"),
    OutcomeCell("withhold_process", "（三）不予公开", "6.属于四类过程性信息", "withhold"),
    OutcomeCell("withhold_enforcement", "（三）不予公开", "7.属于行政执法案卷", "withhold"),
    OutcomeCell("withhold_query", "（三）不予公开", "8.属于行政查询事项", "withhold_query"),
    OutcomeCell("unable_not_held", "（四）无法提供", "1.本机关不掌握相关政府信息", "not_exist"),
    OutcomeCell(
        "unable_needs_creation", "（四）无法提供", "2.没有现成信息需要另行制作", "needs_creation"
    ),
    OutcomeCell("unable_unclear", "（四）无法提供", "3.补正后申请内容仍不明确", "unclear"),
    OutcomeCell("reject_petition", "（五）不予处理", "1.信访举报投诉类申请", "not_application"),
    OutcomeCell("reject_repeat", "（五）不予处理", "2.重复申请", "repeat"),
    OutcomeCell("reject_publication", "（五）不予处理", "3.要求提供公开出版物", "publication"),
    OutcomeCell("reject_excessive", "（五）不予处理", "4.无正当理由大量反复申请", "excessive"),
    OutcomeCell(
        "reject_confirm",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
        "reject_confirm",
    ),
    OutcomeCell(
        "other_no_correction",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "lapsed_correction",
    ),
    OutcomeCell(
        "other_unpaid",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "lapsed_fee",
    ),
    OutcomeCell("other", "（六）其他处理", "3.其他", "other"),
]
OUTCOMES_BY_CODE = {cell.code: cell for cell in OUTCOME_CELLS}
OUTCOME_CHOICES = [(c.code, f"{c.group}{c.label}" if c.group else c.label) for c in OUTCOME_CELLS]

TABLE3_ROW_NEW = "一、本年新收政府信息公开申请数量"
TABLE3_ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量"
TABLE3_ROW_RESULTS = "三、本年度办理结果"
TABLE3_ROW_TOTAL = "（七）总计"
TABLE3_ROW_CARRIED_OUT = "四、结转下年度继续办理"


class ContentClass(models.TextChoices):
    """The content classes of the seed's 2012 report (二、（二）公开的内容)."""

    POLICY = "policy", "政策法规"
    PLAN = "plan", "规划计划"
    PUBLIC_INTEREST = "public_interest", "与公众利益密切相关事项"
    PUBLIC_FUNDS = "public_funds", "公共资金使用和监督"
    PERSONNEL = "personnel", "机构调整和人员变动"
    OTHER = "other", "其他"


class Art20Item(models.TextChoices):
    """What report table 二 counts (Art 20 items 一, 五, 六, 八)."""

    NONE = "", "不计入"
    REGULATION = "regulation", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    FEE = "fee", "行政事业性收费"
