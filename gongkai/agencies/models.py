"""Organisations: the region tree and the agencies in it (SPEC C1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from gongkai.agencies.querysets import AgencyQuerySet, RegionQuerySet
from gongkai.lib import codes


class Region(models.Model):
    """An administrative division: (省 →) 市 → 县/市/区 → 乡/镇/街道, keyed by its division code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省/自治区/直辖市"
        CITY = "city", "市"
        COUNTY = "county", "县/市/区"
        TOWNSHIP = "township", "乡/镇/街道"

    code = models.CharField("行政区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级区划",
    )
    superior_government = models.CharField(
        "上一级人民政府",
        max_length=100,
        blank=True,
        help_text="本区划没有上级区划时填写，如“吉林省人民政府”；本级人民政府的行政复议机关"
        "（行政复议法第二十四条第一款第（二）项）。",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = {
            self.Level.PROVINCE: 6,
            self.Level.CITY: 6,
            self.Level.COUNTY: 6,
            self.Level.TOWNSHIP: 9,
        }.get(self.level)  # type: ignore[call-overload]
        if not self.code.isdigit() or (expected and len(self.code) not in (expected, 12)):
            raise ValidationError({"code": f"行政区划代码应为{expected}位数字。"})
        parent_level = {
            self.Level.COUNTY: self.Level.CITY,
            self.Level.TOWNSHIP: self.Level.COUNTY,
        }.get(self.level)  # type: ignore[call-overload]
        if parent_level and (self.parent is None or self.parent.level != parent_level):
            raise ValidationError({"parent": "上级区划层级不正确。"})
        city_parent = self.parent if self.level == self.Level.CITY else None
        if city_parent is not None and city_parent.level != self.Level.PROVINCE:
            raise ValidationError({"parent": "市级区划的上级只能是省级区划。"})
        if self.level == self.Level.PROVINCE and self.parent is not None:
            raise ValidationError({"parent": "省级区划不应有上级。"})

    def descendant_ids(self) -> list[int]:
        """This region and every region below it (the tree is three levels deep)."""
        ids = [self.pk]
        frontier = [self.pk]
        while frontier:
            frontier = list(
                Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class ReviewKind(models.TextChoices):
    """How an agency's 行政复议机关 is found (行政复议法 2023 第二十四条、第二十七条、第二十八条)."""

    DEFAULT = "", "按机关类型和区划确定"
    VERTICAL = "vertical", "实行垂直领导（向上一级主管部门申请，第二十七条）"
    JUSTICE = "justice", "司法行政部门（本级人民政府或上一级司法行政部门，第二十八条）"


class Agency(models.Model):
    """A 行政机关: a people's government, a department, a 派出机构 or a township government."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市本级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡级"

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府部门"
        BRANCH = "branch", "派出机构"
        OFFICE = "office", "政务公开协调办"

    code = models.SlugField(
        "机构代号", max_length=40, unique=True, help_text="系统内的简短代号，如 thsfgw。"
    )
    name = models.CharField("机构名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="agencies", verbose_name="所属区划"
    )
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT)
    org_code = models.CharField("组织机构代码", max_length=10, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    office_name = models.CharField("政府信息公开工作机构", max_length=100, blank=True)
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    office_phone = models.CharField("联系电话", max_length=40, blank=True)
    office_fax = models.CharField("传真", max_length=40, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    # 行政复议机关 (applications.legal.review_bodies): derived from the region and kind
    # unless the agency is vertical, a 司法行政部门, or the body is set explicitly.
    review_kind = models.CharField(
        "复议机关确定方式", max_length=10, choices=ReviewKind.choices, blank=True, default=""
    )
    superior_department = models.CharField(
        "上一级主管部门",
        max_length=100,
        blank=True,
        help_text="垂直领导机关必填；其他部门在2024年前的决定中作为可选的复议机关印在告知书上。",
    )
    review_body = models.CharField(
        "指定的行政复议机关",
        max_length=100,
        blank=True,
        help_text="填写后告知书只印此机关，不再按区划推定。",
    )
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "sort_order", "name"]
        verbose_name = "机构"
        verbose_name_plural = "机构"
        constraints = [
            models.UniqueConstraint(
                fields=["org_code"], condition=~models.Q(org_code=""), name="agency_org_code_unique"
            ),
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="agency_uscc_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.org_code:
            self.org_code = codes.normalize_org_code(self.org_code)
            if (msg := codes.org_code_error(self.org_code)) is not None:
                errors["org_code"] = msg
        if self.uscc:
            self.uscc = self.uscc.strip().upper()
            if (msg := codes.uscc_error(self.uscc)) is not None:
                errors["uscc"] = msg
            elif self.org_code and self.uscc[8:17] != self.org_code:
                errors["uscc"] = "统一社会信用代码第9至17位应与组织机构代码一致。"
        if not self.org_code and not self.uscc:
            errors["org_code"] = "组织机构代码和统一社会信用代码至少填写一项。"
        if errors:
            raise ValidationError(errors)

    @property
    def identifier_code(self) -> str:
        """The 9-character organisation code (from the USCC when only that is known)."""
        return self.org_code or (self.uscc[8:17] if self.uscc else "")


class Staffing(models.Model):
    """Staff working on disclosure in one agency and year (专职/兼职), for the report."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="staffing", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("年度")
    full_time = models.PositiveIntegerField("专职人员", default=0)
    part_time = models.PositiveIntegerField("兼职人员", default=0)

    class Meta:
        ordering = ["-year", "agency"]
        verbose_name = "工作人员配置"
        verbose_name_plural = "工作人员配置"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="staffing_agency_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def total(self) -> int:
        return self.full_time + self.part_time


class SiteProfile(models.Model):
    """The portal's identity and footer (singleton, pk=1), edited by the system administrator."""

    site_name = models.CharField("网站名称", max_length=100, default="通化市人民政府信息公开网")
    host = models.CharField("主办单位", max_length=100, default="通化市人民政府政务公开协调办公室")
    contact = models.CharField("联系方式", max_length=200, blank=True, default="")
    site_code = models.CharField("政府网站标识码", max_length=20, blank=True, default="")
    icp_record = models.CharField("ICP备案号", max_length=60, blank=True, default="")
    police_record = models.CharField("公安机关备案号", max_length=60, blank=True, default="")
    address = models.CharField("地址", max_length=200, blank=True, default="")
    # footer items required of government sites (国办发〔2017〕47号《政府网站发展指引》)
    conac_url = models.URLField(
        "党政机关网站标识链接",
        max_length=300,
        blank=True,
        default="",
        help_text="开办单位在中国机构编制网取得的党政机关网站标识证书地址；留空则不显示标识。",
    )
    error_report_url = models.URLField(
        "“我为政府网站找错”链接",
        max_length=300,
        blank=True,
        default="",
        help_text="留空则按政府网站标识码生成国务院办公厅政府网站找错平台的地址；没有标识码时不显示。",
    )

    class Meta:
        verbose_name = "网站信息"
        verbose_name_plural = "网站信息"

    def __str__(self) -> str:
        return self.site_name

    @property
    def error_report_link(self) -> str:
        """The 我为政府网站找错 address: the configured one, else the national platform's for
        this site's 政府网站标识码."""
        if self.error_report_url:
            return self.error_report_url
        if self.site_code:
            return (
                "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action"
                f"?sitecode={self.site_code}"
            )
        return ""

    @classmethod
    def current(cls) -> SiteProfile:
        return cls.objects.filter(pk=1).first() or cls(pk=1)
