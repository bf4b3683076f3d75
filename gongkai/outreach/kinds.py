from __future__ import annotations

from gongkai.outreach import forms, services
from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog
from gongkai.remedies.records import RecordKind

KINDS = {
    "points": RecordKind(
        "points",
        "公共查阅点",
        ReadingPoint,
        forms.ReadingPointForm,
        services.reading_point_create,
        [
            ("name", "名称"),
            ("agency", "设置机关"),
            ("get_kind_display", "类型"),
            ("electronic", "可电子查阅"),
            ("address", "地址"),
            ("hours", "开放时间"),
        ],
        detail="outreach:point",
    ),
    "deliveries": RecordKind(
        "deliveries",
        "查阅点报送",
        Delivery,
        forms.DeliveryForm,
        services.delivery_create,
        [
            ("reading_point", "查阅点"),
            ("title", "文件名称"),
            ("get_medium_display", "载体"),
            ("quantity", "件数"),
            ("formed_on", "生成日期"),
            ("delivered_on", "报送日期"),
            ("workdays_taken", "用时（工作日）"),
        ],
    ),
    "visits": RecordKind(
        "visits",
        "查阅登记",
        VisitLog,
        forms.VisitLogForm,
        services.visit_log_create,
        [
            ("reading_point", "查阅点"),
            ("logged_on", "日期"),
            ("visitors", "接待人次"),
            ("borrowings", "借阅件次"),
        ],
    ),
    "activities": RecordKind(
        "activities",
        "发布会、公报、培训等活动",
        Activity,
        forms.ActivityForm,
        services.activity_create,
        [
            ("agency", "机关"),
            ("get_kind_display", "类别"),
            ("held_on", "日期"),
            ("title", "名称"),
            ("sessions", "次数"),
            ("quantity", "数量"),
        ],
    ),
}
