"""Searching across scripts and languages.

The embedding model scores 繁體 against 简体, and English against Chinese, lower than either
against itself. A question in the Chinese script the handbooks mostly do not use is searched in
theirs too; an English question over Chinese chunks (or the reverse) is judged covered on the
scale the threshold was calibrated on, its cosine raised by the model's cross-lingual shift.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from knowledge import fusion
from knowledge.embeddings import CachedEmbeddings, Embeddings
from knowledge.kb import KnowledgeBase


class _OneByOne(Embeddings):
    """A stand-in model: every text (passage or question) embedded by ``_embed``."""

    def _embed(self, text: str) -> list[float]:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class ScriptBlindEmbeddings(_OneByOne):
    """Hashed characters as written: 结 and 結 land in different dimensions."""

    model_id = "test:script-blind"
    dim = 512

    def _embed(self, text: str) -> list[float]:
        vec = np.zeros(self.dim, dtype=np.float32)
        for ch in text:
            if not ch.isspace():
                vec[int.from_bytes(hashlib.md5(ch.encode()).digest()[:4], "little") % self.dim] += 1.0
        return (vec / (float(np.linalg.norm(vec)) or 1.0)).tolist()


def test_a_traditional_question_finds_simplified_chunks_by_its_converted_twin(koc_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "settle.md").write_text("# 结算\n佣金每月十日结算到微信钱包，冻结期十五天，过后才能提现。", encoding="utf-8")
    (folder / "other.md").write_text("# 内容\n发布笔记时要带上品牌话题，图片不少于三张。", encoding="utf-8")
    kb = KnowledgeBase(embeddings=CachedEmbeddings(ScriptBlindEmbeddings(), ScriptBlindEmbeddings.model_id, None))
    kb.ingest([folder])
    assert kb.chinese_script == "zh-CN"
    question = "傭金凍結期多久？什麼時候結算到錢包？"
    assert kb.as_written(question) == "佣金冻结期多久？什么时候结算到钱包？"
    assert kb.as_written("佣金冻结期多久？") is None  # already in the handbooks' script

    hit = kb.search(question, k=1, mode="dense").hits[0]
    assert hit.source.endswith("settle.md")
    as_asked = float(np.dot(ScriptBlindEmbeddings()._embed(question), ScriptBlindEmbeddings()._embed(hit.text)))
    assert hit.dense_score is not None and hit.dense_score > as_asked + 0.1  # the twin's similarity, not the question's


class TwoLanguageEmbeddings(_OneByOne):
    """Every Chinese text about settlement is one direction; an English question about it, and a
    Chinese one in other words, sit at the same cosine (0.40) from it; anything else is orthogonal."""

    model_id = "sentence-transformers:two-language-test"  # the family the cross-lingual shift was measured for

    def _embed(self, text: str) -> list[float]:
        if "结算" in text:
            return [1.0, 0.0, 0.0]
        if "settle" in text.lower() or "到账" in text:
            return [0.40, float(np.sqrt(1 - 0.16)), 0.0]
        return [0.0, 0.0, 1.0]


def test_an_english_question_over_chinese_chunks_is_judged_on_the_shifted_scale(koc_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "settle.md").write_text("# 结算\n每月十日结算上个月已解冻的佣金。", encoding="utf-8")
    emb = TwoLanguageEmbeddings()
    kb = KnowledgeBase(embeddings=CachedEmbeddings(emb, emb.model_id, None))
    kb.ingest([folder])
    english = kb.search("When do I get settled?", k=1)
    chinese = kb.search("钱什么时候到账？", k=1)  # the same cosine, but within one language
    assert all(abs((r.hits[0].dense_score or 0.0) - 0.40) < 1e-6 for r in (english, chinese))
    w = fusion.dense_weight(emb.model_id, -1.0)
    assert fusion.weighted(0.40, 0.0, w) < english.threshold <= fusion.weighted(0.40 + fusion.CROSS_LINGUAL_SHIFT, 0.0, w)
    assert english.covered and not chinese.covered


def test_a_question_in_the_spoken_register_is_also_searched_as_the_handbooks_write_it(koc_home: Path, tmp_path: Path) -> None:
    """"我的号咋样了？还能用不" is the handbooks' "账号怎么样了？还能用吗" in spoken words: it is searched as
    written too, and the chunk keeps the closer of the two similarities."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "dormant.md").write_text("# 休眠\n连续 90 天没有订单，账号会怎么样？转为休眠，发一篇内容就能恢复吗？能。",
                                       encoding="utf-8")
    (folder / "other.md").write_text("# 内容\n发布笔记时要带上品牌话题，图片不少于三张。", encoding="utf-8")
    kb = KnowledgeBase(embeddings=CachedEmbeddings(ScriptBlindEmbeddings(), ScriptBlindEmbeddings.model_id, None))
    kb.ingest([folder])
    question = "三个月没订单，我的号咋样了？还能用不"
    assert kb.as_written(question) == "三个月没订单，我的账号怎么样了？还能用吗"
    assert kb.query_texts(question) == [question, kb.as_written(question)]
    assert kb.as_written("What happens to a dormant account?") is None
    hit = kb.search(question, k=1, mode="dense").hits[0]
    assert hit.source.endswith("dormant.md")
    as_asked = float(np.dot(ScriptBlindEmbeddings()._embed(question), ScriptBlindEmbeddings()._embed(hit.text)))
    assert hit.dense_score is not None and hit.dense_score > as_asked + 0.05
