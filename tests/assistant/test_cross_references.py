"""Evidence that defers to another handbook by title ("标准见《…》") is followed there: the answer
quotes the rule from the referenced document, as the asker may read it, not only the pointer."""

from __future__ import annotations

from pathlib import Path

from assistant.cross_references import with_referenced, with_section_rest
from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from tests.assistant.askers import PRIVATE_KOC
from tests.handbooks import handbook_kb
from tools.identity import Identity
from ui.compose import build_copilot

RENTALS = """---
title: 晴川单车租赁推广说明
audience: koc
---
# 晴川单车租赁推广说明

## 推广单车租赁

粉丝通过你的推荐码租用单车，单车租赁按骑行日计奖励，标准见《奖励细则》。租车不计入月度销量。

## 车行内部结算

车行的结算周期与补贴，见《晴川车行内部结算表》。
"""
REWARDS = """---
title: 晴川奖励细则
audience: koc
---
# 晴川奖励细则

## 一、骑行装备

骑行装备按实付金额的 8% 计奖励，退货的订单不计。

## 二、单车租赁

单车租赁每个骑行日奖励 6 元，每单最多计 5 天。

## 三、发放

每月 15 日发放上月已确认的奖励。
"""
INTERNAL = """---
title: 晴川车行内部结算表
audience: hq
---
# 晴川车行内部结算表

## 补贴

车行每个骑行日另得总部补贴 30 元，按季度结算。
"""


def _settings(tmp_path: Path) -> Settings:
    # one hit per search: what the search returns is the pointer alone, as when the rule ranks low
    handbooks = {"rentals.md": RENTALS, "rewards.md": REWARDS, "internal.md": INTERNAL}
    return handbook_kb(tmp_path, handbooks, search_k=1)[0]


