"""Demo organisations: 通化市 with its 市本级 departments, seven counties/districts and
their townships, under their real administrative division codes.

Township codes follow the national convention (街道 001–099, 镇 100–199, 乡 200–299)
with illustrative serials; county and city codes are the real ones. Organisation codes
are generated deterministically with valid GB 11714 check characters (they are demo
values, not the agencies' real codes).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency, Region, SiteProfile, Staffing
from gongkai.lib.codes import org_code_check_char, uscc_check_char

CITY = ("220500", "通化市")
COUNTIES: list[tuple[str, str, str, list[str]]] = [
    # code, name, agency-code prefix, townships (街道 first, then 镇, then 乡)
    (
        "220502",
        "东昌区",
        "dc",
        [
            "老站街道",
            "民主街道",
            "新站街道",
            "团结街道",
            "东昌街道",
            "龙泉街道",
            "光明街道",
            "金厂镇",
            "江东乡",
            "环通乡",
        ],
    ),
    (
        "220503",
        "二道江区",
        "edj",
        ["东通化街道", "桃源街道", "五道江镇", "铁厂镇", "鸭园镇", "二道江乡"],
    ),
    (
        "220521",
        "通化县",
        "thx",
        [
            "快大茂镇",
            "二密镇",
            "果松镇",
            "石湖镇",
            "大安镇",
            "光华镇",
            "兴林镇",
            "英额布镇",
            "三棵榆树镇",
            "西江镇",
            "大泉源满族朝鲜族乡",
            "金斗朝鲜族满族乡",
            "东来乡",
            "富江乡",
            "四棚乡",
        ],
    ),
    (
        "220523",
        "辉南县",
        "hn",
        [
            "朝阳镇",
            "辉南镇",
            "样子哨镇",
            "杉松岗镇",
            "石道河镇",
            "辉发城镇",
            "抚民镇",
            "金川镇",
            "庆阳镇",
            "楼街朝鲜族乡",
        ],
    ),
    (
        "220524",
        "柳河县",
        "lh",
        [
            "柳河镇",
            "三源浦朝鲜族镇",
            "红石镇",
            "驼腰岭镇",
            "孤山子镇",
            "圣水镇",
            "安口镇",
            "向阳镇",
            "凉水河子镇",
            "罗通山镇",
            "姜家店朝鲜族乡",
            "时家店乡",
        ],
    ),
    (
        "220581",
        "梅河口市",
        "mhk",
        [
            "新华街道",
            "和平街道",
            "解放街道",
            "福民街道",
            "山城镇",
            "红梅镇",
            "海龙镇",
            "新合镇",
            "曙光镇",
            "中和镇",
            "黑山头镇",
            "水道镇",
            "进化镇",
            "一座营镇",
            "康大营镇",
            "牛心顶镇",
            "杏岭镇",
            "李炉乡",
            "湾龙乡",
            "兴华乡",
            "双兴乡",
        ],
    ),
    (
        "220582",
        "集安市",
        "ja",
        [
            "团结街道",
            "黎明街道",
            "通胜街道",
            "清河镇",
            "头道镇",
            "花甸镇",
            "台上镇",
            "财源镇",
            "大路镇",
            "太王镇",
            "榆林镇",
            "青石镇",
            "麻线乡",
            "凉水朝鲜族乡",
        ],
    ),
]
# 市本级 departments (code, name); the list follows the seed's 领导小组 members and the
# departments its applications concerned (卫生、水利、农业、食品药品、民政 …).
CITY_DEPARTMENTS: list[tuple[str, str]] = [
    ("th-gkb", "通化市人民政府政务公开协调办公室"),
    ("th-zfb", "通化市人民政府办公室"),
    ("th-fgw", "通化市发展和改革委员会"),
    ("th-jcj", "通化市监察局"),
    ("th-rsj", "通化市人力资源和社会保障局"),
    ("th-czj", "通化市财政局"),
    ("th-fzb", "通化市人民政府法制办公室"),
    ("th-gyj", "通化市公用事业管理局"),
    ("th-jsj", "通化市建设局"),
    ("th-bmj", "通化市国家保密局"),
    ("th-wsj", "通化市卫生局"),
    ("th-slj", "通化市水利局"),
    ("th-nyj", "通化市农业委员会"),
    ("th-ypj", "通化市食品药品监督管理局"),
    ("th-mzj", "通化市民政局"),
    ("th-jyj", "通化市教育局"),
    ("th-gaj", "通化市公安局"),
    ("th-hbj", "通化市环境保护局"),
    ("th-gtj", "通化市国土资源局"),
    ("th-jtj", "通化市交通运输局"),
    ("th-tjj", "通化市统计局"),
    ("th-sjj", "通化市审计局"),
    ("th-swj", "通化市商务局"),
    ("th-wgj", "通化市文化广播电视新闻出版局"),
    ("th-lyj", "通化市林业局"),
    ("th-ajj", "通化市安全生产监督管理局"),
    ("th-wjj", "通化市物价局"),
    ("th-fgj", "通化市住房保障和房地产管理局"),
    ("th-ghj", "通化市规划局"),
    ("th-sfj", "通化市司法局"),
]
COUNTY_DEPARTMENTS = [
    ("zfb", "人民政府办公室"),
    ("czj", "财政局"),
    ("mzj", "民政局"),
    ("wsj", "卫生局"),
    ("jyj", "教育局"),
    ("nyj", "农业局"),
]


def demo_org_code(key: str) -> str:
    digits = str(int(hashlib.sha256(key.encode()).hexdigest(), 16))[:8]
    return digits + org_code_check_char(digits)


def demo_uscc(key: str, region_code: str) -> str:
    body = "11" + region_code[:6] + demo_org_code(key)
    return body + uscc_check_char(body)


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def _agency(code: str, name: str, region: Region, level: str, kind: str, order: int) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "region": region,
            "level": level,
            "kind": kind,
            "org_code": demo_org_code(code),
            "uscc": demo_uscc(code, region.code),
            "office_name": f"{name}政府信息公开工作机构" if kind != Agency.Kind.OFFICE else name,
            "office_address": f"吉林省{region.name if region.level == 'city' else '通化市' + region.name}",
            "office_hours": "工作日 8:30-11:30，13:30-17:00",
            "office_phone": "0435-" + str(3000000 + order),
            "office_fax": "0435-" + str(3500000 + order),
            "office_email": f"{code.replace('-', '')}@example.gov.cn",
            "sort_order": order,
        },
    )
    return agency


@transaction.atomic
def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    """Create or refresh the demo regions and agencies; safe to run any number of times."""
    city = _region(CITY[0], CITY[1], Region.Level.CITY, None)
    # 通化市 has no parent region in the demo: name the government one level up, so the
    # remedy clause of 通化市人民政府's notices can name its 行政复议机关 (applications.legal).
    Region.objects.filter(pk=city.pk).update(superior_government="吉林省人民政府")
    order = 0
    _agency("th-gov", "通化市人民政府", city, Agency.Level.CITY, Agency.Kind.GOVERNMENT, order)
    for code, name in CITY_DEPARTMENTS:
        order += 1
        kind = Agency.Kind.OFFICE if code == "th-gkb" else Agency.Kind.DEPARTMENT
        _agency(code, name, city, Agency.Level.CITY, kind, order)
    for county_code, county_name, prefix, townships in COUNTIES:
        county = _region(county_code, county_name, Region.Level.COUNTY, city)
        order += 1
        _agency(
            f"{prefix}-gov",
            f"{county_name}人民政府",
            county,
            Agency.Level.COUNTY,
            Agency.Kind.GOVERNMENT,
            order,
        )
        for dept_code, dept_name in COUNTY_DEPARTMENTS:
            order += 1
            _agency(
                f"{prefix}-{dept_code}",
                f"{county_name}{dept_name}",
                county,
                Agency.Level.COUNTY,
                Agency.Kind.DEPARTMENT,
                order,
            )
        n_jd = n_z = n_x = 0
        for town in townships:
            if town.endswith("街道"):
                n_jd += 1
                serial = n_jd
            elif town.endswith("镇"):
                n_z += 1
                serial = 100 + n_z
            else:
                n_x += 1
                serial = 200 + n_x
            town_code = f"{county_code}{serial:03d}"
            region = _region(town_code, town, Region.Level.TOWNSHIP, county)
            order += 1
            suffix = "办事处" if town.endswith("街道") else "人民政府"
            _agency(
                f"t{town_code}",
                f"{county_name}{town}{suffix}",
                region,
                Agency.Level.TOWNSHIP,
                Agency.Kind.GOVERNMENT,
                order,
            )
    profile = SiteProfile.current()
    profile.site_name = "通化市人民政府信息公开网"
    profile.host = "通化市人民政府政务公开协调办公室"
    profile.contact = "0435-3000001"
    profile.site_code = "2205000001"
    profile.icp_record = "吉ICP备05001568号"
    profile.police_record = "吉公网安备22050002000001号"
    profile.address = "吉林省通化市东昌区新华大街"
    # demo value in the form of a real certificate address (bszs.conac.cn issues them)
    profile.conac_url = "https://bszs.conac.cn/sitename?method=show&id=2205000001"
    profile.save()
    # The seed: 645 people, 117 full-time, 528 part-time across the city in 2012. Five of them
    # work at 民政局 (whose own 2012 report the quick demo publishes: not "0人从事"); the rest
    # are recorded on the coordination office, so the city's total stays the seed's.
    gkb = Agency.objects.get(code="th-gkb")
    Staffing.objects.update_or_create(
        agency=gkb, year=2012, defaults={"full_time": 115, "part_time": 525}
    )
    Staffing.objects.update_or_create(
        agency=Agency.objects.get(code="th-mzj"),
        year=2012,
        defaults={"full_time": 2, "part_time": 3},
    )
    return {"regions": Region.objects.count(), "agencies": Agency.objects.count()}
