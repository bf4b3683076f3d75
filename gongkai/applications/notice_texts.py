"""Default notice texts (the current version of every template), loaded by data migrations.

These are data: the system administrator edits them in the console, which creates a new
version; issued notices keep the version they used. Bodies are Django templates, one
paragraph per blank-line separated block. No national model text exists (regulation.md
§1.3 ⚠); the wording follows common local 示范文本 and must be reviewed by each office.

The legal basis and the remedy clause are not written here: every template's
``legal_basis`` is ``{{ citation }}`` and every reply's ``remedy_clause`` is
``{{ remedy }}``, both filled from the data table ``gongkai.applications.legal`` (the
citation by the application's 条例 era, the remedy by the decision date).

Context available to every template: ``agency`` (name, office_address, office_phone …),
``app`` (the application), ``number``, ``applicant``, ``received_on``, ``due_on``,
``summary``, ``today``, ``citation``, ``remedy``, ``review_body`` (行政复议机关, named),
``court``, ``outcome``, ``outcome_label``, ``responsible_agency_name``,
``responsible_agency_contact`` and the kind-specific values named in each text.
"""

from __future__ import annotations

CITATION = "{{ citation }}"
REMEDY = "{{ remedy }}"

# kind -> (title, body, remedy?)
DEFAULTS_2019: dict[str, tuple[str, str, bool]] = {
    "receipt": (
        "政府信息公开申请登记回执",
        "本机关已收到您提交的政府信息公开申请，现予登记。\n\n"
        "申请编号：{{ number }}\n\n收到申请之日：{{ received_on|date:'Y年n月j日' }}\n\n"
        "申请内容摘要：{{ summary }}\n\n"
        "依据《中华人民共和国政府信息公开条例》第三十三条，本机关将于{{ due_on|date:'Y年n月j日' }}前"
        "作出答复（征求第三方和其他机关意见所需时间不计算在内；需要补正或者依法延长的，答复期限相应调整）。\n\n"
        "您可以凭申请编号和提交申请时取得的查询码，在本网站“依申请公开—办理查询”栏目查询办理进度。",
        False,
    ),
    "correction": (
        "政府信息公开申请补正告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "经审查，您的申请内容不够明确，请就以下事项作出补正：\n\n{{ correction_items }}\n\n"
        "请于{{ correction_due_on|date:'Y年n月j日' }}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        False,
    ),
    "extension": (
        "政府信息公开申请延期答复告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "因{{ extension_reason }}，本机关不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{{ extension_workdays }}个工作日，本机关将于{{ due_on|date:'Y年n月j日' }}前作出答复。",
        False,
    ),
    "third_party": (
        "政府信息公开第三方意见征询函",
        "{{ party }}：\n\n本机关收到政府信息公开申请（申请编号：{{ number }}），申请公开的信息为：{{ summary }}。"
        "该信息可能涉及你方商业秘密、个人隐私等合法权益。\n\n"
        "请自收到本函之日起15个工作日内{% if consult_due_on %}（{{ consult_due_on|date:'Y年n月j日' }}前）{% endif %}以书面形式提出是否同意公开的意见，"
        "不同意公开的，请说明理由。逾期未提出意见的，由本机关依照《中华人民共和国政府信息公开条例》的规定决定是否公开。",
        False,
    ),
    "agency_consult": (
        "政府信息公开征求意见函",
        "{{ party }}：\n\n本机关收到政府信息公开申请（申请编号：{{ number }}），申请公开的信息为：{{ summary }}。"
        "该信息由本机关与贵机关共同制作，现征求贵机关意见。\n\n"
        "请自收到本函之日起15个工作日内{% if consult_due_on %}（{{ consult_due_on|date:'Y年n月j日' }}前）{% endif %}提出意见；逾期未提出意见的，视为同意公开。",
        False,
    ),
    "fee": (
        "政府信息公开信息处理费收费通知",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您申请公开政府信息的数量、频次明显超过合理范围，本机关依法收取信息处理费。\n\n"
        "计收方式：{{ fee_method_label }}。计算说明：{{ fee_explanation }}\n\n应缴金额：人民币{{ fee_amount }}元。\n\n"
        "请于{{ fee_due_on|date:'Y年n月j日' }}前按本机关告知的方式缴纳，费用全额缴入国库。"
        "逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。缴费期间不计算在答复期限内。",
        False,
    ),
    "disclose": (
        "政府信息公开告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "申请获取：{{ summary }}。\n\n经审查，您申请的信息属于公开范围，现答复如下：\n\n{{ reply_text }}"
        "{% if attachments %}\n\n随本告知书提供：{{ attachments }}。{% endif %}",
        True,
    ),
    "disclose_published": (
        "政府信息公开告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "申请获取：{{ summary }}。\n\n经审查，您申请的信息已经主动公开，获取的方式、途径如下：\n\n{{ reply_text }}",
        True,
    ),
    "partial": (
        "政府信息部分公开告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "申请获取：{{ summary }}。\n\n经审查，您申请的信息中含有不应当公开的内容，但能够作区分处理，"
        "现向您提供可以公开的内容，并对不予公开的部分说明理由：\n\n{{ reply_text }}"
        "{% if attachments %}\n\n随本告知书提供：{{ attachments }}。{% endif %}",
        True,
    ),
    "withhold": (
        "政府信息不予公开告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "申请获取：{{ summary }}。\n\n经审查，现答复如下：\n\n{{ reply_text }}",
        True,
    ),
    "withhold_query": (
        "政府信息公开申请告知书（行政查询事项）",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您申请的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，"
        "请依照有关法律、行政法规的规定办理。\n\n{{ reply_text }}",
        True,
    ),
    "not_exist": (
        "政府信息不存在告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "经检索，本机关未制作或者获取您申请的政府信息（{{ summary }}），该政府信息不存在。\n\n{{ reply_text }}",
        True,
    ),
    "not_this_agency": (
        "非本机关政府信息告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您申请的信息不属于本机关负责公开。\n\n{{ reply_text }}"
        "{% if responsible_agency_name %}\n\n负责公开该政府信息的行政机关：{{ responsible_agency_name }}"
        "{% if responsible_agency_contact %}；联系方式：{{ responsible_agency_contact }}{% endif %}。"
        "请向该机关提出申请。{% else %}\n\n本机关无法确定负责公开该政府信息的行政机关。{% endif %}",
        True,
    ),
    "needs_creation": (
        "无法提供政府信息告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "经审查，本机关没有您申请的现成信息，需要对现有政府信息进行加工、分析方能形成，本机关不予提供。\n\n{{ reply_text }}",
        True,
    ),
    "unclear": (
        "无法提供政府信息告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "并已告知您作出补正。补正后申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。\n\n{{ reply_text }}",
        True,
    ),
    "not_application": (
        "不作为政府信息公开申请处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，"
        "您可以通过相应渠道提出。\n\n{{ reply_text }}",
        True,
    ),
    "repeat": (
        "重复申请不予重复处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "本机关已就您提出的相同政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理。"
        "\n\n{{ reply_text }}",
        True,
    ),
    "publication": (
        "政府信息公开申请告知书（公开出版物）",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您申请提供的是政府公报、报刊、书籍等公开出版物，获取途径如下：\n\n{{ reply_text }}",
        True,
    ),
    "excessive": (
        "不予处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理，不予处理。"
        "\n\n{{ reply_text }}",
        True,
    ),
    "reject_confirm": (
        "不予处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "您的申请属于要求本机关确认或者重新出具已获取信息，不属于政府信息公开申请的处理范围，本机关不予处理。"
        "\n\n{{ reply_text }}",
        True,
    ),
    "reasons": (
        "要求说明理由通知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "申请获取：{{ summary }}。\n\n"
        "经审查，您申请公开政府信息的数量、频次明显超过合理范围。请就以下事项说明理由：\n\n{{ reasons_items }}\n\n"
        "请于{{ reasons_due_on|date:'Y年n月j日' }}前向本机关书面说明理由，也可以凭申请编号和查询码在本网站"
        "“依申请公开—办理查询”栏目提交。本机关认为申请理由不合理的，告知不予处理；"
        "认为申请理由合理，但是无法在规定期限内答复的，可以确定延迟答复的合理期限并告知您。"
        "在等待您说明理由期间，答复期限照常计算。",
        False,
    ),
    "lapsed_correction": (
        "政府信息公开申请终止处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}），"
        "并于{{ app.correction_requested_on|date:'Y年n月j日' }}告知您在{{ app.correction_due_on|date:'Y年n月j日' }}前作出补正。"
        "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
        True,
    ),
    "lapsed_fee": (
        "政府信息公开申请终止处理告知书",
        "本机关于{{ app.fee_notified_on|date:'Y年n月j日' }}向您发出收费通知（申请编号：{{ number }}），"
        "您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。",
        True,
    ),
    "other": (
        "政府信息公开申请处理告知书",
        "本机关于{{ received_on|date:'Y年n月j日' }}收到您提交的政府信息公开申请（申请编号：{{ number }}）。"
        "现答复如下：\n\n{{ reply_text }}",
        True,
    ),
}


def defaults() -> list[dict[str, object]]:
    """Current default rows for both eras (the 2008 bodies are the 2019 ones without the
    2019-only sentences); citations and remedies come from ``applications.legal``."""
    rows: list[dict[str, object]] = []
    for kind, (title, body, remedy) in DEFAULTS_2019.items():
        body_2008 = body.replace("依据《中华人民共和国政府信息公开条例》第三十三条，", "")
        if kind == "receipt":
            body_2008 = body_2008.replace(
                "（征求第三方和其他机关意见所需时间不计算在内；需要补正或者依法延长的，答复期限相应调整）",
                "（征求第三方意见所需时间不计算在内；依法延长的，答复期限相应调整）",
            )
        for era, text in (("2019", body), ("2008", body_2008)):
            rows.append(
                {
                    "kind": kind,
                    "era": era,
                    "title": title,
                    "body": text,
                    "legal_basis": "" if kind == "receipt" else CITATION,
                    "remedy_clause": REMEDY if remedy else "",
                }
            )
    return rows