def test_the_answer_quotes_the_rule_from_the_referenced_handbook(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    question = "粉丝通过我的推荐码租用单车，单车租赁按骑行日怎么计奖励？"
    kb = KnowledgeBase(settings)
    koc = Viewer.koc(None, None)
    assert [h.source for h in kb.search(question, viewer=koc).hits] == ["rentals.md"]  # the pointer only
    result = build_copilot(settings, chat_model=None, kb=kb).ask(question, PRIVATE_KOC)
    assert not result.refused
    assert "6 元" in result.answer and "5 天" in result.answer, result.answer
    assert {c.source for c in result.citations} >= {"rentals.md", "rewards.md"}


def test_a_reference_to_a_page_the_asker_may_not_read_is_not_followed(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    question = "车行的结算周期与补贴是怎样的？"
    copilot = build_copilot(settings, chat_model=None)
    koc_answer = copilot.ask(question, PRIVATE_KOC)
    assert "30 元" not in koc_answer.answer and "internal.md" not in {c.source for c in koc_answer.citations}
    hq_answer = copilot.ask(question, Identity(role="hq", token="test-token-of-hq"))
    assert "30 元" in hq_answer.answer, hq_answer.answer  # HQ reads the referenced page


def test_hits_are_unchanged_when_the_evidence_refers_to_nothing(tmp_path: Path) -> None:
    kb = KnowledgeBase(_settings(tmp_path))
    koc = Viewer.koc(None, None)
    question = "骑行装备退货还计奖励吗？"
    hits = kb.search(question, k=1, viewer=koc).hits
    assert [h.source for h in hits] == ["rewards.md"]
    assert with_referenced(kb, question, hits, [(0, "骑行装备按实付金额的 8% 计奖励。")], koc) == hits
    # a sentence citing the document it stands in is followed nowhere either
    assert with_referenced(kb, question, hits, [(0, "具体标准见《奖励细则》。")], koc) == hits


SETTLEMENT = """---
title: 晴川结算规则
audience: koc
---
# 晴川结算规则

## 冻结期

| 订单类型 | 冻结起算 | 冻结天数 |
|---|---|---|
| 骑行装备 | 签收当天 | 15 天 |
| 头盔与护具 | 签收当天 | 10 天 |
| 单车租赁 | 见《晴川租车说明》 | — |
"""
RENTAL_RULES = """---
title: 晴川租车说明
audience: koc
---
# 晴川租车说明

## 租车奖励

- 租车不计入月度销量，也不影响等级；
- 单车归还并验收以后，再过 4 天奖励转为可发放；
- 续租的部分同样计奖励。
"""


def test_a_table_cell_that_defers_to_another_handbook_is_answered_from_it(tmp_path: Path) -> None:
    """The freeze table's rental row says only "见《晴川租车说明》"; the rental rules are among the hits but
    their sentence shares few words with the question. The row's value is there, so it is quoted."""
    settings, kb = handbook_kb(tmp_path, {"settlement.md": SETTLEMENT, "rental.md": RENTAL_RULES}, search_k=4)
    question = "单车租赁的冻结期是多少天？"
    assert {h.source for h in kb.search(question, viewer=Viewer.koc(None, None)).hits} >= {"settlement.md", "rental.md"}
    result = build_copilot(settings, chat_model=None, kb=kb).ask(question, PRIVATE_KOC)
    assert not result.refused and "再过 4 天" in result.answer, result.answer
    assert "rental.md" in {c.source for c in result.citations}


EQUIPMENT = """---
title: 晴川骑行装备奖励表
audience: koc
---
# 晴川骑行装备奖励表

## 二、各类装备的奖励比例

| 装备类别 | 奖励比例 | 说明 |
| --- | --- | --- |
| 头盔 | 6% | 含儿童头盔和护具 |
| 骑行服 | 8% | 含手套、袖套和骑行袜 |
| 车灯 | 10% | 清仓周期间调整为 4% |
| 码表 | 7% | 不含支架和传感器配件 |

补充说明：

1. 一笔订单含多类装备的，分别按各自类别的比例计奖励，不合并计算；
2. 「清仓周」指每年 3 月和 9 月的最后一周，清仓周只有车灯的比例下调，其他类别不变；
3. 单笔订单的奖励最多 200 元，超出部分不发放。
"""


def test_the_rest_of_a_section_cut_into_chunks_joins_the_evidence(tmp_path: Path) -> None:
    """The notes under a table read closest to the question, and the table is another chunk of the same
    section: the row that states the value (车灯 · 清仓周期间调整为 4%) is quoted with the note."""
    settings, kb = handbook_kb(tmp_path, {"equipment.md": EQUIPMENT}, search_k=1, chunk_size=160)
    question = "清仓周期间车灯的比例下调到多少？"
    koc = Viewer.koc(None, None)
    hits = kb.search(question, viewer=koc).hits
    assert len(hits) == 1 and "清仓周只有车灯的比例下调" in hits[0].text and "4%" not in hits[0].text
    section = kb.section_chunk_ids(hits[0].chunk_id)  # the table and the notes under it
    assert len(section) == 2 and hits[0].chunk_id in section
    whole = with_section_rest(kb, question, hits, 0, koc)
    assert len(whole) == 2 and whole[0] == hits[0] and whole[1].heading_path == hits[0].heading_path
    assert [h.rank for h in whole] == [1, 2]
    result = build_copilot(settings, chat_model=None, kb=kb).ask(question, PRIVATE_KOC)
    assert not result.refused and "4%" in result.answer, result.answer


def test_a_section_in_one_chunk_has_no_rest_to_add(tmp_path: Path) -> None:
    kb = KnowledgeBase(_settings(tmp_path))
    koc = Viewer.koc(None, None)
    question = "骑行装备退货还计奖励吗？"
    hits = kb.search(question, k=1, viewer=koc).hits
    assert kb.section_chunk_ids(hits[0].chunk_id) == [hits[0].chunk_id]
    assert with_section_rest(kb, question, hits, 0, koc) == hits


RENTAL_TABLE = """---
title: 晴川单车租赁推广说明
audience: koc
---
# 晴川单车租赁推广说明

## 二、租赁车型与押金

| 车型 | 押金 | 说明 |
| --- | --- | --- |
| 城市通勤车 | 200 元 | 含车锁和车筐 |
| 山地车 | 500 元 | 含头盔一顶 |
| 折叠车 | 300 元 | 可放进地铁 |
| 儿童车 | 150 元 | 仅限 12 岁以下 |

补充说明：

1. 粉丝通过你的推荐码租用单车，单车租赁按骑行日计奖励，标准见《奖励细则》；
2. 租车不计入月度销量，也不影响等级；
3. 押金在还车验收后 3 个工作日内原路退回。
"""


def test_a_reference_in_a_section_cut_into_chunks_is_still_followed(tmp_path: Path) -> None:
    """The best sentence defers to another handbook and its section was cut into chunks: the section's rest
    joins the evidence first, so the referenced rule (6 元 a day) stays in the answer."""
    settings, kb = handbook_kb(tmp_path, {"rentals.md": RENTAL_TABLE, "rewards.md": REWARDS}, search_k=1, chunk_size=160)
    result = build_copilot(settings, chat_model=None, kb=kb).ask("粉丝用我的推荐码租单车，按骑行日怎么计奖励？", PRIVATE_KOC)
    assert not result.refused and "6 元" in result.answer, result.answer
