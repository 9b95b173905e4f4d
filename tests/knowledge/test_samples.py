"""Hybrid retrieval on the sample knowledge base: known questions find their known document in the top 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES_DIR

pytestmark = pytest.mark.skipif(not SAMPLES_DIR.is_dir(), reason="knowledge/samples/ not written yet")

KNOWN = [
    ("灯塔KOC每月有几个测评名额？", {"faq.md", "koc-programme-rules.md", "faq-zh-tw.txt", "koc-programme-at-a-glance-en.md"}),
    ("佣金什么时候结算？", {"faq.md", "commission-policy.docx", "faq-zh-tw.txt"}),
    ("顧客退款後佣金怎麼辦？", {"faq-zh-tw.txt", "faq.md", "commission-policy.docx"}),
    ("小红书笔记里哪些绝对化用语不能用？", {"content-guidelines.md"}),
    ("招募海报的主色是什么？", {"recruitment-poster-guidelines.pdf"}),
    ("可以顺便卖别的品牌吗？", {"faq.md", "koc-programme-rules.md", "faq-zh-tw.txt"}),
    ("How many trials does a Lighthouse KOC get each month?", {"koc-programme-at-a-glance-en.md"}),
    ("晴空轻透防晒乳的佣金比例是多少？", {"faq.md", "commission-policy.docx", "product-handbook.md", "faq-zh-tw.txt"}),
]


@pytest.fixture(scope="module")
def sample_kb(tmp_path_factory: pytest.TempPathFactory):
    import os

    from knowledge.kb import KnowledgeBase
    from base.settings import Settings

    settings = Settings(home=tmp_path_factory.mktemp("samples_home"), embed_provider="hashing",
                        embed_cache=tmp_path_factory.mktemp("cache") / "c.sqlite")
    assert os.environ.get("ANONYMIZED_TELEMETRY") == "False"
    kb = KnowledgeBase(settings)
    report = kb.ingest([SAMPLES_DIR])
    assert not report.errors, report.errors
    return kb


def test_every_sample_document_ingests(sample_kb) -> None:
    sources = {s["source"] for s in sample_kb.list_sources()}
    assert len(sources) >= 10
    assert {Path(s).suffix for s in sources} >= {".md", ".html", ".docx", ".pdf", ".txt"}


@pytest.mark.parametrize("question, expected", KNOWN)
def test_known_questions_find_their_document(sample_kb, question: str, expected: set[str]) -> None:
    result = sample_kb.search(question, k=3)
    assert {h.source for h in result.hits} & expected, [(h.source, h.text[:40]) for h in result.hits]
    assert result.covered


def test_brand_dictionary_keeps_names_whole(sample_kb) -> None:
    tokens = sample_kb.lexical.tokenizer.tokens("暖島分銷小程序在哪裡下載")
    assert "暖岛分销小程序" in tokens
