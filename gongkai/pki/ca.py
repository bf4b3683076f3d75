"""X.509 building blocks of the embedded certificate authority (no database, no Django).

Everything that touches keys, certificates, CSRs, CRLs and PKCS#12 lives here so that the
services stay readable and the profile can be tested on its own. The certificate profile
follows reference/pki.md §1.2: client authentication only, SKI/AKI, a ``urn:uuid:`` SAN and
the CRL distribution point; the subject always comes from the caller (the approved
application), never from a CSR.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = dt.UTC
ALGORITHMS = ("ecdsa-p256", "rsa-2048")
ALLOWED_CURVES = {"secp256r1": "ecdsa-p256", "secp384r1": "ecdsa-p384"}
MIN_RSA_BITS = 2048
BACKDATE = dt.timedelta(minutes=5)
MIN_SERIAL_BITS = 64


class CaError(Exception):
    """A certificate-authority problem with a Chinese message for the user."""


PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


def generate_key(algorithm: str) -> PrivateKey:
    """A new private key: ``ecdsa-p256`` or ``rsa-2048`` (the settings' choices)."""
    if algorithm == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise CaError(f"不支持的密钥算法“{algorithm}”，可选：{'、'.join(ALGORITHMS)}。")


def key_algorithm(public_key: object) -> str:
    """An algorithm-neutral label for a public key (``ecdsa-p256``, ``rsa-2048`` …)."""
    if isinstance(public_key, rsa.RSAPublicKey):
        return f"rsa-{public_key.key_size}"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return ALLOWED_CURVES.get(public_key.curve.name, f"ecdsa-{public_key.curve.name}")
    return type(public_key).__name__.lower()


def check_key_policy(public_key: object) -> None:
    """RSA keys of at least 2048 bits, or ECDSA on P-256/P-384; anything else is refused."""
    if isinstance(public_key, rsa.RSAPublicKey):
        if public_key.key_size < MIN_RSA_BITS:
            raise CaError(f"RSA 密钥长度为 {public_key.key_size} 位，至少需要 {MIN_RSA_BITS} 位。")
        return
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        if public_key.curve.name not in ALLOWED_CURVES:
            raise CaError(f"不支持的椭圆曲线“{public_key.curve.name}”，仅接受 P-256 或 P-384。")
        return
    raise CaError("不支持的公钥类型，仅接受 RSA（≥2048 位）或 ECDSA（P-256/P-384）。")


def public_key_sha256(public_key: PublicKey) -> str:
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, lower-case hex (what the middleware looks up)."""
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(serial: int) -> str:
    return format(serial, "x")


def new_serial() -> int:
    """A positive serial with up to 159 random bits (CA/B Forum floor: 64)."""
    while True:
        serial = x509.random_serial_number()
        if serial.bit_length() > MIN_SERIAL_BITS:
            return serial


def _signature_hash(key: PrivateKey) -> hashes.SHA256:
    return hashes.SHA256()


# --- keys at rest ------------------------------------------------------------------------
def encrypt_private_key(key: PrivateKey, passphrase: str) -> bytes:
    """PKCS#8 PEM encrypted with the passphrase ("BEGIN ENCRYPTED PRIVATE KEY")."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )


def load_private_key(pem: bytes, passphrase: str) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase.encode("utf-8"))
    except (ValueError, TypeError) as exc:
        raise CaError("无法解密 CA 私钥：口令错误或密钥文件已损坏。") from exc
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise CaError("CA 私钥类型不受支持。")
    return key


# --- names -------------------------------------------------------------------------------
def ca_name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def client_name(*, common_name: str, unit: str, organization: str, uid: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
            x509.NameAttribute(NameOID.USER_ID, uid[:64]),
        ]
    )


# --- certificates ------------------------------------------------------------------------
def build_ca_certificate(
    *, key: PrivateKey, name: x509.Name, now: dt.datetime, days: int
) -> x509.Certificate:
    """A self-signed CA certificate (pathlen 0: it issues client certificates only)."""
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(new_serial())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, _signature_hash(key))
    )


