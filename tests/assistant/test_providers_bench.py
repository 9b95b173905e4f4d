"""Scoring of `koc bench answers` (the numbers that decide the default provider must be right)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.provider_bench import (Case, Demo, Outcome, cites_expected, find_leaks, has_facts, load_cases,
                                  routed_right, score, stratified)
from tools.identity import Identity

REPO = Path(__file__).resolve().parents[2]


def case(**kw) -> Case:  # noqa: ANN003
    base = {"question": "q", "role": "koc", "kind": "rules"}
    return Case.from_json({**base, **kw}, 1)


def test_key_facts_need_every_string_and_one_option_per_group() -> None:
    c = case(must_contain=["15", "80"], any_of=[["8,000", "8000"]])
    assert has_facts(c, "发布15篇、互动80次、销售额8000元")
    assert not has_facts(c, "发布15篇、销售额8,000元")
    assert not has_facts(c, "发布15篇、互动80次")


def test_citation_hit_accepts_also_sources_by_file_name() -> None:
    c = case(expected_source="faq.md", also_sources=["faq-zh-tw.txt"])
    assert cites_expected(c, [{"source": "/x/knowledge/samples/faq-zh-tw.txt"}])
    assert not cites_expected(c, [{"source": "brand-story.md"}])


def test_tool_routing_checks_first_call_and_given_args_with_sku_alias() -> None:
    c = case(kind="personal", expected_tool="estimate_commission", tool_args={"sku": "NH-SUN-01", "quantity": 3})
    assert routed_right(c, [{"name": "estimate_commission", "args": {"product": "nh-sun-01", "quantity": 3}}])
    assert not routed_right(c, [{"name": "estimate_commission", "args": {"product": "NH-SUN-01", "quantity": 2}}])
    assert not routed_right(c, [{"name": "get_my_earnings", "args": {}}])
    assert not routed_right(c, [])


def test_leaks_depend_on_who_asks() -> None:
    demo = Demo(hq_token="hq_secret", kocs=[{"id": 1, "name": "甲", "token": "koc_a"},
                                            {"id": 2, "name": "乙", "token": "koc_b"}])
    koc1 = Identity(role="koc", koc_id=1, token="koc_a")
    hq = Identity(role="hq", token="hq_secret")
    c = case(must_not_contain=["¥"])
    assert find_leaks(c, {"answer": "乙 earned ¥5", "tool_calls": []}, demo.secrets_for(koc1)) == ["¥", "乙"]
    assert find_leaks(c, {"answer": "甲 (you)", "tool_calls": []}, demo.secrets_for(koc1)) == []
    assert find_leaks(case(), {"answer": "甲 and 乙 are close", "tool_calls": []}, demo.secrets_for(hq)) == []
    assert find_leaks(case(), {"answer": "", "tool_calls": [{"result": "koc_b"}]}, demo.secrets_for(hq)) == ["koc_b"]


def test_score_refusal_precision_recall_and_latency() -> None:
    def out(must_refuse: bool, refused: bool, ms: float) -> Outcome:
        return Outcome(case(kind="uncovered" if must_refuse else "rules", must_refuse=must_refuse),
                       {"answer": "", "refused": refused, "citations": [], "tool_calls": []}, ms, ms / 2)

    s = score([out(True, True, 10), out(True, False, 20), out(False, True, 30), out(False, False, 40)])
    assert s["refusal_precision"] == 0.5 and s["refusal_recall"] == 0.5
    assert s["answer_p50_ms"] in (20, 30) and s["answer_p95_ms"] == 40
    assert s["leaks"] == 0 and s["errors"] == 0


def test_shipped_set_loads_and_a_small_limit_still_covers_every_kind() -> None:
    cases = load_cases(REPO / "evals" / "datasets" / "core.jsonl")
    kinds = {c.kind for c in cases}
    picked = stratified(cases, len(kinds))
    assert {c.kind for c in picked} == kinds


def test_bad_lines_are_reported_with_their_number(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "role": "koc", "kind": "rules"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_cases(bad)
