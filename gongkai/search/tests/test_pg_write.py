"""PostgreSQL write path (issue 18): vectors sent in binary by COPY are the very values the
literals gave, a text too long for binary positions still goes as a literal, and a rebuild
drops and builds the GIN index again without changing any vector."""

from __future__ import annotations

import unittest

from django.db import connection
from django.test import TestCase

from gongkai.search import backends
from gongkai.search.api import SearchDoc, SearchQuery, index_documents, search
from gongkai.search.services import index_rebuild

LONG = "，".join(f"第{i}条规定农机购置补贴资金" for i in range(1800))  # > PG_MAX_POS tokens
DOCS = [
    SearchDoc(
        key="w:1",
        kind="catalog",
        agency_id=None,
        title="农机购置补贴实施方案",
        body_text="补贴资金“直补”到户。",
    ),
    SearchDoc(
        key="w:2",
        kind="catalog",
        agency_id=None,
        title="It's a \\ test",
        body_text="5G专网 O'Neil a\\b 冰雪运动",
    ),
    SearchDoc(key="w:3", kind="catalog", agency_id=None, title="长文", body_text=LONG),
    SearchDoc(key="w:4", kind="catalog", agency_id=None, title="", body_text=""),
]


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
class PostgresWriteTest(TestCase):
    def vectors(self) -> dict[str, tuple[str, int, bool]]:
        """key → (vector text, stored size, same value and stored size as its literal gives).

        The literal is stored in a column of the same compression: equal stored sizes (of
        compressed values too) mean the same bytes."""
        from gongkai.search import segment
        from gongkai.search.models import SearchEntry

        out = {}
        with connection.cursor() as cur:
            cur.execute(
                "SELECT attcompression FROM pg_attribute "
                "WHERE attrelid = 'search_searchentry'::regclass AND attname = 'doc'"
            )
            method = {"l": " COMPRESSION lz4", "p": " COMPRESSION pglz"}.get(cur.fetchone()[0], "")
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS literal_doc (id bigint, doc tsvector{method})"
            )
            cur.execute("TRUNCATE literal_doc")
            for e in SearchEntry.objects.all():
                t, b, g, _ = segment.document_fields(
                    e.title, e.doc_number, e.index_number, e.body_text
                )
                literal = backends.PostgresBackend.doc_literal(e.pk, t, b, g)
                cur.execute("INSERT INTO literal_doc VALUES (%s, %s::tsvector)", [e.pk, literal])
            cur.execute(
                "SELECT e.key, e.doc::text, pg_column_size(e.doc), "
                "e.doc = l.doc AND pg_column_size(e.doc) = pg_column_size(l.doc) "
                "FROM search_searchentry e JOIN literal_doc l ON l.id = e.id"
            )
            for key, text, size, same in cur.fetchall():
                out[key] = (text, size, same)
        return out

    def test_binary_vectors_are_the_literals(self) -> None:
        self.assertIsNone(backends.PostgresBackend.doc_binary(1, [], ["x"] * 20000, []))
        index_documents(DOCS)
        vectors = self.vectors()
        self.assertEqual(set(vectors), {d.key for d in DOCS})
        for key, (_, _, same) in vectors.items():
            self.assertTrue(same, key)
        self.assertIn("'~r0'", vectors["w:4"][0])  # the bucket lexeme alone

    def test_rebuild_builds_the_index_again(self) -> None:
        index_documents(DOCS)
        before = self.vectors()
        hits = search(SearchQuery(q="农机购置补贴")).total
        self.assertEqual(index_rebuild(batch=1), len(DOCS))  # binary and literal batches
        self.assertEqual(self.vectors(), before)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [backends.PG_GIN_INDEX]
            )
            self.assertIn("gin (doc)", cur.fetchone()[0])
        self.assertEqual(search(SearchQuery(q="农机购置补贴")).total, hits)

    def test_a_missing_index_is_reported_and_built_again(self) -> None:
        from django.core.management import call_command

        from gongkai.search.checks import index_warnings

        index_documents(DOCS)
        hits = search(SearchQuery(q="农机购置补贴")).total
        self.assertEqual(index_warnings(), [])
        with connection.cursor() as cur:  # what an interrupted rebuild leaves
            cur.execute(f"DROP INDEX {backends.PG_GIN_INDEX}")
        self.assertEqual([w[0] for w in index_warnings()], ["gongkai.search.W003"])
        call_command("search_reindex", "--index-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(index_warnings(), [])
        self.assertEqual(search(SearchQuery(q="农机购置补贴")).total, hits)
