"""Demo data of the pki app (idempotent).

1. The demo CA in var/pki/ when none exists (dated 2012-01-01, valid 21 years, so that the
   2012 certificates below chain to it); its first current CRL is signed today.
2. The 44 agencies that held 录入电子证书 in 2012 (the seed: “目前已经有44个部门、单位领取了
   录入电子证书”): one certificate each, issued in 2012 to the agency's 录入员. For
   通化市民政局 that is 李四; the other agencies get an inactive historical account.
3. Certificate applications of 通化市民政局 in various steps: 李四's finished (archived,
   with a PKCS#12 under var/pki/demo/ for trying the signed-challenge login), 王五's waiting
   for 网管科 to issue, 钱七's waiting for the second 网管科 review, 郑一's waiting for the
   department leader, and 冯二's sent back by 指导科.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_log
from gongkai.pki import api, services
from gongkai.pki import ca as x509ca
from gongkai.pki.models import CertApplication, Certificate, CertificateAuthority, Kind, Status

SEED_AGENCIES = 44
DEMO_P12_PASSWORD = "Demo#Cert2026"
TZ = dt.timezone(dt.timedelta(hours=8))
PDF = b"%PDF-1.4\n% demo sealed registration form\n%%EOF\n"


def _scan() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("录入人员详细信息登记表.pdf", PDF, content_type="application/pdf")


def _ensure_ca(out: Any) -> CertificateAuthority:
    ca = CertificateAuthority.objects.filter(is_active=True).first()
    if ca is None:
        ca = services.ca_create(
            name="通化市政务公开平台录入证书 CA",
            now=dt.datetime(2012, 1, 1, tzinfo=TZ),
            days=21 * 365,
        )
    if services.crl_is_due(ca):
        ca = services.crl_generate(ca=ca)
    return ca


def _historical(
    ca: CertificateAuthority, agency: Agency, holder: User, n: int, network: User
) -> None:
    """A certificate issued in 2012 (the device key is discarded at once)."""
    issued = dt.datetime(2012, 3, 1, 9, tzinfo=TZ) + dt.timedelta(days=5 * n)
    key = x509ca.generate_key("ecdsa-p256")
    public_key = key.public_key()
    cert = x509ca.build_client_certificate(
        ca_cert=ca.certificate(),
        ca_key=services._ca_key(ca),
        public_key=public_key,
        subject=x509ca.client_name(
            common_name=holder.display_name,
            unit=agency.name,
            organization=services.conf.organization(),
            uid=holder.username,
        ),
        serial=x509ca.new_serial(),
        san_uri=services.user_urn(holder),
        crl_url=services.conf.crl_url(),
        now=issued,
        days=365,
    )
    row = Certificate.objects.create(
        ca=ca,
        user=holder,
        agency=agency,
        serial=x509ca.serial_hex(cert.serial_number),
        fingerprint_sha256=x509ca.fingerprint(cert),
        public_key_sha256=x509ca.public_key_sha256(public_key),
        subject_dn=cert.subject.rfc4514_string(),
        key_algorithm=x509ca.key_algorithm(public_key),
        issue_method="csr",
        der=x509ca.to_der(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        issued_by=network,
        issued_at=issued,
        first_login_at=issued + dt.timedelta(days=2),
        last_login_at=issued + dt.timedelta(days=300),
    )
    audit_log(
        "pki.certificate.imported",
        obj=row,
        actor=network,
        message=f"演示数据：2012年签发的录入电子证书（{agency.name}）",
        agency_code=agency.code,
    )


def _seed_2012(ca: CertificateAuthority) -> None:
    network = User.objects.get(username="chuwg")
    lisi = User.objects.get(username="lisi")
    candidates = list(
        Agency.objects.exclude(kind=Agency.Kind.OFFICE)
        .exclude(level="township")
        .order_by("sort_order", "code")[:SEED_AGENCIES]
    )
    year_start = dt.datetime(2012, 1, 1, tzinfo=TZ)
    year_end = dt.datetime(2013, 1, 1, tzinfo=TZ)
    for n, agency in enumerate(candidates):
        if Certificate.objects.filter(
            agency=agency, not_before__lt=year_end, not_after__gte=year_start
        ).exists():
            continue
        if agency.code == "th-mzj":
            holder = lisi
        else:
            holder, created = User.objects.get_or_create(
                username=f"lr2012-{agency.code}",
                defaults={"display_name": f"{agency.name}录入员（2012）", "is_active": False},
            )
            if created:
                holder.set_unusable_password()
                holder.save(update_fields=["password"])
            Membership.objects.get_or_create(user=holder, agency=agency, role=Role.CLERK)
        _historical(ca, agency, holder, n, network)


def _application(person: User, upto: str, people: dict[str, User], out_dir: Path) -> None:
    agency = Agency.objects.get(code="th-mzj")
    if CertApplication.objects.filter(person=person, agency=agency, kind=Kind.NEW).exists():
        return
    app = services.cert_application_submit(
        agency=agency,
        person=person,
        by=people["lisi"] if person.username != "lisi" else people["wushi"],
        position="录入员" if person.username == "lisi" else "",
        phone="0435-3210000",
        reason="新办录入电子证书",
    )
    steps: list[tuple[str, User]] = [
        (Status.DEPT_APPROVED, people["sunba"]),
        (Status.GUIDANCE_REVIEWED, people["chenzd"]),
        (Status.ISSUED, people["chuwg"]),
        (Status.NETWORK_REVIEWED, people["weiwg"]),
        (Status.DEPT_CHECKED, people["zhoujiu"]),
        (Status.LOGIN_TESTED, person),
        (Status.HANDED_OVER, people["zhoujiu"]),
        (Status.ARCHIVED, people["chenzd"]),
    ]
    if upto == Status.REJECTED:
        services.cert_application_advance(
            application=app, by=people["sunba"], to_status=Status.DEPT_APPROVED, scan=_scan()
        )
        services.cert_application_reject(
            application=app, by=people["chenzd"], comment="只读查看岗位无需录入电子证书。"
        )
        return
    for status, actor in steps:
        if app.status == upto:
            return
        if status == Status.ISSUED:
            cert, p12 = services.cert_application_issue(
                application=app, by=actor, pkcs12_password=DEMO_P12_PASSWORD
            )
            if p12 is not None:  # kept so the holder can finish the flow (登录测试) locally
                out_dir.mkdir(parents=True, exist_ok=True)
                (out_dir / f"{person.username}.p12").write_bytes(p12)
                (out_dir / f"{person.username}.p12").chmod(0o600)
        elif status == Status.LOGIN_TESTED:
            services.certificate_record_login(certificate=app.certificate, via="演示")  # type: ignore[arg-type]
        else:
            services.cert_application_advance(
                application=app,
                by=actor,
                to_status=status,
                scan=_scan() if status == Status.DEPT_APPROVED else None,
                comment="同意",
            )
        app.refresh_from_db()


def load(*, full: bool = False, out: Any = None) -> dict[str, Any]:
    """Create the demo CA, the 2012 certificate holders and the demo applications."""
    try:
        ca = _ensure_ca(out)
    except services.PkiError as exc:
        if out is not None:
            out.write(f"pki: 跳过演示数据：{exc}")
        return {"skipped": str(exc)}
    _seed_2012(ca)
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "lisi",
                "wangwu",
                "qianqi",
                "sunba",
                "zhoujiu",
                "wushi",
                "zhengyi",
                "fenger",
                "chenzd",
                "chuwg",
                "weiwg",
            ]
        )
    }
    if len(people) == 11:
        out_dir = Path(settings.VAR_DIR) / "pki" / "demo"
        _application(people["lisi"], Status.ARCHIVED, people, out_dir)
        _application(people["wangwu"], Status.GUIDANCE_REVIEWED, people, out_dir)
        _application(people["qianqi"], Status.ISSUED, people, out_dir)
        _application(people["zhengyi"], Status.SUBMITTED, people, out_dir)
        _application(people["fenger"], Status.REJECTED, people, out_dir)
    return {
        "certificates": Certificate.objects.count(),
        "applications": CertApplication.objects.count(),
        "agencies_2012": api.agencies_with_certificates(year=2012),
    }
