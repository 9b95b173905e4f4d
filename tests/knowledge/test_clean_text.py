"""Web and PDF debris is removed before chunking, so a sentence keeps its whole fact: stray tags
and entities, pinyin glosses after Chinese words, and the line wraps of PDF pages. Checked on the
functions and through real ingest (pypdf, Chroma, BM25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.clean_text import clean_text, join_wrapped_lines, remove_pinyin_glosses, remove_stray_markup
from knowledge.kb import KnowledgeBase
from knowledge.loaders import load_file
from knowledge.sentences import split_sentences

from .fixtures import make_pdf


@pytest.mark.parametrize(("raw", "clean"), [
    ("佣金（yōng jīn）按月结算。", "佣金按月结算。"),
    ("冻(dong4)结期十四天", "冻结期十四天"),
    ("新手营（xīn shǒu yíng）第三天", "新手营第三天"),
    ("拼团（pin tuan）规则", "拼团规则"),
])
def test_pinyin_glosses_go(raw: str, clean: str) -> None:
    assert remove_pinyin_glosses(raw) == clean


@pytest.mark.parametrize("kept", [
    "防晒乳（SPF50）", "金牌等级 (Gold) 倍数 1.3", "联系人（Lin）", "小红书（Xiaohongshu）", "(ni) 不是中文后面",
    "价格（¥199）", "第（2）条",
])
def test_glosses_that_are_not_pinyin_stay(kept: str) -> None:
    assert remove_pinyin_glosses(kept) == kept


def test_stray_tags_and_entities_go_but_comparisons_stay() -> None:
    raw = "标题 < 20 字<br>正文&nbsp;不超过 1000 字 &amp; 九图<span class='hl'>以内</span>"
    assert remove_stray_markup(raw) == "标题 < 20 字\n正文 不超过 1000 字 & 九图以内"
    assert remove_stray_markup("| 等级 | 说明<br>备注 |") == "| 等级 | 说明 备注 |"  # a table row stays one row
    assert remove_stray_markup("见 <https://example.com/a> 或 a<b") == "见 <https://example.com/a> 或 a<b"


def test_wrapped_pdf_lines_are_joined_and_short_lines_keep_their_break() -> None:
    page = ("退款成功后，对应订单的佣金会在下一次结算时从可结算余额中扣回，已经\n"
            "打款的部分从下月佣金里抵扣，不足部分顺延到之后的月份继续扣除。\n"
            "二、违规处理\n"
            "1. 刷单一经发现立即清退。\n"
            "Refunds are deducted from the next settlement, and anything already paid out is\n"
            "taken from the following month.")
    lines = join_wrapped_lines(page).split("\n")
    assert lines[0].endswith("已经打款的部分从下月佣金里抵扣，不足部分顺延到之后的月份继续扣除。")
    assert "二、违规处理" in lines and "1. 刷单一经发现立即清退。" in lines
    assert "paid out is taken from the following month." in lines[-1]


def test_clean_text_does_both() -> None:
    assert clean_text("<p>冻结期（dòng jié qī）&nbsp;14 天</p>") == "冻结期 14 天"


def test_a_fact_wrapped_across_pdf_lines_is_one_sentence_after_ingest(tmp_path: Path) -> None:
    wide = "本计划的佣金每月结算一次，冻结期结束后的可结算佣金会在每月的十号"
    (tmp_path / "docs").mkdir()
    pdf = make_pdf(tmp_path / "docs" / "settlement.pdf", [wide, "统一打款到绑定的银行卡（yín háng kǎ），遇到节假日顺延到下一个工作日。", "附：常见问题"])
    doc = load_file(pdf)
    sentences = [s for sec in doc.sections for s in split_sentences(sec.text)]
    whole = next(s for s in sentences if "十号" in s)
    assert "统一打款到绑定的银行卡，遇到节假日顺延" in whole and "yín" not in whole
    kb = KnowledgeBase(Settings(home=tmp_path / "home", embed_provider="hashing"))
    (tmp_path / "docs" / "settlement.pdf.meta.yaml").write_text("audience: all\n", encoding="utf-8")
    kb.ingest([tmp_path / "docs"])
    hits = kb.search("佣金几号打款到银行卡？", k=3, viewer=Viewer.public()).hits
    assert hits and "十号统一打款到绑定的银行卡" in hits[0].text


def test_a_short_last_piece_ends_the_paragraph_even_after_a_join() -> None:
    wide = "a" * 60
    page = f"{wide}\nshort end\nNext paragraph starts here"
    assert join_wrapped_lines(page).split("\n") == [f"{wide} short end", "Next paragraph starts here"]


def test_a_clause_that_turns_on_the_one_before_stays_with_it() -> None:
    """"新人不会降级；但连续 90 天没有订单的，账号停用": the exception quoted alone would drop the rule it excepts
    (the asker's "会被降级吗" is answered by the first half). A semicolon between two rules still ends one."""
    assert split_sentences("新人不会降级；但连续 90 天没有订单的，账号停用。下一条。") == [
        "新人不会降级；但连续 90 天没有订单的，账号停用。", "下一条。"]
    assert split_sentences("Tiers stay; unless you sell nothing for 90 days.") == ["Tiers stay; unless you sell nothing for 90 days."]
    assert split_sentences("每月 5 日评定；每年复核两次。") == ["每月 5 日评定；", "每年复核两次。"]
