"""The search app's public interface (pinned in ARCHITECTURE: "Search").

* ``index_documents(docs)`` — add or replace documents (by ``SearchDoc.key``).
* ``remove_documents(keys)`` — drop documents (withdrawn, expired, no longer public).
* ``search(SearchQuery) -> SearchPage`` — one result contract on SQLite and PostgreSQL.

Publishing calls the first two in ``transaction.on_commit``; callers pass only public,
already-masked text (personal data never enters a ``SearchDoc``).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from gongkai.search import segment
from gongkai.search.backends import Filters, Segmented, SegmenterChangedError, get_backend
from gongkai.search.models import SearchEntry

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 50
MAX_PAGE = 500
CANDIDATE_CAP = 1000  # relevance is ranked over at most this many newest matches
COUNT_CAP = 1000  # totals above this are shown as "more than 1000" (= the ranked candidates)
SORTS = ("relevance", "date")


class SearchQueryError(ValueError):
    """Bad search input; ``str(error)`` is a Chinese message for the user."""


@dataclass(frozen=True)
class SearchDoc:
    """One public document to index. ``key`` is the caller's stable id ("catalog:123")."""

    key: str
    kind: str
    agency_id: int | None
    title: str
    body_text: str = ""
    doc_number: str = ""
    index_number: str = ""
    topic_code: str = ""
    genre: str = ""
    validity: str = ""
    published_at: dt.datetime | None = None
    url: str = ""


@dataclass
class SearchQuery:
    """What the user asked for. ``agency_id`` and ``agency_ids`` combine (either matches).

    ``year`` and ``date_from``/``date_to`` (inclusive dates, Asia/Shanghai) filter on the
    publication time; ``kind`` is one kind or a sequence of kinds.
    """

    q: str = ""
    agency_id: int | None = None
    agency_ids: Sequence[int] = ()
    topic_code: str = ""
    genre: str = ""
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    validity: str = ""
    kind: str | Sequence[str] = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def validate(self) -> None:
        """Raise SearchQueryError (Chinese message) for input no search can answer."""
        if len(self.q or "") > segment.MAX_QUERY_CHARS:
            raise SearchQueryError(f"检索词过长，请不超过{segment.MAX_QUERY_CHARS}个字。")
        if self.sort not in SORTS:
            raise SearchQueryError("排序方式无效，请选择“相关度”或“发布时间”。")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchQueryError(f"每页条数应在1到{MAX_PER_PAGE}之间。")
        if not 1 <= self.page <= MAX_PAGE:
            raise SearchQueryError(f"页码应在1到{MAX_PAGE}之间。")
        if self.year is not None and not 1949 <= self.year <= 2100:
            raise SearchQueryError("年份无效。")
        for name in ("topic_code", "genre", "validity"):
            value = getattr(self, name) or ""
            if len(value) > 40 or not all(ch.isalnum() or ch in "-_" for ch in value):
                raise SearchQueryError("筛选条件无效。")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise SearchQueryError("起始日期不能晚于截止日期。")

    def filters(self) -> Filters:
        agency_ids = list(
            dict.fromkeys([*self.agency_ids, *([self.agency_id] if self.agency_id else [])])
        )
        kinds = [self.kind] if isinstance(self.kind, str) else list(self.kind)
        tz = timezone.get_default_timezone()
        start = end = None
        if self.year is not None:
            start = dt.datetime(self.year, 1, 1, tzinfo=tz)
            end = dt.datetime(self.year + 1, 1, 1, tzinfo=tz)
        if self.date_from is not None:
            d = dt.datetime.combine(self.date_from, dt.time(), tzinfo=tz)
            start = max(start, d) if start else d
        if self.date_to is not None:
            d = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time(), tzinfo=tz)
            end = min(end, d) if end else d
        return Filters(
            agency_ids=[int(a) for a in agency_ids],
            topic_code=self.topic_code,
            genre=self.genre,
            validity=self.validity,
            kinds=[k for k in kinds if k],
            date_from=start,
            date_to=end,
        )


@dataclass
class SearchHit:
    key: str
    kind: str
    title: str
    url: str
    title_html: str  # escaped, matches in <mark>
    snippet_html: str  # escaped, matches in <mark>
    published_at: dt.datetime | None
    agency_id: int | None
    doc_number: str
    index_number: str
    score: float


