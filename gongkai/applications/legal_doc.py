"""``docs/legal-basis.md`` generated from the data table ``applications.legal``.

``manage.py legal_basis_doc`` writes it; a test checks the file in the repository equals
``render_markdown()``, so the document can never drift from what the notices cite.
"""

from __future__ import annotations

from gongkai.applications import legal
from gongkai.lib.taxonomy import OUTCOMES_BY_CODE

INTRO = """# 法律依据表（告知书引用的条文和救济规则）

> 本文件由 `manage.py legal_basis_doc` 从 `gongkai/applications/legal.py` 生成，请勿手工修改；
> 测试 `gongkai/applications/tests/test_legal_basis.py::LegalMatrixTests::test_the_docs_match_the_table`
> 检查两者一致。预览任一告知书：
> `manage.py notice_preview --cell CODE --agency CODE --received YYYY-MM-DD --decided YYYY-MM-DD [--format text|pdf]`。

## 两个时钟

* **条例版本按收到申请之日**（`Application.era`）：2019年5月15日前收到的适用2008年条例（国务院令第492号），
  否则适用2019年条例（国务院令第711号）。告知书引用的条例条文、答复期限（`workdays.deadlines`）都按它。
* **救济规则按作出决定之日**（告知书成文日期）：行政诉讼期限、复议前置、行政复议机关都按决定当日有效的法律。
  例如2019年5月14日收到、2019年6月答复的申请，引用2008年条例，但起诉期限是6个月（行政诉讼法第四十六条，2015年5月1日起）。

## 取对申请人最有利的理解（法律不确定之处）

* **复议前置的范围**：行政复议法（2023）第二十三条第一款第（四）项只说“申请政府信息公开，行政机关不予公开”。
  本系统把表三（三）1至8（含“属于行政查询事项”）和（二）部分公开中不予公开的部分都视为不予公开，
  2024年1月1日起的告知书一律写明“应当先申请行政复议”：先复议再起诉的路始终走得通，直接起诉却可能被驳回。
* **2024年前部门决定的复议机关**：旧行政复议法第十二条第一款允许向本级人民政府或者上一级主管部门申请，
  2008年条例时期和2019年5月15日至2023年12月31日的决定都列出两者；未配置上一级主管部门名称时写“上一级主管部门”
  （本级人民政府已具名，申请人总有一个可去之处）。
* **无法具名的复议机关**：人民政府没有上级区划、区划上也没有配置“上一级人民政府”，或垂直领导机关没有配置上一级主管部门时，
  系统**拒绝制发**带救济告知的告知书，并用中文说明要配置什么；绝不印“上一级人民政府”这几个字。
  理由：行政复议法（2023）第二十条第三款规定，行政机关未告知复议权利、复议机关和期限的，申请期限自知道之日起计算，
  最长不超过一年——这只是事后的补救，告知书本身仍须写明复议机关。
* **征求意见的15个工作日**（条例第三十二条、第三十四条）自对方**收到**征求意见书之日起算：直接送达和政务系统内发送按发函当日，
  邮寄、电子邮件、传真须登记签收或确认之日；登记之前不能登记为“逾期未提出意见”，答复期限的暂停也不结束。
* **一事一申请**（国办函〔2020〕109号第四条）：一件申请包含多项相互独立的内容的，补正告知书可勾选“要求按一事一申请拆分”；
  按件计收时可填写拆分件数，按拆分后的件序累进计费。

## 复议机关怎样确定

按机关的类型和所属区划推定，可在机构设置中改变（`Agency.review_kind`、`superior_department`、`review_body`；
区划的 `superior_government`）：

| 机关 | 2024年1月1日起 | 2024年前 |
|---|---|---|
| 县级以上人民政府工作部门（含政务公开办） | 本级人民政府（复议法第二十四条第一款第（一）项） | 本级人民政府或者上一级主管部门（旧法第十二条第一款） |
| 派出机构 | 本级人民政府（第二十四条第四款） | 设立该派出机构的部门或者该部门的本级人民政府（旧法第十五条） |
| 地方人民政府（乡、县、市） | 上一级人民政府（第二十四条第一款第（二）项）：上级区划的人民政府，或区划上配置的名称 | 上一级地方人民政府（旧法第十三条） |
| 省级人民政府 | 本机关（第二十四条第二款）；对复议决定不服可起诉或申请国务院裁决（第二十六条） | 本机关（旧法第十四条） |
| 实行垂直领导的机关 | 上一级主管部门（第二十七条），名称必须配置 | 上一级主管部门（旧法第十二条第二款） |
| 司法行政部门 | 本级人民政府或者上一级司法行政部门（第二十八条） | 本级人民政府或者上一级主管部门（旧法第十二条第一款） |
| 机构设置中指定了复议机关 | 只印指定的机关 | 同左 |
"""


def _period(src: legal.Source) -> str:
    end = src.effective_to.isoformat() if src.effective_to else "至今"
    return f"{src.effective_from.isoformat()} — {end}"


def render_markdown() -> str:
    """The whole document (deterministic: same table → same text)."""
    out = [
        INTRO,
        "## 救济规则（按决定日期）\n",
        "| 规则 | 有效期间 | 内容 | 依据 |",
        "|---|---|---|---|",
    ]
    for r in legal.REMEDY_RULES:
        end = r.effective_to.isoformat() if r.effective_to else "至今"
        basis = "；".join(f"{legal.SOURCES[k].law}{legal.SOURCES[k].article}" for k in r.sources)
        out.append(
            f"| {r.description} | {r.effective_from.isoformat()} — {end} | {r.value} | {basis} |"
        )
    out += ["", "## 各告知书引用的依据（按条例版本）\n"]
    for era, label in (
        ("2019", "2019年条例（收到申请之日在2019年5月15日以后）"),
        ("2008", "2008年条例（收到申请之日在2019年5月15日以前）"),
    ):
        out += [
            f"### {label}\n",
            "| 代码 | 表三单元格或文书 | 引用 | 理由 | 结论 | 须由承办人提供 |",
            "|---|---|---|---|---|---|",
        ]
        for (key, e), c in legal.CITATIONS.items():
            if e != era:
                continue
            cell = OUTCOMES_BY_CODE.get(key)
            name = f"{cell.group}{cell.label}" if cell else key
            cites = legal.articles_text(c.sources) if c.sources else "—"
            needs = {
                "withheld_ground": "不予公开部分的理由",
                "responsible_agency": "负责公开的机关名称、联系方式（能确定时）",
                "legal_basis": "本次处理的法律依据",
            }.get(c.needs, "")
            pre = "；2024年起复议前置" if key in legal.PRE_REVIEW_KEYS else ""
            out.append(
                f"| `{key}` | {name}{pre} | {cites} | {c.ground or '—'} | {c.conclusion or '—'} | {needs or '—'} |"
            )
        out.append("")
    out += [
        "## 条文来源\n",
        "| 键 | 法律 | 条款 | 有效期间 | 要旨 | 核对情况 | 说明 |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in legal.SOURCES.values():
        out.append(
            f"| `{s.key}` | {s.law} | {s.article or '（全文）'} | {_period(s)} | {s.gist} | {s.certainty} | {s.note or '—'} |"
        )
    out.append("")
    return "\n".join(out)
