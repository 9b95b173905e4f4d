"""Chunks found by their best sentence: a FAQ chunk of many questions is far, as a whole, from a
question about one of them; the sentence stored at ingest is not. (Measured with the real model on
the tuning sets in docs/evals.md; the hashing vectors here show the mechanism, not its size.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.embeddings import HashingEmbeddings
from knowledge.kb import KnowledgeBase
from knowledge.sentence_index import SentenceIndex

CHUNKS = ["运费：单笔实付满 99 元包邮，不满 99 元收取运费 8 元。", "咖啡豆开袋后挤出空气、压紧密封条，常温避光保存。"]


def test_each_chunk_scores_its_closest_sentence_and_hidden_chunks_none() -> None:
    embeddings = HashingEmbeddings()
    index = SentenceIndex.build(embeddings, CHUNKS, max_sentences=100)
    query = embeddings.embed_query("不满 99 元收取运费多少？")
    best = index.best([query])
    sentences = [embeddings.embed_query(s) for s in ("不满 99 元收取运费 8 元。",)]
    assert best[0] > best[1] and best.shape == (2,)
    assert np.isclose(best[0], max(float(np.dot(query, s)) for s in sentences), atol=0.2)
    assert np.isneginf(index.best([query], allowed=np.array([False, True]))[0])  # a chunk the viewer may not read
    capped = SentenceIndex.build(embeddings, CHUNKS, max_sentences=1)  # over the cap: chunk vectors only
    assert np.isneginf(capped.best([query])).all()


FAQ = "\n".join(f"问：{q}\n答：{a}" for q, a in [
    ("咖啡豆开袋后怎么保存？", "挤出空气、压紧密封条，放在避光、阴凉、干燥处常温保存，不建议冷藏。"),
    ("茶叶怎么冲泡？", "岩茶用 100℃ 沸水，5 克茶配 110 毫升盖碗，前三泡快出汤。"),
    ("限量款怎么推广？", "上架时素材库单独发布推广说明，售罄后链接跳转到同系列常规款。"),
    ("运费怎么算？", "单笔实付满 99 元包邮，不满 99 元收取运费 8 元；订阅方案和礼盒始终包邮。"),
    ("风味描述可以照搬吗？", "可以参考，但要写出自己的真实感受，不要整段复制商品页。"),
    ("样品可以转卖吗？", "不可以，样品包装印有批次号，出现在二手平台时可以直接查到来源。"),
    ("休眠期间还能申请试饮吗？", "不能，休眠期间专属码暂停使用，也不发放粉丝试饮券。"),
])
OTHERS = [f"第 {n} 条：订单的运费不计入佣金基数，订单按实付金额计佣，多少以对账单为准。" for n in range(1, 7)]


def test_a_question_about_one_faq_entry_finds_the_faq_chunk(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "faq.md").write_text(f"---\naudience: koc\n---\n# 常见问题\n\n{FAQ}\n", encoding="utf-8")
    for n, text in enumerate(OTHERS):
        (folder / f"rules-{n}.md").write_text(f"---\naudience: koc\n---\n# 计佣规则 {n}\n\n{text}\n", encoding="utf-8")
    question = "不满 99 元的订单收多少运费？"
    faq = {}
    for margin in (0.05, -1.0):
        settings = Settings(home=tmp_path / f"home{margin}", embed_provider="hashing", llm="offline", sentence_margin=margin,
                            chunk_size=1000)
        kb = KnowledgeBase(settings)
        assert not kb.ingest([folder]).errors
        faq[margin] = next(h for h in kb.search(question, k=10, viewer=Viewer.koc(None, None)).hits if "faq.md" in h.source)
    # ranked by its closest sentence, the FAQ chunk scores higher than by its own vector; its dense
    # score, which decides whether the search is covered, stays the chunk's own
    assert faq[0.05].score > faq[-1.0].score + 0.02, faq
    assert faq[0.05].dense_score == faq[-1.0].dense_score
