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

import json
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection

from gongkai.search.segment import QueryPlan

TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0
GRAM_WEIGHT = 0.5
PG_MAX_POS = 16383
PG_MAX_POSITIONS_PER_LEXEME = 255


@dataclass
class Segmented:
    """The segmented fields of one document."""

    entry_id: int
    title_tokens: list[str]
    body_tokens: list[str]
    grams: list[str]


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
    """The FTS row's text, compressed, for ``search_fts_doc`` (see ``SqliteBackend``)."""
    return zlib.compress(json.dumps([t, b, g], ensure_ascii=False).encode(), 6)


def fts_part(z: bytes | None, i: int) -> str | None:
    """SQL function ``gk_fts_part(z, i)``: column ``i`` (0 t, 1 b, 2 g) of a packed row.
    Registered on every SQLite connection (``apps.SearchConfig.ready``)."""
    if z is None:
        return None
    return str(json.loads(zlib.decompress(z).decode())[int(i)])


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("gk_fts_part", 2, fts_part, deterministic=True)


class SqliteBackend:
    """Contentless FTS5 table ``search_fts`` (t, b, g; rowid = SearchEntry.id; migration
    0004). The index does not keep a copy of the segmented text (that copy was 57 % of the
    database); FTS5 before SQLite 3.43 can only remove a row from a contentless table when
    it is given the row's exact text again, so that text is kept zlib-compressed (≈1/7 the
    size) in ``search_fts_doc(id, z)``, and read back through ``gk_fts_part`` by the
    ``'delete'`` command here and in the trigger that runs when an entry is deleted."""

    vendor = "sqlite"

    def write(self, rows: list[Segmented], *, replace_ids: list[int]) -> None:
        texts = [
            (r.entry_id, " ".join(r.title_tokens), " ".join(r.body_tokens), " ".join(r.grams))
            for r in rows
        ]
        with connection.cursor() as cur:
            self._delete(cur, replace_ids)
            cur.executemany(
                "INSERT INTO search_fts (rowid, t, b, g) VALUES (%s, %s, %s, %s)", texts
            )
            cur.executemany(
                "INSERT INTO search_fts_doc (id, z) VALUES (%s, %s)",
                [(i, pack_fts_row(t, b, g)) for i, t, b, g in texts],
            )

    def remove(self, ids: list[int]) -> None:
        """Nothing beyond deleting the entries: the delete trigger drops their FTS rows."""

    def _delete(self, cur: Any, ids: list[int]) -> None:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(
                "INSERT INTO search_fts (search_fts, rowid, t, b, g) "  # noqa: S608 - placeholders only
                "SELECT 'delete', id, gk_fts_part(z, 0), gk_fts_part(z, 1), gk_fts_part(z, 2) "
                f"FROM search_fts_doc WHERE id IN ({marks})",
                chunk,
            )
            cur.execute(f"DELETE FROM search_fts_doc WHERE id IN ({marks})", chunk)  # noqa: S608 - placeholders only

    @staticmethod
    def match_expression(plan: QueryPlan) -> str:
        """The FTS5 MATCH string (a bound parameter): clauses AND-ed, each an OR of the
        word path and the bigram-phrase path."""
        clauses = []
        for clause in plan.clauses:
            paths = []
            if clause.tokens:
                paths.append("{t b} : (" + " AND ".join(_quote(t) for t in clause.tokens) + ")")
            if clause.phrases:
                paths.append(
                    "(" + " AND ".join("g : " + _quote(" ".join(p)) for p in clause.phrases) + ")"
                )
            if clause.char:
                paths.append("g : " + _quote(clause.char) + "*")
            clauses.append("(" + " OR ".join(paths) + ")")
        return " AND ".join(clauses)

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
            #    and the candidate set (the `cap` newest) come from it.
            cur.execute(
                f"SELECT search_fts.rowid {base} ORDER BY search_fts.rowid DESC LIMIT %s",  # noqa: S608 - fixed fragments only
                [*params, max(count_cap, cap) + 1],
            )
            scanned = [row[0] for row in cur.fetchall()]
            total = len(scanned)
            capped = total > count_cap
            candidates = scanned[:cap]
            if not candidates:
                return 0, False, []
            if sort == "date":
                hits = _by_date(cur, candidates, offset, limit)
            else:
                # 2. bm25 over the candidates only (rowid ≥ the oldest candidate).
                score = f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {GRAM_WEIGHT})"
                cur.execute(
                    f"SELECT search_fts.rowid, {score} AS s {base} AND search_fts.rowid >= %s "  # noqa: S608 - fixed fragments only
                    "ORDER BY s, search_fts.rowid DESC LIMIT %s OFFSET %s",
                    [*params, candidates[-1], limit, offset],
                )
                hits = [(row[0], -float(row[1])) for row in cur.fetchall()]
        return min(total, count_cap), capped, hits


