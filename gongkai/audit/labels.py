"""Chinese labels of every audit action code, and the names shown for agencies and objects.

Action codes follow one scheme, ``app.entity.verb`` (e.g. ``publishing.review.approve``); a
workflow may qualify the verb (``publishing.change.delete.approve.refused``). Every code
passed to ``audit_log`` anywhere in the code base must have a label in ``ACTION_LABELS``:
``gongkai/audit/tests/test_labels.py`` scans the sources and fails on a code without one.
To add a code, add a line to the block of its app below.

Rows written before the scheme was unified keep their stored code (the hash chain covers it);
``LEGACY_CODES`` maps each old code to its current one, so old rows read the same label and
are found by the same action filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# fmt: off
ACTION_LABELS: dict[str, str] = {
    # accounts — login, users and memberships (安全管理员)
    "accounts.login.succeeded": "登录成功",
    "accounts.login.failed": "登录失败",
    "accounts.session.logout": "退出登录",
    "accounts.user.created": "新建用户",
    "accounts.user.activation": "启用或停用账号",
    "accounts.user.admin_role": "设置管理员类型",
    "accounts.user.unlocked": "解除账号锁定",
    "accounts.membership.granted": "授予岗位",
    "accounts.membership.revoked": "撤销岗位",
    # admin — edits in Django admin (/admin/, 系统管理员), mirrored from its LogEntry
    "admin.object.added": "在系统配置后台新增对象",
    "admin.object.changed": "在系统配置后台修改对象",
    "admin.object.deleted": "在系统配置后台删除对象",
    # agencies — the directory (系统管理员) and agency details
    "agencies.region.created": "新增行政区划",
    "agencies.agency.created": "新增机构",
    "agencies.agency.updated": "修改机构信息",
    "agencies.staffing.set": "设置工作人员配置",
    "agencies.site_profile.updated": "修改网站信息",
    # api — 开放数据接口: agency tokens (安全管理员) and write-API submissions
    "api.token.created": "创建接口令牌",
    "api.token.revoked": "吊销接口令牌",
    "api.submission.created": "经接口提交目录信息",
    # applications — 依申请公开
    "applications.application.submitted": "提交申请（网上）",
    "applications.application.registered": "登记申请",
    "applications.application.confirmed": "确认收到申请",
    "applications.application.assigned": "分办申请",
    "applications.application.correction_requested": "要求补正",
    "applications.application.corrected": "收到补正",
    "applications.application.consultation_started": "发起征求意见",
    "applications.application.consultation_recorded": "记录征求意见结果",
    "applications.application.consultation_receipt_recorded": "记录征求意见的送达（收到）日期",
    "applications.application.extension_requested": "申请延期答复",
    "applications.application.extension_approved": "批准延期答复",
    "applications.application.delayed_due_set": "设置答复期限（延后）",
    "applications.application.reasons_requested": "要求说明申请理由",
    "applications.application.reasons_received": "收到申请理由说明",
    "applications.application.reasons_accepted": "认可申请理由",
    "applications.application.fee_notified": "发出收费通知",
    "applications.application.fee_paid": "收到信息处理费",
    "applications.application.replied": "作出答复",
    "applications.reply.submitted": "答复提交审签",
    "applications.reply.signed": "答复审签通过",
    "applications.reply.returned": "答复审签退回",
    "applications.signoff.configured": "设置答复审签",
    "applications.application.served": "送达告知书",
    "applications.application.withdrawn": "申请人撤回申请",
    "applications.application.other_no_correction": "逾期未补正，终止处理",
    "applications.application.other_unpaid": "逾期未缴费，终止处理",
    "applications.application.personal_data_viewed": "查看申请人个人信息（未遮蔽）",
    "applications.id_proof.downloaded": "下载申请人身份证明",
    "applications.attachment.downloaded": "下载申请材料",
    "applications.notice.downloaded": "下载告知书",
    "applications.template.revised": "修订文书模板",
    # assessment — 考核、监督检查与整改、工作要点 (指导科)
    "assessment.assessment.created": "新建考核",
    "assessment.indicator.updated": "修改考核指标",
    "assessment.rating.saved": "录入人工评分",
    "assessment.assessment.scored": "考核评分",
    "assessment.assessment.published": "公布考核结果",
    "assessment.assessment.unpublished": "撤回考核结果",
    "assessment.inspection.created": "登记监督检查",
    "assessment.finding.created": "登记检查发现",
    "assessment.rectification.progress": "报送整改进展",
    "assessment.rectification.submit": "报送整改情况",
    "assessment.rectification.reopen": "整改核查未通过",
    "assessment.rectification.close": "整改销号",
    "assessment.workplan.created": "制定工作要点",
    "assessment.worktask.progressed": "报送工作要点进展",
    # audit — the audit administrator's own actions and refused access
    "audit.access.denied": "拒绝访问",
    "audit.log.exported": "导出审计日志",
    # console
    "console.demo.loaded": "载入演示数据",
    # interaction — 互动交流: 留言办理, 解读回应, 意见征集, 网上调查, 在线访谈
    "interaction.question.submitted": "网上留言提交",
    "interaction.question.routed": "分办留言",
    "interaction.question.rerouted": "重新分办留言",
    "interaction.question.returned": "留言退回协调办",
    "interaction.question.rejected": "留言不予受理",
    "interaction.question.answered": "拟定留言答复",
    "interaction.question.approved": "审核通过留言答复",
    "interaction.question.review_returned": "留言答复审核退回",
    "interaction.question.unpublished": "撤下公开的留言",
    "interaction.interpretation.created": "新建解读回应",
    "interaction.interpretation.changed": "修改解读回应",
    "interaction.interpretation.published": "发布解读回应",
    "interaction.interpretation.withdrawn": "撤回解读回应",
    "interaction.consultation.created": "发起意见征集",
    "interaction.consultation.changed": "修改意见征集",
    "interaction.consultation.published": "发布意见征集",
    "interaction.consultation.feedback_published": "发布意见采纳情况",
    "interaction.comment.approved": "征集意见审核通过",
    "interaction.comment.rejected": "征集意见审核不通过",
    "interaction.survey.created": "发起网上调查",
    "interaction.survey.published": "发布网上调查",
    "interaction.interview.created": "安排在线访谈",
    "interaction.interview.changed": "修改在线访谈",
    "interaction.interview.published": "发布在线访谈预告",
    "interaction.interview.transcript_published": "发布访谈实录",
    "interaction.interview_question.approved": "访谈提问审核通过",
    "interaction.interview_question.rejected": "访谈提问审核不通过",
    "interaction.question.personal_data_viewed": "查看留言人个人信息（未遮蔽）",
    # outreach — reading points, deliveries, visitor logs, activities
    "outreach.reading_point.created": "新增公共查阅点",
    "outreach.reading_point.changed": "修改公共查阅点",
    "outreach.delivery.created": "登记报送",
    "outreach.visit_log.created": "登记查阅",
    "outreach.activity.created": "登记活动",
    # pki — certificates (安全管理员、网管科)
    "pki.ca.created": "创建证书颁发机构",
    "pki.crl.generated": "签发证书吊销列表",
    "pki.application.submitted": "提交证书申请单",
    "pki.application.step": "办理证书申请单",
    "pki.certificate.issued": "签发证书",
    "pki.certificate.imported": "导入证书",
    "pki.certificate.revoked": "吊销证书",
    "pki.certificate.emergency_revoked": "紧急吊销证书",
    "pki.certificate.login": "证书登录",
    "pki.certificate.expiry_reminded": "发送证书到期提醒",
    "pki.challenge.failed": "证书登录签名验证失败",
    "pki.application.personal_data_viewed": "查看证书申请人联系电话",
    # publishing — 主动公开: entry, review, publication, changes, guides, import
    "publishing.item.created": "框架录入",
    "publishing.revision.updated": "修改待审内容",
    "publishing.revision.submitted": "提交审核",
    "publishing.revision.reopened": "审核后内容被修改，退回重新审核",
    "publishing.review.approve": "审核通过",
    "publishing.review.return": "审核退回",
    "publishing.scan.overridden": "保密扫描提示人工放行",
    "publishing.attachment.added": "添加附件",
    "publishing.attachment.removed": "移除附件",
    "publishing.item.published": "发布信息",
    "publishing.item.changed": "更新已发布信息",
    "publishing.item.scheduled": "设置定时发布",
    "publishing.item.unscheduled": "取消定时发布",
    "publishing.item.schedule_blocked": "定时发布受阻",
    "publishing.item.expired": "信息到期失效",
    "publishing.item.withdrawn": "撤回（删除）信息",
    "publishing.withheld.reviewed": "复核不予公开信息",
    "publishing.item.validity": "标注信息有效性（失效、废止）",
    "publishing.item.converted_to_proactive": "不予公开信息转为主动公开",
    "publishing.change.change.submitted": "提交变更申请",
    "publishing.change.delete.submitted": "提交删除申请",
    "publishing.change.change.approve": "变更申请：分管领导同意",
    "publishing.change.change.approve.refused": "变更申请：分管领导不同意",
    "publishing.change.change.review": "变更申请：指导科审核通过",
    "publishing.change.change.review.refused": "变更申请：指导科审核不通过",
    "publishing.change.change.execute": "变更申请：网管科执行",
    "publishing.change.change.execute.refused": "变更申请：网管科拒绝执行",
    "publishing.change.change.verify": "变更申请：部门负责人校核",
    "publishing.change.change.verify.refused": "变更申请：部门负责人校核不通过",
    "publishing.change.delete.approve": "删除申请：分管领导同意",
    "publishing.change.delete.approve.refused": "删除申请：分管领导不同意",
    "publishing.change.delete.review": "删除申请：指导科审核通过",
    "publishing.change.delete.review.refused": "删除申请：指导科审核不通过",
    "publishing.change.delete.execute": "删除申请：网管科执行",
    "publishing.change.delete.execute.refused": "删除申请：网管科拒绝执行",
    "publishing.change.delete.verify": "删除申请：部门负责人校核",
    "publishing.change.delete.verify.refused": "删除申请：部门负责人校核不通过",
    "publishing.change.change.amended": "变更申请：申请人修改申请书",
    "publishing.change.delete.amended": "删除申请：申请人修改申请书",
    "publishing.change.change.reopened": "变更申请：已发布内容变化，退回重新审批",
    "publishing.change.delete.reopened": "删除申请：已发布内容变化，退回重新审批",
    "publishing.change.change.blocked": "变更申请：办理记录与内容不符，拒绝办理",
    "publishing.change.delete.blocked": "删除申请：办理记录与内容不符，拒绝办理",
    "publishing.stage.saved": "保存审核环节设置",
    "publishing.stage.deleted": "删除审核环节",
    "publishing.guide.saved": "保存公开指南",
    "publishing.import.started": "开始导入目录",
    "publishing.import.done": "导入目录完成",
    "publishing.import.rejected": "导入目录被拒绝",
    "publishing.import.migrated": "系统迁移：按原发布状态导入目录",
    # remedies — 复议、诉讼、投诉
    "remedies.case.created": "登记复议诉讼案件",
    "remedies.case.concluded": "办结复议诉讼案件",
    "remedies.complaint.created": "登记投诉举报",
    "remedies.complaint.closed": "办结投诉举报",
    "remedies.case.personal_data_viewed": "查看复议诉讼申请人（原告）姓名",
    "remedies.complaint.personal_data_viewed": "查看投诉人（申诉人）姓名",
    # reports — 年度报告
    "reports.report.created": "创建年度报告",
    "reports.report.narrative_changed": "修改年度报告正文",
    "reports.report.new_version": "新建年度报告版本",
    "reports.report.published": "发布年度报告",
    "reports.report.superseded": "年度报告被新版本替代",
    "reports.applications.imported": "导入历史申请",
    # search
    "search.index.reconciled": "核对检索索引",
    "search.index.rebuilt": "重建检索索引",
    # workdays — the working-day calendar (系统管理员)
    "workdays.day.created": "新增节假日或调休日",
    "workdays.day.updated": "修改节假日或调休日",
    "workdays.day.deleted": "删除节假日或调休日",
    "workdays.year.imported": "导入年度工作日历",
    "workdays.deadlines.recomputed": "日历变更后重算答复期限",
}

# Codes of rows written before the scheme was unified → their current code.
LEGACY_CODES: dict[str, str] = {
    "accounts.logout": "accounts.session.logout",
    "application.submitted": "applications.application.submitted",
    "application.registered": "applications.application.registered",
    "application.confirmed": "applications.application.confirmed",
    "application.assigned": "applications.application.assigned",
    "application.correction_requested": "applications.application.correction_requested",
    "application.corrected": "applications.application.corrected",
    "application.consultation_started": "applications.application.consultation_started",
    "application.consultation_recorded": "applications.application.consultation_recorded",
    "application.consultation_receipt_recorded": (
        "applications.application.consultation_receipt_recorded"
    ),
    "application.extension_requested": "applications.application.extension_requested",
    "application.extension_approved": "applications.application.extension_approved",
    "application.delayed_due_set": "applications.application.delayed_due_set",
    "application.reasons_requested": "applications.application.reasons_requested",
    "application.reasons_received": "applications.application.reasons_received",
    "application.reasons_accepted": "applications.application.reasons_accepted",
    "application.fee_notified": "applications.application.fee_notified",
    "application.fee_paid": "applications.application.fee_paid",
    "application.replied": "applications.application.replied",
    "application.served": "applications.application.served",
    "application.withdrawn": "applications.application.withdrawn",
    "application.other_no_correction": "applications.application.other_no_correction",
    "application.other_unpaid": "applications.application.other_unpaid",
    "application.template_revised": "applications.template.revised",
    "pki.ca_created": "pki.ca.created",
    "pki.crl_generated": "pki.crl.generated",
    "pki.application_submitted": "pki.application.submitted",
    "pki.application_step": "pki.application.step",
    "pki.certificate_issued": "pki.certificate.issued",
    "pki.certificate_imported": "pki.certificate.imported",
    "pki.certificate_revoked": "pki.certificate.revoked",
    "pki.emergency_revoked": "pki.certificate.emergency_revoked",
    "pki.certificate_login": "pki.certificate.login",
    "pki.expiry_reminded": "pki.certificate.expiry_reminded",
    "pki.challenge_failed": "pki.challenge.failed",
    "workdays.recomputed": "workdays.deadlines.recomputed",
}
# fmt: on

# The app part of a code → the module's name in the action filter.
APP_LABELS: dict[str, str] = {
    "accounts": "用户与登录",
    "agencies": "机构",
    "applications": "依申请公开",
    "assessment": "考核",
    "api": "开放数据接口",
    "audit": "审计",
    "console": "控制台",
    "interaction": "互动交流",
    "outreach": "查阅点与活动",
    "pki": "数字证书",
    "publishing": "主动公开",
    "remedies": "复议诉讼投诉",
    "reports": "年度报告",
    "search": "检索",
    "workdays": "工作日历",
}


def current_code(action: str) -> str:
    """The current code of ``action`` (itself unless it is a legacy code)."""
    return LEGACY_CODES.get(action, action)


def action_label(action: str) -> str:
    """The Chinese label of an action code; an unknown code is shown as it is."""
    return ACTION_LABELS.get(current_code(action), action)


def codes_for(selected: str) -> list[str]:
    """Stored codes matching a filter value: an exact code (plus its legacy codes) or a
    prefix ending in "." (a whole app or entity, legacy codes included)."""
    known = list(ACTION_LABELS) + list(LEGACY_CODES)
    if selected.endswith("."):
        return [c for c in known if current_code(c).startswith(selected) or c.startswith(selected)]
    return [selected] + [old for old, new in LEGACY_CODES.items() if new == selected]


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for the action filter: one group per app, "全部" first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in ACTION_LABELS.items():
        app = code.split(".", 1)[0]
        groups.setdefault(app, [(f"{app}.", f"（{APP_LABELS.get(app, app)}：全部）")])
        groups[app].append((code, label))
    return [(APP_LABELS.get(app, app), items) for app, items in sorted(groups.items())]


def object_type_label(object_type: str) -> str:
    """``publishing.catalogitem`` → the model's verbose name (“目录条目”); else as stored."""
    from django.apps import apps

    if "." not in object_type:
        return object_type
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def agency_names(codes: Iterable[str]) -> dict[str, str]:
    """Agency code → name, for the codes of one page of entries (one query)."""
    from gongkai.agencies.models import Agency

    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    return dict(Agency.objects.filter(code__in=wanted).values_list("code", "name"))


