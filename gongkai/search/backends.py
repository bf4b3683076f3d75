"""Full-text backends behind one interface: SQLite FTS5 and PostgreSQL tsvector/GIN.

Both receive the same pre-segmented tokens (``segment.py``) and the same ``QueryPlan``, and
return ``(total, capped, [(entry_id, score)])``; ``api.search`` turns that into the result
contract. Every value reaches the database as a bound parameter. The only SQL assembled at
run time is a fixed fragment per filter or clause, chosen by code, never by user text; the
FTS5 MATCH expression and the tsquery are themselves parameters built from tokens that hold
letters and digits only, each quoted.

Common terms: ranking every match of a term found in most documents costs time linear in
the corpus. Both backends bound the candidate set to the ``cap`` newest matching documents
(by entry id, i.e. indexing order) before ranking, and count matches only up to
``count_cap``; the page says "more than N" beyond that.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import json
import logging
import math
import struct
import threading
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction

from gongkai.search import segment
from gongkai.search.models import decompress_text
from gongkai.search.segment import RUN_BREAK, QueryPlan

logger = logging.getLogger(__name__)

TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0
GRAM_WEIGHT = 0.5
# SQLite ranking (``SqliteBackend._scores``): units held by more documents than this stay out
# of bm25; each clause found whole in the title adds the bonus.
SELECTIVE_DF = 2000
TITLE_CLAUSE_BONUS = 2.0
DF_CACHE_SECONDS = 600.0
# search_fts's columns are declared g, t, b (migration 0011): a position list gives column 0's
# positions without a column marker, and bigrams are most of the entries (12 % smaller index).
# bm25 takes its weights in declared order.
BM25_SQL = f"bm25(search_fts, {GRAM_WEIGHT}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
PG_MAX_POS = 16383
# PostgreSQL: every vector also holds the lexeme '~r<id // PG_BUCKET>' (no position), so a
# search can ask the GIN index for the newest buckets first (``PostgresBackend._newest``).
# '~' never starts a word or bigram lexeme (those hold letters and digits only).
PG_BUCKET = 10_000
PG_BUCKET_PREFIX = "~r"
PG_WINDOW = 2  # buckets searched first (the newest 20,000 ids)
PG_TS_RANK_MAX = 300  # candidates ranked by ts_rank; more are ranked by title clauses
PG_MAX_MORE_BUCKETS = 24  # a second window of at most this many buckets, sized by density
PG_MAX_POSITIONS_PER_LEXEME = 255
PG_GIN_INDEX = "search_entry_doc_gin"  # migration 0003; dropped and built again by rebuild


@dataclass
class Segmented:
    """The segmented fields of one document."""

    entry_id: int
    title_tokens: list[str]
    body_tokens: list[str]
    grams: list[str]
    # The custom-word tokens among title_tokens / body_tokens (``segment.document_fields``).
    custom_title: list[str] = field(default_factory=list)
    custom_body: list[str] = field(default_factory=list)


@dataclass
class Filters:
    agency_ids: list[int]
    topic_code: str
    genre: str
    validity: str
    kinds: list[str]
    date_from: Any  # aware datetime or None
    date_to: Any  # aware datetime (exclusive) or None

    def sql(self, alias: str = "e") -> tuple[str, list[Any]]:
        """``AND …`` conditions over the entry table, with their parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.agency_ids:
            parts.append(f"{alias}.agency_id IN ({', '.join(['%s'] * len(self.agency_ids))})")
            params.extend(self.agency_ids)
        if self.kinds:
            parts.append(f"{alias}.kind IN ({', '.join(['%s'] * len(self.kinds))})")
            params.extend(self.kinds)
        if self.topic_code:  # a two-digit class includes its four-digit sub-classes
            parts.append(f"{alias}.topic_code LIKE %s")
            params.append(self.topic_code.replace("%", "").replace("_", "") + "%")
        for column in ("genre", "validity"):
            value = getattr(self, column)
            if value:
                parts.append(f"{alias}.{column} = %s")
                params.append(value)
        if self.date_from is not None:
            parts.append(f"{alias}.published_at >= %s")
            params.append(self.date_from)
        if self.date_to is not None:
            parts.append(f"{alias}.published_at < %s")
            params.append(self.date_to)
        return "".join(" AND " + p for p in parts), params


