"""The guarded model path with fake chat models: good answers keep real citations, invented
ones fall back to the offline answer, a failing model is survived, replies stream.

Models that must cite the right evidence are ``FunctionChatModel``s that read the ``[n]`` off the
prompt they are sent (``evidence_number``), so no test depends on how many calls came before."""

from __future__ import annotations

import re

import pytest

from assistant.copilot import Copilot
from ui.compose import build_copilot
from assistant.types import AnswerResult
from tests.assistant.fakes import FunctionChatModel, ScriptedChatModel, evidence_number
from tests.assistant.askers import PRIVATE_KOC

QUESTION = "订单付款以后，佣金要冻结多久？"


def _copilot(settings, kb, model) -> Copilot:
    return build_copilot(settings, chat_model=model, kb=kb)


def _says(reply: str) -> FunctionChatModel:
    """A model that answers every prompt with ``reply``."""
    return FunctionChatModel(fn=lambda _messages, _tools: reply)


def _citing(needle: str, reply: str, error: BaseException | None = None) -> FunctionChatModel:
    """A model that answers ``reply`` with ``{n}`` set to the [n] its prompt gives the evidence
    holding ``needle``; with ``error`` it fails after streaming that reply."""

    def answer(messages, _tools):
        text = reply.format(n=evidence_number(messages, needle))
        return text if error is None else (text, error)

    return FunctionChatModel(fn=answer)


def test_prompt_fences_evidence_and_shows_a_citation_example(settings, shared_kb) -> None:
    model = _says("好的。")
    _copilot(settings, shared_kb, model).ask(QUESTION, PRIVATE_KOC)
    messages = model.calls[0]
    system, user = messages[0].content, messages[-1].content
    assert "<<<EVIDENCE" in user and "EVIDENCE>>>" in user and "[1]" in user and "用简体中文回答" in user
    examples = [m.content for m in messages[1:-1] if m.type == "ai"]
    assert examples and all(re.search(r"\[\d\]", e) for e in examples)  # the model sees how to cite
    assert "koc_" not in "".join(str(m.content) for m in messages)  # no token ever reaches the model


def test_prompt_prefix_is_stable_and_evidence_short(settings, shared_kb) -> None:
    """Everything before the question's own message is identical across questions (llama.cpp reuses
    its cached tokens), and the evidence is the picked sentences, not whole chunks."""
    from assistant.prompts import MAX_EVIDENCE_TOTAL

    model = _says("好的。")
    copilot = _copilot(settings, shared_kb, model)
    copilot.ask(QUESTION, PRIVATE_KOC)
    copilot.ask("How is commission calculated?", PRIVATE_KOC)
    first, second = model.calls[0], model.calls[1]
    assert [m.content for m in first[:-1]] == [m.content for m in second[:-1]]
    evidence = [str(call[-1].content).split("EVIDENCE>>>")[0] for call in (first, second)]
    for block in evidence:
        lines = re.findall(r"^\[\d+\] (.*)$", block, flags=re.M)
        assert lines and sum(len(line) for line in lines) <= MAX_EVIDENCE_TOTAL + 40 * len(lines)
    full_chunks = [h.text for h in shared_kb.search(QUESTION, k=settings.search_k).hits]
    assert len(evidence[0]) < sum(len(t) for t in full_chunks)


def test_supported_model_answer_passes_with_its_citation(settings, shared_kb) -> None:
    model = _citing("15", "订单付款后佣金先冻结 15 天[{n}]。")
    result = _copilot(settings, shared_kb, model).ask(QUESTION, PRIVATE_KOC)
    assert not result.fell_back and result.provider == "function"
    assert "15" in result.answer and result.citations and "[1]" in result.answer
    assert "15" in result.citations[0].text


def test_invented_answer_falls_back_to_the_offline_answer(settings, shared_kb) -> None:
    model = _says("佣金会冻结 45 天[1]。然后由林晚舟亲自打款到你的支付宝[9]。")
    result = _copilot(settings, shared_kb, model).ask(QUESTION, PRIVATE_KOC)
    offline = build_copilot(settings, chat_model=None, kb=shared_kb).ask(QUESTION, PRIVATE_KOC)
    assert result.fell_back and "45" not in result.answer and "支付宝" not in result.answer
    assert result.answer == offline.answer and result.citations == offline.citations