# Keys of ``changes`` that are not model fields (or belong to refused-page entries).
EXTRA_FIELD_LABELS: dict[str, str] = {
    "method": "请求方法",
    "stage": "审核环节",
    "due_on": "答复期限",
    "count": "条数",
}
PAGE_FIELD_LABELS: dict[str, str] = {"status": "HTTP状态码", "method": "请求方法"}


def _model_field(object_type: str, field: str) -> Any:
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    if object_type.startswith("page:") or "." not in object_type:
        return None
    try:
        return apps.get_model(object_type)._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def field_label(object_type: str, field: str) -> str:
    """A changed field's Chinese name: the model field's verbose name (“status” → “状态”),
    else a known extra key, else the key as stored."""
    if object_type.startswith("page:"):
        return PAGE_FIELD_LABELS.get(field, field)
    model_field = _model_field(object_type, field)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(model_field.verbose_name)
    return EXTRA_FIELD_LABELS.get(field, field)


def field_value(object_type: str, field: str, value: Any) -> Any:
    """A stored value as shown: a choice's Chinese label (“in_review” → “审核中”)."""
    model_field = _model_field(object_type, field)
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if value is not None and not isinstance(value, (list, dict)) and value in choices:
        return f"{choices[value]}"
    return value


def object_display(entry: Any) -> str:
    """“目录条目「关于…的通知」（#12）”: the object's kind, name and id; a refused page
    shows its address."""
    if entry.object_type.startswith("page:"):
        status = (entry.changes or {}).get("status") if isinstance(entry.changes, dict) else None
        code = status[1] if isinstance(status, list) and len(status) == 2 else None
        return f"页面 {entry.object_repr}" + (f"（{code}）" if code else "")
    kind = object_type_label(entry.object_type) if entry.object_type else ""
    name = f"「{entry.object_repr}」" if entry.object_repr else ""
    ident = f"（#{entry.object_id}）" if entry.object_id else ""
    return f"{kind}{name}{ident}" or "—"


def present(entries: Iterable[Any]) -> list[Any]:
    """Decorate entries for display: ``action_label``, ``agency_name`` (the name, not the
    code), ``object_display`` and ``change_rows`` [(field label, old, new)]."""
    rows = list(entries)
    names = agency_names(e.agency_code for e in rows)
    for e in rows:
        e.action_label = action_label(e.action)
        e.agency_name = names.get(e.agency_code, e.agency_code)
        e.object_display = object_display(e)
        changes = e.changes if isinstance(e.changes, dict) else {}
        e.change_rows = []
        for k, v in changes.items():
            old, new = v if isinstance(v, list) and len(v) == 2 else (None, v)
            e.change_rows.append(
                (
                    field_label(e.object_type, k),
                    field_value(e.object_type, k, old),
                    field_value(e.object_type, k, new),
                )
            )
    return rows
