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
