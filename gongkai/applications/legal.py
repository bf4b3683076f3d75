"""The legal basis of every notice: one data table of sources, citations and remedy rules.

Everything a notice cites lives here, each row with its source (law, article, effective
dates, how sure we are): ``docs/legal-basis.md`` is generated from this module
(``manage.py legal_basis_doc``) and a test checks the two agree. Templates only say
``{{ citation }}`` and ``{{ remedy }}``; this module decides what they say.

Two clocks, deliberately separate:

* the **条例 era** (2008 or 2019) is keyed by the *receipt* date (``Application.era``) and
  picks the citations of the 条例 and the deadline rules (``workdays.deadlines``);
* the **remedy rules** are keyed by the *decision* date (the day the notice is issued):
  行政诉讼法 第四十六条 6个月 from 2015-05-01 (3个月 before), the 行政复议法 (2023) from
  2024-01-01 with 复议前置 for refusals and its new 复议机关 rules, the old 行政复议法
  (上一级主管部门 option of 第十二条) before.

Where the law is uncertain the rule takes the reading most protective of the applicant and
the source row says so (``certainty`` and ``note``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# --- laws -------------------------------------------------------------------------------------

OGI_2019 = "《中华人民共和国政府信息公开条例》"
OGI_2008 = "《中华人民共和国政府信息公开条例》（国务院令第492号）"
ARL_2023 = "《中华人民共和国行政复议法》"
ARL_1999 = "《中华人民共和国行政复议法》（2017年修正前后文本）"
ALL_2014 = "《中华人民共和国行政诉讼法》"
ALL_1989 = "《中华人民共和国行政诉讼法》（1989年）"
FEE_2020 = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
GOB_2008_36 = (
    "《国务院办公厅关于施行〈中华人民共和国政府信息公开条例〉若干问题的意见》（国办发〔2008〕36号）"
)
GOB_2010_5 = "《国务院办公厅关于做好政府信息依申请公开工作的意见》（国办发〔2010〕5号）"
REPORT_FORMAT_2021 = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"

D = dt.date
OGI_2008_FROM, OGI_2008_TO = D(2008, 5, 1), D(2019, 5, 14)
OGI_2019_FROM = D(2019, 5, 15)
ALL_2014_FROM = D(2015, 5, 1)
ARL_2023_FROM = D(2024, 1, 1)
ARL_1999_FROM = D(1999, 10, 1)

VERIFIED, PARTLY, UNVERIFIED = "已核对", "部分核对", "未核对"


@dataclass(frozen=True)
class Source:
    """One article of one law, with the dates it was in force."""

    key: str
    law: str
    article: str
    effective_from: dt.date
    effective_to: dt.date | None
    gist: str
    certainty: str = VERIFIED
    note: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


def _s(*args: Any, **kwargs: Any) -> Source:
    return Source(*args, **kwargs)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        # 条例 2019 (国务院令第711号, in force 2019-05-15)
        _s(
            "ogi19-14",
            OGI_2019,
            "第十四条",
            OGI_2019_FROM,
            None,
            "国家秘密、法律行政法规禁止公开、危及“三安全一稳定”的，不予公开",
        ),
        _s(
            "ogi19-15",
            OGI_2019,
            "第十五条",
            OGI_2019_FROM,
            None,
            "商业秘密、个人隐私等损害第三方合法权益的，不得公开",
        ),
        _s(
            "ogi19-16-1",
            OGI_2019,
            "第十六条第一款",
            OGI_2019_FROM,
            None,
            "人事管理、后勤管理、内部工作流程等内部事务信息，可以不予公开",
        ),
        _s(
            "ogi19-16-2",
            OGI_2019,
            "第十六条第二款",
            OGI_2019_FROM,
            None,
            "过程性信息以及行政执法案卷信息，可以不予公开",
        ),
        _s(
            "ogi19-30",
            OGI_2019,
            "第三十条",
            OGI_2019_FROM,
            None,
            "申请内容不明确的，7个工作日内一次性告知补正；逾期不补正视为放弃申请",
        ),
        _s(
            "ogi19-32",
            OGI_2019,
            "第三十二条",
            OGI_2019_FROM,
            None,
            "书面征求第三方意见，第三方自收到征求意见书之日起15个工作日内提出意见",
        ),
        _s(
            "ogi19-33",
            OGI_2019,
            "第三十三条",
            OGI_2019_FROM,
            None,
            "20个工作日内答复，可延长不超过20个工作日；征求意见时间不计入",
        ),
        _s(
            "ogi19-33-2",
            OGI_2019,
            "第三十三条第二款",
            OGI_2019_FROM,
            None,
            "延长答复期限须经政府信息公开工作机构负责人同意并告知申请人",
        ),
        _s(
            "ogi19-34",
            OGI_2019,
            "第三十四条",
            OGI_2019_FROM,
            None,
            "征求其他机关意见，自收到征求意见书之日起15个工作日，逾期视为同意公开",
        ),
        _s(
            "ogi19-35",
            OGI_2019,
            "第三十五条",
            OGI_2019_FROM,
            None,
            "数量、频次明显超过合理范围的，可以要求说明理由；理由不合理的不予处理",
        ),
        _s(
            "ogi19-36-1",
            OGI_2019,
            "第三十六条第（一）项",
            OGI_2019_FROM,
            None,
            "已经主动公开的，告知获取的方式、途径",
        ),
        _s(
            "ogi19-36-2",
            OGI_2019,
            "第三十六条第（二）项",
            OGI_2019_FROM,
            None,
            "可以公开的，提供该政府信息或者告知获取的方式、途径和时间",
        ),
        _s(
            "ogi19-36-3",
            OGI_2019,
            "第三十六条第（三）项",
            OGI_2019_FROM,
            None,
            "决定不予公开的，告知不予公开并说明理由",
        ),
        _s(
            "ogi19-36-4",
            OGI_2019,
            "第三十六条第（四）项",
            OGI_2019_FROM,
            None,
            "经检索没有所申请公开信息的，告知该政府信息不存在",
        ),
        _s(
            "ogi19-36-5",
            OGI_2019,
            "第三十六条第（五）项",
            OGI_2019_FROM,
            None,
            "不属于本机关负责公开的，告知并说明理由；能够确定负责公开机关的，告知其名称、联系方式",
        ),
        _s(
            "ogi19-36-6",
            OGI_2019,
            "第三十六条第（六）项",
            OGI_2019_FROM,
            None,
            "重复申请公开相同政府信息的，告知不予重复处理",
        ),
        _s(
            "ogi19-36-7",
            OGI_2019,
            "第三十六条第（七）项",
            OGI_2019_FROM,
            None,
            "工商、不动产登记资料等有特别规定的，告知依照有关法律、行政法规办理",
        ),
        _s(
            "ogi19-37",
            OGI_2019,
            "第三十七条",
            OGI_2019_FROM,
            None,
            "能够作区分处理的，提供可以公开的内容，并对不予公开的内容说明理由",
        ),
        _s(
            "ogi19-38",
            OGI_2019,
            "第三十八条",
            OGI_2019_FROM,
            None,
            "需要对现有政府信息进行加工、分析的，可以不予提供",
        ),
        _s(
            "ogi19-39-1",
            OGI_2019,
            "第三十九条第一款",
            OGI_2019_FROM,
            None,
            "以申请形式进行信访、投诉、举报的，不作为政府信息公开申请处理",
        ),
        _s(
            "ogi19-39-2",
            OGI_2019,
            "第三十九条第二款",
            OGI_2019_FROM,
            None,
            "要求提供公开出版物的，可以告知获取的途径",
        ),
        _s(
            "ogi19-42",
            OGI_2019,
            "第四十二条",
            OGI_2019_FROM,
            None,
            "依申请提供政府信息不收费；数量、频次明显超过合理范围的，可以收取信息处理费",
        ),
        _s(
            "ogi19-2",
            OGI_2019,
            "第二条",
            OGI_2019_FROM,
            None,
            "政府信息是行政机关在履行行政管理职能过程中制作或者获取的、以一定形式记录、保存的信息",
            PARTLY,
            "（五）5“要求行政机关确认或重新出具已获取信息”没有条文专门规定，仅见于年度报告格式；以第二条、第三十八条为据，说明确认或重新出具不属于提供已有政府信息。",
        ),
        _s(
            "fee20",
            FEE_2020,
            "",
            D(2021, 1, 1),
            None,
            "信息处理费按件或按量、超额累进计收；一件申请包含多项内容的，按“一事一申请”原则拆分计算件数（第四条）",
            PARTLY,
            "第六条以下（缴费期限、逾期未缴视为放弃）未从原文核对；施行日期按通行理解为2021年1月1日。",
        ),
        # 条例 2008 (国务院令第492号, 2008-05-01 … 2019-05-14)
        _s(
            "ogi08-8",
            OGI_2008,
            "第八条",
            OGI_2008_FROM,
            OGI_2008_TO,
            "公开政府信息，不得危及国家安全、公共安全、经济安全和社会稳定",
            PARTLY,
        ),
        _s(
            "ogi08-14-4",
            OGI_2008,
            "第十四条第四款",
            OGI_2008_FROM,
            OGI_2008_TO,
            "不得公开涉及国家秘密、商业秘密、个人隐私的政府信息（权利人同意或公共利益除外）",
            PARTLY,
        ),
        _s(
            "ogi08-21-1",
            OGI_2008,
            "第二十一条第（一）项",
            OGI_2008_FROM,
            OGI_2008_TO,
            "属于公开范围的，告知获取该政府信息的方式和途径",
            UNVERIFIED,
        ),
        _s(
            "ogi08-21-2",
            OGI_2008,
            "第二十一条第（二）项",
            OGI_2008_FROM,
            OGI_2008_TO,
            "属于不予公开范围的，告知申请人并说明理由",
            UNVERIFIED,
        ),
        _s(
            "ogi08-21-3",
            OGI_2008,
            "第二十一条第（三）项",
            OGI_2008_FROM,
            OGI_2008_TO,
            "不属于本机关公开或者不存在的，告知申请人；能够确定公开机关的，告知其名称和联系方式",
            UNVERIFIED,
        ),
        _s(
            "ogi08-21-4",
            OGI_2008,
            "第二十一条第（四）项",
            OGI_2008_FROM,
            OGI_2008_TO,
            "申请内容不明确的，告知申请人作出更改、补充",
            UNVERIFIED,
        ),
        _s(
            "ogi08-22",
            OGI_2008,
            "第二十二条",
            OGI_2008_FROM,
            OGI_2008_TO,
            "含有不应当公开的内容但能够作区分处理的，提供可以公开的信息内容",
            PARTLY,
        ),
        _s(
            "ogi08-23",
            OGI_2008,
            "第二十三条",
            OGI_2008_FROM,
            OGI_2008_TO,
            "涉及商业秘密、个人隐私的，书面征求第三方意见；第三方不同意的不得公开",
        ),
        _s(
            "ogi08-24-2",
            OGI_2008,
            "第二十四条第二款",
            OGI_2008_FROM,
            OGI_2008_TO,
            "15个工作日内答复，延长不超过15个工作日",
        ),
        _s(
            "ogi08-27",
            OGI_2008,
            "第二十七条",
            OGI_2008_FROM,
            OGI_2008_TO,
            "除检索、复制、邮寄等成本费用外，不得收取其他费用",
        ),
        _s(
            "gob08-36",
            GOB_2008_36,
            "",
            D(2008, 4, 29),
            OGI_2008_TO,
            "提供的政府信息应当是现有的，一般不需要汇总、加工或重新制作（作区分处理的除外）",
            PARTLY,
            "具体段落号未核对，只引文件名。",
        ),
        _s(
            "gob10-5",
            GOB_2010_5,
            "",
            D(2010, 1, 12),
            OGI_2008_TO,
            "内部管理信息、过程性信息一般不属于应公开的政府信息；同一申请人就同一内容反复申请的可以不重复答复；以申请形式信访投诉的告知通过信访渠道",
            PARTLY,
            "具体段落号未核对，只引文件名。2008年条例本身没有内部事务、过程性信息的规定，旧模板误引第十四条（国家秘密、商业秘密、个人隐私）。",
        ),
        # remedies
        _s(
            "arl99-9",
            ARL_1999,
            "第九条第一款",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "自知道该具体行政行为之日起60日内提出行政复议申请",
        ),
        _s(
            "arl99-12-1",
            ARL_1999,
            "第十二条第一款",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "对县级以上地方各级人民政府工作部门的具体行政行为不服的，可以向该部门的本级人民政府或者上一级主管部门申请行政复议",
        ),
        _s(
            "arl99-12-2",
            ARL_1999,
            "第十二条第二款",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "实行垂直领导的行政机关和国家安全机关，向上一级主管部门申请行政复议",
        ),
        _s(
            "arl99-13",
            ARL_1999,
            "第十三条第一款",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "对地方各级人民政府的具体行政行为不服的，向上一级地方人民政府申请行政复议",
        ),
        _s(
            "arl99-14",
            ARL_1999,
            "第十四条",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "对省、自治区、直辖市人民政府的具体行政行为不服的，向作出该具体行政行为的省级人民政府申请行政复议；对复议决定不服的，可以提起行政诉讼或者申请国务院裁决",
        ),
        _s(
            "arl99-15",
            ARL_1999,
            "第十五条第一款第（二）项",
            ARL_1999_FROM,
            D(2023, 12, 31),
            "对政府工作部门依法设立的派出机构的具体行政行为不服的，向设立该派出机构的部门或者该部门的本级地方人民政府申请行政复议",
            PARTLY,
        ),
        _s(
            "arl23-20-1",
            ARL_2023,
            "第二十条第一款",
            ARL_2023_FROM,
            None,
            "自知道或者应当知道该行政行为之日起60日内提出行政复议申请",
        ),
        _s(
            "arl23-20-3",
            ARL_2023,
            "第二十条第三款",
            ARL_2023_FROM,
            None,
            "未告知申请行政复议的权利、行政复议机关和申请期限的，申请期限自知道之日起计算，最长不得超过一年",
        ),
        _s(
            "arl23-23",
            ARL_2023,
            "第二十三条第一款第（四）项、第二款",
            ARL_2023_FROM,
            None,
            "申请政府信息公开，行政机关不予公开的，应当先申请行政复议；行政机关作出行政行为时应当告知先申请行政复议",
            PARTLY,
            "条文据第三方法律应用代码与公开解读核对。部分公开中不予公开的部分、行政查询事项是否属于“不予公开”，本系统取对申请人最有利的理解：一律告知先申请行政复议（走复议再诉讼的路始终可行，直接起诉却可能被驳回）。",
        ),
        _s(
            "arl23-24-1-1",
            ARL_2023,
            "第二十四条第一款第（一）项",
            ARL_2023_FROM,
            None,
            "县级以上地方各级人民政府管辖对本级人民政府工作部门作出的行政行为不服的行政复议案件",
        ),
        _s(
            "arl23-24-1-2",
            ARL_2023,
            "第二十四条第一款第（二）项",
            ARL_2023_FROM,
            None,
            "县级以上地方各级人民政府管辖对下一级人民政府作出的行政行为不服的行政复议案件",
        ),
        _s(
            "arl23-24-2",
            ARL_2023,
            "第二十四条第二款",
            ARL_2023_FROM,
            None,
            "省、自治区、直辖市人民政府同时管辖对本机关作出的行政行为不服的行政复议案件",
        ),
        _s(
            "arl23-24-4",
            ARL_2023,
            "第二十四条第四款",
            ARL_2023_FROM,
            None,
            "对政府工作部门依法设立的派出机构作出的行政行为不服的，由本级人民政府管辖",
            PARTLY,
        ),
        _s(
            "arl23-26",
            ARL_2023,
            "第二十六条",
            ARL_2023_FROM,
            None,
            "对省级人民政府依第二十四条第二款作出的行政复议决定不服的，可以提起行政诉讼，也可以向国务院申请裁决",
            PARTLY,
        ),
        _s(
            "arl23-27",
            ARL_2023,
            "第二十七条",
            ARL_2023_FROM,
            None,
            "对海关、金融、外汇管理等实行垂直领导的行政机关、税务和国家安全机关的行政行为不服的，向上一级主管部门申请行政复议",
        ),
        _s(
            "arl23-28",
            ARL_2023,
            "第二十八条",
            ARL_2023_FROM,
            None,
            "对履行行政复议机构职责的地方人民政府司法行政部门的行政行为不服的，可以向本级人民政府或者上一级司法行政部门申请行政复议",
        ),
        _s(
            "all89-39",
            ALL_1989,
            "第三十九条",
            D(1990, 10, 1),
            D(2015, 4, 30),
            "直接向人民法院提起诉讼的，应当在知道作出具体行政行为之日起3个月内提出",
        ),
        _s(
            "all89-38-2",
            ALL_1989,
            "第三十八条第二款",
            D(1990, 10, 1),
            D(2015, 4, 30),
            "不服复议决定的，可以在收到复议决定书之日起15日内向人民法院提起诉讼",
        ),
        _s(
            "all14-46-1",
            ALL_2014,
            "第四十六条第一款",
            ALL_2014_FROM,
            None,
            "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起6个月内提出",
        ),
        _s(
            "all14-45",
            ALL_2014,
            "第四十五条",
            ALL_2014_FROM,
            None,
            "不服复议决定的，可以在收到复议决定书之日起15日内向人民法院提起诉讼",
        ),
    ]
}


# --- citations (the legal basis paragraph of each notice) -------------------------------------


@dataclass(frozen=True)
class Citation:
    """What one notice cites in one era: sources, the ground in words and the conclusion."""

    key: str  # an outcome code or a notice kind
    era: str  # "2008" | "2019" (the 条例 era of the application: receipt date)
    sources: tuple[str, ...]
    ground: str = ""
    conclusion: str = ""
    needs: str = (
        ""  # an input the handler must give (withheld_ground, responsible_agency, legal_basis)
    )


def _c(
    key: str, era: str, sources: str, ground: str = "", conclusion: str = "", needs: str = ""
) -> Citation:
    return Citation(key, era, tuple(sources.split()), ground, conclusion, needs)


# The 不予公开 grounds; a 部分公开 notice names one of them for its withheld part.
WITHHOLD_GROUNDS = (
    "withhold_secret",
    "withhold_law",
    "withhold_security",
    "withhold_third_party",
    "withhold_internal",
    "withhold_process",
    "withhold_enforcement",
)

CITATIONS: dict[tuple[str, str], Citation] = {
    (c.key, c.era): c
    for c in [
        # ---- replies, 2019 条例 ----
        _c(
            "disclose", "2019", "ogi19-36-2", "您申请的信息属于可以公开的政府信息", "本机关予以公开"
        ),
        _c(
            "disclose_published",
            "2019",
            "ogi19-36-1",
            "您申请的信息已经主动公开",
            "现告知获取的方式、途径",
        ),
        _c(
            "partial",
            "2019",
            "ogi19-37",
            "您申请的信息中含有不应当公开的内容，但能够作区分处理",
            "本机关提供可以公开的内容",
            "withheld_ground",
        ),
        _c(
            "withhold_secret",
            "2019",
            "ogi19-14 ogi19-36-3",
            "您申请的信息属于依法确定为国家秘密的政府信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_law",
            "2019",
            "ogi19-14 ogi19-36-3",
            "您申请的信息属于法律、行政法规禁止公开的政府信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_security",
            "2019",
            "ogi19-14 ogi19-36-3",
            "您申请的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_third_party",
            "2019",
            "ogi19-15 ogi19-32 ogi19-36-3",
            "您申请的信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_internal",
            "2019",
            "ogi19-16-1 ogi19-36-3",
            "您申请的信息属于人事管理、后勤管理、内部工作流程等内部事务信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_process",
            "2019",
            "ogi19-16-2 ogi19-36-3",
            "您申请的信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_enforcement",
            "2019",
            "ogi19-16-2 ogi19-36-3",
            "您申请的信息属于行政执法案卷信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_query",
            "2019",
            "ogi19-36-7",
            "您申请的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定",
            "请依照有关法律、行政法规的规定办理",
        ),
        _c(
            "unable_not_held",
            "2019",
            "ogi19-36-4",
            "经检索，本机关没有您申请公开的信息",
            "现告知您该政府信息不存在",
        ),
        _c(
            "not_this_agency",
            "2019",
            "ogi19-36-5",
            "您申请的信息不属于本机关负责公开",
            "现告知您负责公开的行政机关",
            "responsible_agency",
        ),
        _c(
            "unable_needs_creation",
            "2019",
            "ogi19-38",
            "您申请的信息需要本机关对现有政府信息进行加工、分析",
            "本机关不予提供",
        ),
        _c("unable_unclear", "2019", "ogi19-30", "经补正，您的申请内容仍不明确", "本机关无法提供"),
        _c(
            "reject_petition",
            "2019",
            "ogi19-39-1",
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动",
            "本机关不作为政府信息公开申请处理",
        ),
        _c(
            "reject_repeat",
            "2019",
            "ogi19-36-6",
            "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息",
            "本机关不予重复处理",
        ),
        _c(
            "reject_publication",
            "2019",
            "ogi19-39-2",
            "您申请提供的是政府公报、报刊、书籍等公开出版物",
            "现告知获取的途径",
        ),
        _c(
            "reject_excessive",
            "2019",
            "ogi19-35",
            "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理",
            "本机关不予处理",
        ),
        _c(
            "reject_confirm",
            "2019",
            "ogi19-2 ogi19-38",
            "您的申请是要求本机关确认或者重新出具已获取的信息，不属于提供已制作或者获取的政府信息",
            "本机关不予处理",
        ),
        _c(
            "other_no_correction",
            "2019",
            "ogi19-30",
            "您无正当理由逾期未补正，视为放弃申请",
            "本机关不再处理该政府信息公开申请",
        ),
        _c(
            "other_unpaid",
            "2019",
            "ogi19-42 fee20",
            "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请",
            "本机关不再处理该政府信息公开申请",
        ),
        _c("other", "2019", "", "", "", "legal_basis"),
        # ---- procedural notices, 2019 条例 ----
        _c("receipt", "2019", ""),
        _c("correction", "2019", "ogi19-30"),
        _c("extension", "2019", "ogi19-33-2"),
        _c("third_party", "2019", "ogi19-32"),
        _c("agency_consult", "2019", "ogi19-34"),
        _c("fee", "2019", "ogi19-42 fee20"),
        _c("reasons", "2019", "ogi19-35"),
        # ---- replies, 2008 条例 ----
        _c("disclose", "2008", "ogi08-21-1", "您申请的信息属于公开范围", "本机关予以公开"),
        _c(
            "disclose_published",
            "2008",
            "ogi08-21-1",
            "您申请的信息属于公开范围，已经主动公开",
            "现告知获取的方式和途径",
        ),
        _c(
            "partial",
            "2008",
            "ogi08-22",
            "您申请的信息中含有不应当公开的内容，但能够作区分处理",
            "本机关提供可以公开的信息内容",
            "withheld_ground",
        ),
        _c(
            "withhold_secret",
            "2008",
            "ogi08-14-4 ogi08-21-2",
            "您申请的信息涉及国家秘密",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_law",
            "2008",
            "ogi08-21-2",
            "您申请的信息属于法律、行政法规禁止公开的政府信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_security",
            "2008",
            "ogi08-8 ogi08-21-2",
            "您申请的信息公开后可能危及国家安全、公共安全、经济安全和社会稳定",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_third_party",
            "2008",
            "ogi08-14-4 ogi08-23 ogi08-21-2",
            "您申请的信息涉及商业秘密、个人隐私，公开后可能损害第三方合法权益",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_internal",
            "2008",
            "gob10-5 ogi08-21-2",
            "您申请的信息属于行政机关的内部管理信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_process",
            "2008",
            "gob10-5 ogi08-21-2",
            "您申请的信息属于处于讨论、研究或者审查中的过程性信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_enforcement",
            "2008",
            "ogi08-21-2",
            "您申请的信息属于行政执法案卷信息",
            "本机关决定不予公开",
        ),
        _c(
            "withhold_query",
            "2008",
            "ogi08-21-2",
            "您申请的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定",
            "请依照有关法律、行政法规的规定办理",
        ),
        _c(
            "unable_not_held",
            "2008",
            "ogi08-21-3",
            "经检索，本机关没有您申请公开的信息",
            "现告知您该政府信息不存在",
        ),
        _c(
            "not_this_agency",
            "2008",
            "ogi08-21-3",
            "您申请的信息依法不属于本机关公开",
            "现告知您负责公开的行政机关",
            "responsible_agency",
        ),
        _c(
            "unable_needs_creation",
            "2008",
            "gob08-36",
            "您申请的信息需要本机关汇总、加工或者重新制作",
            "本机关不予提供",
        ),
        _c(
            "unable_unclear",
            "2008",
            "ogi08-21-4",
            "经告知更改、补充，您的申请内容仍不明确",
            "本机关无法提供",
        ),
        _c(
            "reject_petition",
            "2008",
            "gob10-5",
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动",
            "本机关不作为政府信息公开申请处理",
        ),
        _c(
            "reject_repeat",
            "2008",
            "gob10-5",
            "您就同一内容反复提出公开申请，本机关已经作出答复",
            "本机关不重复答复",
        ),
        _c(
            "reject_publication",
            "2008",
            "ogi08-21-1",
            "您申请提供的是政府公报、报刊、书籍等公开出版物",
            "现告知获取的方式和途径",
        ),
        _c(
            "reject_excessive",
            "2008",
            "gob10-5",
            "您就同一内容反复、大量提出公开申请",
            "本机关不予处理",
        ),
        _c(
            "reject_confirm",
            "2008",
            "gob08-36",
            "您的申请是要求本机关确认或者重新出具已获取的信息，不属于提供现有政府信息",
            "本机关不予处理",
        ),
        _c(
            "other_no_correction",
            "2008",
            "ogi08-21-4",
            "您未按告知作出更改、补充",
            "本机关不再处理该政府信息公开申请",
        ),
        _c(
            "other_unpaid",
            "2008",
            "ogi08-27",
            "您逾期未缴纳检索、复制、邮寄等成本费用",
            "本机关不再处理该政府信息公开申请",
        ),
        _c("other", "2008", "", "", "", "legal_basis"),
        _c("receipt", "2008", ""),
        _c("correction", "2008", "ogi08-21-4"),
        _c("extension", "2008", "ogi08-24-2"),
        _c("third_party", "2008", "ogi08-23"),
        _c("agency_consult", "2008", "gob08-36"),
        _c("fee", "2008", "ogi08-27"),
        _c("reasons", "2008", "gob10-5"),
    ]
}

# Notice kinds whose reply carries a remedy clause (the procedural ones do not).
PROCEDURAL_KINDS = frozenset(
    {"receipt", "correction", "extension", "third_party", "agency_consult", "fee", "reasons"}
)
# Outcome cells that are a refusal to disclose (复议前置 from 2024-01-01). The withheld part
# of a 部分公开 and the 行政查询事项 row are included: the most protective reading.
PRE_REVIEW_KEYS = frozenset({*WITHHOLD_GROUNDS, "withhold_query", "partial"})


class LegalBasisError(Exception):
    """A notice cannot be issued as the law requires (Chinese message for the user)."""


def articles_text(keys: tuple[str, ...] | list[str]) -> str:
    """``《条例》第十四条、第三十六条第（三）项和《办法》`` — articles grouped by law, in order."""
    groups: list[tuple[str, list[str]]] = []
    for key in keys:
        src = SOURCES[key]
        if groups and groups[-1][0] == src.law:
            groups[-1][1].append(src.article)
        else:
            groups.append((src.law, [src.article]))
    parts = [law + "、".join(a for a in arts if a) for law, arts in groups]
    return "和".join(parts)


def citation_for(
    key: str,
    era: str,
    *,
    withheld_ground: str = "",
    legal_basis: str = "",
    responsible_agency: str = "",
) -> str:
    """The legal-basis paragraph of the notice ``key`` (outcome code or notice kind).

    Raises ``LegalBasisError`` when an input the citation needs is missing.
    """
    c = CITATIONS.get((key, era))
    if c is None:
        raise LegalBasisError(f"没有“{key}”（{era}年版条例）的法律依据，请系统管理员补充。")
    if c.needs == "legal_basis":
        text = " ".join((legal_basis or "").split()).rstrip("。")
        if not text:
            raise LegalBasisError("“（六）其他处理 3.其他”须由承办人写明本次处理的法律依据。")
        return text if text.startswith("依据") else f"依据{text}。".replace("。。", "。")
    if not c.sources:
        return ""
    if not c.ground:
        return f"依据{articles_text(c.sources)}。"
    text = f"依据{articles_text(c.sources)}，{c.ground}，{c.conclusion}"
    if c.needs == "withheld_ground":
        if withheld_ground not in WITHHOLD_GROUNDS:
            raise LegalBasisError("部分公开须选择不予公开部分的理由（表三（三）1至7之一）。")
        g = CITATIONS[(withheld_ground, era)]
        ground = g.ground.replace("您申请的信息", "", 1)
        text += f"；其中不予公开的部分{ground}，依据{articles_text(g.sources)}不予公开"
    if c.needs == "responsible_agency" and not responsible_agency:
        text += "；本机关无法确定负责公开该政府信息的行政机关"
    return text + "。"


def citation_sources(key: str, era: str, *, withheld_ground: str = "") -> tuple[str, ...]:
    c = CITATIONS.get((key, era))
    if c is None:
        return ()
    extra = (
        CITATIONS[(withheld_ground, era)].sources
        if c.needs == "withheld_ground" and withheld_ground in WITHHOLD_GROUNDS
        else ()
    )
    return c.sources + tuple(s for s in extra if s not in c.sources)


# --- remedy rules: keyed by the decision date ---------------------------------------------------


@dataclass(frozen=True)
class RemedyRule:
    """One versioned remedy rule (the remedy clause picks the rule in force on the decision day)."""

    key: str
    effective_from: dt.date
    effective_to: dt.date | None
    value: str
    sources: tuple[str, ...]
    description: str

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


REMEDY_RULES: list[RemedyRule] = [
    RemedyRule(
        "litigation_period",
        D(1990, 10, 1),
        D(2015, 4, 30),
        "3个月",
        ("all89-39",),
        "直接提起行政诉讼的期限",
    ),
    RemedyRule(
        "litigation_period", ALL_2014_FROM, None, "6个月", ("all14-46-1",), "直接提起行政诉讼的期限"
    ),
    RemedyRule(
        "after_review_period",
        D(1990, 10, 1),
        D(2015, 4, 30),
        "15日",
        ("all89-38-2",),
        "不服复议决定起诉的期限",
    ),
    RemedyRule(
        "after_review_period", ALL_2014_FROM, None, "15日", ("all14-45",), "不服复议决定起诉的期限"
    ),
    RemedyRule(
        "review_period", ARL_1999_FROM, D(2023, 12, 31), "60日", ("arl99-9",), "申请行政复议的期限"
    ),
    RemedyRule("review_period", ARL_2023_FROM, None, "60日", ("arl23-20-1",), "申请行政复议的期限"),
    RemedyRule(
        "pre_review",
        ARL_2023_FROM,
        None,
        "不予公开须先申请行政复议",
        ("arl23-23",),
        "复议前置（不予公开、部分公开中不予公开的部分、行政查询事项）",
    ),
    RemedyRule(
        "department_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "本级人民政府或者上一级主管部门",
        ("arl99-12-1",),
        "政府工作部门的复议机关",
    ),
    RemedyRule(
        "department_bodies",
        ARL_2023_FROM,
        None,
        "本级人民政府",
        ("arl23-24-1-1",),
        "政府工作部门的复议机关",
    ),
    RemedyRule(
        "branch_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "设立该派出机构的部门或者该部门的本级人民政府",
        ("arl99-15",),
        "派出机构的复议机关",
    ),
    RemedyRule(
        "branch_bodies", ARL_2023_FROM, None, "本级人民政府", ("arl23-24-4",), "派出机构的复议机关"
    ),
    RemedyRule(
        "government_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "上一级人民政府（名称须配置）",
        ("arl99-13",),
        "地方人民政府的复议机关",
    ),
    RemedyRule(
        "government_bodies",
        ARL_2023_FROM,
        None,
        "上一级人民政府（名称须配置）",
        ("arl23-24-1-2",),
        "地方人民政府的复议机关",
    ),
    RemedyRule(
        "provincial_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "本机关",
        ("arl99-14",),
        "省级人民政府的复议机关（对复议决定不服可诉讼或申请国务院裁决）",
    ),
    RemedyRule(
        "provincial_bodies",
        ARL_2023_FROM,
        None,
        "本机关",
        ("arl23-24-2", "arl23-26"),
        "省级人民政府的复议机关（对复议决定不服可诉讼或申请国务院裁决）",
    ),
    RemedyRule(
        "vertical_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "上一级主管部门（名称须配置）",
        ("arl99-12-2",),
        "实行垂直领导的机关的复议机关",
    ),
    RemedyRule(
        "vertical_bodies",
        ARL_2023_FROM,
        None,
        "上一级主管部门（名称须配置）",
        ("arl23-27",),
        "实行垂直领导的机关的复议机关",
    ),
    RemedyRule(
        "justice_bodies",
        ARL_1999_FROM,
        D(2023, 12, 31),
        "本级人民政府或者上一级主管部门",
        ("arl99-12-1",),
        "司法行政部门的复议机关",
    ),
    RemedyRule(
        "justice_bodies",
        ARL_2023_FROM,
        None,
        "本级人民政府或者上一级司法行政部门",
        ("arl23-28",),
        "司法行政部门的复议机关",
    ),
]


def rule(key: str, day: dt.date) -> RemedyRule:
    for r in REMEDY_RULES:
        if r.key == key and r.in_force(day):
            return r
    raise LegalBasisError(f"{day.isoformat()}没有可适用的救济规则（{key}）。")


def pre_review_applies(key: str, decided_on: dt.date) -> bool:
    """复议前置: a refusal decided on or after 2024-01-01 (行政复议法 第二十三条)."""
    return key in PRE_REVIEW_KEYS and decided_on >= ARL_2023_FROM


# --- 复议机关 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewBodies:
    """The named 行政复议机关 (one, or two to choose from) and the articles that say so."""

    names: tuple[str, ...]
    sources: tuple[str, ...]
    self_review: bool = False  # 省级人民政府 reviewing its own decision
    notes: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return "或者".join(self.names)


def government_name(region: Any) -> str:
    """The people's government of ``region``: the configured government agency's name when
    there is one, else built from the region names (``通化市东昌区人民政府``)."""
    from gongkai.agencies.models import Agency

    gov = (
        Agency.objects.filter(region=region, kind=Agency.Kind.GOVERNMENT, is_active=True)
        .order_by("sort_order", "pk")
        .values_list("name", flat=True)
        .first()
    )
    if gov:
        return gov
    parent = region.parent if region.parent_id else None
    prefix = (
        parent.name
        if parent is not None and region.level != "province" and parent.level != "province"
        else ""
    )
    return f"{prefix}{region.name}人民政府"


def superior_government(region: Any) -> str:
    """The government one level up (the parent region's), or the name configured on the
    region; "" when neither is known (the caller refuses to issue the notice)."""
    if region.parent_id:
        return government_name(region.parent)
    return (getattr(region, "superior_government", "") or "").strip()


def review_bodies(agency: Any, decided_on: dt.date) -> ReviewBodies:
    """The 行政复议机关 for a decision of ``agency`` on ``decided_on``.

    1. A body configured on the agency (``review_body``) wins: the operator knows best.
    2. 人民政府: 省级 reviews its own decisions (old 第十四条; new 第二十四条第二款); any other
       government → the government one level up (old 第十三条; new 第二十四条第一款第（二）项),
       which must be nameable (parent region, or ``superior_government`` on the region).
    3. Vertical agencies → the configured 上一级主管部门 (old 第十二条第二款; new 第二十七条).
    4. 司法行政部门 → 本级人民政府 or 上一级司法行政部门 (new 第二十八条; old 第十二条第一款).
    5. Departments (and the 政务公开 office) → 本级人民政府; before 2024 also 上一级主管部门
       (old 第十二条第一款). 派出机构 → 本级人民政府 (new 第二十四条第四款; before 2024 also the
       department that set it up, old 第十五条).

    Raises ``LegalBasisError`` when the body cannot be named: the notice is not issued,
    because a notice without a named 复议机关 would only extend the period to up to a year
    (行政复议法 第二十条第三款) instead of telling the applicant where to go.
    """
    override = (getattr(agency, "review_body", "") or "").strip()
    region = agency.region
    superior_dept = (getattr(agency, "superior_department", "") or "").strip()
    mode = getattr(agency, "review_kind", "") or ""
    new_law = decided_on >= ARL_2023_FROM
    if override:
        return ReviewBodies((override,), (), notes=("复议机关由系统管理员在机构设置中指定",))
    if agency.kind == "government":
        if region.level == "province":
            r = rule("provincial_bodies", decided_on)
            return ReviewBodies((agency.name,), r.sources, self_review=True)
        up = superior_government(region)
        if not up:
            raise LegalBasisError(
                f"无法确定{agency.name}的行政复议机关（上一级人民政府）：请系统管理员在区划"
                f"“{region.name}”中填写“上一级人民政府”，或在机构设置中指定行政复议机关。"
            )
        return ReviewBodies((up,), rule("government_bodies", decided_on).sources)
    own = government_name(region)
    if mode == "vertical":
        if not superior_dept:
            raise LegalBasisError(
                f"{agency.name}实行垂直领导，行政复议机关是上一级主管部门：请系统管理员在机构设置中填写其名称。"
            )
        return ReviewBodies((superior_dept,), rule("vertical_bodies", decided_on).sources)
    if mode == "justice":
        r = rule("justice_bodies", decided_on)
        other = superior_dept or ("上一级司法行政部门" if new_law else "上一级主管部门")
        return ReviewBodies((own, other), r.sources)
    if agency.kind == "branch":
        r = rule("branch_bodies", decided_on)
        if new_law:
            return ReviewBodies((own,), r.sources)
        return ReviewBodies((superior_dept or "设立本机构的部门", own), r.sources)
    r = rule("department_bodies", decided_on)
    if new_law:
        return ReviewBodies((own,), r.sources)
    return ReviewBodies((own, superior_dept or "上一级主管部门"), r.sources)


@dataclass(frozen=True)
class Remedy:
    text: str
    bodies: ReviewBodies
    pre_review: bool
    review_period: str
    litigation_period: str
    sources: tuple[str, ...]


def remedy_for(
    agency: Any,
    *,
    key: str,
    decided_on: dt.date,
    court: str = "有管辖权的人民法院",
    noun: str = "本告知书",
) -> Remedy:
    """The remedy clause of the reply ``key`` decided by ``agency`` on ``decided_on``."""
    bodies = review_bodies(agency, decided_on)
    review = rule("review_period", decided_on)
    litigation = rule("litigation_period", decided_on)
    after = rule("after_review_period", decided_on)
    pre = pre_review_applies(key, decided_on)
    where = f"本机关（{bodies.text}）" if bodies.self_review else bodies.text
    sources = bodies.sources + review.sources
    partial = key == "partial"
    if pre:
        pre_rule = rule("pre_review", decided_on)
        subject = "其中不予公开的部分" if partial else noun
        text = (
            f"如对{subject}不服，依据《中华人民共和国行政复议法》第二十三条第一款第（四）项、第二款，"
            f"应当先自收到{noun}之日起{review.value}内向{where}申请行政复议；"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起{after.value}内依法向{court}提起行政诉讼"
        )
        if bodies.self_review:
            text += "，也可以向国务院申请裁决"
        text += "。"
        if partial:
            text += f"对{noun}其他内容不服的，可以自收到{noun}之日起{review.value}内向{where}申请行政复议，或者自收到{noun}之日起{litigation.value}内向{court}提起行政诉讼。"
        sources += pre_rule.sources + after.sources
    else:
        text = (
            f"如对{noun}不服，可以自收到{noun}之日起{review.value}内向{where}申请行政复议，"
            f"或者自收到{noun}之日起{litigation.value}内向{court}提起行政诉讼。"
        )
        if bodies.self_review:
            text = (
                text.rstrip("。")
                + "；对行政复议决定不服的，可以依法向人民法院提起行政诉讼，也可以向国务院申请裁决。"
            )
        sources += litigation.sources
    return Remedy(text, bodies, pre, review.value, litigation.value, sources)
