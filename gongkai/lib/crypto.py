"""Encryption at rest for personal data (ID numbers, phone numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from
``settings.FIELD_ENCRYPTION_KEY``. A keyed hash (HMAC-SHA256) of the normalised value is
stored beside it where the application must match equal values (the fee rule counts an
applicant's applications per month; duplicate detection), so lookups never decrypt and the
plaintext is never indexed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


def _derive(info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gongkai", info=info).derive(
        settings.FIELD_ENCRYPTION_KEY.encode("utf-8")
    )


@functools.cache
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"field-encryption")))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # wrong key or tampered value: never show ciphertext
        raise ValueError("无法解密个人信息，请检查 FIELD_ENCRYPTION_KEY 配置。") from exc


def blind_index(value: str) -> str:
    """Keyed hash of a normalised identifier, for equality lookups without decryption."""
    key = _derive(b"blind-index")
    return hmac.new(key, value.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored encrypted; Python code sees the plaintext."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
