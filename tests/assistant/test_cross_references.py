"""Evidence that defers to another handbook by title ("标准见《…》") is followed there: the answer
quotes the rule from the referenced document, as the asker may read it, not only the pointer."""

from __future__ import annotations

from pathlib import Path

from assistant.cross_references import with_referenced
from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from tests.assistant.askers import PRIVATE_KOC
from tests.handbooks import handbook_kb
from tools.identity import Identity
from ui.compose import build_copilot

CAMPSITES = """---
title: 晴川露营合作指南
audience: koc
---
# 晴川露营合作指南

## 推广合作营地

粉丝通过你的推荐码预订合作营地，按间夜计佣，标准见《佣金细则》。营地预订不计入月度销量。

## 营地内部结算

营地方的结算周期与补贴，见《晴川营地内部结算表》。
"""
COMMISSION = """---
title: 晴川佣金细则
audience: koc
---
# 晴川佣金细则

## 一、服装

服装类商品按实付金额的 8% 计佣，退货的订单不计佣。

## 二、营地预订

合作营地预订每间夜计佣 12 元，每单最多计 3 间夜。

## 三、结算

每月 15 日结算上月已确认的佣金。
"""
INTERNAL = """---
title: 晴川营地内部结算表
audience: hq
---
# 晴川营地内部结算表

## 补贴

营地方每间夜另得总部补贴 30 元，按季度结算。
"""


def _settings(tmp_path: Path) -> Settings:
    # one hit per search: what the search returns is the pointer alone, as when the rule ranks low
    handbooks = {"campsites.md": CAMPSITES, "commission.md": COMMISSION, "internal.md": INTERNAL}
    return handbook_kb(tmp_path, handbooks, search_k=1)[0]


def test_the_answer_quotes_the_rule_from_the_referenced_handbook(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    question = "粉丝通过我的推荐码预订合作营地，按间夜怎么计佣？"
    kb = KnowledgeBase(settings)
    koc = Viewer.koc(None, None)
    assert [h.source for h in kb.search(question, viewer=koc).hits] == ["campsites.md"]  # the pointer only
    result = build_copilot(settings, chat_model=None, kb=kb).ask(question, PRIVATE_KOC)
    assert not result.refused
    assert "12 元" in result.answer and "3 间夜" in result.answer, result.answer
    assert {c.source for c in result.citations} >= {"campsites.md", "commission.md"}


def test_a_reference_to_a_page_the_asker_may_not_read_is_not_followed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    question = "营地方的结算周期与补贴是怎样的？"
    copilot = build_copilot(settings, chat_model=None)
    koc_answer = copilot.ask(question, PRIVATE_KOC)
    assert "30 元" not in koc_answer.answer and "internal.md" not in {c.source for c in koc_answer.citations}
    hq_answer = copilot.ask(question, Identity(role="hq", token="test-token-of-hq"))
    assert "30 元" in hq_answer.answer, hq_answer.answer  # HQ reads the referenced page


def test_hits_are_unchanged_when_the_evidence_refers_to_nothing(tmp_path: Path) -> None:
    kb = KnowledgeBase(_settings(tmp_path))
    koc = Viewer.koc(None, None)
    hits = kb.search("服装退货还计佣吗？", k=1, viewer=koc).hits
    assert with_referenced(kb, "服装退货还计佣吗？", hits, [(0, "服装类商品按实付金额的 8% 计佣。")], koc) == hits
    # a sentence citing the document it stands in is followed nowhere either
    own = [(0, "具体标准见《佣金细则》。")]
    assert with_referenced(kb, "服装退货还计佣吗？", hits, own, koc) == hits
