"""Chunker: sentence boundaries in Chinese and English, size/overlap, heading paths, content-hash ids."""

from __future__ import annotations

import pytest

from knowledge.chunker import chunk_document, chunk_id, chunk_text, split_sentences
from knowledge.sentences import split_sentences as quoted_sentences
from knowledge.loaders import LoadedDocument, Section


def test_chinese_sentences_split_on_full_width_punctuation() -> None:
    assert split_sentences("先注册。再填写资料！有问题吗？“可以。”然后；结束") == [
        "先注册。", "再填写资料！", "有问题吗？", "“可以。”", "然后；", "结束\n"]


def test_english_sentences_split_but_not_on_decimals() -> None:
    assert split_sentences("The rate is 1.2 times. Settlement is monthly! Really?") == [
        "The rate is 1.2 times.", "Settlement is monthly!", "Really?\n"]


def test_chunks_respect_size_and_overlap_in_chinese() -> None:
    sentences = [f"第{i}句话说明一条规则，内容足够长一些。" for i in range(30)]
    chunks = chunk_text("".join(sentences), size=80, overlap=30)
    assert len(chunks) > 5
    assert all(len(c) <= 80 for c in chunks)
    for a, b in zip(chunks, chunks[1:]):  # the next chunk starts with the tail sentence(s) of the previous
        first = split_sentences(b)[0].strip()
        assert a.endswith(first)
    assert all(c.endswith("。") for c in chunks)  # never cut inside a sentence


def test_english_chunks_keep_word_spacing() -> None:
    text = " ".join(f"Rule number {i} explains one thing clearly." for i in range(20))
    chunks = chunk_text(text, size=120, overlap=0)
    assert all(len(c) <= 120 for c in chunks)
    assert "clearly. Rule number" in chunks[0]


def test_overlong_sentence_is_cut_at_commas() -> None:
    long = "，".join(["每一项都很重要"] * 40) + "。"
    chunks = chunk_text(long, size=50, overlap=0)
    assert all(len(c) <= 50 for c in chunks)
    assert "".join(chunks) == long


def test_heading_path_and_ids_are_content_hashes() -> None:
    doc = LoadedDocument(title="规则", sections=[Section(["规则", "佣金"], "佣金每月结算。"),
                                                 Section(["规则", "等级"], "佣金每月结算。")])
    chunks = chunk_document(doc, size=100, overlap=10)
    assert [c.heading_path for c in chunks] == [("规则", "佣金"), ("规则", "等级")]
    assert chunks[0].chunk_id == chunk_id("佣金每月结算。", ["规则", "佣金"])
    assert chunks[0].chunk_id != chunks[1].chunk_id  # same text under another heading is another chunk
    # normalisation: whitespace and full-width forms do not change the id; the source file never enters it
    assert chunk_id("佣金  每月结算。", ["规则", "佣金"]) == chunk_id("佣金 每月结算。", ["规则", "佣金"])


def test_overlap_must_be_smaller_than_size() -> None:
    with pytest.raises(ValueError):
        chunk_document(LoadedDocument(title="t", sections=[Section([], "x")]), size=50, overlap=50)


def test_a_chunk_starting_inside_a_table_repeats_its_header() -> None:
    """A long table split over chunks: every later chunk carries the header row, so a quoted row
    reads "佣金倍数: ×1.3" rather than a bare "×1.3" (knowledge.sentences reads rows with it)."""
    from knowledge.sentences import split_sentences as quotable

    rows = "\n".join(f"| 等级{i} | {i * 5} 篇 | ×1.{i} |" for i in range(1, 10))
    text = "下表是门槛。\n| 等级 | 笔记 | 佣金倍数 |\n|---|---|---|\n" + rows + "\n表后的说明。"
    chunks = chunk_text(text, 90, 20)
    assert len(chunks) >= 3
    with_rows = [c for c in chunks if "| 等级" in c and "篇 |" in c]
    assert all(c.count("| 等级 | 笔记 | 佣金倍数 |") == 1 for c in with_rows)
    assert all(f"| 等级{i} |" in "".join(chunks) for i in range(1, 10))  # no row lost
    last_rows = quotable(with_rows[-1])
    assert any(s.startswith("等级: 等级9") and "佣金倍数: ×1.9" in s for s in last_rows), last_rows
    plain = chunk_text("第一句话。" * 40, 90, 20)  # no table: nothing added
    assert not any("|" in c for c in plain)


