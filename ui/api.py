"""KOC Copilot's own OpenAI-compatible HTTP API, so any OpenAI client or chat front end can use it.

``POST /v1/chat/completions`` (plain JSON or ``stream: true`` server-sent events in OpenAI's chunk
format ending with ``data: [DONE]``) and ``GET /v1/models``. It is a thin shell over
``Copilot.ask`` / ``Copilot.stream``, the same functions the CLI uses:

* the bearer token IS the identity: it is resolved to a KOC or HQ ``Identity`` by the commission
  & tier service, never taken from the messages; an unknown token gets 401;
* the last user message is the question; earlier messages select the conversation (see
  ``conversation_id``) whose stored history the Copilot uses;
* citations and tool calls travel twice: as footnotes appended to the text, for front ends that
  only show ``content``, and as a structured ``koc`` extension object (the ``koc ask --json``
  shape) on the completion or on the final stream chunk.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.copilot import Copilot
from assistant.types import AnswerResult
from base.settings import Settings, get_settings
from tools.identity import Identity
from ui.compose import build_copilot
from ui.identity import resolve_identity

MODEL_ID = "koc-copilot"

IdentityResolver = Callable[[str], Identity | None]


# --- request shapes (only what we use; unknown OpenAI fields are accepted and ignored) ---------

class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """Plain text of the message; OpenAI's list-of-parts form is flattened to its text parts."""
        if isinstance(self.content, list):
            return "".join(p.get("text", "") for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    user: str | None = None


class APIError(Exception):
    """An error rendered in OpenAI's ``{"error": {...}}`` shape so clients raise the right class."""

    def __init__(self, status: int, message: str, code: str, kind: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.kind = status, message, code, kind


# --- pure helpers ------------------------------------------------------------------------------

def split_question(messages: list[ChatMessage]) -> tuple[str, list[ChatMessage]]:
    """The last user message is the question; everything before it is history."""
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].role == "user":
            question = messages[i].text().strip()
            if question:
                return question, messages[:i]
            break
    raise APIError(400, "the last user message is empty or missing", "missing_question")


def conversation_id(identity: Identity, messages: list[ChatMessage], explicit: str | None = None) -> str:
    """A stable session id for one chat, so the Copilot's stored history follows the conversation.

    OpenAI clients resend the whole conversation each turn but send no conversation id. The first
    user message does not change while a chat goes on, so (identity, first user message) names it;
    a new chat starts a new session. ``explicit`` (the ``X-Session-Id`` header) overrides this.
    The identity is part of the hash, so two users never share a session.
    """
    who = f"{identity.role}:{identity.koc_id}"
    if explicit:
        seed = f"{who}|explicit|{explicit}"
    else:
        first = next(m.text() for m in messages if m.role == "user")
        seed = f"{who}|{first}"
    return "api-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def footnotes(result: AnswerResult) -> str:
    """Citations and tool calls as plain-text footnotes (for front ends that only show content)."""
    lines: list[str] = []
    for c in result.citations:
        lines.append(f"[{c.n}] {c.source}")
    for t in result.tool_calls:
        args = json.dumps(t.args, ensure_ascii=False, sort_keys=True) if t.args else ""
        lines.append(f"tool: {t.name}{args}")
    return ("\n\n---\n" + "\n".join(lines)) if lines else ""


def _completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _chunk(cid: str, created: int, delta: dict[str, Any], finish: str | None = None,
           extra: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    if extra:
        payload.update(extra)
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


# --- identity ------------------------------------------------------------------------------------

def service_identity_resolver(settings: Settings) -> IdentityResolver:
    """Resolve tokens through the commission & tier service (the single owner of tokens)."""
    return lambda token: resolve_identity(token, settings)


# --- the app -------------------------------------------------------------------------------------

def bearer_identity(resolver: IdentityResolver) -> Callable[[Request], Identity]:
    """The FastAPI dependency that turns the ``Authorization: Bearer`` header into an Identity."""

    def identity_of(request: Request) -> Identity:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise APIError(401, "missing bearer token (Authorization: Bearer <token>)", "missing_api_key")
        try:
            identity = resolver(token.strip())
        except ConnectionError as exc:
            raise APIError(503, "the commission & tier service is unreachable; try again shortly",
                           "service_unavailable", "server_error") from exc
        if identity is None:
            raise APIError(401, "unknown or revoked token", "invalid_api_key")
        return identity

    return identity_of


def completion(result: AnswerResult) -> dict[str, Any]:
    """A whole answer in OpenAI's chat.completion shape, with the ``koc`` extension."""
    return {
        "id": _completion_id(), "object": "chat.completion", "created": int(time.time()), "model": MODEL_ID,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": result.answer + footnotes(result)}}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "koc": result.to_json_dict(),
    }


def create_api(settings: Settings | None = None, copilot: Copilot | None = None, *,
               identity_resolver: IdentityResolver | None = None) -> FastAPI:
    """The assistant API. ``copilot`` defaults to one built from ``settings`` on first request."""
    settings = settings or get_settings()
    identity_of = bearer_identity(identity_resolver or service_identity_resolver(settings))
    app = FastAPI(title="KOC Copilot API", version="1", docs_url="/docs")
    state: dict[str, Any] = {"copilot": copilot}

    def get_copilot() -> Copilot:
        if state["copilot"] is None:
            state["copilot"] = build_copilot(settings)
        return state["copilot"]

    @app.exception_handler(APIError)
    async def _api_error(_: Request, exc: APIError) -> JSONResponse:
        return JSONResponse({"error": {"message": exc.message, "type": exc.kind, "param": None, "code": exc.code}},
                            status_code=exc.status)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/models")
    def models(identity: Identity = Depends(identity_of)) -> dict[str, Any]:
        return {"object": "list",
                "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "koc-copilot"}]}

    @app.post("/v1/chat/completions", response_model=None)
    def chat_completions(body: ChatCompletionRequest, request: Request,
                         identity: Identity = Depends(identity_of)) -> Any:
        question, _history = split_question(body.messages)
        session = conversation_id(identity, body.messages, request.headers.get("x-session-id"))
        items = get_copilot().stream(question, identity, session_id=session)
        try:  # the first step validates the question: a bad one is a 400, not a broken stream
            first = next(items)
        except ValueError as exc:
            raise APIError(400, str(exc), "invalid_question") from exc
        items = itertools.chain([first], items)
        if body.stream:
            return StreamingResponse(_stream(items), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return completion(_final(items))

    return app


def _final(items: Iterator["str | AnswerResult"]) -> AnswerResult:
    """The AnswerResult that ends a Copilot stream (the text deltas are in it too)."""
    final = None
    for item in items:
        if isinstance(item, AnswerResult):
            final = item
    if final is None:
        raise APIError(500, "the assistant produced no answer", "no_answer", "server_error")
    return final


def _stream(items: Iterator["str | AnswerResult"]) -> Iterator[str]:
    """OpenAI chunk stream: role, text deltas, footnotes, a final chunk carrying ``koc``, [DONE]."""
    cid, created = _completion_id(), int(time.time())
    yield _chunk(cid, created, {"role": "assistant", "content": ""})
    final: AnswerResult | None = None
    try:
        for item in items:
            if isinstance(item, AnswerResult):
                final = item
            elif item:
                yield _chunk(cid, created, {"content": item})
    except Exception as exc:  # noqa: BLE001 - the stream is already open: report in-band, never hang up silently
        yield _chunk(cid, created, {"content": f"\n\n(error: {type(exc).__name__})"}, "stop",
                     {"koc": {"error": type(exc).__name__}})
        yield "data: [DONE]\n\n"
        return
    if final is not None and (notes := footnotes(final)):
        yield _chunk(cid, created, {"content": notes})
    yield _chunk(cid, created, {}, "stop", {"koc": final.to_json_dict() if final else None})
    yield "data: [DONE]\n\n"