def _quote(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def pack_fts_row(t: str, b: str, g: str) -> bytes:
    """The FTS row's text, compressed, as migration 0004 kept it in ``search_fts_doc``
    (until migration 0008 replaced that table; kept for those two migrations)."""
    return zlib.compress(json.dumps([t, b, g], ensure_ascii=False).encode(), 6)


def fts_part(z: bytes | None, i: int) -> str | None:
    """SQL function ``gk_fts_part(z, i)``: column ``i`` (0 t, 1 b, 2 g) of a packed row
    (migration 0004's delete trigger, until migration 0008 replaces it)."""
    if z is None:
        return None
    return str(json.loads(zlib.decompress(z).decode())[int(i)])


def fts_checksum(t: str, b: str, g: str) -> int:
    """CRC-32 of an FTS row's three texts, kept in ``search_fts_extra.h``."""
    return zlib.crc32(f"{t}\x00{b}\x00{g}".encode())


# Per thread (a threaded server runs statements side by side): ``last`` = (the row's key,
# its three texts), set as one tuple; ``refused`` = set by ``fts_old`` when it refuses a row,
# so ``SqliteBackend._delete_rows`` knows the failed statement is a mismatch (sqlite3 reports
# any error raised in a function the same way).
_regenerated = threading.local()


def fts_old(
    i: int,
    title: str,
    doc_number: str,
    index_number: str,
    body: bytes | str,
    ct: str,
    cb: str,
    h: int,
) -> str:
    """SQL function ``gk_fts_old(i, title, 文号, 索引号, body, custom t, custom b, crc)``:
    column ``i`` (0 t, 1 b, 2 g) of the FTS row an entry was indexed with, computed again from
    the entry's text and the custom-word tokens kept in ``search_fts_extra``. The row's
    CRC-32 must match the one written with it: otherwise (another jieba version, an entry
    text changed behind the api's back) the function fails the statement, because a 'delete'
    with other tokens would corrupt the index. The three columns of one row are asked one
    after the other: the last row's columns are remembered."""
    key = (title, doc_number, index_number, body, ct, cb, h)  # h: a stale twin must fail
    last = getattr(_regenerated, "last", None)
    if last is None or last[0] != key:
        t, b, g, _ = segment.document_fields(
            title or "",
            doc_number or "",
            index_number or "",
            decompress_text(body) or "",  # the stored body is compressed (migration 0009)
            custom=((ct or "").split(), (cb or "").split()),
        )
        texts = (" ".join(t), " ".join(b), " ".join(g))
        if fts_checksum(*texts) != h:
            _regenerated.last = None
            _regenerated.refused = True
            raise SegmenterChangedError(
                "检索索引条目的分词结果与写入时不同（分词器已升级或正文被绕过接口修改），"
                "请运行 manage.py search_reindex 重建检索索引。"
            )
        last = _regenerated.last = (key, texts)
    return str(last[1][int(i)])


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("gk_fts_part", 2, fts_part, deterministic=True)
        connection.connection.create_function("gk_fts_old", 8, fts_old, deterministic=True)


# The FTS row of an entry, computed again from the entry's text (``fts_old``), for FTS5's
# 'delete' command; ``{where}`` selects the rows of search_fts_extra x (entry e).
_OLD_ARGS = "e.title, e.doc_number, e.index_number, e.body_text, x.t, x.b, x.h"
FTS_DELETE_SQL = (
    "INSERT INTO search_fts (search_fts, rowid, t, b, g) SELECT 'delete', x.id, "
    "gk_fts_old(0, {a}), gk_fts_old(1, {a}), gk_fts_old(2, {a}) "
    "FROM search_fts_extra x JOIN search_searchentry e ON e.id = x.id WHERE {where}"
)


class SegmenterChangedError(RuntimeError):
    """An FTS row's tokens cannot be computed again from its entry (another jieba, rjieba or
    Unicode database, or the entry's text changed outside ``api``): it cannot be deleted.
    ``entry_ids``: the entries whose rows were left in place (``SqliteBackend.forget``)."""

    def __init__(self, message: str, *, entry_ids: list[int] | None = None) -> None:
        super().__init__(message)
        self.entry_ids = list(entry_ids or [])


STALE_PREFIX = "stale:"  # search_fts_meta keys of entries whose FTS row is out of date


class SqliteBackend:
    """Contentless FTS5 table ``search_fts`` (t, b, g; rowid = SearchEntry.id; migration
    0008) and ``search_fts_extra(id, t, b)``: the custom-word tokens of each row.

    FTS5 before SQLite 3.43 can only remove a row from a contentless table when it is given
    the row's exact text again. Until migration 0008 that text was kept, compressed, in
    ``search_fts_doc`` (a quarter of the database). Now it is computed again from the entry's
    own text (``fts_old``): segmentation is deterministic for a given jieba/rjieba version
    and Unicode database (``segment.fingerprint``, recorded in ``search_fts_meta``); the only
    input that changes at run time, the custom words (``custom.txt`` and the agency names),
    is what ``search_fts_extra`` keeps. Rows are deleted that way by ``forget`` (before
    ``api.index_documents`` overwrites an entry), by ``write`` (``replace_ids``: entries whose
    text is unchanged) and by the trigger that runs when an entry is deleted. A new segmenter
    version needs ``manage.py search_reindex`` (``rebuild``); until then a row whose tokens
    came out differently cannot be deleted: its CRC-32 (``search_fts_extra.h``) no longer
    matches and the statement fails (``SegmenterChangedError``) rather than corrupt the
    index: ``api`` then keeps the old row, records the entry as stale (``keep_stale``) and
    lets the write succeed; ``checks.py`` and the console page tell the operator."""

    vendor = "sqlite"

    def write(self, rows: list[Segmented], *, replace_ids: list[int]) -> None:
        texts = [
            (r.entry_id, " ".join(r.title_tokens), " ".join(r.body_tokens), " ".join(r.grams))
            for r in rows
        ]
        with connection.cursor() as cur:
            self._check_segmenter(cur)
            self._forget(cur, replace_ids)
            cur.executemany(
                "INSERT INTO search_fts (rowid, t, b, g) VALUES (%s, %s, %s, %s)", texts
            )
            cur.executemany(
                "INSERT INTO search_fts_extra (id, t, b, h) VALUES (%s, %s, %s, %s)",
                [
                    (
                        r.entry_id,
                        " ".join(r.custom_title),
                        " ".join(r.custom_body),
                        fts_checksum(*x),
                    )
                    for r, (_, *x) in zip(rows, texts, strict=True)
                ],
            )

    def forget(self, ids: list[int]) -> None:
        """Drop the FTS rows of these entries while the entries still hold the text they
        were indexed with (``api.index_documents`` calls it before overwriting them).
        Rows whose tokens cannot be computed again are left in place (all the others are
        dropped) and raise ``SegmenterChangedError`` listing them."""
        with connection.cursor() as cur:
            self._check_segmenter(cur)
            self._forget(cur, ids)

    def remove(self, ids: list[int]) -> None:
        """Drop the FTS rows of entries about to be deleted (as ``forget``; the delete
        trigger then has nothing left to do for them)."""
        self.forget(ids)

    def _forget(self, cur: Any, ids: list[int]) -> None:
        refused: list[int] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            try:
                self._delete_rows(cur, chunk)
            except SegmenterChangedError:  # find the rows that cannot be deleted, drop the rest
                for pk in chunk:
                    try:
                        self._delete_rows(cur, [pk])
                    except SegmenterChangedError:
                        refused.append(pk)
        if refused:
            raise SegmenterChangedError(
                "检索索引条目的分词结果与写入时不同，旧索引行已保留，请运行 manage.py search_reindex。",
                entry_ids=refused,
            )

    @staticmethod
    def _delete_rows(cur: Any, ids: list[int]) -> None:
        """Delete the FTS rows (and extra rows) of ``ids`` in a savepoint: all or none."""
        marks = ", ".join(["%s"] * len(ids))
        _regenerated.refused = False
        try:
            with transaction.atomic():
                cur.execute(FTS_DELETE_SQL.format(a=_OLD_ARGS, where=f"x.id IN ({marks})"), ids)
                cur.execute(f"DELETE FROM search_fts_extra WHERE id IN ({marks})", ids)  # noqa: S608 - placeholders only
        except DatabaseError as error:
            if not getattr(_regenerated, "refused", False):
                raise
            raise SegmenterChangedError(str(error), entry_ids=ids) from error
        finally:
            _regenerated.refused = False

    def keep_stale(self, stale: dict[int, str], *, removed: bool) -> None:
        """Record entries whose FTS row could not be deleted (``forget`` refused it): the old
        row stays (searching finds the old text) until ``rebuild`` indexes the entry's current
        text and clears the marks. ``stale``: entry id → document key. ``removed``: the entry
        is about to be deleted; its extra row goes now (the delete trigger would fail on it),
        its FTS row matches nothing shown (``api.search`` skips ids without an entry)."""
        if not stale:
            return
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with connection.cursor() as cur:
            cur.executemany(
                "INSERT OR REPLACE INTO search_fts_meta (key, value) VALUES (%s, %s)",
                [
                    (
                        f"{STALE_PREFIX}{pk}",
                        json.dumps({"key": key, "removed": removed, "at": now}, ensure_ascii=False),
                    )
                    for pk, key in stale.items()
                ],
            )
            if removed:
                ids = list(stale)
                marks = ", ".join(["%s"] * len(ids))
                cur.execute(f"DELETE FROM search_fts_extra WHERE id IN ({marks})", ids)  # noqa: S608 - placeholders only

    @staticmethod
    def health() -> dict[str, Any] | None:
        """The index's segmenter (as recorded, and the current one) and its stale entries
        (``keep_stale``: count, and up to 20 document keys); None before migration 0008."""
        try:
            with connection.cursor() as cur:
                cur.execute("SELECT value FROM search_fts_meta WHERE key = 'segmenter'")
                row = cur.fetchone()
                cur.execute(
                    "SELECT count(*) FROM search_fts_meta WHERE key LIKE %s", [STALE_PREFIX + "%"]
                )
                count = cur.fetchone()[0]
                cur.execute(
                    "SELECT value FROM search_fts_meta WHERE key LIKE %s ORDER BY key LIMIT 20",
                    [STALE_PREFIX + "%"],
                )
                keys = [json.loads(v)["key"] for (v,) in cur.fetchall()]
        except DatabaseError:  # the tables do not exist yet (not migrated)
            return None
        return {
            "recorded": row[0] if row else None,
            "current": segment.fingerprint(),
            "stale": count,
            "stale_keys": keys,
        }

    @staticmethod
    def _check_segmenter(cur: Any) -> None:
        """Record the segmenter of an empty index; log (once per process and database) when
        the index was written by another one: ``manage.py search_reindex`` should run. Rows
        whose tokens did not change can still be replaced; the others fail (``fts_old``)."""
        name = str(connection.settings_dict.get("NAME"))
        current = segment.fingerprint()
        if _segmenter_ok.get(name) == current:
            return
        cur.execute("SELECT value FROM search_fts_meta WHERE key = 'segmenter'")
        row = cur.fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO search_fts_meta (key, value) VALUES ('segmenter', %s)", [current]
            )
        elif row[0] != current:
            logger.warning(
                "检索索引由另一版本的分词器写入（%s，当前为 %s），请运行 manage.py search_reindex。",
                row[0],
                current,
            )
        _segmenter_ok[name] = current

    def rebuild(self, *, batch: int = 1000, progress: Any = None) -> int:
        """Empty the index and index every entry again from its stored text, ``batch`` per
        transaction (``manage.py search_reindex``, migration 0008). Searching meanwhile finds
        only the entries already rewritten. Returns the number of entries indexed."""
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
            cur.execute("DELETE FROM search_fts_extra")
            cur.execute("DELETE FROM search_fts_meta WHERE key = 'segmenter'")
            cur.execute("DELETE FROM search_fts_meta WHERE key LIKE %s", [STALE_PREFIX + "%"])
            _segmenter_ok.pop(str(connection.settings_dict.get("NAME")), None)
            self._check_segmenter(cur)
        last = done = 0
        while True:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    "SELECT id, title, doc_number, index_number, body_text "
                    "FROM search_searchentry WHERE id > %s ORDER BY id LIMIT %s",
                    [last, batch],
                )
                entries = cur.fetchall()
                if not entries:
                    break
                rows = []
                for pk, title, doc_number, index_number, body in entries:
                    t, b, g, (ct, cb) = segment.document_fields(
                        title, doc_number, index_number, decompress_text(body) or ""
                    )
                    rows.append(Segmented(pk, t, b, g, ct, cb))
                self.write(rows, replace_ids=[])
            last = entries[-1][0]
            done += len(entries)
            if progress is not None:
                progress(done)
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        return done

    @staticmethod
    def match_expression(plan: QueryPlan) -> str:
        """The FTS5 MATCH string (a bound parameter): clauses AND-ed, each an OR of the
        word path (a one-word clause only) and the bigram-phrase path. A clause that is one
        term in any column comes first: FTS5 then tests the phrases only at its documents
        (数字政府 方案: 1.2 → 1.0 ms); AND-ed clauses match the same in any order."""
        parts = [SqliteBackend._clause_expression(c) for c in plan.clauses]
        return " AND ".join(sorted(parts, key=lambda e: not e.startswith('("')))

    @staticmethod
    def _is_bare_term(clause: Any) -> bool:
        """Whether ``_clause_expression`` writes ``clause`` as one term in any column."""
        return bool(
            clause.word_match
            and len(clause.tokens) == 1
            and not clause.char
            and [" ".join(p) for p in clause.phrases] == clause.tokens
        )

    @staticmethod
    def _clause_expression(clause: Any) -> str:
        """One clause of ``match_expression``."""
        if SqliteBackend._is_bare_term(clause):
            # The word in t or b, or the same string (a two-unit word is its own bigram) in
            # g: the same as the string in any column (the table has no other), one posting
            # list read without column filters instead of two read with them.
            return "(" + _quote(clause.tokens[0]) + ")"
        paths = []
        if clause.tokens and clause.word_match:
            paths.append("{t b} : (" + " AND ".join(_quote(t) for t in clause.tokens) + ")")
        if clause.phrases:
            paths.append(
                "(" + " AND ".join("g : " + _quote(" ".join(p)) for p in clause.phrases) + ")"
            )
        if clause.char:
            paths.append("g : " + _quote(clause.char) + "*")
        return "(" + " OR ".join(paths) + ")"

    def match_ids(self, plan: QueryPlan, *, max_id: int) -> set[int]:
        """Every matching entry id ≤ max_id (recall checks in tests and the benchmark)."""
        with connection.cursor() as cur:
            cur.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid <= %s",
                [self.match_expression(plan), max_id],
            )
            return {row[0] for row in cur.fetchall()}

    def search(
        self,
        plan: QueryPlan,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        cap: int,
        count_cap: int,
    ) -> tuple[int, bool, list[tuple[int, float]]]:
        match = self.match_expression(plan)
        where, fparams = filters.sql()
        # Join the entry table only when a filter needs its columns.
        join = " JOIN search_searchentry e ON e.id = search_fts.rowid" if where else ""
        base = f"FROM search_fts{join} WHERE search_fts MATCH %s{where}"
        params = [match, *fparams]
        with connection.cursor() as cur:
            # 1. One pass over the newest matches, bounded: the count (up to count_cap)
            #    and the candidate set (the `cap` newest) come from it. When bm25 would score
            #    exactly the phrases of the MATCH expression (every unit selective, each
            #    path's units in the expression), the same pass scores them: bm25 depends on
            #    the phrase list, not on how AND/OR join it, so the values are the same as
            #    ``_scores``' own statement gives, without a second walk over the doclists
            #    and a second IDF pass (a 文号 search at 100,000 items: 0.51 → 0.45 ms).
            fused = None
            if sort != "date":
                units = self._expression_units(plan)
                if units is not None and len(self._selective_df(cur, units)) == len(units):
                    fused = units
            column = f", {BM25_SQL}" if fused else ""
            cur.execute(
                f"SELECT search_fts.rowid{column} {base} ORDER BY search_fts.rowid DESC LIMIT %s",  # noqa: S608 - fixed fragments only
                [*params, max(count_cap, cap) + 1],
            )
            rows = cur.fetchall()
            scanned = [row[0] for row in rows]
            total = len(scanned)
            capped = total > count_cap
            candidates = scanned[:cap]
            if not candidates:
                return 0, False, []
            if sort == "date":
                hits = _by_date(cur, candidates, offset, limit)
            else:
                bm25 = {row[0]: -float(row[1]) for row in rows[:cap]} if fused else None
                scores = self._scores(cur, plan, candidates, bm25=bm25)
                hits = _page_by_score(candidates, scores, offset, limit)
        return min(total, count_cap), capped, hits

    @staticmethod
    def _expression_units(plan: QueryPlan) -> list[str] | None:
        """The phrases of ``match_expression(plan)`` as ``_units`` spells them, in the same
        order, when they are exactly ``_units(plan)``; else None (a bare-term clause, a clause
        whose words are not a path of its own, a unit repeated)."""
        units: list[str] = []
        for clause in plan.clauses:
            if (
                SqliteBackend._is_bare_term(clause)
                or (clause.tokens and not clause.word_match)
                or not all(clause.phrases)
            ):
                return None
            units.extend(SqliteBackend._clause_units(clause))
        return units if len(set(units)) == len(units) else None

    def _scores(
        self,
        cur: Any,
        plan: QueryPlan,
        candidates: list[int],
        *,
        bm25: dict[int, float] | None = None,
    ) -> dict[int, float]:
        """Relevance of the candidates (ids, newest first): bm25 over the query's selective
        units, plus ``TITLE_CLAUSE_BONUS`` for each clause whose words are all in the title.

        FTS5's bm25 computes each unit's IDF by visiting every document that holds the unit,
        so a unit held by most of a million documents costs a pass over a million postings
        (≈0.5 s), while its IDF — ln((N − n + 0.5)/(n + 0.5)), floored at ~0 — adds almost
        nothing. Units held by more than ``SELECTIVE_DF`` documents are therefore left out
        of bm25; they count through the title bonus, and ties go to the newest.
        ``bm25``: the candidates' bm25 (negated), already computed by the candidate pass.
        """
        lo = candidates[-1]
        wanted = set(candidates)
        scores: dict[int, float] = defaultdict(float, bm25 or {})
        df = self._selective_df(cur, self._units(plan))
        if df and bm25 is None:
            score = BM25_SQL
            sql = (
                f"SELECT rowid, {score} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608 - fixed fragments only
                "AND rowid >= %s"
            )
            params: list[Any] = [" OR ".join(df), lo]
            # The units' rows from ``lo`` on (as many as the largest unit's, spread evenly
            # over the ids) may be far more than the candidates (璟珩: 16 candidates, 562
            # rows holding 璟 or 珩): then only the candidates are scored. ``+rowid``: a
            # filter on the rows FTS5 returns, not a lookup per id (each one would compute
            # the IDFs again). The same expression, so the same scores.
            hi = candidates[0]
            if max(df.values()) * (hi - lo + 1) / hi > 2 * len(candidates):
                sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
                params.append("[" + ",".join(map(str, candidates)) + "]")
            cur.execute(sql, params)
            for rowid, value in cur.fetchall():
                if rowid in wanted:
                    scores[rowid] -= float(value)  # FTS5's bm25 is negative: lower is better
        # A title clause with a common word (资金, 数字政府: in most documents) walks its
        # whole posting list. Every candidate matches every clause: AND-ing in another one
        # whose units are all selective (乡村振兴, 方案) keeps every candidate whose title
        # holds the words, and lets FTS5 skip to that clause's few documents (0.9 → 0.1 ms).
        cheap = [
            (sum(df[u] for u in units), i)
            for i, c in enumerate(plan.clauses)
            if (units := self._clause_units(c)) and all(u in df for u in units)
        ]
        for i, clause in enumerate(plan.clauses):
            if not clause.tokens:
                continue
            title = "t : (" + " AND ".join(_quote(t) for t in clause.tokens) + ")"
            narrow = [x for x in cheap if x[1] != i]
            if narrow and not all("{t b} : " + _quote(t) in df for t in clause.tokens):
                title += " AND " + self._clause_expression(plan.clauses[min(narrow)[1]])
            cur.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s",
                [title, lo],
            )
            for (rowid,) in cur.fetchall():
                if rowid in wanted:
                    scores[rowid] += TITLE_CLAUSE_BONUS
        return scores

    @staticmethod
    def _units(plan: QueryPlan) -> list[str]:
        """The query's FTS5 units (a word in t/b, a bigram phrase in g, a prefix), once each."""
        units: list[str] = []
        for clause in plan.clauses:
            units.extend(SqliteBackend._clause_units(clause))
        return list(dict.fromkeys(units))

    @staticmethod
    def _clause_units(clause: Any) -> list[str]:
        """The FTS5 units of one clause (``_units``)."""
        units = ["{t b} : " + _quote(t) for t in clause.tokens]
        units.extend("g : " + _quote(" ".join(p)) for p in clause.phrases if p)
        if clause.char:
            units.append("g : " + _quote(clause.char) + "*")
        return units

    @staticmethod
    def _is_selective(cur: Any, unit: str) -> bool:
        """Whether at most SELECTIVE_DF documents hold ``unit`` (a bounded count, cached for
        ``DF_CACHE_SECONDS``: document frequencies move slowly)."""
        return unit in SqliteBackend._selective_df(cur, [unit])

    @staticmethod
    def _selective_df(cur: Any, units: list[str]) -> dict[str, int]:
        """The selective ones among ``units`` (``_is_selective``), in order, with the number
        of documents holding each; the units not cached are counted in one statement."""
        now = time.monotonic()
        known = {u: _df_cache.get(u) for u in units}
        todo = [u for u, c in known.items() if c is None or now - c[1] >= DF_CACHE_SECONDS]
        if todo:
            probe = (
                "(SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "LIMIT %s))"
            )
            cur.execute(
                "SELECT " + ", ".join([probe] * len(todo)),  # noqa: S608 - fixed fragments only
                [x for u in todo for x in (u, SELECTIVE_DF + 1)],
            )
            if len(_df_cache) > 50_000:
                _df_cache.clear()
            for u, n in zip(todo, cur.fetchone(), strict=True):
                known[u] = _df_cache[u] = (n <= SELECTIVE_DF, now, n)
        return {u: c[2] for u, c in known.items() if c is not None and c[0]}


