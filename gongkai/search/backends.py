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
import math
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from gongkai.search.segment import RUN_BREAK, QueryPlan

TITLE_WEIGHT = 8.0
BODY_WEIGHT = 1.0
GRAM_WEIGHT = 0.5
# SQLite ranking (``SqliteBackend._scores``): units held by more documents than this stay out
# of bm25; each clause found whole in the title adds the bonus.
SELECTIVE_DF = 2000
TITLE_CLAUSE_BONUS = 2.0
DF_CACHE_SECONDS = 600.0
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
        word path (a one-word clause only) and the bigram-phrase path."""
        clauses = []
        for clause in plan.clauses:
            paths = []
            if clause.tokens and clause.word_match:
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
                scores = self._scores(cur, plan, candidates)
                ranked = sorted(candidates, key=lambda i: (-scores.get(i, 0.0), -i))
                hits = [(i, scores.get(i, 0.0)) for i in ranked[offset : offset + limit]]
        return min(total, count_cap), capped, hits

    def _scores(self, cur: Any, plan: QueryPlan, candidates: list[int]) -> dict[int, float]:
        """Relevance of the candidates (ids, newest first): bm25 over the query's selective
        units, plus ``TITLE_CLAUSE_BONUS`` for each clause whose words are all in the title.

        FTS5's bm25 computes each unit's IDF by visiting every document that holds the unit,
        so a unit held by most of a million documents costs a pass over a million postings
        (≈0.5 s), while its IDF — ln((N − n + 0.5)/(n + 0.5)), floored at ~0 — adds almost
        nothing. Units held by more than ``SELECTIVE_DF`` documents are therefore left out
        of bm25; they count through the title bonus, and ties go to the newest.
        """
        lo = candidates[-1]
        wanted = set(candidates)
        scores: dict[int, float] = defaultdict(float)
        selective = [u for u in self._units(plan) if self._is_selective(cur, u)]
        if selective:
            score = f"bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, {GRAM_WEIGHT})"
            cur.execute(
                f"SELECT rowid, {score} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608 - fixed fragments only
                "AND rowid >= %s",
                [" OR ".join(selective), lo],
            )
            for rowid, value in cur.fetchall():
                if rowid in wanted:
                    scores[rowid] -= float(value)  # FTS5's bm25 is negative: lower is better
        for clause in plan.clauses:
            if not clause.tokens:
                continue
            cur.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s",
                ["t : (" + " AND ".join(_quote(t) for t in clause.tokens) + ")", lo],
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
            units.extend("{t b} : " + _quote(t) for t in clause.tokens)
            units.extend("g : " + _quote(" ".join(p)) for p in clause.phrases if p)
            if clause.char:
                units.append("g : " + _quote(clause.char) + "*")
        return list(dict.fromkeys(units))

    @staticmethod
    def _is_selective(cur: Any, unit: str) -> bool:
        """Whether at most SELECTIVE_DF documents hold ``unit`` (a bounded count, cached for
        ``DF_CACHE_SECONDS``: document frequencies move slowly)."""
        now = time.monotonic()
        cached = _df_cache.get(unit)
        if cached is not None and now - cached[1] < DF_CACHE_SECONDS:
            return cached[0]
        cur.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT %s)",
            [unit, SELECTIVE_DF + 1],
        )
        selective = cur.fetchone()[0] <= SELECTIVE_DF
        if len(_df_cache) > 50_000:
            _df_cache.clear()
        _df_cache[unit] = (selective, now)
        return selective


# Unit → (held by at most SELECTIVE_DF documents, when that was counted); per process.
_df_cache: dict[str, tuple[bool, float]] = {}


def _by_date(cur: Any, ids: list[int], offset: int, limit: int) -> list[tuple[int, float]]:
    """A page of ``ids`` ordered by publication time (newest first)."""
    cur.execute(
        f"SELECT id FROM search_searchentry WHERE id IN ({', '.join(['%s'] * len(ids))}) "  # noqa: S608 - placeholders only
        "ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",
        [*ids, limit, offset],
    )
    return [(row[0], 0.0) for row in cur.fetchall()]


_POSITION_TEXT = {w: [f"{i}{w}" for i in range(PG_MAX_POS + 1)] for w in "ABCD"}


def tsvector_literal(groups: list[tuple[list[str], str, int]]) -> str:
    """A tsvector value (``'lexeme':1A,2A …``) from token lists, each with a weight and a
    cap on positions per lexeme.

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
    return " ".join(
        "'" + lex.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(p)
        for lex, p in positions.items()
    )


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
                "UPDATE search_searchentry AS e SET doc = v.doc::tsvector || "
                "array_to_tsvector(ARRAY[%s || (v.id / %s)::text]) "
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, doc) WHERE e.id = v.id",
                [PG_BUCKET_PREFIX, PG_BUCKET, ids, docs],
            )

    def remove(self, ids: list[int]) -> None:
        """Nothing to do: the vector lives on the entry row that api deletes."""

    @staticmethod
    def match_query(plan: QueryPlan, *, loose: bool = False) -> tuple[str, str]:
        """(the tsquery that decides a match, the tsquery used for ranking) — bound values.

        Per clause: the word (weights A, B; a one-word clause only), or the bigram phrase
        (weight D); clauses AND-ed. Lexemes hold letters and digits only and are quoted anyway.
        ``loose``: each phrase as its bigrams AND-ed, without positions or weights — a superset
        of the matches that the GIN index decides alone (``_newest_exact``).
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
            if phrases:  # every run of the chunk (e.g. the three runs of a 文号) must occur
                paths.append("(" + " & ".join(phrases) + ")")
            if clause.char:  # any word or bigram starting with the character
                paths.append(_tsq_lexeme(clause.char) + ":*")
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
        with connection.cursor() as cur:
            # 1. The newest matches, window by window (count and candidate set).
            if " <" in match:  # a bigram phrase: positions are only in the row's vector
                scanned = self._newest_exact(cur, plan, match, where, fparams, need)
            else:
                scanned = self._newest(cur, match, where, fparams, need)
            total = len(scanned)
            capped = total > count_cap
            candidates = scanned[:cap]
            if not candidates:
                return 0, False, []
            if sort == "date":
                hits = _by_date(cur, candidates, offset, limit)
            elif len(candidates) <= PG_TS_RANK_MAX:
                # 2. ts_rank over the candidates (words: A title 1.0, B body 0.4).
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
                texts = [c.text for c in plan.clauses][:12]
                title = " + ".join(["(strpos(lower(title), %s) > 0)::int"] * len(texts))
                cur.execute(
                    f"SELECT id, {title} AS s FROM search_searchentry WHERE id = ANY(%s) "  # noqa: S608 - fixed fragments only
                    "ORDER BY s DESC, id DESC LIMIT %s OFFSET %s",
                    [*texts, candidates, limit, offset],
                )
                hits = [(row[0], float(row[1]) * TITLE_CLAUSE_BONUS) for row in cur.fetchall()]
        return min(total, count_cap), capped, hits

    @staticmethod
    def _newest(cur: Any, match: str, where: str, fparams: list[Any], need: int) -> list[int]:
        """Up to ``need`` matching ids, newest first.

        1. The newest ``PG_WINDOW`` buckets, asked as a condition inside the tsquery
           (``… & ('~r99' | '~r98')``): the GIN index alone finds the window's matching rows,
           so a common term costs its posting list plus the rows of two buckets, never a walk
           over the table. Enough matches there (a common term): done.
        2. Otherwise the term is rare enough for a bitmap over all its matches. Plain index
           scans are switched off for that one statement: the planner would otherwise walk the
           primary key newest-first whenever it overestimates the matches, testing every row's
           vector on the way (at 100,000 items one query took 0.3–1.2 s that way).
        No weight in the word path means the index decides those matches without re-reading
        the row; only rows matched through a bigram phrase alone are re-checked.
        """
        cur.execute("SELECT max(id) FROM search_searchentry")
        max_id = cur.fetchone()[0] or 0
        top = max_id // PG_BUCKET

        def newest(tsquery: str, limit: int) -> list[int]:
            cur.execute(
                f"SELECT e.id FROM search_searchentry e WHERE e.doc @@ %s::tsquery{where} "  # noqa: S608 - fixed fragments only
                "ORDER BY e.id DESC LIMIT %s",
                [tsquery, *fparams, limit],
            )
            return [row[0] for row in cur.fetchall()]

        def window(lo: int, hi: int, limit: int) -> list[int]:
            buckets = " | ".join(f"'{PG_BUCKET_PREFIX}{b}'" for b in range(lo, hi + 1))
            return newest(f"({match}) & ({buckets})", limit)

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
        with transaction.atomic():
            cur.execute(
                "SELECT set_config('enable_indexscan', 'off', true), "
                "set_config('enable_seqscan', 'off', true)"
            )
            found = newest(match, need)
            cur.execute(
                "SELECT set_config('enable_indexscan', 'on', true), "
                "set_config('enable_seqscan', 'on', true)"
            )
        return found

    def _newest_exact(
        self, cur: Any, plan: QueryPlan, match: str, where: str, fparams: list[Any], need: int
    ) -> list[int]:
        """Up to ``need`` ids matching a query with bigram phrases, newest first.

        The GIN index cannot decide a phrase (``<->``): every row it returns is re-read from
        TOAST and re-tested. Asked directly, a phrase as common as 城乡居民最低生活保障 (half
        the documents) re-tests the whole first window (≈10,000 rows at 100,000 items). So:
        1. take the newest matches of the ``loose`` query (the phrase's bigrams present, no
           positions: decided by the index alone), a quarter more than needed;
        2. re-test only those with the exact query;
        3. when too few were exact and the loose matches were not exhausted, ask for 4× more.
        """
        loose, _ = self.match_query(plan, loose=True)
        want = need + need // 4
        while True:
            ids = self._newest(cur, loose, where, fparams, want)
            # ts_match_vq, not @@: the function form keeps the planner from asking the GIN
            # index again (a bitmap over every row holding the bigrams, each re-tested).
            cur.execute(
                "SELECT id FROM search_searchentry WHERE id = ANY(%s) "
                "AND ts_match_vq(doc, %s::tsquery) ORDER BY id DESC",
                [ids, match],
            )
            exact = [row[0] for row in cur.fetchall()]
            if len(exact) >= need or len(ids) < want:
                return exact[:need]
            want *= 4

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