@dataclass
class SearchPage:
    """One page of results. ``total`` is exact unless ``total_capped`` (then "> total")."""

    query: SearchQuery
    total: int
    hits: list[SearchHit]
    page: int
    per_page: int
    total_capped: bool = False
    message: str = ""
    terms: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        # With a query, only the candidate set (the CANDIDATE_CAP newest matches) is paged.
        reachable = min(self.total, CANDIDATE_CAP) if (self.query.q or "").strip() else self.total
        return max(1, min(MAX_PAGE, math.ceil(reachable / self.per_page)))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0


# --- writing ----------------------------------------------------------------------------------

_change_hooks: list[Callable[[list[str]], None]] = []


def register_change_hook(fn: Callable[[list[str]], None]) -> None:
    """Call ``fn(keys)`` after every commit that changed indexed documents (the portal uses
    it to invalidate its page cache and purge the nginx cache)."""
    if fn not in _change_hooks:
        _change_hooks.append(fn)


def _changed(keys: list[str]) -> None:
    for fn in _change_hooks:
        transaction.on_commit(lambda fn=fn: fn(keys))  # type: ignore[misc]


# A safety net behind publishing's masking: ID-number-shaped strings (plausible birth date,
# check digit right or not) and mobile numbers never reach the index.
_ID_LIKE_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub_personal(text: str) -> str:
    """Mask ID-number-like and mobile-number-like strings (publishing masks first)."""
    text = _ID_LIKE_RE.sub(lambda m: m.group()[:6] + "********" + m.group()[-4:], text or "")
    return _MOBILE_RE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def segment_doc(doc: SearchDoc) -> tuple[list[str], list[str], list[str]]:
    """(title tokens, body tokens, bigrams): 文号 and 索引号 count as title words."""
    return segment.document_fields(doc.title, doc.doc_number, doc.index_number, doc.body_text)[:3]  # type: ignore[return-value]


def index_documents(docs: Iterable[SearchDoc]) -> int:
    """Add or replace ``docs`` (by key) in the index, in one transaction. Returns the count.

    1. Segment outside the transaction (CPU only).
    2. Upsert the entry rows (bulk), then write the vendor structures for them.
    """
    docs = [
        replace(d, title=scrub_personal(d.title), body_text=scrub_personal(d.body_text))
        for d in {d.key: d for d in docs}.values()
    ]
    if not docs:
        return 0
    for d in docs:
        if not d.key or len(d.key) > 120:
            raise ValueError("SearchDoc.key must be 1–120 characters")
    # Segmented as stored (the entry keeps 500 / 100 characters), so the row's tokens can be
    # computed again from the entry (SQLite deletes an FTS row that way).
    segmented: dict[str, tuple[list[str], list[str], list[str]]] = {}
    custom: dict[str, tuple[list[str], list[str]]] = {}
    for d in docs:
        t, b, g, c = segment.document_fields(
            d.title[:500], d.doc_number[:100], d.index_number[:100], d.body_text
        )
        segmented[d.key] = (t, b, g)
        custom[d.key] = c
    backend = get_backend()
    with transaction.atomic():
        existing = dict(
            SearchEntry.objects.filter(key__in=[d.key for d in docs]).values_list("key", "id")
        )
        forget = getattr(backend, "forget", None)
        stale: set[int] = set()
        if forget is not None and existing:  # while the entries still hold the indexed text
            try:
                forget(list(existing.values()))
            except SegmenterChangedError as error:  # SQLite: those rows stay as they were
                stale = set(error.entry_ids)
                _keep_stale(backend, existing, stale, removed=False)
        to_update: list[SearchEntry] = []
        to_create: list[SearchEntry] = []
        for d in docs:
            entry = SearchEntry(
                id=existing.get(d.key),
                key=d.key,
                kind=d.kind,
                agency_id=d.agency_id,
                title=d.title[:500],
                body_text=d.body_text,
                doc_number=d.doc_number[:100],
                index_number=d.index_number[:100],
                topic_code=d.topic_code[:40],
                genre=d.genre[:40],
                validity=d.validity[:20],
                published_at=d.published_at,
                url=d.url[:500],
                indexed_at=timezone.now(),
            )
            (to_update if entry.id else to_create).append(entry)
        save_entries = getattr(backend, "save_entries", None)
        if save_entries is not None:  # the backend writes rows and structures in one pass
            save_entries(to_create, to_update, segmented)
            _changed([d.key for d in docs])
            return len(docs)
        if to_update:
            SearchEntry.objects.bulk_update(
                to_update,
                [
                    "kind",
                    "agency_id",
                    "title",
                    "body_text",
                    "doc_number",
                    "index_number",
                    "topic_code",
                    "genre",
                    "validity",
                    "published_at",
                    "url",
                    "indexed_at",
                ],
                batch_size=200,
            )
        if to_create:
            SearchEntry.objects.bulk_create(to_create, batch_size=200)
        rows = [
            Segmented(e.id, *segmented[e.key], *custom[e.key])  # type: ignore[arg-type]
            for e in (*to_update, *to_create)
            if e.id not in stale  # the old row stays until ``search_reindex``
        ]
        backend.write(rows, replace_ids=[e.id for e in to_update if e.id not in stale])  # type: ignore[misc]
        _changed([d.key for d in docs])
    return len(docs)