def test_model_error_falls_back_and_says_so(settings, shared_kb) -> None:
    model = ScriptedChatModel(replies=[TimeoutError("llm timed out")])
    result = _copilot(settings, shared_kb, model).ask("How is commission calculated?", PRIVATE_KOC)
    assert result.fell_back and not result.refused and result.citations
    assert "language model is unavailable" in result.answer


def test_uncovered_question_is_refused_without_asking_the_model(settings, shared_kb) -> None:
    model = ScriptedChatModel(replies=["暖岛明年会在北京、上海、成都开店[1]。"])
    result = _copilot(settings, shared_kb, model).ask("暖岛明年会在哪些城市开线下门店？", PRIVATE_KOC)
    assert result.refused and "北京" not in result.answer
    assert model.calls == []  # coverage is decided from retrieval evidence, not by the model


def test_stream_yields_checked_sentences_then_the_result(settings, shared_kb) -> None:
    model = _citing("15", "好的！订单付款后佣金先冻结 15 天[{n}]。林晚舟会亲自把钱送到你家[{n}]。")
    items = list(_copilot(settings, shared_kb, model).stream(QUESTION, PRIVATE_KOC))
    final = items[-1]
    assert isinstance(final, AnswerResult)
    deltas = [i for i in items[:-1] if isinstance(i, str)]
    assert len(deltas) >= 1 and "".join(deltas).strip() == final.answer
    assert "林晚舟" not in final.answer and "15" in final.answer


def test_english_question_is_answered_in_english_by_the_model(settings, shared_kb) -> None:
    probe = _says("OK.")
    _copilot(settings, shared_kb, probe).ask("How long is commission frozen after payment?", PRIVATE_KOC)
    assert "Answer in English" in probe.calls[0][-1].content


@pytest.mark.parametrize("steps", [1])
def test_step_cap_is_respected(settings, shared_kb, steps: int) -> None:
    capped = settings.model_copy(update={"max_agent_steps": steps})
    model = _says("好的。")
    _copilot(capped, shared_kb, model).ask(QUESTION, PRIVATE_KOC)
    assert len(model.calls) <= steps


def test_model_failing_mid_stream_keeps_the_checked_part_and_says_so(settings, shared_kb) -> None:
    model = _citing("15", "订单付款后佣金先冻结 15 天[{n}]。之后", error=ConnectionError("server gone"))
    items = list(_copilot(settings, shared_kb, model).stream(QUESTION, PRIVATE_KOC))
    final = items[-1]
    assert final.fell_back and "语言模型暂时不可用" in final.answer and "15" in final.answer
    assert final.citations and "15" in final.citations[0].text
    assert "".join(i for i in items[:-1]).strip() == final.answer


def test_a_model_answer_missing_a_figure_gets_the_handbook_sentence_quoted(settings, shared_kb) -> None:
    """The small model tends to drop figures; the best evidence sentence is then quoted, cited."""
    model = _citing("15", "订单付款后，佣金先进入冻结状态[{n}]。")
    items = list(_copilot(settings, shared_kb, model).stream(QUESTION, PRIVATE_KOC))
    result = items[-1]
    assert not result.fell_back and result.answer.startswith("订单付款后，佣金先进入冻结状态[1]。")
    quote = result.answer.split("\n", 1)[1]
    assert quote.startswith("手册原文：") and "15" in quote and re.search(r"\[\d\]。$", quote)
    assert items[-2] == "\n" + quote  # streamed as the answer's last piece
    cited = {c.n: c for c in result.citations}
    assert all(int(m) in cited for m in re.findall(r"\[(\d)\]", result.answer))
    complete = _citing("15", "订单付款后佣金先冻结 15 天[{n}]。")
    assert "手册原文" not in _copilot(settings, shared_kb, complete).ask(QUESTION, PRIVATE_KOC).answer