# Unit → (held by at most SELECTIVE_DF documents, when that was counted, the count up to
# SELECTIVE_DF + 1); per process.
_df_cache: dict[str, tuple[bool, float, int]] = {}
# Database name → the segmenter fingerprint its index was checked to hold; per process.
_segmenter_ok: dict[str, str] = {}


def _page_by_score(
    candidates: list[int], scores: dict[int, float], offset: int, limit: int
) -> list[tuple[int, float]]:
    """``sorted(candidates, key=(-score, -id))[offset:offset + limit]``, a candidate without a
    score counting 0.0, without sorting every candidate: most hold no score (a common term
    ranks by title clauses alone), and those come in candidate order (newest first, as
    scanned) after the positive scores and before the negative ones."""
    end = offset + limit
    # A few candidates (a rare term), or a NaN (no order to rely on): sort them all.
    if len(candidates) <= 100 or any(s != s for s in scores.values()):
        ranked = sorted(candidates, key=lambda i: (-scores.get(i, 0.0), -i))
        return [(i, scores.get(i, 0.0)) for i in ranked[offset:end]]
    # (−score, −id) pairs compare in C; a key function would be called once per score.
    positive = [-i for _, i in heapq.nsmallest(end, [(-s, -i) for i, s in scores.items() if s > 0])]
    page = positive[offset:end]
    if len(positive) < end:
        rest = itertools.chain(
            (i for i in candidates if scores.get(i, 0.0) == 0.0),
            sorted((i for i, s in scores.items() if s < 0), key=lambda i: (-scores[i], -i)),
        )
        page += itertools.islice(rest, max(0, offset - len(positive)), end - len(positive))
    return [(i, scores.get(i, 0.0)) for i in page]


