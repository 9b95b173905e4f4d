"""The real EmbeddingGemma: an English question finds the right Chinese passage (cross-lingual dense retrieval)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.real_model

PASSAGES = {
    "trials.txt": "灯塔KOC每月有三个新品测评名额，还可以管理一个用户社群。",
    "settlement.txt": "佣金在订单付款后冻结十五天，每月十日统一结算到微信钱包。",
    "poster.txt": "招募海报必须使用品牌主色暖橙色，标志四周留出足够的空白。",
    "shipping.txt": "仓库在厦门，下单后四十八小时内发货，偏远地区另加运费。",
}


def test_english_question_finds_chinese_passage(tmp_path: Path, koc_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.embeddings import default_model_path
    from knowledge.kb import KnowledgeBase
    from base.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_PROVIDER", "sentence-transformers")
    get_settings.cache_clear()
    if not Path(default_model_path(get_settings())).exists():
        pytest.skip("EmbeddingGemma not fetched (make models)")
    for name, text in PASSAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase()
    assert kb.model_id == "sentence-transformers:embeddinggemma-300m"
    kb.ingest([tmp_path / n for n in PASSAGES])
    # no shared words with the Chinese text: only the dense side can find it
    dense = kb.search("When is my commission paid out?", k=2, mode="dense")
    assert dense.hits[0].source == "settlement.txt"
    hybrid = kb.search("How many product trials does a Lighthouse KOC get per month?", k=2)
    assert hybrid.hits[0].source == "trials.txt"
    assert kb.embeddings.inner.dtype in ("float32", "bfloat16")


def test_hq_only_passage_stays_hidden_from_a_koc_with_the_real_model(tmp_path: Path, koc_home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Cross-lingual dense retrieval would find the HQ-only passage for this English question; as a
    KOC it is not among the candidates at all (dense, BM25 or fused), as HQ it ranks first. Nor is a word
    only that passage writes ever a KOC's rendering of an English word."""
    from assistant.evidence_scorer import CorpusRenderings
    from knowledge.audience import Viewer
    from knowledge.embeddings import default_model_path
    from knowledge.kb import KnowledgeBase
    from base.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_PROVIDER", "sentence-transformers")
    get_settings.cache_clear()
    if not Path(default_model_path(get_settings())).exists():
        pytest.skip("EmbeddingGemma not fetched (make models)")
    for name, text in PASSAGES.items():  # as Markdown: front matter is read there only, and a .txt would be HQ's
        (tmp_path / name.replace(".txt", ".md")).write_text("---\naudience: koc\n---\n" + text, encoding="utf-8")
    (tmp_path / "cuts.md").write_text("---\naudience: hq\n---\n总部每季度把互动最低的百分之六的KOC悄悄移出测评名单，"
                                      "名单代号雪松组，不通知本人。", encoding="utf-8")
    kb = KnowledgeBase()
    kb.ingest([tmp_path])
    question = "Which KOCs does HQ quietly remove from the trial list each quarter?"
    assert kb.search(question, k=3, viewer=Viewer.everything()).hits[0].source == "cuts.md"
    koc = Viewer.koc("private", "bloom")
    for mode in ("dense", "bm25", "hybrid"):
        sources = {h.source for h in kb.search(question, k=5, viewer=koc, mode=mode).hits}
        assert "cuts.md" not in sources and (mode == "bm25" or sources)
    # an English word is read in the corpus's own word for it, among the words the asker may read only
    assert "仓库" in CorpusRenderings(kb, koc)("warehouse") and "海报" in CorpusRenderings(kb, koc)("poster")
    assert "互动" in CorpusRenderings(kb, Viewer.everything())("interaction") and CorpusRenderings(kb, koc)("interaction") == ()


def test_a_question_about_a_period_is_not_a_personal_lookup(koc_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the real model, "how many days do I have to hand it in" resembles "when is my review
    due"; but it asks for the rule's period, which no personal record holds: the handbooks answer."""
    from assistant.router import Router
    from knowledge.embeddings import default_model_path
    from knowledge.kb import KnowledgeBase
    from base.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_PROVIDER", "sentence-transformers")
    get_settings.cache_clear()
    if not Path(default_model_path(get_settings())).exists():
        pytest.skip("EmbeddingGemma not fetched (make models)")
    router = Router(embeddings=KnowledgeBase().embeddings)
    assert router.route("測評寄到之後我有幾天可以交？", "koc", 3).intent == "rules"
    assert router.route("我的测评什么时候到期？", "koc", 3).tool == "get_my_trials"
