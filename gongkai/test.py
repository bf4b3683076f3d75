"""BaseTestCase with named personas, shared by every app's tests.

Personas (all in 通化市 unless noted):
* ``zhangsan``  张三 — a member of the public (no staff role).
* ``lisi``      李四 — 录入员 (clerk) of agency A (通化市民政局).
* ``wangwu``    王五 — 校对员 (proofreader) of agency A.
* ``qianqi``    钱七 — a second 校对员 of agency A (for four-eyes steps).
* ``sunba``     孙八 — 分管领导 (approver) of agency A.
* ``zhoujiu``   周九 — 部门负责人 (department head) of agency A.
* ``wushi``     吴十 — 信息公开工作机构负责人 (office head) of agency A.
* ``zhengyi``   郑一 — 依申请公开承办人 (handler) of agency A.
* ``fenger``    冯二 — read-only viewer of agency A.
* ``zhaoliu``   赵六 — 录入员 of agency B (通化市财政局), the outsider.
* ``chenzd``    陈指导 — 协调办指导科 (guidance; sees every agency of the city).
* ``chuwg``/``weiwg`` — two people of 协调办网管科 (network section).
* ``sysadmin``, ``secadmin``, ``auditor`` — the three separated administrators.
Agencies: ``agency_a`` (民政局), ``agency_b`` (财政局), ``office`` (协调办), ``city_gov``,
``county`` (东昌区人民政府) and ``town`` (a township of 东昌区), regions ``city_region``,
``county_region``, ``town_region``.
"""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from gongkai.accounts.models import AdminRole, Membership, Role, User
from gongkai.agencies.demo import demo_org_code, demo_uscc
from gongkai.agencies.models import Agency, Region

PASSWORD = "Test@Passw0rd"


def make_agency(
    code: str, name: str, region: Region, level: str = "city", kind: str = "department"
) -> Agency:
    return Agency.objects.create(
        code=code,
        name=name,
        region=region,
        level=level,
        kind=kind,
        org_code=demo_org_code(code),
        uscc=demo_uscc(code, region.code),
    )


def make_user(
    username: str, name: str, *memberships: tuple[Agency, str], admin_role: str = ""
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=name, admin_role=admin_role
    )
    for agency, role in memberships:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


class BaseTestCase(TestCase):
    """Creates the organisations and personas once per test class (``setUpTestData``)."""

    city_region: Region
    county_region: Region
    other_county_region: Region
    town_region: Region
    city_gov: Agency
    agency_a: Agency
    agency_b: Agency
    office: Agency
    county: Agency
    town: Agency
    other_county: Agency
    zhangsan: User
    lisi: User
    wangwu: User
    qianqi: User
    sunba: User
    zhoujiu: User
    wushi: User
    zhengyi: User
    fenger: User
    zhaoliu: User
    chenzd: User
    chuwg: User
    weiwg: User
    sysadmin: User
    secadmin: User
    auditor: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from gongkai.workdays.seed import ensure_seeded

        # A transactional test elsewhere in the same worker may have flushed the seeded calendar.
        ensure_seeded()
        cls.city_region = Region.objects.create(code="220500", name="通化市", level="city")
        cls.county_region = Region.objects.create(
            code="220502", name="东昌区", level="county", parent=cls.city_region
        )
        cls.other_county_region = Region.objects.create(
            code="220521", name="通化县", level="county", parent=cls.city_region
        )
        cls.town_region = Region.objects.create(
            code="220502101", name="金厂镇", level="township", parent=cls.county_region
        )
        cls.city_gov = make_agency("th-gov", "通化市人民政府", cls.city_region, kind="government")
        cls.agency_a = make_agency("th-mzj", "通化市民政局", cls.city_region)
        cls.agency_b = make_agency("th-czj", "通化市财政局", cls.city_region)
        cls.office = make_agency(
            "th-gkb", "通化市人民政府政务公开协调办公室", cls.city_region, kind="office"
        )
        cls.county = make_agency(
            "dc-gov", "东昌区人民政府", cls.county_region, level="county", kind="government"
        )
        cls.town = make_agency(
            "t220502101",
            "东昌区金厂镇人民政府",
            cls.town_region,
            level="township",
            kind="government",
        )
        cls.other_county = make_agency(
            "thx-gov", "通化县人民政府", cls.other_county_region, level="county", kind="government"
        )

        cls.zhangsan = make_user("zhangsan", "张三")
        cls.lisi = make_user("lisi", "李四", (cls.agency_a, Role.CLERK))
        cls.wangwu = make_user("wangwu", "王五", (cls.agency_a, Role.PROOFREADER))
        cls.qianqi = make_user("qianqi", "钱七", (cls.agency_a, Role.PROOFREADER))
        cls.sunba = make_user("sunba", "孙八", (cls.agency_a, Role.APPROVER))
        cls.zhoujiu = make_user("zhoujiu", "周九", (cls.agency_a, Role.DEPT_HEAD))
        cls.wushi = make_user("wushi", "吴十", (cls.agency_a, Role.OFFICE_HEAD))
        cls.zhengyi = make_user("zhengyi", "郑一", (cls.agency_a, Role.HANDLER))
        cls.fenger = make_user("fenger", "冯二", (cls.agency_a, Role.VIEWER))
        cls.zhaoliu = make_user("zhaoliu", "赵六", (cls.agency_b, Role.CLERK))
        cls.chenzd = make_user("chenzd", "陈指导", (cls.office, Role.GUIDANCE))
        cls.chuwg = make_user("chuwg", "褚网管", (cls.office, Role.NETWORK))
        cls.weiwg = make_user("weiwg", "卫网管", (cls.office, Role.NETWORK))
        cls.sysadmin = make_user("sysadmin", "系统管理员", admin_role=AdminRole.SYSTEM)
        cls.secadmin = make_user("secadmin", "安全管理员", admin_role=AdminRole.SECURITY)
        cls.auditor = make_user("auditor", "审计管理员", admin_role=AdminRole.AUDIT)

    def setUp(self) -> None:
        super().setUp()
        from gongkai.workdays import calendar

        calendar.invalidate()  # a rolled-back calendar change must not linger in the in-process index

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def personas(self) -> dict[str, User]:
        names = [
            "zhangsan",
            "lisi",
            "wangwu",
            "qianqi",
            "sunba",
            "zhoujiu",
            "wushi",
            "zhengyi",
            "fenger",
            "zhaoliu",
            "chenzd",
            "chuwg",
            "weiwg",
            "sysadmin",
            "secadmin",
            "auditor",
        ]
        # fresh objects so per-request caches (memberships, visible agencies) start empty
        return {n: User.objects.get(username=n) for n in names}

    def assertAudited(self, action: str, **filters: Any) -> None:  # noqa: N802
        from gongkai.audit.models import AuditEntry

        self.assertTrue(
            AuditEntry.objects.filter(action=action, **filters).exists(),
            f"no audit entry {action} {filters}",
        )
