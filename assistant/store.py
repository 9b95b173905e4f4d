"""Conversation store: sessions, messages, tool calls and feedback.

Embedded by default (SQLite ``KOC_HOME/chats.db``); with ``KOC_DATABASE_URL`` set it lives in the
same database as the ledger (PostgreSQL), so every assistant replica behind a load balancer sees
every conversation and a chat can continue on whichever replica the next request reaches. The
schema is owned by Alembic migrations in ``assistant/migrations`` (their own version table).

A session belongs to one identity (role + KOC id); another identity can neither read nor
continue it. The chat model sees a window of recent messages; older turns are folded into an
extractive summary (the first sentence of each earlier question and answer), so long chats
stay within the small model's context without another model call.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect
from sqlmodel import Field, Session, SQLModel, select

from assistant.text_match import split_sentences
from assistant.types import AnswerResult
from base.database import is_sqlite
from base.migrations import upgrade_to_head
from base.settings import Settings
from tools.db import database_url, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 4_240_518  # "koc conversation-store migrations" (the ledger's is 4_240_517)

HISTORY_WINDOW = 6        # messages (3 turns) given to the model verbatim
SUMMARY_MAX_CHARS = 400
COMMENT_MAX_CHARS = 500


class SessionAccessError(PermissionError):
    """The session exists but belongs to another identity."""


def _now() -> datetime:
    return datetime.now(UTC)


class ChatSession(SQLModel, table=True):
    __tablename__ = "chat_sessions"
    id: str = Field(primary_key=True)
    role: str
    koc_id: int | None = Field(default=None, index=True)
    title: str = ""
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_messages"
    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="chat_sessions.id", index=True)
    role: str  # user | assistant
    content: str
    language: str = ""
    intent: str = ""
    provider: str = ""
    refused: bool = False
    fell_back: bool = False
    latency_ms: int = 0
    citations_json: str = "[]"
    created_at: datetime = Field(default_factory=_now)


class ToolCallLog(SQLModel, table=True):
    __tablename__ = "chat_tool_calls"
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="chat_messages.id", index=True)
    name: str
    args_json: str
    result_json: str


class Feedback(SQLModel, table=True):
    __tablename__ = "chat_feedback"
    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="chat_sessions.id", index=True)
    message_id: int = Field(foreign_key="chat_messages.id", index=True)
    up: bool
    comment: str = ""
    created_at: datetime = Field(default_factory=_now)


@dataclass
class Turn:
    """One question and its answer, as a reopened conversation shows them."""

    message_id: int
    question: str
    answer: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RatedAnswer:
    """An answer someone rated, with everything needed to judge it."""

    feedback_id: int
    message_id: int
    up: bool
    comment: str
    rated_at: datetime
    role: str
    koc_id: int | None
    question: str
    answer: str
    language: str
    intent: str
    refused: bool
    citations: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)


class ConversationStore:
    """Thread-safe store over a SQLAlchemy URL (or a SQLite file path); migrated on open."""

    def __init__(self, where: str | Path) -> None:
        if isinstance(where, Path):
            where.parent.mkdir(parents=True, exist_ok=True)
            where = f"sqlite:///{where}"
        self.engine = make_engine(where)
        # writes begin with the write lock taken (SQLite: BEGIN IMMEDIATE), so two processes sharing a
        # store wait for each other (busy timeout) instead of failing with "database is locked"
        self._writer = self.engine.execution_options(koc_write=True)
        migrate_store(self.engine)
        # SQLite has one writer at a time: writes queue here rather than fail with "database is locked";
        # PostgreSQL takes concurrent writers itself.
        self._lock = threading.Lock() if is_sqlite(where) else contextlib.nullcontext()

    # ------------------------------------------------------------------ sessions
    def open_session(self, role: str, koc_id: int | None, session_id: str | None = None, title: str = "") -> str:
        """Continue ``session_id`` if it is this identity's, create it if new; refuse someone else's."""
        with self._lock, Session(self._writer) as db:
            if session_id:
                existing = db.get(ChatSession, session_id)
                if existing is not None:
                    if existing.role != role or existing.koc_id != koc_id:
                        raise SessionAccessError(f"session {session_id} belongs to another user")
                    return session_id
            sid = session_id or uuid.uuid4().hex
            db.add(ChatSession(id=sid, role=role, koc_id=koc_id, title=title[:80]))
            db.commit()
            return sid

    def sessions(self, role: str, koc_id: int | None, limit: int | None = None) -> list[ChatSession]:
        """This identity's conversations, most recently used first."""
        with Session(self.engine) as db:
            stmt = select(ChatSession).where(ChatSession.role == role, ChatSession.koc_id == koc_id)
            stmt = stmt.order_by(ChatSession.updated_at.desc())  # type: ignore[attr-defined]
            return list(db.exec(stmt.limit(limit) if limit else stmt))

    def conversation(self, session_id: str, role: str, koc_id: int | None) -> list[Turn]:
        """Every turn of one of this identity's conversations, to reopen it; someone else's session
        raises ``SessionAccessError`` (the same for an unknown one, so ids cannot be probed)."""
        with Session(self.engine) as db:
            chat = db.get(ChatSession, session_id)
        if chat is None or chat.role != role or chat.koc_id != koc_id:
            raise SessionAccessError(f"no conversation {session_id} of yours")
        turns: list[Turn] = []
        question = ""
        for msg in self.messages(session_id):
            if msg.role == "user":
                question = msg.content
                continue
            turns.append(Turn(message_id=int(msg.id), question=question, answer=msg.content,  # type: ignore[arg-type]
                              citations=json.loads(msg.citations_json), tool_calls=self.tool_calls(int(msg.id))))  # type: ignore[arg-type]
        return turns

    # ------------------------------------------------------------------ messages
    def record_turn(self, session_id: str, result: AnswerResult) -> int:
        """Store the question, the answer and its tool calls; returns the answer's message id."""
        with self._lock, Session(self._writer) as db:
            db.add(ChatMessage(session_id=session_id, role="user", content=result.question, language=result.language))
            answer = ChatMessage(
                session_id=session_id, role="assistant", content=result.answer, language=result.language,
                intent=result.intent, provider=result.provider, refused=result.refused, fell_back=result.fell_back,
                latency_ms=result.latency_ms,
                citations_json=json.dumps([c.model_dump() for c in result.citations], ensure_ascii=False))
            db.add(answer)
            db.flush()
            for call in result.tool_calls:
                db.add(ToolCallLog(message_id=answer.id, name=call.name,
                                   args_json=json.dumps(call.args, ensure_ascii=False, default=str),
                                   result_json=json.dumps(call.result, ensure_ascii=False, default=str)))
            chat = db.get(ChatSession, session_id)
            if chat is not None:
                chat.updated_at = _now()
                if not chat.title:
                    chat.title = result.question[:80]
                db.add(chat)
            db.commit()
            return int(answer.id)  # type: ignore[arg-type]

    def messages(self, session_id: str) -> list[ChatMessage]:
        with Session(self.engine) as db:
            stmt = select(ChatMessage).where(ChatMessage.session_id == session_id).order_by(ChatMessage.id)
            return list(db.exec(stmt))

    def tool_calls(self, message_id: int) -> list[dict[str, Any]]:
        with Session(self.engine) as db:
            rows = db.exec(select(ToolCallLog).where(ToolCallLog.message_id == message_id).order_by(ToolCallLog.id))
            return [{"name": r.name, "args": json.loads(r.args_json), "result": json.loads(r.result_json)} for r in rows]

    def history(self, session_id: str, window: int = HISTORY_WINDOW) -> tuple[list[tuple[str, str]], str]:
        """(last ``window`` messages as (role, text), extractive summary of everything before them)."""
        msgs = self.messages(session_id)
        recent, older = msgs[-window:], msgs[:-window]
        return [(m.role, m.content) for m in recent], summarize([(m.role, m.content) for m in older])

    # ------------------------------------------------------------------ feedback
    def add_feedback(self, session_id: str, message_id: int, up: bool, comment: str = "") -> int:
        """Store a rating of an answer of ``session_id``; returns the feedback's id."""
        with self._lock, Session(self._writer) as db:
            msg = db.get(ChatMessage, message_id)
            if msg is None or msg.session_id != session_id or msg.role != "assistant":
                raise KeyError(f"no assistant message {message_id} in session {session_id}")
            row = Feedback(session_id=session_id, message_id=message_id, up=up, comment=comment[:COMMENT_MAX_CHARS])
            db.add(row)
            db.commit()
            return int(row.id)  # type: ignore[arg-type]

    def comment_feedback(self, session_id: str, feedback_id: int, comment: str) -> None:
        """Add (or replace) the comment of a rating given in ``session_id`` (a rating is given with
        one click; its comment is typed afterwards)."""
        with self._lock, Session(self._writer) as db:
            row = db.get(Feedback, feedback_id)
            if row is None or row.session_id != session_id:
                raise KeyError(f"no feedback {feedback_id} in session {session_id}")
            row.comment = comment.strip()[:COMMENT_MAX_CHARS]
            db.add(row)
            db.commit()

    def feedback(self, session_id: str) -> list[Feedback]:
        with Session(self.engine) as db:
            return list(db.exec(select(Feedback).where(Feedback.session_id == session_id).order_by(Feedback.id)))

    def rated_answers(self, limit: int = 500) -> list[RatedAnswer]:
        """Every rated answer with its question, sources, tool calls and comment: thumbs-down first,
        newest first within each (what HQ reviews, and what an evaluation set is made from)."""
        with Session(self.engine) as db:
            stmt = (select(Feedback, ChatMessage, ChatSession)
                    .where(Feedback.message_id == ChatMessage.id, Feedback.session_id == ChatSession.id)
                    .order_by(Feedback.up, Feedback.id.desc()).limit(limit))  # type: ignore[union-attr]
            rows = list(db.exec(stmt))
            out = []
            for fb, answer, chat in rows:
                asked = db.exec(select(ChatMessage).where(ChatMessage.session_id == answer.session_id,
                                                          ChatMessage.role == "user", ChatMessage.id < answer.id)
                                .order_by(ChatMessage.id.desc()).limit(1)).first()  # type: ignore[union-attr,operator]
                out.append(RatedAnswer(
                    feedback_id=int(fb.id), message_id=fb.message_id, up=fb.up, comment=fb.comment, rated_at=fb.created_at,  # type: ignore[arg-type]
                    role=chat.role, koc_id=chat.koc_id, question=asked.content if asked else "", answer=answer.content,
                    language=answer.language, intent=answer.intent, refused=answer.refused,
                    citations=json.loads(answer.citations_json), tool_calls=[]))
        for item in out:  # outside the session above: tool_calls opens its own
            item.tool_calls = self.tool_calls(item.message_id)
        return out