def _by_date(cur: Any, ids: list[int], offset: int, limit: int) -> list[tuple[int, float]]:
    """A page of ``ids`` ordered by publication time (newest first)."""
    cur.execute(
        f"SELECT id FROM search_searchentry WHERE id IN ({', '.join(['%s'] * len(ids))}) "  # noqa: S608 - placeholders only
        "ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",
        [*ids, limit, offset],
    )
    return [(row[0], 0.0) for row in cur.fetchall()]


_POSITION_TEXT = {w: [f"{i}{w}" for i in range(PG_MAX_POS + 1)] for w in "ABCD"}


def tsvector_literal(groups: list[tuple[list[str], str, int]], *, extra: str = "") -> str:
    """A tsvector value (``'lexeme':1A,2A …``) from token lists, each with a weight and a
    cap on positions per lexeme; ``extra`` is a lexeme added without positions (the bucket).

    Positions are 1-based and consecutive within a group, with a gap between groups, so
    ``<->`` phrase queries work inside a group only. PostgreSQL keeps at most 256 positions
    per lexeme and clamps positions at 16383; the per-group caps keep room for the bigram
    positions of a lexeme that is also a frequent word. (The indexing hot path: position
    texts come from a table instead of being formatted one by one.)
    """
    positions: dict[str, list[str]] = {}
    pos = 0
    for tokens, weight, cap in groups:
        text = _POSITION_TEXT[weight]
        used: dict[str, int] = {}
        i = pos + 1  # a gap before each group
        for token in tokens:
            i += 1
            if token == RUN_BREAK:  # only a gap: phrases never span two runs
                continue
            n = used.get(token, 0)
            if n < cap:
                at = text[i if i < PG_MAX_POS else PG_MAX_POS]
                found = positions.get(token)
                if found is None:
                    positions[token] = [at]
                    used[token] = 1
                elif len(found) < PG_MAX_POSITIONS_PER_LEXEME:
                    found.append(at)
                    used[token] = n + 1
        pos = i
    out = " ".join(
        "'" + lex.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(p)
        for lex, p in positions.items()
    )
    if extra:
        out = f"{out} '{extra}'" if out else f"'{extra}'"
    return out


