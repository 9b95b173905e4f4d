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


@pytest.mark.postgres
def test_two_replicas_on_one_postgres_share_conversations_and_ownership(pg_cluster) -> None:
    """With KOC_DATABASE_URL set the store lives in PostgreSQL: a session opened through one
    replica continues through another, feedback from either is seen by both, and a session still
    belongs to its owner only."""
    from base.settings import Settings
    from assistant.store import store_url

    url = pg_cluster.new_database()
    assert store_url(Settings(database_url=url)) == url  # the ledger's database, not a file under KOC_HOME
    first, second = ConversationStore(url), ConversationStore(url)  # both migrate: the advisory lock serialises them
    sid = first.open_session("koc", 3, title="退货")
    mid = first.record_turn(sid, _result("退货的订单还算佣金吗？", "不算。"))
    assert second.open_session("koc", 3, sid) == sid
    second.record_turn(sid, _result("那换货呢？", "换货按原订单计。"))
    second.add_feedback(sid, mid, up=False, comment="太短")
    assert [m.content for m in first.messages(sid)] == ["退货的订单还算佣金吗？", "不算。", "那换货呢？", "换货按原订单计。"]
    assert [(f.up, f.comment) for f in first.feedback(sid)] == [(False, "太短")]
    with pytest.raises(SessionAccessError):
        second.open_session("koc", 17, sid)


def test_a_store_from_before_the_migrations_is_adopted_with_its_data(tmp_path: Path) -> None:
    """Homes made by earlier versions have chats.db without a version table: opened, not recreated."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from assistant.store import ChatMessage, ChatSession, Feedback, ToolCallLog

    path = tmp_path / "chats.db"
    old = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(old, tables=[t.__table__ for t in (ChatSession, ChatMessage, ToolCallLog, Feedback)])
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO chat_sessions VALUES ('s1', 'koc', 3, '旧会话', '2026-11-01 00:00:00', '2026-11-01 00:00:00')")
    old.dispose()
    store = ConversationStore(path)
    assert [s.title for s in store.sessions("koc", 3)] == ["旧会话"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM chat_alembic_version").fetchall() == [("0001",)]


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


def test_two_processes_writing_one_sqlite_store_wait_for_each_other(tmp_path: Path) -> None:
    """Two replicas on one host share KOC_HOME/chats.db; each store is its own engine (as in two
    processes). Concurrent turns from both must all land: none fails with "database is locked"."""
    from concurrent.futures import ThreadPoolExecutor

    stores = [ConversationStore(tmp_path / "chats.db"), ConversationStore(tmp_path / "chats.db")]
    sid = stores[0].open_session("koc", 3)

    def write(i: int) -> int:
        return stores[i % 2].record_turn(sid, _result(f"问题{i}", f"回答{i}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(write, range(80)))
    assert len(set(ids)) == 80 and len(stores[1].messages(sid)) == 160
