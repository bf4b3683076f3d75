"""Content-Disposition for downloads with Chinese file names (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import re
from urllib.parse import quote


def attachment_header(filename: str, *, fallback: str) -> str:
    """``attachment; filename="<ascii fallback>"; filename*=UTF-8''<percent-encoded name>``.

    Browsers use ``filename*`` (the Chinese name, e.g. 2012年…年度报告.xlsx); the plain
    ``filename`` is for clients that only know RFC 2616. Path separators and control
    characters are dropped from both.
    """
    clean = re.sub(r'[\x00-\x1f\x7f/\\"]', "", filename).strip() or fallback
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback) or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean, safe='')}"