def test_a_loaded_table_without_outer_pipes_repeats_its_header_too(tmp_path) -> None:
    """The Markdown loader hands tables on as "a | b" lines (no separator): the header is the
    first row, a row of names, and a chunk starting mid-table repeats it."""
    from knowledge.loaders import load_file
    from knowledge.sentences import split_sentences as quotable

    rows = "\n".join(f"| Tier{i} | {i * 5} | x1.{i} |" for i in range(1, 10))
    md = tmp_path / "tiers.md"
    md.write_text(f"# Tiers\n\nThe tiers.\n\n| Tier | Posts | Multiplier |\n|---|---|---|\n{rows}\n", encoding="utf-8")
    doc = load_file(md)
    chunks = [c.text for c in chunk_document(doc, size=90, overlap=20)]
    assert len(chunks) >= 3
    last = quotable(chunks[-1])
    assert any(s.startswith("Tier: Tier9") and "Multiplier: x1.9" in s for s in last), last


def test_lines_drawn_across_the_page_are_no_sentences() -> None:
    """A rule of ===== framing a heading in a text file would be quoted as a line of the answer."""
    assert quoted_sentences("案例对比\n========\n三家店都做了社群。\n---\n- 列表项\n____") == ["案例对比", "三家店都做了社群。", "列表项"]


def test_a_question_quoted_inside_a_sentence_stays_in_it() -> None:
    """"开头抛出一个问题，例如“早餐只有五分钟怎么办？”。" is one rule: cut at the quoted "？", it lost its closing
    quote and read as a handbook's own question, whose "answer" became the lines below it."""
    text = "- 开头抛出一个问题，例如“早餐只有五分钟怎么办？”。\n- 口播里不说「最好！」这类词。然后展示质地。"
    assert quoted_sentences(text) == ["开头抛出一个问题，例如“早餐只有五分钟怎么办？”。", "口播里不说「最好！」这类词。", "然后展示质地。"]
    # a quotation that does not close on its line cuts as any other text
    assert quoted_sentences("他说“先注册。再填资料。") == ["他说“先注册。", "再填资料。"]


def test_a_list_items_number_stays_with_its_text() -> None:
    """"3. 赠品不计分…" is one item: its number alone was a "sentence", so a chunk could end on a bare
    "3." and the item's rule start the next chunk without it."""
    text = "附加说明：\n1. 赠品不计积分；\n2. 每天最多累计 50 积分。多出的部分作废。\n3. 会员日积分翻倍。\n"
    assert split_sentences(text) == ["附加说明：\n", "1.赠品不计积分；\n", "2.每天最多累计 50 积分。",
                                     "多出的部分作废。\n", "3.会员日积分翻倍。\n"]  # joined as chunks join
    assert split_sentences("B. Bring the receipt. Then sign.") == ["B. Bring the receipt.", "Then sign.\n"]
    for chunk in chunk_text(text * 6, 60, 10):
        assert not chunk.rstrip().endswith(("1.", "2.", "3.")), chunk


def test_a_row_whose_cells_hold_semicolons_stays_one_row_under_its_header() -> None:
    """"2 层；可拆洗；附说明书" in a cell ends no sentence: a chunk never starts inside a row, and every
    row after the first still reads with the header's names (the table does not restart at the row)."""
    rows = "\n".join(f"| X-{i}0{i} | 型号{i} | {i} 层；{i}00 克；附说明书 | ¥{i}99 |" for i in range(1, 9))
    text = "| 代码 | 名称 | 规格 | 价格 |\n|---|---|---|---|\n" + rows
    assert all(s.startswith("|") for s in split_sentences(text))
    chunks = chunk_text(text, 160, 60)
    assert len(chunks) >= 3
    for chunk in chunks:
        assert all(line.startswith("|") and line.endswith("|") for line in chunk.splitlines()), chunk  # no row cut
        assert all(s.startswith("代码: ") for s in quoted_sentences(chunk)), quoted_sentences(chunk)
