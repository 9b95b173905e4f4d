"""A follow-up switches between the subjects a handbook's table has rows for, even when the
programme policy does not name them (another brand's tiers, listed only in its handbook)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from assistant.follow_up import conversation_query, with_end_tier, with_next_tier
from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from ui.compose import build_copilot
from tests.assistant.askers import PRIVATE_KOC
from tests.handbooks import handbook_kb

HANDBOOK = """---
audience: koc
---
# 成长等级

达人共分四个等级，从低到高依次为：青苗、绿叶、繁枝、大树。

| 等级 | 季度有效订单 | 其他条件 | 信用分要求 |
| --- | --- | --- | --- |
| 青苗 | 注册即得 | 无 | 无 |
| 绿叶 | 不少于 30 单 | 无 | 不低于 80 分 |
| 繁枝 | 不少于 90 单 | 新增推荐不少于 3 个 | 不低于 85 分 |
| 大树 | 不少于 240 单 | 累计推荐不少于 10 个 | 不低于 90 分 |

## 常见问题

问：等级多久评一次？
答：每个自然季度评一次，每次最多升一级。
"""

HIDDEN = """---
audience: hq
---
# 总部备忘

| 代号 | 说明 |
| --- | --- |
| 晨星计划 | 下季度的招募试点 |
"""


def _kb(tmp_path: Path) -> tuple[Settings, KnowledgeBase]:
    return handbook_kb(tmp_path, {"levels.md": HANDBOOK, "hq-memo.md": HIDDEN})


def test_row_keys_are_the_tables_subjects_a_viewer_may_read(tmp_path: Path) -> None:
    _, kb = _kb(tmp_path)
    keys = kb.row_keys(Viewer.koc(None, None))
    assert {"青苗", "绿叶", "繁枝", "大树"} <= set(keys)
    assert "晨星计划" not in keys and "晨星计划" in kb.row_keys(None)  # an HQ-only table's rows are HQ's


def test_a_follow_up_naming_another_row_asks_the_same_of_it(tmp_path: Path) -> None:
    """"那升到繁枝呢？" after "青苗升绿叶要满足什么条件？": with the table's rows as things a follow-up
    switches between, the earlier tiers are replaced (繁枝 + 满足 条件), not searched with the new
    one, which led the search back to the earlier tiers' row."""
    settings, kb = _kb(tmp_path)
    rules = build_copilot(settings, chat_model=None, kb=kb).rules_answer
    earlier = "青苗升绿叶要满足什么条件？"
    turn = SimpleNamespace(recent=[("user", earlier), ("assistant", "……")], identity=PRIVATE_KOC, profile=kb.profile())
    switchable = rules.switchable(turn)
    assert {"青苗", "绿叶", "繁枝"} <= set(switchable) and "晨星计划" not in switchable
    query = conversation_query("那升到繁枝呢？", [earlier], rules.names(turn), switchable)
    assert "繁枝" in query and "条件" in query and "青苗" not in query and "绿叶" not in query, query
    # with only the policy's names (another programme's tiers), the earlier tiers stayed in the query
    assert "绿叶" in conversation_query("那升到繁枝呢？", [earlier], rules.names(turn), rules.entities)
    assert rules.switchable(SimpleNamespace(recent=[], identity=PRIVATE_KOC)) == rules.entities  # no earlier turn



def test_the_ladder_is_the_handbooks_tier_table_when_no_policy_names_it(tmp_path: Path) -> None:
    """A brand without a policy still has a ladder: its handbook's tier table, in order. "The top tier"
    (and "the next tier") are named from it, so the top tier's row is searched for by its name."""
    settings, kb = _kb(tmp_path)
    assert kb.tier_ladder(Viewer.koc(None, None)) == ["青苗", "绿叶", "繁枝", "大树"]  # not the HQ table's 代号
    no_policy = settings.model_copy(update={"policy": tmp_path / "no-policy.yaml"})
    rules = build_copilot(no_policy, chat_model=None, kb=kb).rules_answer
    ladder = rules.ladder(SimpleNamespace(identity=PRIVATE_KOC))
    assert list(ladder) == ["青苗", "绿叶", "繁枝", "大树"]
    assert with_end_tier("升到最高等级要满足什么条件？", ladder) == "升到最高等级（大树）要满足什么条件？"
    assert with_end_tier("最低等级能申请试用吗？", ladder) == "最低等级（青苗）能申请试用吗？"
    assert with_end_tier("What does the top tier require?", ladder) == "What does the top tier (大树) require?"
    assert with_end_tier("最高能拿多少佣金？", ladder) == "最高能拿多少佣金？"  # a ceiling, no tier
    assert "繁枝" in with_next_tier("那下一级呢？", ["升到绿叶要满足什么条件？"], ladder)
    assert "繁枝" in with_next_tier("那下一級呢？", ["升到綠葉要滿足什麼條件？"], ladder)  # 繁體: the same cue
    # a policy's ladder comes first: its tiers are the ones the commission service prices
    with_policy = build_copilot(settings, chat_model=None, kb=kb).rules_answer
    assert list(with_policy.ladder(SimpleNamespace(identity=PRIVATE_KOC))) != list(ladder)


NAMED = """---
audience: koc
---
# 成长等级

| 等级 | 英文名 | 佣金系数 |
| --- | --- | --- |
| 青苗 | Sprout | ×1.0 |
| 绿叶 | Leafling | ×1.1 |
| 繁枝 | Canopy | ×1.2 |

## 升级条件

| 升到 | 季度有效订单 | 信用分要求 |
| --- | --- | --- |
| 绿叶 | 不少于 30 单 | 不低于 80 分 |
| 繁枝 | 不少于 90 单 | 不低于 85 分 |
"""

NAMED_HQ = """---
audience: hq
---
# 总部代号

| 代号 | 英文名 | 说明 |
| --- | --- | --- |
| 晨星计划 | Morningstar | 下季度的招募试点 |
"""


def test_an_english_tier_name_from_the_handbooks_table_is_searched_by_its_chinese_name(tmp_path: Path) -> None:
    """A brand without a policy names its tiers in English only in a table beside the Chinese ones ("青苗 |
    Sprout"): "What do I need to get promoted to Leafling?" is asked of 绿叶, whose criteria row is the answer,
    not the row pairing the two names. An HQ-only table's English names are HQ's."""
    settings, kb = handbook_kb(tmp_path, {"levels.md": NAMED, "hq.md": NAMED_HQ})
    names = kb.english_names(Viewer.koc(None, None))
    assert names == {"Sprout": "青苗", "Leafling": "绿叶", "Canopy": "繁枝"}
    assert kb.english_names(None)["Morningstar"] == "晨星计划"
    no_policy = settings.model_copy(update={"policy": tmp_path / "no-policy.yaml"})
    copilot = build_copilot(no_policy, chat_model=None, kb=kb)
    assert copilot.rules_answer.with_names("I'm a Sprout. What do I need to get promoted to Leafling?",
                                           Viewer.koc(None, None)) == "I'm a 青苗. What do I need to get promoted to 绿叶?"
    # no viewer given: the public's names, never an HQ table's
    assert copilot.rules_answer.with_names("Is Morningstar still on?") == "Is Morningstar still on?"
    assert copilot.rules_answer.with_names("Is Morningstar still on?", Viewer.everything()) == "Is 晨星计划 still on?"
    # a name inside a longer word is not the name
    assert copilot.rules_answer.with_names("Canopy-style rules?", Viewer.koc(None, None)) == "Canopy-style rules?"
