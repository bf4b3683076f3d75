"""People: users, their memberships (agency, role) and the three separated administrators."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    """Roles held through a membership of one agency (SPEC "Who uses it")."""

    CLERK = "clerk", "录入员"
    PROOFREADER = "proofreader", "校对员"
    APPROVER = "approver", "分管领导/负责人"
    DEPT_HEAD = "dept_head", "部门负责人"
    OFFICE_HEAD = "office_head", "信息公开工作机构负责人"
    HANDLER = "handler", "依申请公开承办人"
    VIEWER = "viewer", "只读查看"
    GUIDANCE = "guidance", "协调办指导科"
    NETWORK = "network", "协调办网管科"


# Roles whose reach is every agency in the region (and below) of their membership agency.
REGION_ROLES = frozenset({Role.GUIDANCE, Role.NETWORK})
# --- named role sets (the one place; each name means one set) ------------------------------
# Roles that may change things in their agency (everything but read-only).
NON_VIEWER_ROLES = frozenset(set(Role) - {Role.VIEWER})
# 依申请公开: who registers and records steps of an application (the desk) …
APPLICATION_DESK_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.OFFICE_HEAD})
# … and who may handle one (the assigned 承办人, or the office head for any).
APPLICATION_HANDLER_ROLES = frozenset({Role.HANDLER, Role.OFFICE_HEAD})
# 审签 of a reply before its notice is issued (when the agency requires it).
APPLICATION_SIGNOFF_ROLES = frozenset({Role.OFFICE_HEAD})
# 公开目录: entry, staged review, release of scan findings, change/deletion requests.
CATALOG_ENTRY_ROLES = frozenset({Role.CLERK})
CATALOG_REVIEWER_ROLES = frozenset({Role.PROOFREADER, Role.APPROVER})
SCAN_OVERRIDE_ROLES = frozenset({Role.PROOFREADER, Role.APPROVER, Role.GUIDANCE})
CHANGE_REQUEST_ROLES = frozenset({Role.CLERK, Role.DEPT_HEAD, Role.APPROVER})


class AdminRole(models.TextChoices):
    """三员分立: three administrators whose duties never overlap."""

    NONE = "", "无"
    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全管理员"
    AUDIT = "audit", "审计管理员"


class User(AbstractUser):
    """A staff member or a registered applicant.

    ``admin_role`` makes the user one of the three separated administrators; such a user
    holds no agency membership (enforced by the services that grant them).
    """

    display_name = models.CharField("姓名", max_length=60, blank=True)
    admin_role = models.CharField(
        "管理员类型", max_length=10, choices=AdminRole.choices, blank=True, default=""
    )
    failed_logins = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    # --- derived values (single row) ----------------------------------------------------
    def is_locked(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))

    @property
    def is_system_admin(self) -> bool:
        return self.admin_role == AdminRole.SYSTEM

    @property
    def is_security_admin(self) -> bool:
        return self.admin_role == AdminRole.SECURITY

    @property
    def is_audit_admin(self) -> bool:
        return self.admin_role == AdminRole.AUDIT

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(
            self.memberships.select_related("agency", "agency__region").filter(
                agency__is_active=True
            )
        )

    def roles_in(self, agency_id: int) -> set[str]:
        """Roles the user holds in one agency, including region-wide roles that cover it."""
        from gongkai.agencies.models import Agency

        roles = {m.role for m in self.active_memberships if m.agency_id == agency_id}
        region_memberships = [m for m in self.active_memberships if m.role in REGION_ROLES]
        if region_memberships:
            agency = Agency.objects.filter(pk=agency_id).select_related("region").first()
            if agency is not None:
                for m in region_memberships:
                    if agency.region_id in m.agency.region.descendant_ids():
                        roles.add(m.role)
        return roles

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.active_memberships)

    def role_summary(self) -> str:
        if self.admin_role:
            return self.get_admin_role_display()
        return "、".join(sorted({m.get_role_display() for m in self.active_memberships}))

    def primary_agency_code(self) -> str:
        memberships = self.active_memberships
        return memberships[0].agency.code if memberships else ""


class Membership(models.Model):
    """A user's role in one agency. A user may hold several roles in several agencies."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="memberships", verbose_name="机构"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("授予时间", default=timezone.now)

    class Meta:
        ordering = ["agency", "role"]
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"
