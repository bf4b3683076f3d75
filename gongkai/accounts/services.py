"""Writes to accounts and memberships (the security administrator's duties) and login
bookkeeping (failures, per-address backoff). Each write is atomic and audited."""

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
from gongkai.lib import ratelimit


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


LOGIN_IP_SCOPE = "accounts.login.ip"
LOGIN_FAIL_SCOPE = "accounts.login.fail"
LOGIN_BACKOFF_SCOPE = "accounts.login.backoff"
LOGIN_IP_WINDOW = 15 * 60
LOGIN_FAIL_WINDOW = 24 * 3600


def login_subject(username: str, ip: str) -> str:
    """The backoff bucket: one account from one address (case-folded user name)."""
    return f"{username.strip().lower()}|{ip}"


def login_refusal(*, username: str, ip: str, now: dt.datetime | None = None) -> str:
    """Why a login attempt is refused before the password is even checked, or ``""``.

    1. The address had ``LOGIN_MAX_FAILURES_PER_IP`` failures (any accounts) in 15 minutes.
    2. This account from this address is inside its backoff wait (see ``login_failed``).
    A refused attempt is not counted and tells nothing about the password. Other addresses
    are not affected, so an attacker cannot lock the real user out.
    """
    if ratelimit.exceeded(LOGIN_IP_SCOPE, ip, limit=settings.LOGIN_MAX_FAILURES_PER_IP, now=now):
        return "该网络地址登录失败次数过多，请15分钟后再试。"
    wait = ratelimit.blocked_for(LOGIN_BACKOFF_SCOPE, login_subject(username, ip), now=now)
    if wait:
        minutes, seconds = divmod(wait, 60)
        left = f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"
        return f"连续登录失败次数过多，请{left}后再试。"
    return ""


def backoff_seconds(failures: int) -> int:
    """The wait after the ``failures``-th failure of one account from one address.

    ``LOGIN_MAX_FAILURES`` failures are free; then ``LOGIN_BACKOFF_SECONDS`` (30 s), doubling
    with each further failure, capped at ``LOGIN_BACKOFF_MAX_SECONDS`` (1 hour).
    """
    free = settings.LOGIN_MAX_FAILURES
    if failures < free:
        return 0
    return int(
        min(
            settings.LOGIN_BACKOFF_SECONDS * 2 ** min(failures - free, 20),
            settings.LOGIN_BACKOFF_MAX_SECONDS,
        )
    )


def login_failed(*, username: str, ip: str = "", now: dt.datetime | None = None) -> User | None:
    """Count a failed password for (account, address) and for the address alone.

    The account itself is never locked (the old lock let anyone lock any staff member out,
    and its counter never reset: issue 13). Instead, from this address only, each failure
    past the free ones starts an exponential wait (``backoff_seconds``); the address as a
    whole is cut off after ``LOGIN_MAX_FAILURES_PER_IP`` failures in 15 minutes.
    ``failed_logins`` on the user stays as information for the security administrator.
    """
    now = now or timezone.now()
    ratelimit.hit(LOGIN_IP_SCOPE, ip, window=LOGIN_IP_WINDOW, now=now)
    subject = login_subject(username, ip)
    failures = ratelimit.hit(LOGIN_FAIL_SCOPE, subject, window=LOGIN_FAIL_WINDOW, now=now)
    wait = backoff_seconds(failures)
    if wait:
        ratelimit.block(LOGIN_BACKOFF_SCOPE, subject, seconds=wait, now=now)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        changes: dict[str, Any] = {}
        if user is not None:
            user.failed_logins = min(user.failed_logins + 1, 32000)
            user.save(update_fields=["failed_logins"])
        if wait:
            changes["backoff_seconds"] = [None, wait]
        audit_log(
            "accounts.login.failed",
            actor=user,
            object_type="accounts.user",
            object_id=str(user.pk) if user else "",
            object_repr=username[:150],
            changes=changes,
            message=("用户名或密码错误" if user else "用户名不存在")
            + (f"；该地址须等待{wait}秒" if wait else ""),
        )
    return user


def login_succeeded(*, user: User, ip: str = "") -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0)
        audit_log(
            "accounts.login.succeeded",
            obj=user,
            actor=user,
            role=user.role_summary(),
            agency_code=user.primary_agency_code(),
        )
    subject = login_subject(user.username, ip)
    ratelimit.reset(LOGIN_FAIL_SCOPE, subject)
    ratelimit.reset(LOGIN_BACKOFF_SCOPE, subject)


def logged_out(*, user: Any) -> None:
    if user is not None and user.is_authenticated:
        audit_log(
            "accounts.session.logout",
            obj=user,
            actor=user,
            role=user.role_summary(),
            agency_code=user.primary_agency_code(),
        )
