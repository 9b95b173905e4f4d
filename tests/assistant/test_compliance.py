"""The compliance checker: planted violations caught with their spans, look-alikes passed, brand
terms and disclosure tags read from each brand's handbooks, platform limits enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.compliance.checker import TermMatcher
from assistant.compliance.kb_rules import content_rules
from assistant.compliance.rulebook import RulebookError, load_rulebook
from assistant.compliance.service import MAX_POST_CHARS, ComplianceChecker, DraftError, check_draft, checker_for
from evals.compliance_eval import DEFAULT_SET, SETS_DIR, load_labelled, score_sentences


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(load_rulebook())


@pytest.mark.parametrize("text, term", [
    ("这是我用过最好的面霜", "最好"), ("国内第一品牌出品", "第一品牌"), ("100%有效，放心买", "100%有效"),
    ("宝宝湿疹三天就根治了", "根治"), ("顶级原料打造", "顶级"), ("纯天然无副作用", "无副作用"),
    ("做这个月入过万", "月入过万"), ("這款絕對好用", "絕對"), ("醫學級修護", "醫學級"), ("全网NO.1的防晒", "NO.1"),
    ("用了它一个月瘦了5斤", "瘦了5斤"), ("每天喝，两周掉了三公斤", "掉了三公斤"), ("I lost 5 kg in a month", "lost 5 kg"),
])
def test_planted_violations_are_caught_with_their_span(matcher: TermMatcher, text: str, term: str) -> None:
    found = matcher.find(text)
    assert any(text[v.start:v.end] == v.term and term in v.term for v in found), found
    assert all(v.rule and v.suggestion and v.severity for v in found)


@pytest.mark.parametrize("text", [
    "最近换季脸有点干", "第一次用就很喜欢", "最后一步是涂防晒", "这是百分百真实的体验", "最好先在耳后试用一下",
    "第一，先看成分；第二，看肤质", "每天最多发三条", "不能写“最好”这类词", "它不是药，不能治疗湿疹，请及时就医",
    "最後一步記得擦防曬", "第一週每天都用", "这台料理机重 3 公斤", "米饭煮了 2 斤",
])
def test_look_alikes_pass(matcher: TermMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_rewrite_replaces_the_terms_it_can(matcher: TermMatcher) -> None:
    text = "这是最好用的面霜，100%有效"
    rewritten = matcher.rewrite(text, matcher.find(text))
    assert "最好" not in rewritten and "100%" not in rewritten and "面霜" in rewritten
    assert matcher.find(rewritten) == []


def test_labelled_report_set_meets_the_target(matcher: TermMatcher) -> None:
    """The shipped set: >= 150 sentences in both scripts, violations and look-alikes; P and R >= 0.95."""
    sentences = load_labelled(DEFAULT_SET)
    assert len(sentences) >= 150
    assert {s.lang for s in sentences} >= {"zh-CN", "zh-TW"} and {s.violation for s in sentences} == {True, False}
    result = score_sentences(sentences, matcher).as_dict()
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result["errors"]
    assert not {s.text for s in sentences} & {s.text for s in load_labelled(SETS_DIR / "compliance_dev.jsonl")}


def test_broken_rules_file_names_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("version: 1\nsources: {a: x}\nrules:\n  - {id: r1, name: n, category: c, severity: high, source: a,"
                   " suggestion: s, terms: [{term: '最('}]}\n", encoding="utf-8")
    with pytest.raises(RulebookError, match=r"rules\.r1\.terms\.0"):
        load_rulebook(bad)
    bad.write_text("version: 1\nsources: {a: x}\nrules:\n  - {id: r2, name: n, category: c, severity: high, source: nope,"
                   " suggestion: s, terms: []}\n", encoding="utf-8")
    with pytest.raises(RulebookError, match="unknown source 'nope'"):
        load_rulebook(bad)


def test_platform_limits_are_enforced() -> None:
    checker = ComplianceChecker(load_rulebook())
    ok_title = "接" * 20
    assert not checker.check_post(f"{ok_title}\n正文内容很短", "xiaohongshu").violations
    long = checker.check_post(f"{ok_title}多\n正文内容很短", "xiaohongshu").violations
    assert [v.rule_id for v in long] == ["platform-title"] and long[0].term == "多"
    assert not checker.check_post(f"{ok_title}多\n正文内容很短", "douyin").violations  # 抖音 titles may be 30
    body = checker.check_post("标题\n" + "字" * 1001, "xiaohongshu").violations
    assert [v.rule_id for v in body] == ["platform-body"]
    tags = checker.check_post("标题\n正文 " + " ".join(f"#t{i}" for i in range(7)), "douyin").violations
    assert [v.rule_id for v in tags] == ["platform-hashtags"]


def test_check_draft_refuses_what_is_not_a_draft_and_applies_the_brands_rules(shared_kb) -> None:
    for text, reason in ((None, "the draft is empty"), (" \n ", "the draft is empty"),
                         ("好" * (MAX_POST_CHARS + 1), "the limit is 20,000")):
        with pytest.raises(DraftError, match=reason):
            check_draft(shared_kb, text)
    with pytest.raises(DraftError, match="unknown platform 'weibo'; known: xiaohongshu"):
        check_draft(shared_kb, "这是我用过最好用的面霜", "weibo")
    draft = "这是我用过最好用的面霜"
    brand, shared_only = check_draft(shared_kb, draft, "xiaohongshu"), check_draft(None, draft, "xiaohongshu")
    assert [v.term for v in shared_only.violations] == ["最好"]
    assert [v.rule_id for v in brand.violations] == [shared_only.violations[0].rule_id, "disclosure"]  # the handbook's tag


def test_brand_terms_and_disclosure_come_from_the_knowledge_base(shared_kb, heldout_kb) -> None:
    sample, heldout = checker_for(shared_kb), checker_for(heldout_kb)
    assert sample.brand.disclosure_tags and heldout.brand.disclosure_tags
    assert set(sample.brand.disclosure_tags).isdisjoint(heldout.brand.disclosure_tags)
    words = {t.word for t in heldout.brand.banned}
    only_heldout = next(w for w in sorted(words) if not TermMatcher(load_rulebook()).find(w))  # a word only that brand bans
    assert heldout.terms(f"这款{only_heldout}的猫粮")
    assert not sample.terms(f"这款{only_heldout}的猫粮") or only_heldout in {t.word for t in sample.brand.banned}
    tag = heldout.brand.disclosure_tags[0]
    missing = heldout.check_post("换季掉毛，给猫咪梳毛的日常")
    assert [v.rule_id for v in missing.violations] == ["disclosure"] and tag in missing.violations[0].suggestion
    assert heldout.check_post(f"换季掉毛，给猫咪梳毛的日常 {tag}").passed


def test_kb_rules_ignore_prose_and_positive_examples() -> None:
    from types import SimpleNamespace

    chunk = SimpleNamespace(source="rules.md", heading_path='["规范", "禁用词"]',
                            text="以下用语不能出现在标题、正文、封面中：\n- 甲乙级（甲级、乙级等）\n- 丙丁\n只能描述为“好吃的零食”。")
    words = [t.word for t in content_rules([chunk]).banned]
    assert words == ["甲级", "乙级", "甲乙级", "丙丁"]


def test_quoted_words_a_sentence_bans_are_banned_but_not_what_they_describe() -> None:
    """"不能写“甲”“乙”" and "不得使用“丙”等词" ban the words; "不得用工具生成「丁」实拍效果冒充真实体验" bans
    faked footage of an unboxing, and the word 丁 stays free for any title."""
    from types import SimpleNamespace

    chunk = SimpleNamespace(source="rules.md", heading_path='["内容规范"]',
                            text="标题里不能写“甲甲”“乙乙”。\n不得使用“丙丙”等词。\n不要用“戊戊”这样的说法。\n"
                                 "不得用 AI 工具生成「丁丁」「己己」实拍效果冒充真实体验。")
    words = [t.word for t in content_rules([chunk]).banned]
    assert words == ["甲甲", "乙乙", "丙丙", "戊戊"]
