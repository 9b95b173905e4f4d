"""A handbook's reference to another by title: which titles a passage cites, which document a
cited title names (among those the asker may read), and a search kept inside that document."""

from __future__ import annotations

from pathlib import Path

from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from knowledge.references import cited_titles, matching_title
from knowledge.types import SearchFilters
from tests.handbooks import handbook_kb

TITLES = {"rules.md": "晴川会员计划 积分细则", "faq.md": "晴川会员常见问题（繁體）",
          "guide.md": "会员、店员、导购：定义与分工"}


def test_cited_titles_are_the_titles_a_passage_sends_the_reader_to() -> None:
    text = "按间夜计分，标准见《积分细则》；处罚按《会员守则》执行，另见《积分细则》。书名《小王子》不是引用。"
    assert cited_titles(text) == ["积分细则", "会员守则"]
    assert cited_titles("积分每月清零一次。") == []


def test_a_cited_title_names_the_document_that_holds_it_or_most_of_it() -> None:
    assert matching_title("积分细则", TITLES) == "rules.md"  # the brand's name before the title is left out
    assert matching_title("会员、店员、导购 定义与分工", TITLES) == "guide.md"  # punctuation differs
    assert matching_title("会员常见问题", TITLES) == "faq.md"
    assert matching_title("礼品目录", TITLES) is None  # a document the knowledge base does not hold
    assert matching_title("会员", {"a": "会员守则", "b": "会员须知"}) is None  # two named as well: no guess


POINTS = "---\ntitle: 晴川积分细则\naudience: koc\n---\n# 晴川积分细则\n## 兑换\n每 100 积分可兑换 1 元，兑换后 3 天内到账。\n"
GUIDE = "---\ntitle: 晴川新人指南\naudience: koc\n---\n# 晴川新人指南\n## 积分\n积分可以兑换现金，标准见《积分细则》。\n"
MEMO = "---\ntitle: 晴川内部积分备忘\naudience: hq\n---\n# 晴川内部积分备忘\n## 兑换\n积分兑换的内部成本按每 100 积分 0.6 元核算。\n"


def _kb(tmp_path: Path) -> KnowledgeBase:
    return handbook_kb(tmp_path, {"points.md": POINTS, "guide.md": GUIDE, "memo.md": MEMO})[1]


def test_a_reference_names_only_a_document_the_asker_may_read(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    koc = Viewer.koc(None, None)
    assert kb.referenced_document("积分细则", koc) == "points.md"
    assert kb.referenced_document("内部积分备忘", koc) is None  # an HQ page: the reference leads nowhere
    assert kb.referenced_document("内部积分备忘", None) == "memo.md"


def test_a_search_kept_inside_one_document_returns_only_its_chunks(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    koc = Viewer.koc(None, None)
    inside = kb.search("积分怎么兑换", k=5, filters=SearchFilters(source="points.md"), viewer=koc).hits
    assert inside and {h.source for h in inside} == {"points.md"}
    assert {h.source for h in kb.search("积分怎么兑换", k=5, viewer=koc).hits} >= {"points.md", "guide.md"}
    # the viewer still decides: a KOC searching inside an HQ page finds nothing there
    assert kb.search("积分兑换成本", k=5, filters=SearchFilters(source="memo.md"), viewer=koc).hits == []
