"""Conversation persistence: turns, tool calls, feedback, history window + summary, ownership."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.store import ConversationStore, SessionAccessError, summarize
from assistant.types import AnswerResult, Citation, ToolCallRecord
from tests.assistant.askers import PRIVATE_KOC


def _result(q: str, a: str) -> AnswerResult:
    return AnswerResult(question=q, answer=a, citations=[Citation(n=1, source="faq.md", chunk_id="c1", text="t")],
                        tool_calls=[ToolCallRecord(name="get_my_earnings", args={"month": "2026-11"}, result={"total": "¥1.00"})])


def test_turns_tool_calls_and_feedback_persist(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    mid = store.record_turn(sid, _result("我这个月赚了多少？", "你 2026-11 的佣金合计 ¥1.00。"))
    store.add_feedback(sid, mid, up=False, comment="too short")
    again = ConversationStore(tmp_path / "chats.db")  # a new process sees the same data
    msgs = again.messages(sid)
    assert [(m.role, m.content) for m in msgs] == [("user", "我这个月赚了多少？"), ("assistant", "你 2026-11 的佣金合计 ¥1.00。")]
    assert again.tool_calls(mid) == [{"name": "get_my_earnings", "args": {"month": "2026-11"}, "result": {"total": "¥1.00"}}]
    assert [(f.up, f.comment) for f in again.feedback(sid)] == [(False, "too short")]
    assert again.sessions("koc", 3)[0].title == "我这个月赚了多少？"


def test_feedback_on_an_unknown_message_is_an_error(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    with pytest.raises(KeyError):
        store.add_feedback(sid, 999, up=True)


def test_a_session_belongs_to_one_identity(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    assert store.open_session("koc", 3, sid) == sid
    with pytest.raises(SessionAccessError):
        store.open_session("koc", 17, sid)
    assert store.sessions("koc", 17) == []


def test_history_window_and_extractive_summary(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    for i in range(6):
        store.record_turn(sid, _result(f"问题{i}：绽放KOC的条件是什么？", f"回答{i}。第二句不进摘要。"))
    recent, summary = store.history(sid, window=4)
    assert len(recent) == 4 and recent[-1] == ("assistant", "回答5。第二句不进摘要。")
    assert "问题0" in summary and "回答0。" in summary and "第二句" not in summary
    assert summarize([]) == ""


def test_copilot_persists_and_uses_history(settings, shared_kb) -> None:
    from ui.compose import build_copilot

    copilot = build_copilot(settings, chat_model=None, kb=shared_kb)
    first = copilot.ask("绽放KOC的晋级条件是什么？", PRIVATE_KOC)
    follow = copilot.ask("那星光呢？", PRIVATE_KOC, session_id=first.session_id)
    assert follow.session_id == first.session_id and not follow.refused
    assert any("星光" in c.text for c in follow.citations)
    copilot.feedback(first.session_id, first.message_id, up=True)
    assert [m.role for m in copilot.store.messages(first.session_id)] == ["user", "assistant", "user", "assistant"]


def test_a_rating_gets_its_comment_afterwards_only_in_its_session(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    mid = store.record_turn(sid, _result("佣金怎么算？", "按比例计算[1]。"))
    fid = store.add_feedback(sid, mid, up=False)
    other = store.open_session("koc", 4)
    with pytest.raises(KeyError):
        store.comment_feedback(other, fid, "not mine")
    store.comment_feedback(sid, fid, "  missing the rate  ")
    assert [(f.up, f.comment) for f in store.feedback(sid)] == [(False, "missing the rate")]


def test_a_conversation_reopens_only_for_its_owner(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    store.record_turn(sid, _result("第一问", "第一答"))
    store.record_turn(sid, _result("第二问", "第二答"))
    turns = store.conversation(sid, "koc", 3)
    assert [(t.question, t.answer) for t in turns] == [("第一问", "第一答"), ("第二问", "第二答")]
    assert turns[0].citations[0]["source"] == "faq.md" and turns[0].tool_calls[0]["name"] == "get_my_earnings"
    for role, koc in (("koc", 4), ("hq", None), ("anonymous", None)):
        with pytest.raises(SessionAccessError):
            store.conversation(sid, role, koc)
    with pytest.raises(SessionAccessError):
        store.conversation("no-such-session", "koc", 3)


def test_rated_answers_list_thumbs_down_first_with_their_question(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "chats.db")
    sid = store.open_session("koc", 3)
    good = store.record_turn(sid, _result("好问题", "好答案"))
    bad = store.record_turn(sid, _result("坏问题", "坏答案"))
    store.add_feedback(sid, good, up=True)
    store.add_feedback(sid, bad, up=False, comment="wrong")
    rated = store.rated_answers()
    assert [(r.up, r.question, r.answer, r.comment, r.koc_id) for r in rated] == [
        (False, "坏问题", "坏答案", "wrong", 3), (True, "好问题", "好答案", "", 3)]
    assert rated[0].tool_calls[0]["name"] == "get_my_earnings"