def reindex_entries(*, batch: int = 500) -> int:
    """Re-segment every entry from its own stored text and rewrite the full-text structures
    (after a change of the index format, e.g. migration 0007). Kind-agnostic; one
    transaction per batch. Returns the number of entries rewritten."""
    backend = get_backend()
    last = 0
    done = 0
    while True:
        with transaction.atomic():
            # Named columns only: migrations call this with later fields not yet created.
            entries = list(
                SearchEntry.objects.filter(id__gt=last)
                .order_by("id")
                .values_list("id", "title", "body_text", "doc_number", "index_number")[:batch]
            )
            if not entries:
                return done
            rows = []
            for pk, title, body, doc_number, index_number in entries:
                t, b, g, (ct, cb) = segment.document_fields(title, doc_number, index_number, body)
                rows.append(Segmented(pk, t, b, g, ct, cb))
            backend.write(rows, replace_ids=[row.entry_id for row in rows])
        last = entries[-1][0]
        done += len(entries)


def remove_documents(keys: Iterable[str]) -> int:
    """Remove the documents with these keys (unknown keys are ignored). Returns the count."""
    keys = list(keys)
    if not keys:
        return 0
    with transaction.atomic():
        found = dict(SearchEntry.objects.filter(key__in=keys).values_list("key", "id"))
        ids = list(found.values())
        if ids:
            backend = get_backend()
            try:
                backend.remove(ids)
            except SegmenterChangedError as error:  # SQLite: those rows stay until reindex
                _keep_stale(backend, found, set(error.entry_ids), removed=True)
            SearchEntry.objects.filter(id__in=ids).delete()
            _changed(keys)
    return len(ids)


def _keep_stale(backend: object, by_key: dict[str, int], stale: set[int], *, removed: bool) -> None:
    """Entries whose old FTS row could not be deleted (SQLite, ``SegmenterChangedError``):
    the write goes on without touching those rows; the entries are recorded as stale for
    ``manage.py search_reindex`` (system check ``gongkai.search.W002``, console page)."""
    marks = {pk: key for key, pk in by_key.items() if pk in stale}
    logger.error(
        "检索索引：%d 条条目的旧索引行无法按现有分词器删除（分词器已升级或正文被绕过接口修改），"
        "已保留旧索引行并标记为待重建（%s），请运行 manage.py search_reindex。"
        " Search index: %d entries kept their old row (tokens changed); run search_reindex.",
        len(marks),
        ", ".join(sorted(marks.values())[:20]),
        len(marks),
    )
    backend.keep_stale(marks, removed=removed)  # type: ignore[attr-defined]


# --- searching --------------------------------------------------------------------------------


def search(query: SearchQuery) -> SearchPage:
    """Run ``query``; raises SearchQueryError for invalid input (see ``validate``)."""
    query.validate()
    plan = segment.plan_query(query.q or "")
    filters = query.filters()
    offset = (query.page - 1) * query.per_page
    if plan.empty:
        if (query.q or "").strip():
            return SearchPage(
                query,
                0,
                [],
                query.page,
                query.per_page,
                message="检索词中没有可检索的文字，请换用其他词语。",
            )
        qs = _filtered_entries(filters).order_by("-published_at", "-id")
        total = qs.count()
        ids = [
            (pk, 0.0) for pk in qs.values_list("id", flat=True)[offset : offset + query.per_page]
        ]
        capped = False
    else:
        total, capped, ids = get_backend().search(
            plan,
            filters,
            sort=query.sort,
            offset=offset,
            limit=query.per_page,
            cap=CANDIDATE_CAP,
            count_cap=COUNT_CAP,
        )
    entries = _page_entries([pk for pk, _ in ids])
    highlighter = Highlighter(plan.highlight)
    hits = []
    for pk, score in ids:
        e = entries.get(pk)
        if e is None:
            continue
        key, kind, title, url, body_text, published_at, agency_id, doc_number, index_number = e
        hits.append(
            SearchHit(
                key=key,
                kind=kind,
                title=title,
                url=url,
                title_html=highlighter.mark(title),
                snippet_html=highlighter.snippet(body_text),
                published_at=published_at,
                agency_id=agency_id,
                doc_number=doc_number,
                index_number=index_number,
                score=score,
            )
        )
    message = "" if total else "没有找到符合条件的信息。"
    return SearchPage(
        query, total, hits, query.page, query.per_page, capped, message, plan.highlight
    )


