"""Console pages of the pki app (/console/pki/) and its public endpoints (/pki/)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_log
from gongkai.lib.views import AuthedRequest, paginate
from gongkai.pki import forms, services
from gongkai.pki.middleware import SESSION_CERT
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    CertificateAuthority,
    Kind,
    Status,
)
from gongkai.pki.permissions import get_cert_application_for_user, get_certificate_for_user
from gongkai.pki.services.flows import emergency_revoke_refusal

CHALLENGE_SESSION = "pki_challenge"
CHALLENGE_TTL = 300  # seconds


def _submit_agencies(user):  # type: ignore[no-untyped-def]
    """Agencies in which the user may submit a registration form (department roles)."""
    ids = {m.agency_id for m in user.active_memberships if m.role in services.DEPT_ROLES}
    return Agency.objects.filter(pk__in=ids).order_by("code")


# --- applications ------------------------------------------------------------------------
@login_required
def application_list(request: AuthedRequest) -> HttpResponse:
    qs = CertApplication.objects.for_user(request.user).select_related("agency", "person")
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("mine") == "1":
        qs = [a for a in qs.open() if services.can_do_next(request.user, a)]  # type: ignore[assignment]
    return render(
        request,
        "pki/application_list.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "kind": kind,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "can_submit": _submit_agencies(request.user).exists(),
        },
    )


@login_required
def application_new(request: AuthedRequest) -> HttpResponse:
    agencies = _submit_agencies(request.user)
    if not agencies.exists():
        return render(request, "console/forbidden.html", status=403)
    form = forms.ApplicationForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                app = services.cert_application_submit(by=request.user, **form.cleaned_data)
                messages.success(request, f"已提交证书申请单 {app.number}。")
                return redirect("pki:application_detail", pk=app.pk)
            except services.PkiError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(request, "pki/application_form.html", {"form": form}, status=status)


@login_required
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_cert_application_for_user(request.user, pk)
    if app.phone and app.person_id != request.user.pk:  # the holder's phone, shown unmasked
        audit_log(
            "pki.application.personal_data_viewed",
            obj=app,
            message=f"查看证书申请单（含持有人{app.person_name}的联系电话）",
        )
    nxt = services.next_status(app)
    actions = services.cert_actions(request.user, app)  # the transition table's allowed()
    flow = services.flow_of(app)
    done = (
        flow[: flow.index(app.status)]
        if app.status in flow
        else list(app.steps.values_list("status", flat=True))
    )
    return render(
        request,
        "pki/application_detail.html",
        {
            "app": app,
            "steps": app.steps.select_related("actor"),
            "flow": [(s, Status(s).label) for s in flow],
            "done_values": done,
            "next_status": nxt,
            "next_label": Status(nxt).label if nxt else "",
            "actions": actions,
            "advance_form": forms.AdvanceForm(initial={"to_status": nxt}),
            "issue_form": forms.IssueForm(),
            "revoke_form": forms.RevokeForm(),
            "reject_form": forms.RejectForm(),
            "demo_p12": _demo_p12(app) if nxt == Status.LOGIN_TESTED else None,
        },
    )


def _demo_p12(app: CertApplication) -> dict[str, str] | None:
    """Development only (DEBUG): the demo's saved .p12 of the holder and its password, so the
    登录测试 step can be finished on a `make run` machine (gongkai/pki/demo.py writes them)."""
    from django.conf import settings

    if not settings.DEBUG or app.person_id is None:
        return None
    from gongkai.pki.demo import DEMO_P12_PASSWORD

    path = Path(settings.VAR_DIR) / "pki" / "demo" / f"{app.person.username}.p12"
    if not path.exists():
        return None
    try:
        shown = str(path.relative_to(settings.BASE_DIR))
    except ValueError:
        shown = str(path)
    return {"path": shown, "password": DEMO_P12_PASSWORD}


@login_required
@require_POST
def application_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_cert_application_for_user(request.user, pk, write=True)
    form = forms.AdvanceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "提交的内容有误，请刷新页面后重试。")
        return redirect("pki:application_detail", pk=app.pk)
    try:
        services.cert_application_advance(
            application=app,
            by=request.user,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
            scan=form.cleaned_data["scan"],
        )
        messages.success(request, f"已办理：{Status(form.cleaned_data['to_status']).label}。")
    except services.PkiError as exc:
        messages.error(request, str(exc))
    return redirect("pki:application_detail", pk=app.pk)


@login_required
@require_POST
def application_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_cert_application_for_user(request.user, pk, write=True)
    form = forms.RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回时请填写退回理由。")
        return redirect("pki:application_detail", pk=app.pk)
    try:
        services.cert_application_reject(
            application=app, by=request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(request, "已退回申请单。")
    except services.PkiError as exc:
        messages.error(request, str(exc))
    return redirect("pki:application_detail", pk=app.pk)


@login_required
@require_POST
def application_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    """登记制证: from a CSR (redirect), or a PKCS#12 returned once as the response."""
    app = get_cert_application_for_user(request.user, pk, write=True)
    form = forms.IssueForm(request.POST, request.FILES)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, str(e))
        return redirect("pki:application_detail", pk=app.pk)
    csr_file = form.cleaned_data.get("csr")
    if csr_file is not None and csr_file.size > 64 * 1024:
        messages.error(request, "CSR 文件过大，请确认上传的是证书签名请求。")
        return redirect("pki:application_detail", pk=app.pk)
    try:
        cert, p12 = services.cert_application_issue(
            application=app,
            by=request.user,
            csr=csr_file.read() if csr_file is not None else None,
            pkcs12_password=form.cleaned_data.get("pkcs12_password") or None,
            legacy=form.cleaned_data.get("legacy", False),
        )
    except services.PkiError as exc:
        messages.error(request, str(exc))
        return redirect("pki:application_detail", pk=app.pk)
    if p12 is None:
        messages.success(request, f"已签发证书，序列号 {cert.serial}。")
        return redirect("pki:application_detail", pk=app.pk)
    response = HttpResponse(p12, content_type="application/x-pkcs12")
    response["Content-Disposition"] = (
        f'attachment; filename="{app.person.username}-{cert.serial[:16]}.p12"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def application_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_cert_application_for_user(request.user, pk, write=True)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择吊销原因。")
        return redirect("pki:application_detail", pk=app.pk)
    try:
        services.cert_application_revoke(application=app, by=request.user, **form.cleaned_data)
        messages.success(request, "已吊销证书并更新证书吊销列表（CRL）。")
    except services.PkiError as exc:
        messages.error(request, str(exc))
    return redirect("pki:application_detail", pk=app.pk)


# --- certificates ------------------------------------------------------------------------
@login_required
def certificate_list(request: AuthedRequest) -> HttpResponse:
    qs = Certificate.objects.for_user(request.user).select_related("user", "agency")
    state = request.GET.get("state", "")
    now = timezone.now()
    if state == "valid":
        qs = qs.valid(now)
    elif state == "revoked":
        qs = qs.filter(status="revoked")
    elif state == "expiring":
        qs = qs.expiring(within_days=services.conf.expiry_warn_days(), now=now)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(user__display_name__icontains=q) | qs.filter(user__username__icontains=q)
    return render(
        request,
        "pki/certificate_list.html",
        {"page": paginate(request, qs), "state": state, "q": q, "now": now},
    )


@login_required
def certificate_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = get_certificate_for_user(request.user, pk)

    return render(
        request,
        "pki/certificate_detail.html",
        {
            "cert": cert,
            "now": timezone.now(),
            "can_revoke": emergency_revoke_refusal(request.user, cert) is None,
            "form": forms.EmergencyRevokeForm(),
            "applications": CertApplication.objects.for_user(request.user).filter(certificate=cert)
            | CertApplication.objects.for_user(request.user).filter(old_certificate=cert),
        },
    )


@login_required
def certificate_download(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = get_certificate_for_user(request.user, pk)
    from gongkai.pki import ca as x509ca

    response = HttpResponse(
        x509ca.to_pem(cert.certificate()), content_type="application/x-pem-file"
    )
    response["Content-Disposition"] = f'attachment; filename="{cert.serial[:16]}.pem"'
    return response


@login_required
@require_POST
def certificate_emergency_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = get_certificate_for_user(request.user, pk, write=True)
    form = forms.EmergencyRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "紧急吊销须填写情况说明。")
        return redirect("pki:certificate_detail", pk=cert.pk)
    try:
        app = services.certificate_emergency_revoke(
            certificate=cert, by=request.user, comment=form.cleaned_data["comment"]
        )
    except services.PkiError as exc:
        messages.error(request, str(exc))
        return redirect("pki:certificate_detail", pk=cert.pk)
    messages.success(request, f"已紧急吊销证书，请补办审批手续（申请单 {app.number}）。")
    return redirect("pki:application_detail", pk=app.pk)


@login_required
def ca_detail(request: AuthedRequest) -> HttpResponse:
    """The CA and its CRL state (网管科, 指导科, security administrator)."""
    from gongkai.accounts.models import Role

    if not (request.user.is_security_admin or request.user.has_role(Role.NETWORK, Role.GUIDANCE)):
        return render(request, "console/forbidden.html", status=403)
    from gongkai.pki import api

    ca = CertificateAuthority.objects.filter(is_active=True).first()
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdecimal() and 2000 <= int(raw_year) <= 2100 else None
    year = year or timezone.localdate().year
    return render(
        request,
        "pki/ca_detail.html",
        {
            "year": year,
            "agency_count": api.agencies_with_certificates(year=year),
            "ca": ca,
            "now": timezone.now(),
            "crl_due": services.crl_is_due(ca) if ca else False,
        },
    )


# --- public: CA certificate, CRL, signed-challenge login --------------------------------
def _active_ca_or_404() -> CertificateAuthority:
    ca = CertificateAuthority.objects.filter(is_active=True).first()
    if ca is None:
        raise Http404("证书颁发机构尚未建立。")
    return ca


def crl_der(request: HttpRequest) -> HttpResponse:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    ca = _active_ca_or_404()
    if not ca.crl_pem:
        raise Http404("证书吊销列表尚未生成。")
    crl = x509.load_pem_x509_crl(ca.crl_pem.encode("ascii"))
    response = HttpResponse(
        crl.public_bytes(serialization.Encoding.DER), content_type="application/pkix-crl"
    )
    response["Cache-Control"] = "max-age=300"
    return response


def crl_pem(request: HttpRequest) -> HttpResponse:
    ca = _active_ca_or_404()
    if not ca.crl_pem:
        raise Http404("证书吊销列表尚未生成。")
    return HttpResponse(ca.crl_pem, content_type="application/x-pem-file")


def ca_certificate(request: HttpRequest) -> HttpResponse:
    ca = _active_ca_or_404()
    return HttpResponse(ca.certificate_pem, content_type="application/x-pem-file")


def challenge_message(request: AuthedRequest, nonce: str) -> str:
    """The exact text the certificate's key signs: site, account and a one-time nonce."""
    return f"gongkai-login\n{request.get_host()}\n{request.user.get_username()}\n{nonce}"


@login_required
def challenge_login(request: AuthedRequest) -> HttpResponse:
    """Signed-challenge login: prove the certificate by signing a server nonce.

    The nonce lives in the session for five minutes and is consumed by the first attempt,
    successful or not. On success the certificate's fingerprint is bound to the session,
    and the middleware re-checks it in the database on every request.
    """
    stored = request.session.get(CHALLENGE_SESSION)
    form = forms.ChallengeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        request.session.pop(CHALLENGE_SESSION, None)
        if not stored or time.time() - stored["at"] > CHALLENGE_TTL:
            form.add_error(None, "挑战码已过期或已使用，请使用新的挑战码重新签名。")
        elif form.is_valid():
            try:
                cert = services.challenge_verify(
                    user=request.user,
                    message=challenge_message(request, stored["nonce"]),
                    signature=form.cleaned_data["signature"],
                )
            except services.PkiError as exc:
                form.add_error(None, str(exc))
            else:
                request.session[SESSION_CERT] = cert.fingerprint_sha256
                messages.success(request, "证书验证成功。")
                nxt = request.GET.get("next", "")
                if (
                    nxt.startswith("/")
                    and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})
                    and not any(ord(c) < 32 for c in nxt)  # CR/LF in a Location header → 500
                ):
                    return HttpResponseRedirect(nxt)
                return redirect("console:home")
        status = 400
    nonce = secrets.token_urlsafe(24)
    request.session[CHALLENGE_SESSION] = {"nonce": nonce, "at": time.time()}
    return render(
        request,
        "pki/challenge.html",
        {
            "form": forms.ChallengeForm() if status == 200 else form,
            "message": challenge_message(request, nonce),
            "action": reverse("pki_public:challenge")
            + (
                "?" + urlencode({"next": request.GET["next"]})
                if request.GET.get("next", "").startswith("/")
                else ""
            ),
        },
        status=status,
    )
