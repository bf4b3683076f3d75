"""Demo applications for 通化市民政局 (th-mzj): 2012 (2008 rules) and current ones in
various states. Idempotent: nothing is created when the demo applications exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.lib import codes

DEMO_DOMAIN = "@demo.gongkai.cn"


def _id(body17: str) -> str:
    return body17 + codes.id_check_char(body17)


def _person(name: str, mail: str, body17: str, description: str, **extra: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural",
        "applicant_name": name,
        "id_type": "resident_id",
        "id_number": _id(body17),
        "phone": "1390435" + body17[-4:],
        "email": mail + DEMO_DOMAIN,
        "address": "吉林省通化市东昌区建设大街88号",
        "postcode": "134001",
        "description": description,
        "doc_number": "",
        "purpose": "",
        "carrier": "paper",
        "delivery": "mail",
    }
    data.update(extra)
    return data


def _org(name: str, mail: str, description: str) -> dict[str, Any]:
    body = "MA0" + "7T2K3"  # 8 characters of the subject code body
    org = body + codes.org_code_check_char(body)
    uscc17 = "91220502" + org
    return {
        "applicant_type": "business",
        "applicant_name": name,
        "id_type": "",
        "id_number": uscc17 + codes.uscc_check_char(uscc17),
        "legal_representative": "王建国",
        "contact_person": "刘敏",
        "phone": "04353200000",
        "email": mail + DEMO_DOMAIN,
        "address": "通化市东昌区滨江西路6号",
        "postcode": "134001",
        "description": description,
        "doc_number": "",
        "purpose": "",
        "carrier": "electronic",
        "delivery": "email",
    }


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9, 30))


# working days after "today" that the current applications' steps compute deadlines for
# (a reply's 20, counted from the latest of them: a correction's answer)
_HORIZON = 20


def _current_day() -> dt.date:
    """The day the current-year applications are dated: today, or — from December, before
    the State Council has published next year's holidays and the working-day calendar has
    them — the last week whose deadlines the calendar can compute, so that ``make run``
    still shows applications in every state (never invented holidays)."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    day = timezone.localdate()
    for _ in range(60):
        try:
            add_workdays(day, _HORIZON)
            return day
        except CalendarMissingError:
            day -= dt.timedelta(days=7)
    return timezone.localdate()


def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    """Create the demo applications of th-mzj (needs the agencies and accounts demo)."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    agency = Agency.objects.filter(code="th-mzj").first()
    users = {u.username: u for u in User.objects.filter(username__in=["lisi", "zhengyi", "wushi"])}
    if agency is None or len(users) < 3:
        if out:
            out.write("applications: 缺少演示机构 th-mzj 或演示用户，跳过。\n")
        return {"applications": 0}
    if Application.objects.filter(agency=agency, email__endswith=DEMO_DOMAIN).exists():
        return {"applications": Application.objects.filter(agency=agency).count()}
    lisi, zhengyi, wushi = users["lisi"], users["zhengyi"], users["wushi"]

    def register(day: dt.date, data: dict[str, Any], channel: str = "letter") -> Application:
        app, _ = services.application_register(
            agency=agency,
            by=lisi,
            channel=channel,
            data=data,
            received_on=day,
            today=day,
            now=_at(day),
        )
        return services.application_assign(application=app, by=lisi, handler=zhengyi, today=day)

    try:
        # 2012: the 2008 条例 (15 + 15 working days, cost-based fees, 3-month litigation limit)
        d = dt.date(2012, 3, 12)
        a = register(
            d,
            _person(
                "王淑珍", "wangsz", "22050219620314002", "2011年度城市居民最低生活保障资金发放情况"
            ),
        )
        services.application_reply(
            application=a,
            by=zhengyi,
            outcome="disclose",
            reply_text="所需信息见附表《2011年度城市低保资金发放情况》。",
            service_method="mail",
            served_on=add_workdays(d, 9),
            today=add_workdays(d, 9),
        )
        d = dt.date(
            2013, 9, 3
        )  # the seed has no withheld reply in 2012 (776 disclosed + 5 partial)
        a = register(
            d,
            _person(
                "李国强", "ligq", "22050219750802003", "某社会福利院2012年内部人事调整的讨论记录"
            ),
            "in_person",
        )
        services.application_reply(
            application=a,
            by=zhengyi,
            outcome="withhold_internal",
            reply_text="您申请的信息属于内部管理信息。",
            service_method="pickup",
            served_on=add_workdays(d, 12),
            today=add_workdays(d, 12),
        )
        d = dt.date(2012, 11, 19)
        a = register(
            d,
            _person(
                "赵玉兰", "zhaoyl", "22052119580101004", "东昌区2012年农村五保供养对象名单及标准"
            ),
        )
        services.application_request_extension(
            application=a,
            by=zhengyi,
            workdays=10,
            reason="涉及多个乡镇，需汇总材料",
            today=add_workdays(d, 12),
        )
        services.application_approve_extension(application=a, by=wushi, today=add_workdays(d, 12))
        services.application_reply(
            application=a,
            by=zhengyi,
            outcome="partial",
            reply_text="供养标准予以公开；名单中的个人身份信息属于个人隐私，不予公开。",
            withheld_ground="withhold_third_party",
            service_method="mail",
            served_on=add_workdays(d, 20),
            today=add_workdays(d, 20),
        )

        # current year: the 2019 条例
        today = _current_day()
        if out and today != timezone.localdate():
            out.write(
                f"applications: 工作日历尚未包含{today.year + 1}年，当年的演示申请按{today.year}年{today.month}月{today.day}日登记。\n"
            )
        start = today - dt.timedelta(days=18)
        services.application_submit_online(
            agency=agency,
            data=_person(
                "张明", "zhangm", "22050219900505005", "2025年度临时救助资金的审批程序和发放标准"
            ),
            now=_at(today),
        )
        register(
            start,
            _person("陈晓红", "chenxh", "22050219850610006", "本市养老机构星级评定结果及评定依据"),
        )
        a = register(
            today - dt.timedelta(days=3),
            _person("周杰", "zhouj", "22050219920909007", "关于那个补助的文件"),
        )
        services.application_request_correction(
            application=a,
            by=zhengyi,
            items="请写明所需补助的名称、年度或者文号。",
            today=today - dt.timedelta(days=2),
        )
        a = register(
            start,
            _org(
                "通化鑫源养老服务有限公司",
                "xinyuan",
                "本市2025年养老服务补贴资金分配方案及分配结果",
            ),
        )
        services.consultation_start(
            application=a,
            by=zhengyi,
            kind="third_party",
            party="通化康宁养老院",
            today=start + dt.timedelta(days=4),
        )
        a = register(
            start,
            _person(
                "孙丽",
                "sunl",
                "22050219880303008",
                "2025年度本局政府信息公开工作年度报告的统计口径说明",
            ),
        )
        services.application_reply(
            application=a,
            by=zhengyi,
            outcome="partial",
            reply_text="统计口径说明予以公开；内部请示报告属于过程性信息，不予公开。",
            withheld_ground="withhold_process",
            service_method="email",
            served_on=today,
            today=today,
        )
    except (services.ApplicationError, CalendarMissingError) as exc:
        if out:
            out.write(f"applications: 演示数据未完整生成：{exc}\n")
    return {"applications": Application.objects.filter(agency=agency).count()}
