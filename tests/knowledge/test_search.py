"""Hybrid search behaviour: script normalisation, filters, coverage, retriever wrapper, chunk lookup."""

from __future__ import annotations

from pathlib import Path

from knowledge.kb import KnowledgeBase
from knowledge.types import SearchFilters


def test_traditional_query_finds_simplified_passage(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    result = kb.search("燈塔KOC每月有幾個測評名額？", k=3)
    assert result.hits[0].source == "rules.txt"
    assert result.hits[0].lexical_score and result.hits[0].lexical_score > 0.5


def test_hits_carry_heading_path_and_metadata(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    hit = kb.search("云朵面霜售价", k=1).hits[0]
    assert hit.rank == 1 and hit.source == "products.md" and hit.title == "产品手册"
    assert hit.heading_path == ["产品手册", "面霜"] and hit.doc_type == "product" and hit.language == "zh-CN"
    assert hit.dense_score is not None and hit.lexical_score is not None


def test_metadata_filters(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    only_faq = kb.search("售价 returns", k=5, filters=SearchFilters(doc_type="faq"))
    assert only_faq.hits and {h.source for h in only_faq.hits} == {"shipping.md"}
    english = kb.search("面霜", k=5, filters=SearchFilters(language="en"))
    assert {h.language for h in english.hits} == {"en"}
    both = kb.search("面霜", k=5, filters=SearchFilters(doc_type="product", audience="koc"))
    assert both.hits and all(h.doc_type == "product" and h.audience == "koc" for h in both.hits)
    assert kb.search("面霜", k=5, filters=SearchFilters(doc_type="nothing")).hits == []


def test_out_of_domain_question_is_not_covered(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    assert kb.search("云朵面霜售价多少", k=3).covered
    off = kb.search("明天北京会下雨吗", k=3)
    assert not off.covered and off.threshold > 0


def test_empty_knowledge_base_and_empty_query(kb: KnowledgeBase) -> None:
    assert kb.search("任何问题").hits == [] and not kb.search("任何问题").covered
    assert kb.search("   ").hits == []


def test_langchain_retriever_and_chunk_lookup(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    retriever = kb.as_retriever(k=2, viewer=None)  # None: every document (HQ)
    docs_out = retriever.invoke("How fast do orders ship?")
    assert docs_out[0].metadata["source"] == "shipping.md" and "48 hours" in docs_out[0].page_content
    assert "covered" in docs_out[0].metadata and docs_out[0].id == docs_out[0].metadata["chunk_id"]
    ids = [d.id for d in docs_out]
    assert [h.chunk_id for h in kb.get_chunks(ids + ["unknown"])] == ids


def test_search_modes_for_the_benchmark(kb: KnowledgeBase, docs: Path) -> None:
    kb.ingest([docs])
    for mode in ("dense", "bm25", "rrf", "hybrid"):
        hits = kb.search("晨露精华提亮", k=2, mode=mode).hits
        assert hits and hits[0].source == "products.md", mode


def test_chinese_counts_match_digits_in_both_directions() -> None:
    """Handbooks write "前 3 天", askers "前三天" (and the other way round): BM25 sees the same tokens."""
    from knowledge.lexical import Tokenizer

    tokenizer = Tokenizer()
    for asked, written in [("刚加入的前三天做什么", "前 3 天请完成下面三件事"), ("连续三次不合格", "连续 3 次测评不合格"),
                           ("十五篇笔记", "15 篇笔记"), ("二十人的群", "群人数 20 人"), ("连续 3 次", "连续三次")]:
        shared = set(tokenizer.tokens(asked)) & set(tokenizer.tokens(written))
        assert any(t.isdigit() for t in shared), (asked, written)
    assert not any(t.isdigit() for t in tokenizer.tokens("一定要看"))  # only counts before a measure word