# The binary form of a vector is what ``tsvectorrecv`` reads: the lexeme count; per lexeme, in
# byte order, the NUL-terminated lexeme, its position count and its positions, each with the
# weight in the top two bits. ``COPY … (FORMAT binary)`` then copies the vector instead of
# parsing a literal (the parse was half of the server's time per new row).
_POSITIONS_BIN = [struct.Struct(f">H{n}H").pack for n in range(PG_MAX_POSITIONS_PER_LEXEME + 1)]
_WEIGHT_BITS = {"A": 3 << 14, "B": 2 << 14, "C": 1 << 14, "D": 0}


def tsvector_binary(groups: list[tuple[list[str], str, int]], *, extra: str = "") -> bytes | None:
    """``tsvector_literal(groups, extra=extra)`` in binary form: the same stored value, byte
    for byte. None when a position would be clamped (more than ``PG_MAX_POS`` tokens): the
    server merges clamped positions, so such a vector goes as a literal. Lexemes are sent in
    the server's order (UTF-8 bytes, i.e. code points), so it keeps them as sent.

    The same positions as ``tsvector_literal``'s loop, gathered per group first (a dict
    lookup and an append per token), then capped: a group's first ``cap`` occurrences of a
    lexeme, at most ``PG_MAX_POSITIONS_PER_LEXEME`` in all, in position order.
    """
    merged: dict[str, list[int]] = {}
    pos = 0
    for tokens, weight, cap in groups:
        found: dict[str, list[int]] = {}
        get = found.get
        for i, token in enumerate(tokens, _WEIGHT_BITS[weight] + pos + 2):  # a gap per group
            at = get(token)
            if at is None:
                found[token] = [i]
            else:
                at.append(i)
        pos += len(tokens) + 1
        found.pop(RUN_BREAK, None)  # only a gap: phrases never span two runs
        for token, at in found.items():
            if len(at) > cap:
                del at[cap:]
            have = merged.get(token)
            if have is None:
                merged[token] = at
            else:
                have += at
    if pos > PG_MAX_POS:
        return None
    if extra:
        merged[extra] = []
    pack = _POSITIONS_BIN
    out = [len(merged).to_bytes(4, "big")]
    for lex in sorted(merged):
        at = merged[lex]
        if len(at) > PG_MAX_POSITIONS_PER_LEXEME:
            del at[PG_MAX_POSITIONS_PER_LEXEME:]
        out.append(lex.encode() + b"\0" + pack[len(at)](len(at), *at))
    return b"".join(out)


def _tsq_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsq_phrase(phrase: list[str]) -> str:
    """A bigram phrase as a tsquery: ``<->`` between adjacent bigrams, ``<2>`` across a
    ``RUN_BREAK`` (which holds a position but no lexeme, see ``tsvector_literal``)."""
    out = ""
    gap = 1
    for gram in phrase:
        if gram == RUN_BREAK:
            gap += 1
            continue
        lexeme = _tsq_lexeme(gram) + ":D"
        out = lexeme if not out else f"{out} <{gap}> {lexeme}" if gap > 1 else f"{out} <-> {lexeme}"
        gap = 1
    return "(" + out + ")"


# (database, table, columns, column types) → the column type oids for a binary COPY.
_copy_types: dict[tuple[str, ...], list[int]] = {}