def _by_date(cur: Any, ids: list[int], offset: int, limit: int) -> list[tuple[int, float]]:
    """A page of ``ids`` ordered by publication time (newest first)."""
    cur.execute(
        f"SELECT id FROM search_searchentry WHERE id IN ({', '.join(['%s'] * len(ids))}) "  # noqa: S608 - placeholders only
        "ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",
        [*ids, limit, offset],
    )
    return [(row[0], 0.0) for row in cur.fetchall()]


def tsvector_literal(groups: list[tuple[list[str], str, int]]) -> str:
    """A tsvector value (``'lexeme':1A,2A …``) from token lists, each with a weight and a
    cap on positions per lexeme.

    Positions are 1-based and consecutive within a group, with a gap between groups, so
    ``<->`` phrase queries work inside a group only. PostgreSQL keeps at most 256 positions
    per lexeme and clamps positions at 16383; the per-group caps keep room for the bigram
    positions of a lexeme that is also a frequent word.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    pos = 0
    for tokens, weight, cap in groups:
        pos += 1
        used: dict[str, int] = defaultdict(int)
        for token in tokens:
            pos += 1
            if used[token] < cap and len(positions[token]) < PG_MAX_POSITIONS_PER_LEXEME:
                used[token] += 1
                positions[token].append(f"{min(pos, PG_MAX_POS)}{weight}")
    return " ".join(
        "'" + lex.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(p)
        for lex, p in positions.items()
    )


def _tsq_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend:
    """One tsvector column ``doc`` on search_searchentry (GIN): words at weight A (title) and
    B (body), bigrams at weight D in their own position range. One vector per row means a
    row is tested with one detoast and one ``@@``; the weights keep the paths apart."""

    vendor = "postgresql"

    def write(self, rows: list[Segmented], *, replace_ids: list[int]) -> None:
        """Set the vector of every row in one statement (arrays unnested server-side)."""
        ids = [r.entry_id for r in rows]
        docs = [
            tsvector_literal(
                [(r.title_tokens, "A", 32), (r.body_tokens, "B", 64), (r.grams, "D", 150)]
            )
            for r in rows
        ]
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE search_searchentry AS e SET doc = v.doc::tsvector "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, doc) WHERE e.id = v.id",
                [ids, docs],
            )

    def remove(self, ids: list[int]) -> None:
        """Nothing to do: the vector lives on the entry row that api deletes."""

    @staticmethod
    def match_query(plan: QueryPlan) -> tuple[str, str]:
        """(the tsquery that decides a match, the tsquery used for ranking) — bound values.

        Per clause: the words (weights A, B) all present, or the bigram phrase (weight D);
        clauses AND-ed. Lexemes hold letters and digits only and are quoted anyway.
        """
        clauses: list[str] = []
        rank: list[str] = []
        for clause in plan.clauses:
            paths: list[str] = []
            if clause.tokens:
                words = " & ".join(_tsq_lexeme(t) + ":AB" for t in clause.tokens)
                paths.append(f"({words})")
                rank.append(f"({words})")
            phrases = [
                "(" + " <-> ".join(_tsq_lexeme(g) + ":D" for g in phrase) + ")"
                for phrase in clause.phrases
                if phrase
            ]
            if phrases:  # every run of the chunk (e.g. the three runs of a 文号) must occur
                paths.append("(" + " & ".join(phrases) + ")")
            if clause.char:
                paths.append(_tsq_lexeme(clause.char) + ":*D")
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
        base = "FROM search_searchentry e WHERE e.doc @@ %s::tsquery" + where
        params = [match, *fparams]
        with connection.cursor() as cur:
            # 1. One bounded pass over the newest matches: count and candidate set.
            cur.execute(
                f"SELECT e.id {base} ORDER BY e.id DESC LIMIT %s",  # noqa: S608 - fixed fragments only
                [*params, max(count_cap, cap) + 1],
            )
            scanned = [row[0] for row in cur.fetchall()]
            total = len(scanned)
            capped = total > count_cap
            candidates = scanned[:cap]
            if not candidates:
                return 0, False, []
            if sort == "date":
                hits = _by_date(cur, candidates, offset, limit)
            else:
                # 2. ts_rank over the candidates only (words: A title 1.0, B body 0.4).
                cur.execute(
                    "SELECT id, ts_rank(doc, %s::tsquery) AS s FROM search_searchentry "
                    "WHERE id = ANY(%s) ORDER BY s DESC, id DESC LIMIT %s OFFSET %s",
                    [rank_query, candidates, limit, offset],
                )
                hits = [(row[0], float(row[1])) for row in cur.fetchall()]
        return min(total, count_cap), capped, hits

    def match_ids(self, plan: QueryPlan, *, max_id: int) -> set[int]:
        """Every matching entry id ≤ max_id (recall checks in tests and the benchmark)."""
        match, _ = self.match_query(plan)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT id FROM search_searchentry WHERE doc @@ %s::tsquery AND id <= %s",
                [match, max_id],
            )
            return {row[0] for row in cur.fetchall()}


def get_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"全文检索只支持 SQLite 和 PostgreSQL，当前数据库为 {connection.vendor}。"
    )
