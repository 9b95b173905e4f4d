"""An estimate quotes the handbook sentence stating its rate, as the asker may read it, and
nothing when no readable sentence states it (real knowledge base: Chroma + BM25)."""

from __future__ import annotations

from pathlib import Path

from assistant.rate_source import rate_citation
from base.language import to_simplified
from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from tools import catalog
from tools.policy import get_policy
from tools.reports import estimate


def _estimate(product: str, tier: str, kind: str = "private") -> dict:
    policy = get_policy(Settings().policy)
    return estimate(policy, catalog.resolve(policy, product), 2, kind, tier)


def test_a_tier_estimate_cites_the_sentence_with_that_tiers_multiplier(shared_kb) -> None:
    policy = get_policy(Settings().policy)
    top = policy.tiers[-1]
    result = _estimate(policy.products[0].sku, top.key)
    found = rate_citation(shared_kb, f"{top.name_zh}卖出两件能拿多少佣金？", result, Viewer.koc("private", top.key), "zh-CN")
    assert found is not None
    sentence, citation = found
    assert "[1]" in sentence and top.name_zh in sentence and result["multiplier"] in sentence
    assert citation.n == 1 and citation.chunk_id and top.name_zh in to_simplified(citation.text)  # either script


def test_an_external_estimate_cites_the_base_rate_not_a_tier(shared_kb) -> None:
    policy = get_policy(Settings().policy)
    product = policy.products[0]
    result = _estimate(product.sku, policy.tiers[0].key, kind="external")
    found = rate_citation(shared_kb, f"外部分销者卖出两件{product.name_zh}能拿多少佣金？", result,
                          Viewer.koc("external", None), "zh-CN")
    assert found is not None
    sentence, _ = found  # the base rate the estimate used, by the product's or category's name
    assert result["base_rate_percent"] in sentence
    assert not any(t.name_zh in sentence and f"×{result['multiplier']}" in sentence for t in policy.tiers)


def test_nothing_is_quoted_when_no_readable_sentence_states_the_rate(tmp_path: Path) -> None:
    """A handbook that never states the multiplier or the rate gives the estimate no citation, and
    the only page that does state it is HQ-only, so a KOC gets none either."""
    policy = get_policy(Settings().policy)
    top = policy.tiers[-1]
    result = _estimate(policy.products[0].sku, top.key)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "welcome.md").write_text("---\naudience: all\n---\n# 欢迎\n\n欢迎加入推荐计划，每月十号结算。\n", encoding="utf-8")
    (docs / "rates-internal.md").write_text(
        f"---\naudience: hq\n---\n# 内部倍数表\n\n{top.name_zh}的佣金倍数是 ×{result['multiplier']}。\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embed_provider="hashing"))
    kb.ingest([docs])
    question = f"{top.name_zh}卖出两件能拿多少佣金？"
    assert rate_citation(kb, question, result, Viewer.koc("private", top.key), "zh-CN") is None
    hq = rate_citation(kb, question, result, Viewer.everything(), "zh-CN")
    assert hq is not None and hq[1].source == "rates-internal.md"
    assert rate_citation(kb, question, {"error": "unknown product"}, Viewer.everything(), "zh-CN") is None


def test_a_rule_is_quoted_before_a_worked_example_of_another_sale(tmp_path: Path) -> None:
    """A worked example ("<tier>卖出 3 件：¥100 × 10% × <m> = …") names the tier and its multiplier too, but
    for a sale of its own; the sentence stating the multiplier as a rule is the one to check against."""
    policy = get_policy(Settings().policy)
    top = policy.tiers[-1]
    result = _estimate(policy.products[0].sku, top.key)
    m = result["multiplier"]
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "examples.md").write_text(f"---\naudience: all\n---\n# 算例\n\n{top.name_zh}卖3件：¥100×10%×{m}=¥3。\n",
                                      encoding="utf-8")
    (docs / "multipliers.md").write_text(
        f"---\naudience: all\n---\n# 等级倍数\n\n所有按比例计佣的商品，{top.name_zh}的佣金再乘以等级倍数 ×{m}，每月初按上月等级生效。\n",
        encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embed_provider="hashing"))
    kb.ingest([docs])
    found = rate_citation(kb, f"{top.name_zh}卖出两件能拿多少佣金？", result, Viewer.everything(), "zh-CN")
    assert found is not None and found[1].source == "multipliers.md", found
