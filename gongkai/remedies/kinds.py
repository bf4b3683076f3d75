from __future__ import annotations

from gongkai.remedies import forms, services
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.remedies.records import RecordKind

KINDS = {
    "cases": RecordKind(
        "cases",
        "行政复议和行政诉讼",
        RemedyCase,
        forms.RemedyCaseForm,
        services.remedy_case_create,
        [
            ("agency", "机关"),
            ("get_kind_display", "类别"),
            ("case_number", "案号"),
            ("filed_on", "受理日期"),
            ("get_outcome_display", "结果"),
            ("concluded_on", "审结日期"),
        ],
        detail="remedies:case",
    ),
    "complaints": RecordKind(
        "complaints",
        "投诉、举报和申诉",
        Complaint,
        forms.ComplaintForm,
        services.complaint_create,
        [
            ("agency", "机关"),
            ("get_kind_display", "类别"),
            ("received_on", "收到日期"),
            ("subject", "事由"),
            ("get_status_display", "状态"),
            ("closed_on", "办结日期"),
        ],
        detail="remedies:complaint",
    ),
}