def summarize(turns: list[tuple[str, str]], max_chars: int = SUMMARY_MAX_CHARS) -> str:
    """Extractive summary: the first sentence of each earlier message, newest kept when too long."""
    parts = []
    for role, text in turns:
        sentences = split_sentences(text)
        if sentences:
            parts.append(("Q: " if role == "user" else "A: ") + sentences[0][:120])
    summary = " | ".join(parts)
    return summary[-max_chars:] if len(summary) > max_chars else summary


def migrate_store(engine: Engine) -> None:
    """Bring the conversation tables to the newest revision (idempotent; replicas starting together
    serialise on an advisory lock). A store made before the migrations existed is adopted as 0001."""
    def adopt(conn: Connection, cfg: Config) -> None:
        tables = set(inspect(conn).get_table_names())
        if "chat_sessions" in tables and "chat_alembic_version" not in tables:
            command.stamp(cfg, "0001")

    upgrade_to_head(engine, MIGRATIONS_DIR, _PG_LOCK_KEY, before=adopt)


def store_url(settings: Settings) -> str:
    """The ledger's database when KOC_DATABASE_URL is set (shared by replicas), else KOC_HOME/chats.db."""
    if settings.database_url:
        return database_url(settings)
    path = settings.resolved_home / "chats.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


_STORES: dict[str, ConversationStore] = {}
_STORES_LOCK = threading.Lock()


def get_store(settings: Settings) -> ConversationStore:
    """One store per database (engines are expensive; two homes or URLs never share state)."""
    url = store_url(settings)
    with _STORES_LOCK:
        if url not in _STORES:
            _STORES[url] = ConversationStore(url)
        return _STORES[url]
