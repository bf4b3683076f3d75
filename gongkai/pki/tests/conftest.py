"""Fixtures for the pki tests that need a live server (nginx end to end, browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from gongkai.accounts.models import Role
from gongkai.pki import ca as x509ca
from gongkai.pki import services
from gongkai.pki.models import Status
from gongkai.pki.tests.helpers import PASSPHRASE, make_csr, scan
from gongkai.test import make_agency, make_user


@pytest.fixture
def pki_world(settings: Any, tmp_path: Path, transactional_db: Any) -> dict[str, Any]:
    """Organisation, users and certificates, with the CA files published to ``tmp_path``."""
    settings.PKI_CA_DIR = str(tmp_path / "private")
    settings.PKI_PUBLISH_DIR = str(tmp_path / "public")
    settings.PKI_CA_KEY_PASSPHRASE = PASSPHRASE
    settings.PKI_CERT_REQUIRED_ROLES = [Role.CLERK]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    from gongkai.agencies.models import Region

    region = Region.objects.create(code="220500", name="通化市", level="city")
    agency = make_agency("th-mzj", "通化市民政局", region)
    office = make_agency("th-gkb", "通化市人民政府政务公开协调办公室", region, kind="office")
    people = {
        "lisi": make_user("lisi", "李四", (agency, Role.CLERK)),
        "wangwu": make_user("wangwu", "王五", (agency, Role.CLERK)),
        "sunba": make_user("sunba", "孙八", (agency, Role.APPROVER)),
        "chenzd": make_user("chenzd", "陈指导", (office, Role.GUIDANCE)),
        "chuwg": make_user("chuwg", "褚网管", (office, Role.NETWORK)),
    }
    services.ca_create(name="E2E 测试 CA")
    out: dict[str, Any] = {"tmp": tmp_path, "people": people}
    for username in ("lisi", "wangwu"):
        app = services.cert_application_submit(
            agency=agency, person=people[username], by=people[username]
        )
        services.cert_application_advance(
            application=app, by=people["sunba"], to_status=Status.DEPT_APPROVED, scan=scan()
        )
        services.cert_application_advance(
            application=app, by=people["chenzd"], to_status=Status.GUIDANCE_REVIEWED
        )
        key, csr = make_csr()
        cert, _ = services.cert_application_issue(application=app, by=people["chuwg"], csr=csr)
        cert_path = tmp_path / f"{username}.pem"
        key_path = tmp_path / f"{username}.key"
        cert_path.write_text(x509ca.to_pem(cert.certificate()))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        out[username] = (cert, (cert_path, key_path))
    # wangwu's certificate is revoked before nginx starts: the published CRL lists it
    services.certificate_revoke(
        certificate=out["wangwu"][0], reason="key_compromise", by=people["chuwg"]
    )
    assert "BEGIN X509 CRL" in (tmp_path / "public" / "crl.pem").read_text()
    return out
