"""Demo users: one for every role, all with the password ``DEMO_PASSWORD``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.accounts.models import AdminRole, Membership, Role, User
from gongkai.agencies.models import Agency

DEMO_PASSWORD = "Gongkai@2026"

# username, name, admin role, [(agency code, role), …], what they are for
DEMO_USERS: list[tuple[str, str, str, list[tuple[str, str]], str]] = [
    ("sysadmin", "系统管理员", AdminRole.SYSTEM, [], "系统配置（日历、模板、机构、网站信息）"),
    ("secadmin", "安全管理员", AdminRole.SECURITY, [], "用户、岗位、证书"),
    ("auditor", "审计管理员", AdminRole.AUDIT, [], "只读审计日志"),
    ("lisi", "李四", "", [("th-mzj", Role.CLERK)], "民政局录入员"),
    ("wangwu", "王五", "", [("th-mzj", Role.PROOFREADER)], "民政局校对员（一校）"),
    ("qianqi", "钱七", "", [("th-mzj", Role.PROOFREADER)], "民政局校对员（二校）"),
    ("sunba", "孙八", "", [("th-mzj", Role.APPROVER)], "民政局分管领导（终审、审批删改）"),
    ("zhoujiu", "周九", "", [("th-mzj", Role.DEPT_HEAD)], "民政局部门负责人"),
    ("wushi", "吴十", "", [("th-mzj", Role.OFFICE_HEAD)], "民政局信息公开工作机构负责人"),
    ("zhengyi", "郑一", "", [("th-mzj", Role.HANDLER)], "民政局依申请公开承办人"),
    ("fenger", "冯二", "", [("th-mzj", Role.VIEWER)], "民政局只读查看"),
    ("zhaoliu", "赵六", "", [("th-czj", Role.CLERK)], "财政局录入员（其他机构）"),
    ("chenzd", "陈指导", "", [("th-gkb", Role.GUIDANCE)], "协调办指导科"),
    ("chuwg", "褚网管", "", [("th-gkb", Role.NETWORK)], "协调办网管科"),
    ("weiwg", "卫网管", "", [("th-gkb", Role.NETWORK)], "协调办网管科（第二人复核）"),
    ("dclr", "东昌录入", "", [("dc-gov", Role.CLERK)], "东昌区政府录入员"),
]


@transaction.atomic
def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    """Create the demo users and their memberships; existing ones are left as they are."""
    for username, name, admin_role, memberships, _note in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=name, admin_role=admin_role)
            user.set_password(DEMO_PASSWORD)
            user.save()
        for agency_code, role in memberships:
            Membership.objects.get_or_create(
                user=user, agency=Agency.objects.get(code=agency_code), role=role
            )
    return {"users": User.objects.count()}
