"""What the pki app shows in the console: navigation, CRL/expiry alerts, the step queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.console.panels import Alert, NavItem, QueueItem


def nav(user: Any) -> list[NavItem]:
    if user.is_audit_admin or user.is_system_admin:
        return []
    items = [NavItem("数字证书", reverse("pki:application_list"), order=80)]
    if user.is_security_admin or user.has_role(Role.NETWORK, Role.GUIDANCE):
        items.append(NavItem("证书颁发机构", reverse("pki:ca_detail"), order=81))
    return items


def alerts(user: Any, now: dt.datetime | None = None) -> list[Alert]:
    from gongkai.pki import conf
    from gongkai.pki.models import Certificate, CertificateAuthority

    now = now or timezone.now()
    out: list[Alert] = []
    if user.is_security_admin or user.has_role(Role.NETWORK):
        ca = CertificateAuthority.objects.filter(is_active=True).first()
        if ca is not None:
            if ca.crl_next_update is None or ca.crl_next_update <= now:
                out.append(
                    Alert(
                        "证书吊销列表（CRL）已过期：所有证书登录都会被拒绝，请立即运行 pki_refresh_crl。",
                        reverse("pki:ca_detail"),
                        "error",
                    )
                )
            elif ca.crl_next_update - now <= dt.timedelta(hours=conf.crl_alert_hours()):
                out.append(
                    Alert(
                        f"证书吊销列表（CRL）将于 {timezone.localtime(ca.crl_next_update):%Y-%m-%d %H:%M} "
                        "过期，定时刷新可能未运行。",
                        reverse("pki:ca_detail"),
                        "warning",
                    )
                )
            if ca.not_after - now <= dt.timedelta(days=90):
                out.append(Alert("CA 证书将在 90 天内到期，请安排更换。", reverse("pki:ca_detail")))
        expiring = Certificate.objects.expiring(within_days=conf.expiry_warn_days(), now=now)
        count = expiring.for_user(user).count()
        if count:
            out.append(
                Alert(
                    f"{count} 张证书将在 {conf.expiry_warn_days()} 天内到期，请提醒持有人办理更换。",
                    reverse("pki:certificate_list") + "?state=expiring",
                )
            )
    own = Certificate.objects.expiring(within_days=conf.expiry_warn_days(), now=now).filter(
        user=user
    )
    for cert in own:
        out.append(
            Alert(
                f"您的数字证书将于 {timezone.localtime(cert.not_after):%Y-%m-%d} 到期，请提交更换证书申请。",
                reverse("pki:certificate_detail", args=[cert.pk]),
            )
        )
    return out


def queue(user: Any) -> list[QueueItem]:
    from gongkai.pki.models import CertApplication
    from gongkai.pki.services import can_do_next

    if user.is_audit_admin or user.is_system_admin:
        return []
    pending = [
        a
        for a in CertApplication.objects.for_user(user).open().select_related("agency")[:500]
        if can_do_next(user, a)
    ]
    if not pending:
        return []
    return [
        QueueItem("待办理的证书申请", len(pending), reverse("pki:application_list") + "?mine=1")
    ]
