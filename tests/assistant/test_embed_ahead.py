"""A turn embeds its question, the question's twin in the handbooks' script and its parts in one batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embed_ahead import turn_texts
from base.settings import Settings
from ui.compose import build_copilot

#: 繁體 over the (简体) sample handbooks, two parts that each name their subject
QUESTION = "佣金在每月哪一天發放？退款的訂單要退回佣金嗎？"
#: a part leaning on the one before ("那…") is read on its own vector too: it is embedded with the rest
LEANING = "退款的订单要退回佣金吗？那一般多久以后扣回？"


def test_turn_texts_are_the_question_its_twin_and_its_parts(shared_kb) -> None:
    texts = turn_texts(shared_kb, QUESTION)
    assert texts[0] == QUESTION
    assert "佣金在每月哪一天发放？退款的订单要退回佣金吗？" in texts
    assert "佣金在每月哪一天發放" in texts and "退款的訂單要退回佣金嗎" in texts
    assert turn_texts(shared_kb, "佣金怎么结算？") == ["佣金怎么结算？"]  # simple, already in the main script
    assert "那一般多久以后扣回" in turn_texts(shared_kb, LEANING)  # read on its own vector, so embedded ahead


@pytest.mark.parametrize("question", [QUESTION, LEANING])
def test_one_turn_encodes_its_texts_in_one_batch(sample_home: Path, shared_kb, question: str) -> None:
    copilot = build_copilot(Settings(home=sample_home, embed_provider="hashing", llm="offline"), chat_model=None,
                            kb=shared_kb)
    copilot.router._examples()  # the router's labelled examples, embedded once, outside the count
    embeddings = copilot.embeddings
    batches, encoded = embeddings.batcher.batches, embeddings.batcher.encoded
    result = copilot.ask(question, None)
    assert result.answer
    assert embeddings.batcher.batches - batches == 1
    assert embeddings.batcher.encoded - encoded == len(turn_texts(shared_kb, question))


def test_a_topic_list_embeds_its_searches_in_one_batch(sample_home: Path, shared_kb,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A topic list searches for each product's facts and for the content rules: one batch for all
    of them, not one encode per search (the question itself may be embedded by the router first)."""
    copilot = build_copilot(Settings(home=sample_home, embed_provider="hashing", llm="offline"), chat_model=None,
                            kb=shared_kb)
    copilot.router._examples()
    embeddings = copilot.embeddings
    searched: list[str] = []
    search = shared_kb.search

    def counting_search(query: str, *args, **kwargs):
        searched.append(query)
        return search(query, *args, **kwargs)

    batches = embeddings.batcher.batches
    monkeypatch.setattr(shared_kb, "search", counting_search)
    result = copilot.ask("帮我想 3 个小红书笔记选题", None)
    assert result.answer and not result.refused
    assert len(set(searched)) >= 3
    assert embeddings.batcher.batches - batches <= 2


def test_the_routers_batch_holds_the_search_text_with_the_catalogue_name(sample_home: Path, shared_kb,
                                                                         sample_catalog) -> None:
    """A question naming a product in English is searched with its Chinese name beside it: that
    text (and its parts), not only the question as typed, goes in the router's batch."""
    copilot = build_copilot(Settings(home=sample_home, embed_provider="hashing", llm="offline"), chat_model=None,
                            kb=shared_kb)
    product = next(p for p in sample_catalog if p.name_en)
    question = f"What is in the {product.name_en.lower()}? How is it used?"
    search_text = copilot.rules_answer.with_names(question)
    assert search_text != question
    along = copilot._embedded_along(question)
    assert along[0] == search_text and question not in along
