"""The search index: one row per indexed document, plus the vendor's full-text structures.

``SearchEntry`` keeps what a result page needs (title, url, filters, the body for snippets,
zlib-compressed: ``CompressedTextField``). The full-text structures are created by migration 0002:
* SQLite: the contentless FTS5 table ``search_fts`` (columns t = title words, b = body
  words, g = bigrams; rowid = SearchEntry.id; migrations 0004, 0008) and
  ``search_fts_extra`` (each row's custom-word tokens and CRC-32: with the entry's text
  they give the tokens needed to delete the row), maintained by ``backends.SqliteBackend``.
* PostgreSQL: the tsvector column ``doc`` on this table (words: title weight A, body weight
  B; bigrams: weight D, in their own position range) with a GIN index, written with the
  'simple' semantics over the pre-segmented tokens.
The index holds only public documents; publishing removes a document when it is withdrawn
or expires, and ``search_reconcile`` repairs any drift.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.db import models

# Lookups that compare the stored value whole; any other (``contains``, ``startswith`` …)
# would compare compressed bytes and is refused (``FieldError``) rather than silently wrong.
_WHOLE_VALUE_LOOKUPS = frozenset({"exact", "isnull", "in"})


class CompressedTextField(models.TextField):
    """Text kept zlib-compressed (level 6) in a binary column: BLOB on SQLite, bytea on
    PostgreSQL (migration 0009). In Python it is a str like any TextField (forms, fixtures,
    ``update(body_text=…)``); the database sees only the compressed bytes, so SQL cannot
    search inside it: only whole-value lookups are allowed. Government text compresses to a
    quarter to a half (the bench corpus: 4.5 KB → 1.0 KB per item), and a row that no longer
    spills into overflow pages also wastes no half-empty page (SQLite)."""

    description = "zlib 压缩存储的文本"

    def db_type(self, connection: Any) -> str:
        return "bytea" if connection.vendor == "postgresql" else "blob"

    def get_internal_type(self) -> str:
        return "BinaryField"  # the column is binary (casts, introspection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        return zlib.compress(str(value).encode(), 6)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return decompress_text(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in _WHOLE_VALUE_LOOKUPS:
            return None
        return super().get_lookup(lookup_name)


def decompress_text(value: Any) -> str | None:
    """The text of a ``CompressedTextField`` value as the database returns it (bytes,
    memoryview, or None)."""
    if value is None:
        return None
    if isinstance(value, str):  # a text value (an SQL expression, a legacy row)
        return value
    return zlib.decompress(bytes(value)).decode()


class SearchEntry(models.Model):
    """One indexed public document (a catalog item, a guide, a rule …), keyed by ``key``."""

    key = models.CharField("文档键", max_length=120, unique=True)
    kind = models.CharField("类别", max_length=30, db_index=True)
    agency_id = models.BigIntegerField("发布机构", null=True, blank=True, db_index=True)
    title = models.CharField("标题", max_length=500)
    body_text = CompressedTextField("正文", blank=True, default="")
    doc_number = models.CharField("文号", max_length=100, blank=True)
    index_number = models.CharField("索引号", max_length=100, blank=True)
    topic_code = models.CharField("主题分类", max_length=40, blank=True, db_index=True)
    genre = models.CharField("体裁分类", max_length=40, blank=True, db_index=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    url = models.CharField("地址", max_length=500, blank=True)
    indexed_at = models.DateTimeField("索引时间", auto_now=True)

    class Meta:
        verbose_name = "检索索引条目"
        verbose_name_plural = "检索索引条目"
        indexes = [models.Index(fields=["agency_id", "published_at"], name="search_agency_pub")]

    def __str__(self) -> str:
        return self.title


class VisitLogCursor(models.Model):
    """How far ``ingest_visit_log`` has counted one nginx visit log (one row per log path).

    ``offset`` is the byte just after the last counted line of the file whose first line
    hashes to ``fingerprint`` (SHA-256, empty while that file had no complete line) and whose
    inode was ``inode``; the fingerprint, not the path, finds the file again after logrotate
    renamed or copied and truncated it. The row is updated in the same database transaction
    as the visit counts of the lines it moves past, so a crash never loses or repeats a line.
    """

    path = models.CharField("日志文件", max_length=500, unique=True)
    inode = models.BigIntegerField("inode", default=0)
    fingerprint = models.CharField("首行摘要", max_length=64, blank=True)
    offset = models.BigIntegerField("已读字节", default=0)
    lines = models.BigIntegerField("已计入行数", default=0)
    malformed = models.BigIntegerField("格式错误行数", default=0)
    lost_files = models.PositiveIntegerField("未能续读的轮转文件", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "访问日志读取位置"
        verbose_name_plural = "访问日志读取位置"

    def __str__(self) -> str:
        return f"{self.path} @ {self.offset}"
