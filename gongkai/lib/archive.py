"""Limits for ZIP containers (DOCX, XLSX, ZIP) before anything decompresses them.

A 477 kB DOCX can expand to 200 MB of XML; python-docx and openpyxl load parts whole, so the
worker's memory follows the decompressed size. ``check_zip`` reads only the central directory
and refuses a container whose members add up to more than ``max_total`` bytes, has too many
members, or compresses one member better than ``max_ratio`` : 1 (real office files stay far
below 100 : 1; a run of zeros reaches 1000 : 1). ``zipfile`` never yields more bytes of a
member than its declared size (a lying header ends in a CRC error), so the declared sizes are
a true bound. ``cap_text`` bounds the text extracted from any document.
"""

from __future__ import annotations

import io
import zipfile

MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all members together
MAX_MEMBERS = 2000
MAX_RATIO = 100
MAX_TEXT_CHARS = 1_000_000  # extracted text kept for the scan and the search index


class ArchiveError(ValueError):
    """The container is damaged or too large once decompressed (message in Chinese)."""


def check_zip(
    data: bytes,
    *,
    label: str = "文件",
    max_total: int = MAX_UNCOMPRESSED,
    max_members: int = MAX_MEMBERS,
    max_ratio: int = MAX_RATIO,
) -> list[str]:
    """Names of the container's members, or ``ArchiveError`` if it must not be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"{label}已损坏或不是有效的压缩格式。") from exc
    if len(infos) > max_members:
        raise ArchiveError(f"{label}包含的部件过多（{len(infos)} 个，最多 {max_members} 个）。")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > max_ratio:
            raise ArchiveError(f"{label}的压缩比异常（疑似压缩炸弹），已拒绝。")
    if total > max_total:
        raise ArchiveError(
            f"{label}解压后过大（{total // (1024 * 1024)} MB，最多 {max_total // (1024 * 1024)} MB）。"
        )
    return [i.filename for i in infos]


def cap_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """The first ``limit`` characters of extracted text."""
    return text if len(text) <= limit else text[:limit]