def build_client_certificate(
    *,
    ca_cert: x509.Certificate,
    ca_key: PrivateKey,
    public_key: PublicKey,
    subject: x509.Name,
    serial: int,
    san_uri: str,
    crl_url: str,
    now: dt.datetime,
    days: int,
) -> x509.Certificate:
    """A client-authentication certificate with the fixed profile of reference/pki.md §1.2."""
    check_key_policy(public_key)
    start = now - BACKDATE
    not_after = min(start + dt.timedelta(days=days), ca_cert.not_valid_after_utc)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(san_uri)]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
    )
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(crl_url)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
    cert = builder.sign(ca_key, _signature_hash(ca_key))
    cert.verify_directly_issued_by(ca_cert)
    return cert


def load_certificate(data: bytes | str) -> x509.Certificate:
    raw = data.encode("ascii") if isinstance(data, str) else data
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except ValueError as exc:
        raise CaError("证书格式错误，无法解析。") from exc


def to_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def to_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


# --- CSR ---------------------------------------------------------------------------------
def parse_csr(data: bytes | str) -> x509.CertificateSigningRequest:
    """Load a PEM (or DER) CSR and check its signature (proof of possession) and key."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise CaError("请上传证书签名请求（CSR）文件。")
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            csr = x509.load_pem_x509_csr(raw.strip())
        else:
            # DER is binary: never strip it (its last byte may be 0x0a or 0x20 and still valid).
            csr = x509.load_der_x509_csr(raw)
        valid = csr.is_signature_valid
        public_key = csr.public_key()
    except (ValueError, TypeError) as exc:
        raise CaError("证书签名请求（CSR）格式错误，无法解析。") from exc
    except Exception as exc:  # noqa: BLE001 - unsupported algorithms (e.g. SM2) raise their own types
        raise CaError("证书签名请求（CSR）使用了不支持的算法。") from exc
    if not valid:
        raise CaError("证书签名请求（CSR）的签名无效：无法证明持有对应私钥。")
    check_key_policy(public_key)
    return csr


# --- CRL ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RevokedEntry:
    serial: int
    revoked_at: dt.datetime
    reason: x509.ReasonFlags


def build_crl(
    *,
    ca_cert: x509.Certificate,
    ca_key: PrivateKey,
    revoked: list[RevokedEntry],
    number: int,
    now: dt.datetime,
    next_update: dt.datetime,
) -> x509.CertificateRevocationList:
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
    )
    for entry in revoked:
        item = (
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial)
            .revocation_date(entry.revoked_at)
        )
        if entry.reason != x509.ReasonFlags.unspecified:
            item = item.add_extension(x509.CRLReason(entry.reason), critical=False)
        builder = builder.add_revoked_certificate(item.build())
    return builder.sign(ca_key, _signature_hash(ca_key))


def crl_to_pem(crl: x509.CertificateRevocationList) -> str:
    return crl.public_bytes(serialization.Encoding.PEM).decode("ascii")


# --- PKCS#12 -----------------------------------------------------------------------------
def make_pkcs12(
    *,
    friendly_name: str,
    key: PrivateKey,
    cert: x509.Certificate,
    ca_cert: x509.Certificate,
    password: str,
    legacy: bool = False,
) -> bytes:
    """A password-protected PKCS#12 (AES-256; 3DES/SHA-1 with ``legacy`` for old readers)."""
    pw = password.encode("utf-8")
    encryption: serialization.KeySerializationEncryption
    if legacy:
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(50000)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())  # noqa: S303 - legacy readers need it; opt-in only
            .build(pw)
        )
    else:
        encryption = serialization.BestAvailableEncryption(pw)
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), key, cert, [ca_cert], encryption
    )


# --- signed challenge --------------------------------------------------------------------
def sign_challenge(key: PrivateKey, message: bytes) -> str:
    """What the CLI does: sign the challenge with the certificate's key, base64 output."""
    if isinstance(key, rsa.RSAPrivateKey):
        sig = key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    else:
        sig = key.sign(message, ec.ECDSA(hashes.SHA256()))
    return base64.b64encode(sig).decode("ascii")


def verify_challenge(cert: x509.Certificate, message: bytes, signature_b64: str) -> bool:
    try:
        sig = base64.b64decode(signature_b64.strip(), validate=True)
    except (ValueError, TypeError):
        return False
    public_key = cert.public_key()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(sig, message, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(sig, message, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True
