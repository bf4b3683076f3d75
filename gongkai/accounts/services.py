"""Writes to accounts and memberships (the security administrator's duties) and login
bookkeeping (failures, lockout). Each write is atomic and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import AdminRole, Membership, User
from gongkai.audit.services import audit_log


class AccountError(Exception):
    """A refused change to accounts; the message is Chinese."""


def _require_security_admin(by: Any) -> None:
    if by is not None and not by.is_security_admin:
        raise AccountError("只有安全管理员可以管理用户和岗位。")


def user_create(
    *,
    username: str,
    display_name: str,
    password: str,
    by: Any = None,
    admin_role: str = "",
    email: str = "",
) -> User:
    """Create a staff account. The password must satisfy the password rules."""
    _require_security_admin(by)
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        email=email,
        admin_role=admin_role,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("；".join(exc.messages)) from exc
    user.set_password(password)
    user.password_changed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
            audit_log(
                "accounts.user.created",
                obj=user,
                actor=by,
                changes={"username": [None, user.username], "admin_role": [None, admin_role]},
            )
    except IntegrityError as exc:
        raise AccountError(f"用户名“{username}”已存在。") from exc
    return user


def membership_grant(*, user: User, agency: Any, role: str, by: Any = None) -> Membership:
    """Give ``user`` a role in ``agency``. Administrators (三员) hold no agency roles."""
    _require_security_admin(by)
    if user.admin_role:
        raise AccountError("系统、安全、审计管理员不能同时担任业务岗位（三员分立）。")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if created:
            audit_log(
                "accounts.membership.granted",
                obj=membership,
                actor=by,
                agency_code=agency.code,
                changes={"role": [None, role]},
            )
    user.__dict__.pop("active_memberships", None)
    return membership


def membership_revoke(*, membership: Membership, by: Any = None) -> None:
    _require_security_admin(by)
    with transaction.atomic():
        audit_log(
            "accounts.membership.revoked",
            obj=membership,
            actor=by,
            agency_code=membership.agency.code,
            changes={"role": [membership.role, None]},
        )
        membership.delete()


def user_set_active(*, user: User, active: bool, by: Any = None) -> User:
    _require_security_admin(by)
    with transaction.atomic():
        before = user.is_active
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_log(
            "accounts.user.activation", obj=user, actor=by, changes={"is_active": [before, active]}
        )
    return user


def user_unlock(*, user: User, by: Any = None) -> User:
    _require_security_admin(by)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit_log("accounts.user.unlocked", obj=user, actor=by)
    user.refresh_from_db()
    return user


def user_set_admin_role(*, user: User, admin_role: str, by: Any = None) -> User:
    _require_security_admin(by)
    if admin_role not in AdminRole.values:
        raise AccountError("未知的管理员类型。")
    if admin_role and user.memberships.exists():
        raise AccountError("该用户担任业务岗位，不能同时成为管理员（三员分立）。")
    with transaction.atomic():
        before = user.admin_role
        user.admin_role = admin_role
        user.save(update_fields=["admin_role"])
        audit_log(
            "accounts.user.admin_role",
            obj=user,
            actor=by,
            changes={"admin_role": [before, admin_role]},
        )
    return user


def login_failed(*, username: str, now: dt.datetime | None = None) -> User | None:
    """Count a failed password; lock the account after ``LOGIN_MAX_FAILURES`` in a row."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        changes: dict[str, Any] = {}
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                changes["locked_until"] = [None, user.locked_until]
            user.save(update_fields=["failed_logins", "locked_until"])
        audit_log(
            "accounts.login.failed",
            actor=user,
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=username[:150],
            changes=changes,
            message="用户名或密码错误" if user else "用户名不存在",
        )
    return user


def login_succeeded(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
        audit_log(
            "accounts.login.succeeded",
            obj=user,
            actor=user,
            role=user.role_summary(),
            agency_code=user.primary_agency_code(),
        )


def logged_out(*, user: Any) -> None:
    if user is not None and user.is_authenticated:
        audit_log(
            "accounts.logout",
            obj=user,
            actor=user,
            role=user.role_summary(),
            agency_code=user.primary_agency_code(),
        )
