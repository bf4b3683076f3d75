"""Segmentation: rjieba-based cut_for_search equals jieba's; custom words and 文号 tokens."""

from __future__ import annotations

import jieba
from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import segment

SAMPLE = [
    "通化市民政局关于做好2024年度农机购置补贴资金发放工作的通知",
    "中华人民共和国政府信息公开条例第二十条规定行政机关应当主动公开本行政机关的机构职能",
    "关于进一步加强城乡居民最低生活保障工作的实施意见（征求意见稿）",
    "东昌区金厂镇人民政府2023年政府信息公开工作年度报告",
    "各县（市、区）人民政府，市政府各委办局：现将《通化市数字政府建设实施方案》印发给你们",
    "5G基站建设与iPhone15用户调查，GDP增长6.5%",
]


class SegmentTest(SimpleTestCase):
    def test_it_matches_jieba_cut_for_search(self) -> None:
        for text in SAMPLE:
            self.assertEqual(segment.cut_for_search(text), list(jieba.cut_for_search(text)), text)

    def test_it_matches_jieba_precise_cut(self) -> None:
        for text in SAMPLE:
            self.assertEqual(segment.cut(text), list(jieba.cut(text)), text)

    def test_it_normalises_fullwidth_and_case(self) -> None:
        self.assertEqual(segment.normalize("ＡＢＣ１２３"), "abc123")

    def test_it_makes_doc_number_tokens_for_every_issuer_suffix(self) -> None:
        tokens = segment.index_tokens("现将通政发〔2012〕12号文件转发")
        self.assertIn("通政发201212号", tokens)
        self.assertIn("政发201212号", tokens)

    def test_it_recognises_doc_numbers_with_any_bracket(self) -> None:
        for q in (
            "通政发〔2012〕12号",
            "通政发[2012]12号",
            "通政发（2012）012号",
            "通政发【2012】第12号",
        ):
            plan = segment.plan_query(q)
            self.assertEqual(plan.clauses[0].tokens, ["通政发201212号"], q)

    def test_it_keeps_custom_dictionary_words_whole(self) -> None:
        self.assertIn("农机购置补贴", segment.index_tokens("申领农机购置补贴的条件"))

    def test_it_treats_operators_and_punctuation_as_text(self) -> None:
        plan = segment.plan_query('"补贴" OR 1=1; DROP TABLE -- NEAR(*)')
        words = [t for c in plan.clauses for t in c.tokens]
        self.assertIn("补贴", words)
        self.assertIn("or", words)
        for token in words:
            self.assertTrue(token.isalnum(), token)

    def test_it_builds_bigrams_within_runs_only(self) -> None:
        self.assertEqual(
            segment.index_bigrams("张三丰，5G基站"),
            ["张三", "三丰", segment.RUN_BREAK, "5g基", "基站"],
        )

    def test_it_separates_runs_once_and_never_at_the_ends(self) -> None:
        self.assertEqual(segment.index_bigrams("，甲，乙丙。丁，"), ["乙丙"])
        self.assertEqual(
            segment.index_bigrams("通政发〔2015〕3号"),
            ["通政", "政发", segment.RUN_BREAK, "2015", segment.RUN_BREAK, "3号"],
        )

    def test_it_lets_only_a_one_word_chunk_match_by_its_word(self) -> None:
        by_text = {c.text: c for c in segment.plan_query("璟珩 补贴 农机购置补贴").clauses}
        self.assertFalse(by_text["璟珩"].word_match)  # 璟 + 珩: never scattered
        self.assertTrue(by_text["补贴"].word_match)
        self.assertEqual(by_text["璟珩"].phrases, [["璟珩"]])


# Characters where normalising parts and normalising their concatenation could differ if a
# space did not separate them: combining marks, a composed form, full-width forms, the
# ideographic space, Greek capital sigma (final-sigma lower-casing), Hangul jamo, ligatures.
_TRICKY = (
    "\u0301\u0308\u0344\u00a8e\u00e9\uff21\uff11\uff0c\u3000\u03a3\u03c3A\u1100\u1161\u11a8\ufb01 "
)
_TEXT = st.text(
    alphabet=st.sampled_from(_TRICKY + "通化市补贴〔2015〕号第一二三abcXYZ059（）"), max_size=40
)


class NormaliseOnceTest(SimpleTestCase):
    """``document_fields`` normalises each part once (the indexing hot path); its bigrams
    must equal those of the whole text normalised at once, as they were written before
    (SQLite deletes a row by computing its tokens again: any difference would leave it stale)."""

    @settings(max_examples=400, deadline=None)
    @given(title=_TEXT, doc_number=_TEXT, index_number=_TEXT, body=_TEXT)
    def test_its_bigrams_equal_those_of_the_whole_text(
        self, title: str, doc_number: str, index_number: str, body: str
    ) -> None:
        head = " ".join(x for x in (title, doc_number) if x)
        _, _, grams, _ = segment.document_fields(title, doc_number, index_number, body)
        self.assertEqual(grams, segment.index_bigrams(" ".join((head, index_number, body))))
        self.assertEqual(
            segment.normalize(" ".join((head, index_number, body))),
            " ".join(segment.normalize(x) for x in (head, index_number, body)),
        )
