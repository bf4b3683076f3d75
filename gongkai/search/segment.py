"""Chinese segmentation shared by indexing and querying (one dictionary, one normaliser).

1. Text is NFKC-normalised and lower-cased (full-width digits and Latin letters become ASCII).
2. Words come from ``rjieba.cut`` (the Rust binding of jieba, ~20× faster). Its precise-mode
   output is identical to ``jieba.cut``; ``cut_for_search`` is rebuilt on top of it exactly as
   jieba does it (the dictionary 2- and 3-grams inside long words, then the word), because
   rjieba's own ``cut_for_search`` emits different tokens. ``tests/test_segment.py`` checks
   the equality with jieba on a sample corpus.
3. A custom dictionary adds whole-word tokens that jieba splits: 文号 (``通政发〔2012〕12号``
   → ``通政发201212号`` for every 2–6 character issuer prefix) and agency names (``custom.txt``
   plus the names in the agency table).
4. Tokens keep letters and digits only, so punctuation and FTS/SQL operators are text that
   never reaches a query parser as syntax.
5. The second, bigram field indexes every pair of adjacent units (a CJK character or an
   ASCII word) within a run, so any substring of two or more characters can be found as a
   phrase of bigrams even when it is not a dictionary word (names, fragments). Runs are
   separated by ``RUN_BREAK``, so a phrase never matches across punctuation: the last bigram
   of one run and the first of the next are not adjacent.
6. Precision: a query chunk of several words is matched by its bigram phrase only (its
   characters adjacent), never by its words scattered over the document; only a chunk that
   is one word (or one character) may also match by that word (``Clause.word_match``).
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import rjieba

MAX_QUERY_CHARS = 100
CUSTOM_DICT = Path(__file__).with_name("custom.txt")

# 文号: issuer prefix, a bracketed four-digit year, a serial, 号. Any bracket style.
DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔［\[【(（{]\s*((?:19|20)\d\d)\s*[〕］\]】)）}]\s*(?:第\s*)?(\d{1,5})\s*号"
)
# A "unit" for bigrams: one CJK ideograph, or a run of ASCII letters/digits.
UNIT_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[a-z0-9]+")
_RUN_SPLIT_RE = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9]+")
# Between the bigrams of two runs: a token no normalised query can contain (NFKC turns the
# small roman numeral into "i"), which FTS5's unicode61 tokenizer keeps as a token. On
# PostgreSQL it only advances the position (``backends.tsvector_literal``).
RUN_BREAK = "\u2170"


# NFKC maps the full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space to ASCII;
# doing that with str.translate first leaves most Chinese text already in NFKC, which
# ``is_normalized`` confirms far faster than ``normalize`` computes it. Same result: a
# character replaced by its own compatibility decomposition does not change the NFKD.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# str.translate with a dict looks every character up (≈1.5 ms per page); a page holds a
# handful of distinct full-width characters (，；：（）), each replaced in one C-level pass.
_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULLWIDTH_STR = {chr(k): chr(v) for k, v in _FULLWIDTH.items()}


def normalize(text: str) -> str:
    """NFKC + lower case: the one normal form of indexed and queried text."""
    if not text:
        return ""
    if _FULLWIDTH_RE.search(text) is not None:
        for ch in set(_FULLWIDTH_RE.findall(text)):
            text = text.replace(ch, _FULLWIDTH_STR[ch])
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


_NON_ALNUM_RE = re.compile(r"[\W_]+")


def clean_token(token: str) -> str:
    """Letters and digits only (what the FTS tokenizers keep in one token)."""
    if token.isalnum():
        return token
    return _NON_ALNUM_RE.sub("", token)


@functools.cache
def _freq() -> dict[str, int]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def cut(text: str) -> list[str]:
    """Precise-mode words of ``text`` (rjieba == jieba.cut with HMM)."""
    return rjieba.cut(text)


def cut_for_search(text: str) -> list[str]:
    """jieba's ``cut_for_search``, computed over rjieba's precise cut."""
    freq = _freq()
    out: list[str] = []
    for word in rjieba.cut(text):
        n = len(word)
        if n > 2:
            for i in range(n - 1):
                gram = word[i : i + 2]
                if freq.get(gram):
                    out.append(gram)
        if n > 3:
            for i in range(n - 2):
                gram = word[i : i + 3]
                if freq.get(gram):
                    out.append(gram)
        out.append(word)
    return out


# --- custom dictionary ----------------------------------------------------------------------


class _CustomWords:
    """Agency names and other fixed terms, reloaded at most every ``ttl`` seconds."""

    ttl = 300.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = -1e9
        self._regex: re.Pattern[str] | None = None
        self._words: frozenset[str] = frozenset()

    def words(self) -> frozenset[str]:
        self._maybe_load()
        return self._words

    def regex(self) -> re.Pattern[str] | None:
        self._maybe_load()
        return self._regex

    def invalidate(self) -> None:
        self._loaded_at = -1e9

    def _maybe_load(self) -> None:
        now = time.monotonic()
        if now - self._loaded_at < self.ttl:
            return
        with self._lock:
            words: set[str] = set()
            if CUSTOM_DICT.exists():
                for line in CUSTOM_DICT.read_text(encoding="utf-8").splitlines():
                    line = line.split("#", 1)[0].strip()
                    if line:
                        words.add(normalize(line.split()[0]))
            words |= _agency_names()
            words = {w for w in words if len(clean_token(w)) >= 2}
            self._words = frozenset(words)
            self._regex = (
                re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
                if words
                else None
            )
            self._loaded_at = now


def _agency_names() -> set[str]:
    try:
        from gongkai.agencies.models import Agency

        names: set[str] = set()
        for name, short in Agency.objects.values_list("name", "short_name"):
            names.add(normalize(name))
            if short:
                names.add(normalize(short))
        return names
    except Exception:  # noqa: BLE001 - no table yet (migrations) or no database: no agency words
        return set()


custom_words = _CustomWords()


_DOC_NUMBER_YEAR_RE = re.compile(r"[〔［\[【(（{]\s*(?:19|20)\d\d\s*[〕］\]】)）}]")


def doc_numbers(text: str) -> list[re.Match[str]]:
    """``DOC_NUMBER_RE.finditer(text)``, but tried only just before each bracketed year:
    the plain scan tries the 12-character prefix at every ideograph (≈0.3 ms per page)."""
    found: list[re.Match[str]] = []
    end = 0
    for year in _DOC_NUMBER_YEAR_RE.finditer(text):
        if year.start() < end:
            continue
        m = DOC_NUMBER_RE.search(text, max(end, year.start() - 200), year.end() + 40)
        if m is not None and m.start() <= year.start():
            found.append(m)
            end = m.end()
    return found


def doc_number_tokens(prefix: str, year: str, serial: str, *, all_prefixes: bool) -> list[str]:
    """The normalised 文号 token(s): issuer + year + serial + 号 (punctuation dropped)."""
    serial = str(int(serial))
    if not all_prefixes:
        return [f"{prefix[-6:]}{year}{serial}号"]
    return [f"{prefix[-k:]}{year}{serial}号" for k in range(2, min(len(prefix), 6) + 1)]


# --- document side ----------------------------------------------------------------------------


def index_tokens(text: str) -> list[str]:
    """Search tokens of a document field: cut_for_search + 文号 tokens + custom words."""
    tokens, custom = index_token_parts(text)
    return tokens + custom


def index_token_parts(text: str) -> tuple[list[str], list[str]]:
    """``index_tokens`` in two parts: what depends only on the text and the pinned jieba
    dictionaries (cut_for_search, 文号 tokens), and the custom-word tokens, which depend on
    ``custom.txt`` and the agency table at the time of indexing (SQLite keeps those per row
    to delete the row later, ``backends.SqliteBackend``)."""
    tokens, custom, _ = _token_parts(normalize(text))
    return tokens, custom


def _token_parts(text: str) -> tuple[list[str], list[str], str]:
    """``index_token_parts`` of an already normalised text, and that text."""
    tokens = _search_tokens(text)
    for m in doc_numbers(text):
        tokens.extend(doc_number_tokens(m.group(1), m.group(2), m.group(3), all_prefixes=True))
    regex = custom_words.regex()
    custom = [clean_token(m.group(0)) for m in regex.finditer(text)] if regex is not None else []
    return tokens, custom, text


def document_fields(
    title: str,
    doc_number: str,
    index_number: str,
    body: str,
    *,
    custom: tuple[list[str], list[str]] | None = None,
) -> tuple[list[str], list[str], list[str], tuple[list[str], list[str]]]:
    """(title tokens, body tokens, bigrams, (custom title tokens, custom body tokens)) of a
    document: 文号 and 索引号 count as title words; the bigrams cover title, 文号, 索引号 and
    body. With ``custom`` given, those custom-word tokens are used instead of the current
    custom words, so the tokens a row was indexed with can be computed again from its text
    (``backends.SqliteBackend`` deletes a row that way)."""
    head = " ".join(x for x in (title, doc_number) if x)
    title_tokens, title_custom, head = _token_parts(normalize(head))
    body_tokens, body_custom, body = _token_parts(normalize(body))
    if custom is not None:
        title_custom, body_custom = custom
    title_tokens += title_custom
    index_number = normalize(index_number)
    if index_number:
        title_tokens.append(clean_token(index_number))
    # Each part is normalised once: normalize(a + " " + b) == normalize(a) + " " + normalize(b),
    # since a space neither composes (NFKC) nor is case-ignorable (final sigma) — checked by
    # tests/test_segment.py on random text.
    grams = _bigrams_of_normalized(" ".join((head, index_number, body)))
    return (
        [t for t in title_tokens if t],
        body_tokens + body_custom,
        grams,
        (title_custom, body_custom),
    )


def fingerprint() -> str:
    """What the tokens of a text depend on besides the custom words: the jieba and rjieba
    versions (their dictionaries), the Unicode database (NFKC) and the token format."""
    from importlib.metadata import version

    return (
        f"format 1; rjieba {version('rjieba')}; jieba {version('jieba')}; "
        f"unicode {unicodedata.unidata_version}"
    )


_ASCII_RE = re.compile(r"[a-z0-9]")


def runs(text: str) -> list[list[str]]:
    """Runs of units (CJK characters / ASCII words) separated by anything else."""
    out = []
    for chunk in _RUN_SPLIT_RE.split(normalize(text)):
        if chunk:
            # pure CJK runs (the common case) are their characters
            out.append(list(chunk) if not _ASCII_RE.search(chunk) else UNIT_RE.findall(chunk))
    return out


class _Expansions(dict[str, tuple[str, ...]]):
    """Word → its ``cut_for_search`` tokens, letters and digits only (the dictionary 2- and
    3-grams inside a long word, then the word), computed once per distinct word: a page
    repeats most of its words, and a dictionary lookup per word is the indexing hot path."""

    max_size = 500_000

    def __missing__(self, word: str) -> tuple[str, ...]:
        n = len(word)
        if n <= 2 and word.isalnum():
            value: tuple[str, ...] = (word,)
        else:
            freq = _freq()
            grams: list[str] = []
            if n > 2:
                grams.extend(g for g in (word[i : i + 2] for i in range(n - 1)) if freq.get(g))
            if n > 3:
                grams.extend(g for g in (word[i : i + 3] for i in range(n - 2)) if freq.get(g))
            grams.append(word)
            value = tuple(
                t for t in (g if g.isalnum() else _NON_ALNUM_RE.sub("", g) for g in grams) if t
            )
        if len(self) >= self.max_size:
            self.clear()
        self[word] = value
        return value


_expansions = _Expansions()


def _search_tokens(text: str) -> list[str]:
    """``[clean_token(w) for w in cut_for_search(text)]`` without the empty tokens (the
    indexing hot path: each distinct word is expanded once, ``_Expansions``)."""
    return list(itertools.chain.from_iterable(map(_expansions.__getitem__, rjieba.cut(text))))


def bigrams_of_run(units: list[str]) -> list[str]:
    if len(units) == 1:
        return [units[0]] if not _is_cjk(units[0]) else []
    return [units[i] + units[i + 1] for i in range(len(units) - 1)]


def index_bigrams(text: str) -> list[str]:
    """The bigram field: adjacent unit pairs per run (ASCII words alone are kept whole),
    one ``RUN_BREAK`` between runs (the runs' pair lists that are not empty, joined by it)."""
    return _bigrams_of_normalized(normalize(text))


def _bigrams_of_normalized(text: str) -> list[str]:
    grams: list[str] = []
    append = grams.append
    extend = grams.extend
    ascii_search = _ASCII_RE.search
    for chunk in _RUN_SPLIT_RE.split(text):
        if ascii_search(chunk) is None:  # a pure CJK run (the common case), or nothing
            if len(chunk) > 1:
                if grams:
                    append(RUN_BREAK)
                extend(map(operator.add, chunk, chunk[1:]))
        else:
            pairs = bigrams_of_run(UNIT_RE.findall(chunk))
            if pairs:
                if grams:
                    append(RUN_BREAK)
                extend(pairs)
    return grams


def gram_sequence(text: str) -> list[str]:
    """The bigram field of ``text`` as a query phrase (e.g. a 文号 spanning several runs):
    what ``index_bigrams`` writes for it, without a leading or trailing ``RUN_BREAK``."""
    grams = index_bigrams(text)
    while grams and grams[0] == RUN_BREAK:
        grams.pop(0)
    return grams


def _is_cjk(unit: str) -> bool:
    return len(unit) == 1 and not unit.isascii()


# --- query side -----------------------------------------------------------------------------


@dataclass
class Clause:
    """One piece of the query; a document matches when ``tokens`` all occur as words,
    or when every bigram phrase occurs (the substring path), or (single CJK character)
    when a bigram starts or ends with ``char``."""

    text: str
    tokens: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    char: str = ""
    # Whether ``tokens`` may decide a match. False when the chunk is several words: they
    # would also match scattered over a document (璟珩 → 璟 + 珩); they still rank.
    word_match: bool = True


@dataclass
class QueryPlan:
    clauses: list[Clause]
    highlight: list[str]

    @property
    def empty(self) -> bool:
        return not self.clauses


def plan_query(q: str) -> QueryPlan:
    """Split a user query into AND-ed clauses. Everything is text: operators, quotes,
    brackets and SQL are either dropped as punctuation or searched for as words."""
    text = normalize(q)[: MAX_QUERY_CHARS * 2]
    clauses: list[Clause] = []
    highlight: list[str] = []

    def add_doc_number(m: re.Match[str]) -> str:
        token = doc_number_tokens(m.group(1), m.group(2), m.group(3), all_prefixes=False)[0]
        phrase = gram_sequence(m.group(0))  # its runs in order, adjacent
        clauses.append(Clause(text=m.group(0), tokens=[token], phrases=[phrase] if phrase else []))
        highlight.append(m.group(0))
        return " "

    text = DOC_NUMBER_RE.sub(add_doc_number, text)
    seen: set[str] = {c.text for c in clauses}
    for chunk in text.split():
        for units in runs(chunk):
            run_text = "".join(units)
            if not units or run_text in seen:
                continue
            seen.add(run_text)
            highlight.append(run_text)
            if len(units) == 1 and _is_cjk(units[0]):
                clauses.append(Clause(text=run_text, tokens=[run_text], char=run_text))
                continue
            words = [t for t in (clean_token(w) for w in cut(run_text)) if t]
            if len(words) > 1 and (run_text in custom_words.words() or _freq().get(run_text)):
                # A dictionary or custom word that the precise cut splits (农机购置补贴):
                # documents hold it as one token wherever jieba or the custom list found it,
                # so the whole word may decide a match; the phrase path finds the rest.
                words = [run_text]
            clauses.append(
                Clause(
                    text=run_text,
                    tokens=words,
                    phrases=[bigrams_of_run(units)],
                    word_match=len(words) == 1,
                )
            )
    return QueryPlan(clauses=clauses[:12], highlight=highlight)


def warm_up(texts: Iterable[str] = ("预热",)) -> None:
    """Load the dictionaries before the first request (jieba's prefix dict takes ~0.5 s)."""
    for t in texts:
        cut_for_search(t)
