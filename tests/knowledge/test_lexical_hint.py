"""An English question shares no word with Chinese handbooks: the handbooks' words for its terms
(a hint) find the chunk, while whether the handbooks cover it is still judged on its own words."""

from __future__ import annotations

from pathlib import Path

from tests.handbooks import handbook_kb

SHIPPING = "# 发货\n\n单笔实付满 88 元包邮，不满 88 元收取运费 6 元。\n"
OTHER = "# 积分\n\n积分每年 12 月 31 日清零，清零前会短信提醒。\n"
QUESTION = "What's the free-shipping threshold?"


def test_a_hint_finds_the_chunk_that_uses_the_handbooks_word(tmp_path: Path) -> None:
    _, kb = handbook_kb(tmp_path, {"shipping.md": SHIPPING, "points.md": OTHER})
    plain = kb.search(QUESTION, k=2)
    hinted = kb.search(QUESTION, k=2, lexical_hint="包邮 免运费 门槛")
    assert hinted.hits[0].source == "shipping.md"
    assert hinted.hits[0].score > next(h.score for h in plain.hits if h.source == "shipping.md")
    # the hint's words are no words of the asker's: the evidence the coverage is judged on is unchanged
    by_source = {h.source: h.lexical_score for h in plain.hits}
    assert all(h.lexical_score == by_source.get(h.source) for h in hinted.hits)