# The columns of a shown hit (``_page_entries``), after the id, in ``SearchHit`` order.
_HIT_COLUMNS = (
    "key",
    "kind",
    "title",
    "url",
    "body_text",
    "published_at",
    "agency_id",
    "doc_number",
    "index_number",
)


# Per vendor: the SELECT of a page's entries and the positions of the columns that have
# database converters (``_page_entries``).
_PAGE_SELECT: dict[str, tuple[str, list[int]]] = {}


def _page_entries(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The ``_HIT_COLUMNS`` of the shown entries by id, in one plain SELECT: ``in_bulk``
    (query compilation, model instances, every column) cost more than the search itself on
    a 20-hit page. Each value goes through its field's database converters exactly as the
    ORM applies them (aware datetimes, the compressed body)."""
    if not ids:
        return {}
    meta = SearchEntry._meta
    fields = [meta.get_field(name) for name in _HIT_COLUMNS]
    cols = [f.get_col(meta.db_table) for f in fields if isinstance(f, Field)]

    def converters(i: int) -> list[Any]:
        return connection.ops.get_db_converters(cols[i]) + cols[i].get_db_converters(connection)

    cached = _PAGE_SELECT.get(connection.vendor)
    if cached is None:
        qn = connection.ops.quote_name
        sql = (
            f"SELECT {qn(meta.pk.column)}, {', '.join(qn(c.target.column) for c in cols)} "  # noqa: S608 - names from the model
            f"FROM {qn(meta.db_table)} WHERE {qn(meta.pk.column)} IN "
        )
        cached = _PAGE_SELECT[connection.vendor] = (
            sql,
            [i for i in range(len(cols)) if converters(i)],
        )
    sql, converted = cached
    plan = [(i + 1, cols[i], converters(i)) for i in converted]
    with connection.cursor() as cur:
        cur.execute(sql + f"({', '.join(['%s'] * len(ids))})", list(ids))
        rows = cur.fetchall()
    out: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        if plan:
            values = list(row)
            for i, col, fns in plan:
                for fn in fns:
                    values[i] = fn(values[i], col, connection)
            row = tuple(values)
        out[row[0]] = row[1:]
    return out


def _filtered_entries(filters: Filters):  # type: ignore[no-untyped-def]
    qs = SearchEntry.objects.all()
    if filters.agency_ids:
        qs = qs.filter(agency_id__in=filters.agency_ids)
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    if filters.topic_code:
        qs = qs.filter(topic_code__startswith=filters.topic_code)
    for column in ("genre", "validity"):
        if getattr(filters, column):
            qs = qs.filter(**{column: getattr(filters, column)})
    if filters.date_from is not None:
        qs = qs.filter(published_at__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(published_at__lt=filters.date_to)
    return qs


def _match_target(text: str) -> str:
    """``text`` in normal form when that keeps offsets (NFKC may change lengths), else as is."""
    norm = segment.normalize(text)
    return norm if len(norm) == len(text) else text.lower()


class Highlighter:
    """Escape text and wrap the query's terms in <mark>; cut a snippet around the first hit."""

    def __init__(self, terms: list[str], *, width: int = 120) -> None:
        parts = sorted({t for t in terms if t}, key=len, reverse=True)
        self.regex = (
            re.compile("|".join(re.escape(p) for p in parts), re.IGNORECASE) if parts else None
        )
        self.width = width

    def mark(self, text: str) -> str:
        if self.regex is None:
            return html.escape(text)
        target = _match_target(text)
        out: list[str] = []
        last = 0
        for m in self.regex.finditer(target):
            out.append(html.escape(text[last : m.start()]))
            out.append("<mark>" + html.escape(text[m.start() : m.end()]) + "</mark>")
            last = m.end()
        out.append(html.escape(text[last:]))
        return "".join(out)

    def snippet(self, text: str) -> str:
        start = 0
        if self.regex is not None:
            # Look in the raw text first (cheap); normalise only a window when that fails.
            m = self.regex.search(text)
            if m is None:
                head = text[:4000]
                m = self.regex.search(_match_target(head))
            if m is not None:
                start = max(0, m.start() - self.width // 4)
        piece = " ".join(text[start : start + self.width + 20].split())[: self.width]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + self.width < len(text) else ""
        return prefix + self.mark(piece) + suffix