@functools.cache
def _tsvector_dumper() -> type:
    """psycopg's dumper of a ``tsvector_binary`` value, as is (COPY after ``set_types`` looks
    dumpers up by oid). Built on first use: SQLite installations need no psycopg."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class TsvectorBinaryDumper(Dumper):
        format = Format.BINARY
        oid = 3614  # tsvector (a built-in type: fixed oid)

        def dump(self, obj: Any) -> bytes:
            return obj  # type: ignore[no-any-return]

    return TsvectorBinaryDumper


class PostgresBackend:
    """One tsvector column ``doc`` on search_searchentry (GIN): words at weight A (title) and
    B (body), bigrams at weight D in their own position range. One vector per row means a
    row is tested with one detoast and one ``@@``; the weights keep the paths apart."""

    vendor = "postgresql"

    @staticmethod
    def doc_literal(entry_id: int, title: list[str], body: list[str], grams: list[str]) -> str:
        """The ``doc`` vector of one entry, with its bucket lexeme (``PG_BUCKET``)."""
        return tsvector_literal(
            [(title, "A", 32), (body, "B", 64), (grams, "D", 150)],
            extra=f"{PG_BUCKET_PREFIX}{entry_id // PG_BUCKET}",
        )

    @staticmethod
    def doc_binary(
        entry_id: int, title: list[str], body: list[str], grams: list[str]
    ) -> bytes | None:
        """``doc_literal`` in binary form (``tsvector_binary``: None for a very long text)."""
        return tsvector_binary(
            [(title, "A", 32), (body, "B", 64), (grams, "D", 150)],
            extra=f"{PG_BUCKET_PREFIX}{entry_id // PG_BUCKET}",
        )

    def write(self, rows: list[Segmented], *, replace_ids: list[int]) -> None:
        """Set the vector of every row in one statement: the vectors in binary, copied into a
        temporary table first (``api.reindex_entries``: no literal parsed per row), or as
        literals unnested server-side when one of them cannot be binary."""
        ids = [r.entry_id for r in rows]
        vectors = [
            self.doc_binary(r.entry_id, r.title_tokens, r.body_tokens, r.grams) for r in rows
        ]
        if None not in vectors:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS search_doc_rewrite (id bigint, doc tsvector) "
                    "ON COMMIT DELETE ROWS"
                )
                with cur.copy(
                    "COPY search_doc_rewrite (id, doc) FROM STDIN (FORMAT binary)"
                ) as copy:
                    cur.adapters.register_dumper(None, _tsvector_dumper())
                    copy.set_types(["int8", "tsvector"])
                    for pk, vector in zip(ids, vectors, strict=True):
                        copy.write_row([pk, vector])
                cur.execute(
                    "UPDATE search_searchentry AS e SET doc = v.doc FROM search_doc_rewrite v "
                    "WHERE e.id = v.id"
                )
                cur.execute("TRUNCATE search_doc_rewrite")
            return
        docs = [self.doc_literal(r.entry_id, r.title_tokens, r.body_tokens, r.grams) for r in rows]
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE search_searchentry AS e SET doc = v.doc::tsvector "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, doc) WHERE e.id = v.id",
                [ids, docs],
            )

    def save_entries(
        self,
        to_create: list[Any],
        to_update: list[Any],
        segmented: dict[str, tuple[list[str], list[str], list[str]]],
    ) -> None:
        """Write new and changed entry rows together with their vectors (``api.index_documents``).

        Writing the row first and its vector after (``write``) stored every row twice: a
        second heap tuple, and every B-tree and the GIN index updated twice. Here each row is
        written once: new rows by ``COPY`` (ids taken from the sequence first, so the bucket
        lexeme is known; the same ids ``bulk_create`` would have given), changed rows by one
        ``UPDATE … FROM unnest(…)``. The model's fields decide the columns, so a field added
        later is written too.
        """
        if not to_create and not to_update:
            return
        model = (to_create or to_update)[0].__class__
        table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name

        def values(entry: Any) -> list[Any]:
            return [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]

        def doc(entry: Any) -> str:
            return self.doc_literal(entry.pk, *segmented[entry.key])

        with connection.cursor() as cur:
            if to_create:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, len(to_create)],
                )
                for entry, pk in zip(to_create, sorted(r[0] for r in cur.fetchall()), strict=True):
                    entry.pk = pk
                    entry._state.adding = False
                    entry._state.db = connection.alias
                columns = ", ".join(["id", *(qn(f.column) for f in fields), "doc"])
                # Binary: the server copies each vector instead of parsing its literal. Each
                # value is sent as its column's type, read from the table once per process.
                key = (
                    connection.settings_dict["NAME"],
                    table,
                    columns,
                    *(f.db_type(connection) for f in fields),
                )
                types = _copy_types.get(key)
                if types is None:
                    cur.execute(
                        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                        "AND attnum > 0 AND NOT attisdropped",
                        [table],
                    )
                    oid = dict(cur.fetchall())
                    types = _copy_types[key] = [
                        oid["id"],
                        *(oid[f.column] for f in fields),
                        oid["doc"],
                    ]
                literal = []
                with cur.copy(f"COPY {qn(table)} ({columns}) FROM STDIN (FORMAT binary)") as copy:
                    cur.adapters.register_dumper(None, _tsvector_dumper())
                    copy.set_types(types)
                    for entry in to_create:
                        vector = self.doc_binary(entry.pk, *segmented[entry.key])
                        if vector is None:
                            literal.append(entry)
                        else:
                            copy.write_row([entry.pk, *values(entry), vector])
                if literal:  # texts of more than PG_MAX_POS tokens (clamped positions)
                    with cur.copy(f"COPY {qn(table)} ({columns}) FROM STDIN") as copy:
                        for entry in literal:
                            copy.write_row([entry.pk, *values(entry), doc(entry)])
            if to_update:
                names = [qn(f.column) for f in fields]
                casts = ", ".join(
                    ["%s::bigint[]", *(f"%s::{f.db_type(connection)}[]" for f in fields)]
                )
                rows = [values(e) for e in to_update]
                cur.execute(
                    f"UPDATE {qn(table)} AS e SET "  # noqa: S608 - column names from the model
                    + ", ".join(f"{n} = v.{n}" for n in names)
                    + ", doc = v.doc::tsvector "
                    f"FROM unnest({casts}, %s::text[]) AS v(id, {', '.join(names)}, doc) "
                    "WHERE e.id = v.id",
                    [
                        [e.pk for e in to_update],
                        *([row[k] for row in rows] for k in range(len(fields))),
                        [doc(e) for e in to_update],
                    ],
                )

    def remove(self, ids: list[int]) -> None:
        """Nothing to do: the vector lives on the entry row that api deletes."""

    def rebuild(self, *, batch: int = 1000, progress: Any = None) -> int:
        """Rewrite every vector from its entry's stored text (``api.reindex_entries``) with
        the GIN index dropped, then build the index again in one pass: no row rewrite updates
        it, and an index built at once is smaller (bench corpus, 2,000 entries: 2.0 MB instead
        of 9.4 MB after rewriting every vector with the index in place).
        Meanwhile searches still find every entry (by scanning the table: slower); the build
        at the end blocks writes, not searches. Returns the number of entries rewritten."""
        from gongkai.search.api import reindex_entries

        with connection.cursor() as cur:
            cur.execute(f"DROP INDEX IF EXISTS {PG_GIN_INDEX}")
        try:
            return reindex_entries(batch=batch)
        finally:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cur.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_GIN_INDEX} ON search_searchentry USING gin (doc)"
                )

    def compact(self) -> None:
        """Build the GIN index again in one pass, the vectors unchanged (after a bulk import:
        the index grown by inserts was 5.9 MB for 2,000 bench entries, 1.8 MB built at once;
        29.2 MB and 20.0 MB for 20,000), or create it when an interrupted ``rebuild`` left
        none (check W003). Concurrently (searches and writes go on) unless called inside a
        transaction."""
        concurrently = "" if connection.in_atomic_block else " CONCURRENTLY"
        exists = self.gin_index_exists()
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '256MB'")
            try:
                if exists:
                    cur.execute(f"REINDEX INDEX{concurrently} {PG_GIN_INDEX}")
                else:
                    cur.execute(
                        f"CREATE INDEX{concurrently} IF NOT EXISTS {PG_GIN_INDEX} "
                        "ON search_searchentry USING gin (doc)"
                    )
            finally:
                cur.execute("RESET maintenance_work_mem")

    @staticmethod
    def gin_index_exists() -> bool | None:
        """Whether the vectors' GIN index exists (None: the table is not migrated yet)."""
        try:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT to_regclass('search_searchentry') IS NOT NULL, "
                    "to_regclass(%s) IS NOT NULL",
                    [PG_GIN_INDEX],
                )
                table, index = cur.fetchone()
        except DatabaseError:
            return None
        return bool(index) if table else None

    @staticmethod
    def match_query(
        plan: QueryPlan, *, loose: bool = False, decided: bool = False
    ) -> tuple[str, str]:
        """(the tsquery that decides a match, the tsquery used for ranking) — bound values.

        Per clause: the word (weights A, B; a one-word clause only), or the bigram phrase
        (weight D); clauses AND-ed. Lexemes hold letters and digits only and are quoted anyway.
        ``loose``: each phrase as its bigrams AND-ed, without positions or weights — a superset
        of the matches that the GIN index decides alone (``_newest``).
        ``decided``: only the paths that the GIN index decides alone (words, one-bigram
        phrases, prefixes) — a subset of the matches, tested without reading a row; ``''``
        when some clause has none (its phrases need positions).
        """
        clauses: list[str] = []
        rank: list[str] = []
        for clause in plan.clauses:
            paths: list[str] = []
            if clause.tokens and not clause.word_match:
                rank.append("(" + " & ".join(_tsq_lexeme(t) for t in clause.tokens) + ")")
            if clause.tokens and clause.word_match:
                # No weight restriction: a weighted lexeme cannot be decided by the GIN index,
                # so every row it returns would be re-read and re-tested (detoasted). A word
                # lexeme of two units has the same spelling as the bigram of those units,
                # which the substring path below accepts anyway.
                words = " & ".join(_tsq_lexeme(t) for t in clause.tokens)
                paths.append(f"({words})")
                rank.append(f"({words})")
            # A one-bigram phrase needs no weight (a word of the same two units means the
            # same); longer phrases need positions, so their rows are re-checked anyway.
            phrases = [
                _tsq_lexeme(phrase[0])
                if len(phrase) == 1
                else "(" + " & ".join(_tsq_lexeme(g) for g in phrase if g != RUN_BREAK) + ")"
                if loose
                else _tsq_phrase(phrase)
                for phrase in clause.phrases
                if phrase
            ]
            if phrases and not (decided and any(len(p) > 1 for p in clause.phrases)):
                # every run of the chunk (e.g. the three runs of a 文号) must occur
                paths.append("(" + " & ".join(phrases) + ")")
            if clause.char:  # any word or bigram starting with the character
                paths.append(_tsq_lexeme(clause.char) + ":*")
            if decided and not paths:
                return "", ""
            clauses.append("(" + " | ".join(paths) + ")")
        return " & ".join(clauses), " | ".join(rank) or "''"

    def search(
        self,
        plan: QueryPlan,
        filters: Filters,
        *,
        sort: str,
        offset: int,
        limit: int,
        cap: int,
        count_cap: int,
    ) -> tuple[int, bool, list[tuple[int, float]]]:
        match, rank_query = self.match_query(plan)
        where, fparams = filters.sql()
        need = max(count_cap, cap) + 1
        # Title clauses (ranking of many candidates, 2'), computed on the scanned rows in the
        # same statement: no second pass over the candidates by id.
        texts = [c.text for c in plan.clauses][:12] if sort != "date" else []
        rank = rank_query if sort != "date" else None  # ts_rank of few candidates (2), too
        with connection.cursor() as cur:
            # 1. The newest matches, window by window (count and candidate set).
            if " <" in match:  # a bigram phrase: positions are only in the row's vector
                loose, _ = self.match_query(plan, loose=True)
                sure, _ = self.match_query(plan, decided=True)
                scanned = self._newest(
                    cur, loose, where, fparams, need, texts=texts, rank=rank, exact=match, sure=sure
                )
            else:
                scanned = self._newest(cur, match, where, fparams, need, texts=texts, rank=rank)
            total = len(scanned)
            capped = total > count_cap
            candidates = [row[0] for row in scanned[:cap]]
            if not candidates:
                return 0, False, []
            if sort == "date":
                hits = _by_date(cur, candidates, offset, limit)
            elif (
                len(candidates) <= PG_TS_RANK_MAX
                and all(
                    row[2] is not None and row[2] == row[2]  # NaN: let SQL order it
                    for row in scanned[:cap]
                )
            ):
                # 2. ts_rank over the candidates (words: A title 1.0, B body 0.4), computed by
                #    the statement that found them (NULL when it found more than
                #    PG_TS_RANK_MAX); ties: newest.
                ranks = [(pk, float(r or 0.0)) for pk, _, r in scanned[:cap]]
                ranks.sort(key=lambda row: (-row[1], -row[0]))
                hits = ranks[offset : offset + limit]
            elif len(candidates) <= PG_TS_RANK_MAX:  # not ranked above (several windows)
                cur.execute(
                    "SELECT id, ts_rank(doc, %s::tsquery) AS s FROM search_searchentry "
                    "WHERE id = ANY(%s) ORDER BY s DESC, id DESC LIMIT %s OFFSET %s",
                    [rank_query, candidates, limit, offset],
                )
                hits = [(row[0], float(row[1])) for row in cur.fetchall()]
            else:
                # 2'. Many candidates (a common or medium term): ts_rank would read every
                #     candidate's vector from TOAST (≈30 ms for 1,000 at a million rows), and its
                #     term weights say little when every candidate holds the terms. Clauses found
                #     in the title count instead (as on SQLite for common units); ties: newest.
                ranked = sorted(scanned[:cap], key=lambda row: (-row[1], -row[0]))
                hits = [
                    (pk, float(s) * TITLE_CLAUSE_BONUS)
                    for pk, s, _ in ranked[offset : offset + limit]
                ]
        return min(total, count_cap), capped, hits

    @staticmethod
    def _newest(
        cur: Any,
        match: str,
        where: str,
        fparams: list[Any],
        need: int,
        *,
        texts: list[str] | None = None,
        rank: str | None = None,
        exact: str | None = None,
        sure: str = "",
    ) -> list[tuple[int, int, float | None]]:
        """Up to ``need`` matching rows ``(id, title clauses found, ts_rank)``, newest first.

        1. The newest ``PG_WINDOW`` buckets, asked as a condition inside the tsquery
           (``… & ('~r99' | '~r98')``): the GIN index alone finds the window's matching rows,
           so a common term costs its posting list plus the rows of two buckets, never a walk
           over the table. Enough matches there (a common term): done.
        2. Otherwise the term is rare enough for a bitmap over all its matches.
        Plain index scans are switched off for every one of these statements: the planner
        would otherwise walk the primary key newest-first, testing every row's vector on the
        way (read from TOAST, ≈15 µs each), whenever it expects the LIMIT to be reached soon —
        at 100,000 items a bitmap query took 0.3–1.2 s that way, and a window for a two-
        character word 15.7 ms against 5.6 ms by the bitmap, which reads no vector at all.
        No weight in the word path means the index decides those matches without re-reading
        the row. ``exact`` (a query with bigram phrases, ``match`` then being its ``loose``
        form): the GIN index cannot decide a phrase (``<->``), so the index finds the loose
        matches (the phrase's bigrams present) and only those, newest first, are tested
        against ``exact`` (read from TOAST) until ``need`` pass — in the same statement.
        ``texts``: the clause texts whose presence in the title is counted (``search`` 2');
        ``rank``: the tsquery of ``ts_rank``, computed only when the statement finds at most
        ``PG_TS_RANK_MAX`` rows (else NULL), so that few matches are ranked without a second
        statement that reads their vectors again. ``sure`` (with ``exact``): the paths of
        ``exact`` that the index decides alone (``match_query(decided=True)``), e.g. the word
        人民政府 beside its bigram phrase: rows found by it are exact matches without a test;
        only the other loose matches (``loose & !sure``) are read and tested.
        """
        score = " + ".join(["(strpos(lower(x.title), %s) > 0)::int"] * len(texts or ())) or "0"
        vector = (
            "x.doc"
            if exact is not None
            else "(SELECT r.doc FROM search_searchentry r WHERE r.ctid = x.tid)"
        )
        ranked = (
            f"CASE WHEN count(*) OVER () <= %s THEN ts_rank({vector}, %s::tsquery) END"
            if rank is not None
            else "NULL::real"
        )
        if exact is None:
            # The vector is not carried through the sort (reaching the row's last column costs
            # every match a full deform): few rows read it again by their tuple id.
            sql = (
                f"SELECT x.id, {score}, {ranked} FROM (SELECT e.id, e.title, e.ctid AS tid "  # noqa: S608 - fixed fragments only
                f"FROM search_searchentry e WHERE e.doc @@ %s::tsquery{where} "
                "ORDER BY e.id DESC LIMIT %s) x ORDER BY x.id DESC"
            )
        else:
            # OFFSET 0 keeps the phrase test above the sort (not pushed down into the scan,
            # where every loose match would be tested): rows are tested newest first, and
            # the LIMIT stops the testing.
            scan = (
                "(SELECT e.id, e.title, e.doc, true AS sure FROM search_searchentry e "  # noqa: S608 - fixed fragments only
                f"WHERE e.doc @@ %s::tsquery{where} UNION ALL "
                "SELECT e.id, e.title, e.doc, false FROM search_searchentry e "
                f"WHERE e.doc @@ %s::tsquery{where} ORDER BY 1 DESC OFFSET 0) x "
                "WHERE x.sure OR ts_match_vq(x.doc, %s::tsquery)"
                if sure
                else "(SELECT e.id, e.title, e.doc FROM search_searchentry e "  # noqa: S608 - fixed fragments only
                f"WHERE e.doc @@ %s::tsquery{where} ORDER BY e.id DESC OFFSET 0) x "
                "WHERE ts_match_vq(x.doc, %s::tsquery)"
            )
            sql = (
                f"SELECT x.id, x.s, {ranked} FROM (SELECT x.id, x.doc, {score} AS s FROM "  # noqa: S608 - fixed fragments only
                f"{scan} ORDER BY x.id DESC LIMIT %s) x ORDER BY x.id DESC"
            )

        def params(buckets: str | None, limit: int) -> list[Any]:
            def scoped(tsquery: str) -> str:
                return tsquery if buckets is None else f"({tsquery}) & ({buckets})"

            tail: list[Any] = [limit] if exact is None else [exact, limit]
            head: list[Any] = [*(texts or ())] if exact is None else []
            mid: list[Any] = [PG_TS_RANK_MAX, rank] if rank is not None else []
            if exact is not None:
                mid += texts or ()
            if exact is not None and sure:
                scans = [scoped(sure), *fparams, scoped(f"({match}) & !({sure})"), *fparams]
            else:
                scans = [scoped(match), *fparams]
            return [*head, *mid, *scans, *tail]

        # No parallel workers either: after ANALYZE the planner's GIN costs made it start two
        # for a statement that takes a millisecond alone (worker start-up: ≈10 ms). The
        # previous value is kept in a placeholder setting and put back by ``on``.
        off = (
            "SELECT set_config('enable_indexscan', 'off', true), set_config('enable_seqscan', 'off', true), "
            "set_config('gongkai.parallel', current_setting('max_parallel_workers_per_gather'), true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
        on = (
            "SELECT set_config('enable_indexscan', 'on', true), set_config('enable_seqscan', 'on', true), "
            "set_config('max_parallel_workers_per_gather', current_setting('gongkai.parallel'), true)"
        )
        client_side = _client_side_binding(cur)

        def newest(buckets: str | None, limit: int) -> list[tuple[int, int, float | None]]:
            if client_side:
                # One round trip instead of five (BEGIN, off, query, on, COMMIT): a string of
                # several statements runs as one implicit transaction (or inside the caller's),
                # so the transaction-local settings end with it, or with the ``on`` after it.
                # Under load each round trip waits for the server process to be scheduled.
                cur.execute(f"{off}; {sql}; {on}", params(buckets, limit))
                cur.nextset()
                found = cur.fetchall()
                cur.nextset()
                return found
            with transaction.atomic():  # server-side binding: one statement per execute
                cur.execute(off)
                cur.execute(sql, params(buckets, limit))
                found = cur.fetchall()
                cur.execute(on)
            return found

        def window(lo: int, hi: int, limit: int) -> list[tuple[int, int, float | None]]:
            return newest(" | ".join(f"'{PG_BUCKET_PREFIX}{b}'" for b in range(lo, hi + 1)), limit)

        db = cur.db.settings_dict["NAME"]
        known = _pg_max_id.get(db)
        # A search whose matches the bitmap (2.) found fewer than ``need`` of, not long ago:
        # the windows would find fewer still, so it goes to the bitmap at once (one round
        # trip instead of three). The bitmap's answer is exact at any size, so a count that
        # has since grown only costs time, never changes the result.
        rare_key = (db, match, exact, sure, where, repr(fparams))
        seen = _pg_rare.get(rare_key)
        if seen is not None and time.monotonic() - seen < DF_CACHE_SECONDS:
            found = newest(None, need)
            if len(found) >= need:
                _pg_rare.pop(rare_key, None)
            return found
        if client_side and known is not None and known // PG_BUCKET < PG_WINDOW:
            # A small table when last seen: its top id and the bitmap (2.) in one round trip.
            # The bitmap's answer is exact at any size; the top id only updates the hint.
            cur.execute(
                f"SELECT max(id) FROM search_searchentry; {off}; {sql}; {on}",  # noqa: S608 - fixed fragments only
                params(None, need),
            )
            _pg_max_id[db] = cur.fetchone()[0] or 0
            cur.nextset()
            cur.nextset()
            found = cur.fetchall()
            cur.nextset()
            return found
        cur.execute("SELECT max(id) FROM search_searchentry")
        max_id = cur.fetchone()[0] or 0
        _pg_max_id[db] = max_id
        top = max_id // PG_BUCKET
        if top >= PG_WINDOW:  # with fewer buckets the window would be the whole table
            lo = top - PG_WINDOW + 1
            found = window(lo, top, need)
            if len(found) >= need:
                return found
            # 1b. A medium term: as many more buckets as its density in the first window
            #     says are needed (with a margin), when that is few enough; each bucket costs
            #     the index ≈1.5 ms, while the bitmap below visits every match's row.
            per_bucket = len(found) * PG_BUCKET / (max_id - lo * PG_BUCKET + 1)
            if per_bucket:
                more = math.ceil((need - len(found)) / per_bucket * 1.5)
                if more <= PG_MAX_MORE_BUCKETS and lo - more > 0:
                    found += window(lo - more, lo - 1, need - len(found))
                    if len(found) >= need:
                        return found
        found = newest(None, need)
        if len(found) < need:
            if len(_pg_rare) > 50_000:
                _pg_rare.clear()
            _pg_rare[rare_key] = time.monotonic()
        return found

    def match_ids(self, plan: QueryPlan, *, max_id: int) -> set[int]:
        """Every matching entry id ≤ max_id (recall checks in tests and the benchmark)."""
        match, _ = self.match_query(plan)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id FROM search_searchentry WHERE doc @@ %s::tsquery AND id <= %s",
                [match, max_id],
            )
            return {row[0] for row in cur.fetchall()}


# Database name → its top entry id when last searched (``PostgresBackend._newest``): a hint
# only, for one round trip less on a table too small for windows.
_pg_max_id: dict[str, int] = {}
# (database, the statement's tsqueries, filters) → when the bitmap last found fewer than
# ``need`` matches for it (``PostgresBackend._newest``): a hint only, per process.
_pg_rare: dict[tuple[Any, ...], float] = {}


def _client_side_binding(cur: Any) -> bool:
    """Whether the psycopg cursor binds parameters client-side (Django's default; with the
    ``server_side_binding`` database option a string of several statements is refused)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg2
        return False
    return isinstance(getattr(cur, "cursor", cur), psycopg.ClientCursor)


def get_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"全文检索只支持 SQLite 和 PostgreSQL，当前数据库为 {connection.vendor}。"
    )
