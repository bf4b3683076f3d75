"""Encryption at rest for personal data (ID numbers, phone numbers, uploaded personal files).

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
import io
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
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


# --- files: personal uploads encrypted at rest ------------------------------------------

FILE_PREFIX = b"GKENC1\n"  # marks an encrypted file; files written before have no prefix


class EncryptedFileSystemStorage(FileSystemStorage):
    """``MEDIA_ROOT`` storage that encrypts each file (Fernet, the ``FIELD_ENCRYPTION_KEY``)
    and writes it ``0600``; reading decrypts, so views stream the plaintext to whoever the
    access function let through. Files stored before encryption was switched on (no prefix)
    are read as they are. For ID proofs and application attachments (issue 13).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        token = _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(bytes(data))
        return super()._save(name, ContentFile(FILE_PREFIX + token))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as handle:  # type: ignore[misc]
            raw = handle.read()
        if raw.startswith(FILE_PREFIX):
            try:
                raw = _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[len(FILE_PREFIX) :])
            except InvalidToken as exc:
                raise ValueError("无法解密文件，请检查 FIELD_ENCRYPTION_KEY 配置。") from exc
        return File(io.BytesIO(raw), name=name)

    def size(self, name: str) -> int:
        with self._open(name) as handle:
            return len(handle.read())


def private_storage() -> EncryptedFileSystemStorage:
    """The storage of personal files (a callable, so migrations do not embed settings)."""
    return EncryptedFileSystemStorage()
