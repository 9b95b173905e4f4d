"""The answer guard on hand-made answers: invented citations, unsupported sentences, invented
earnings, missing citations, leaked tokens and system prompt."""

from __future__ import annotations

from knowledge.types import Hit

from assistant.guard import AnswerGuard, numbers_in, split_generated, tool_numbers
from assistant.prompts import SYSTEM_PROMPT
from assistant.security import scrub_secrets

HITS = [
    Hit(rank=1, score=0.9, chunk_id="c1", source="koc-programme-rules.md",
        text="绽放KOC的门槛：发布 5 篇笔记、累计 300 次互动、净销售额 ¥2,000、社群 20 人。绽放KOC的佣金系数是 ×1.1。"),
    Hit(rank=2, score=0.8, chunk_id="c2", source="commission-policy.docx",
        text="订单付款后佣金先冻结 15 天（退款期），之后转为可结算。每月 10 日结算上月可结算的佣金。"),
]


def test_supported_sentences_keep_their_citations() -> None:
    result = AnswerGuard(HITS).check("绽放KOC的佣金系数是 ×1.1[1]。佣金先冻结 15 天，之后转为可结算[2]。")
    assert not result.weak and not result.dropped
    assert result.text == "绽放KOC的佣金系数是 ×1.1[1]。佣金先冻结 15 天，之后转为可结算[2]。"
    assert [(c.n, c.chunk_id) for c in result.citations] == [(1, "c1"), (2, "c2")]


def test_invented_citation_is_dropped_and_repaired() -> None:
    result = AnswerGuard(HITS).check("佣金先冻结 15 天，之后转为可结算[7]。")
    assert "[7]" not in result.text and "[1]" in result.text  # re-cited to the chunk that supports it
    assert result.citations[0].chunk_id == "c2"


def test_missing_citation_is_attached_to_the_best_chunk() -> None:
    result = AnswerGuard(HITS).check("每月 10 日结算上月可结算的佣金。")
    assert result.text.endswith("[1]。") and result.citations[0].chunk_id == "c2"


def test_wrong_citation_is_moved_to_the_supporting_chunk() -> None:
    result = AnswerGuard(HITS).check("每月 10 日结算上月可结算的佣金[1]。")
    assert result.citations[0].chunk_id == "c2"


def test_unsupported_sentence_is_dropped() -> None:
    answer = "绽放KOC的佣金系数是 ×1.1[1]。暖岛明年将在北京、上海和广州开设线下旗舰店[2]。"
    result = AnswerGuard(HITS).check(answer)
    assert "北京" not in result.text and "×1.1" in result.text
    assert any("北京" in s for s, _ in result.dropped)


def test_invented_number_is_dropped_even_with_a_citation() -> None:
    result = AnswerGuard(HITS).check("绽放KOC需要发布 8 篇笔记[1]。")
    assert result.text == "" and result.weak


def test_invented_earnings_are_dropped_but_tool_numbers_pass() -> None:
    tool_result = {"total_cents": 123456, "orders": 7, "period": "2026-11"}
    guard = AnswerGuard([], [tool_result], tool_text="你 2026-11 的佣金合计 ¥1,234.56，共 7 笔订单。")
    ok = guard.check("你这个月的佣金是 ¥1,234.56，共 7 笔订单。", need_citation=False)
    assert "1,234.56" in ok.text and not ok.weak
    bad = AnswerGuard([], [tool_result], tool_text="").check("你这个月赚了 ¥9,999.00。", need_citation=False)
    assert "9,999" not in bad.text and bad.weak


def test_tokens_and_system_prompt_are_removed() -> None:
    token = "koc_0123456789abcdef0123456789abcdef01234567"
    guard = AnswerGuard(HITS, secrets=[token])
    out = guard.check(f"你的令牌是 {token}。{SYSTEM_PROMPT[:80]}。绽放KOC的佣金系数是 ×1.1[1]。")
    assert token not in out.text and SYSTEM_PROMPT[:40] not in out.text
    assert "×1.1" in out.text


def test_a_long_file_name_is_no_token_but_keys_are() -> None:
    """"04-content-livestream-compliance.md" is 32 letters, digits and hyphens long, and a compliance reply
    showed it as "[已隐去].md": words joined by hyphens are a name. Keys, demo tokens and anything with
    a key's prefix are still removed, however they are spelled."""
    named = "内容规范见 04-content-livestream-compliance.md 第二节"
    assert scrub_secrets(named) == named
    for key in ("sk-abcdefghijklmnop1234", "koc_0123456789abcdef0123456789abcdef01234567",
                "koc-hq-token-of-koc-181-abcdefgh", "abcd1234efgh5678ijkl9012mnop3456qrst"):
        assert key not in scrub_secrets(f"令牌 {key} 已发"), key


def test_english_sentence_over_chinese_chunk_is_supported_via_glossary() -> None:
    result = AnswerGuard(HITS).check("Commission is frozen for 15 days, then becomes settleable [2].")
    assert "[1]" in result.text and not result.weak


def test_helpers() -> None:
    assert numbers_in("¥1,234.50 and 18% and ×1.1") == {"1234.5", "18", "1.1"}
    assert {"1234.56", "1,234"} & tool_numbers([{"total_cents": 123456}])
    assert split_generated("A句。[1]B句[2]。") == ["A句。[1]", "B句[2]。"]


TABLE = Hit(rank=1, score=0.9, chunk_id="t1", source="tiers.md",
            text="等级 | 发布笔记 | 粉丝数 | 佣金倍数\n|---|---|---|---|\n绽放KOC | 5 | - | ×1.1\n"
                 "星光KOC | 15 | 500 | ×1.2\n灯塔KOC | 40 | 2,000 | ×1.3")
RULE = Hit(rank=1, score=0.9, chunk_id="r1", source="rules.md",
           text="不可以向粉丝私下销售其他品牌的产品，违反会取消资格。")


def test_changed_number_is_caught_even_when_it_occurs_elsewhere_in_the_chunk() -> None:
    """The chunk freezes commission 15 days and settles on the 10th: "10 天" is a changed number,
    although 10 is in the chunk (as a date)."""
    result = AnswerGuard(HITS).check("佣金先冻结 10 天，之后转为可结算[2]。")
    assert not result.kept and "changes a quantity" in result.dropped[0][1]
    fine = AnswerGuard(HITS).check("佣金先冻结 15 天，每月 10 号结算[2]。")
    assert fine.kept and not fine.dropped


def test_negation_that_reverses_the_chunk_is_caught() -> None:
    result = AnswerGuard([RULE]).check("可以向粉丝私下销售其他品牌的产品[1]。")
    assert not result.kept and "reverses" in result.dropped[0][1]
    assert AnswerGuard([RULE]).check("不可以向粉丝私下销售其他品牌的产品[1]。").kept


def test_threshold_moved_to_another_row_is_caught() -> None:
    result = AnswerGuard([TABLE]).check("晋级灯塔KOC需要发布 15 篇笔记[1]。")
    assert not result.kept and "another row" in result.dropped[0][1]
    assert AnswerGuard([TABLE]).check("晋级星光KOC需要发布 15 篇笔记[1]。").kept
