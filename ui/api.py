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
  shape) on the completion or on the final stream chunk;
* every error is in OpenAI's shape ``{"error": {"message", "type", "param", "code"}}``: what a
  client got wrong is a 4xx (a body that is not UTF-8 JSON, malformed or nested too deeply, a
  field of the wrong type, a body above ``MAX_API_BODY``), a dependency that is down or missing
  (the commission & tier service, the embedding model, the server's storage) is a 503 that says
  which, streaming included; only a bug is a 500, and it too has that shape.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.copilot import Copilot
from assistant.types import AnswerResult
from base.settings import Settings, get_settings
from knowledge.embeddings import EmbeddingConfigError
from knowledge.query_batcher import EmbeddingOverloaded
from knowledge.vector_store import EmbeddingModelMismatch
from tools.identity import Identity
from tools.limits import BodyLimit
from ui.compose import build_copilot
from ui.identity import resolve_identity

MODEL_ID = "koc-copilot"
#: The largest request body accepted (a chat resends its whole history, but a question is at most
#: 2,000 characters): anything bigger is a 413 before it is read into memory.
MAX_API_BODY = 1024 * 1024
#: Errors that mean "the knowledge base cannot be used on this server" (a 503, not the client's fault)
KB_UNAVAILABLE = (EmbeddingConfigError, EmbeddingModelMismatch)
#: Errors that mean "the server cannot read or write its own state" (disk full, database gone)
STORAGE_UNAVAILABLE = (OperationalError, sqlite3.OperationalError)

log = logging.getLogger(__name__)

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

    def __init__(self, status: int, message: str, code: str, kind: str = "invalid_request_error",
                 param: str | None = None, retry_after_s: int = 5) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.kind, self.param = status, message, code, kind, param
        self.retry_after_s = retry_after_s


def error_body(status: int, message: str, code: str, param: str | None = None) -> dict[str, Any]:
    """OpenAI's error object: 4xx are ``invalid_request_error`` (401 ``authentication_error``), 5xx ``server_error``."""
    kind = "authentication_error" if status == 401 else "invalid_request_error" if status < 500 else "server_error"
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _error_response(status: int, message: str, code: str, param: str | None = None,
                    retry_after_s: int = 5) -> JSONResponse:
    headers = {"Retry-After": str(retry_after_s)} if status == 503 else None
    return JSONResponse(error_body(status, message, code, param), status_code=status, headers=headers)


def unavailable(exc: BaseException) -> APIError | None:
    """The 503 for a dependency that is down or missing, or None when ``exc`` is not one of those."""
    if isinstance(exc, EmbeddingConfigError):
        log.error("knowledge base unavailable: %s", exc)
        return APIError(503, "the knowledge base is unavailable: its embedding model is not installed or not configured "
                             "on this server (an administrator can fix it with `koc models fetch` or KOC_EMBED_*)",
                        "embedding_model_unavailable", "server_error")
    if isinstance(exc, EmbeddingModelMismatch):
        log.error("knowledge base unavailable: %s", exc)
        return APIError(503, "the knowledge base is unavailable: it was built with another embedding model than the "
                             "configured one (an administrator must re-ingest it or restore the setting)",
                        "embedding_model_mismatch", "server_error")
    if isinstance(exc, EmbeddingOverloaded):
        log.warning("question refused under load: %s", exc)
        return APIError(503, "the assistant is busy answering other questions; retry in a few seconds",
                        "overloaded", "server_error", retry_after_s=exc.retry_after_s)
    if isinstance(exc, STORAGE_UNAVAILABLE):
        log.error("storage unavailable: %s", str(exc).splitlines()[0][:200])
        return APIError(503, "the assistant cannot read or write its storage right now (disk full or database "
                             "unavailable); try again shortly", "storage_unavailable", "server_error")
    return None


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
    app.add_middleware(BodyLimit, limit=lambda _path: MAX_API_BODY,
                       render=lambda status, message, code: error_body(status, message, code))
    install_error_handlers(app)
    state: dict[str, Any] = {"copilot": copilot}

    def get_copilot() -> Copilot:
        if state["copilot"] is None:
            try:
                state["copilot"] = build_copilot(settings)
            except Exception as exc:
                if (err := unavailable(exc)) is not None:
                    raise err from exc
                raise
        return state["copilot"]

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
        try:  # the first step validates the question and searches: a bad one is a 400, a missing model a 503
            first = next(items)
        except ValueError as exc:
            raise APIError(400, str(exc), "invalid_question") from exc
        except Exception as exc:
            if (err := unavailable(exc)) is not None:
                raise err from exc
            raise
        items = itertools.chain([first], items)
        if body.stream:
            return StreamingResponse(_stream(items), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return completion(_final(items))

    return app


def install_error_handlers(app: FastAPI) -> None:
    """Every error in OpenAI's shape: client errors 4xx, dependencies down 503, bugs 500."""

    @app.exception_handler(APIError)
    async def _api_error(_: Request, exc: APIError) -> JSONResponse:
        return JSONResponse({"error": {"message": exc.message, "type": exc.kind, "param": exc.param, "code": exc.code}},
                            status_code=exc.status,
                            headers={"Retry-After": str(exc.retry_after_s)} if exc.status == 503 else None)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            reason = (first.get("ctx") or {}).get("error", "invalid JSON")
            return _error_response(400, f"the request body is not valid JSON ({reason} at position {first['loc'][-1]})",
                                   "invalid_json")
        parts = []
        for err in errors[:5]:
            loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid")))
        param = ".".join(str(x) for x in first.get("loc", ()) if x != "body") or None
        return _error_response(400, "invalid request: " + "; ".join(parts), "invalid_request", param)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        cause = exc.__cause__  # FastAPI wraps a body it cannot parse in a 400 "There was an error parsing the body"
        if isinstance(cause, UnicodeDecodeError):
            return _error_response(400, "the request body is not UTF-8 encoded JSON", "invalid_encoding")
        if isinstance(cause, RecursionError):
            return _error_response(400, "the request body is nested too deeply", "too_deeply_nested")
        codes = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}
        return _error_response(exc.status_code, str(exc.detail), codes.get(exc.status_code, f"http_{exc.status_code}"))

    @app.exception_handler(UnicodeDecodeError)
    async def _not_utf8(_: Request, exc: UnicodeDecodeError) -> JSONResponse:
        return _error_response(400, "the request body is not UTF-8 encoded JSON", "invalid_encoding")

    @app.exception_handler(RecursionError)
    async def _too_deep(_: Request, exc: RecursionError) -> JSONResponse:
        return _error_response(400, "the request body is nested too deeply", "too_deeply_nested")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        if (err := unavailable(exc)) is not None:
            return _error_response(err.status, err.message, err.code, retry_after_s=err.retry_after_s)
        log.exception("unexpected error in the assistant API")
        return _error_response(500, f"internal error ({type(exc).__name__}); it has been logged", "internal_error")


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
        err = unavailable(exc)
        text = err.message if err is not None else f"internal error ({type(exc).__name__})"
        if err is None:
            log.exception("unexpected error in a streamed answer")
        yield _chunk(cid, created, {"content": f"\n\n(error: {text})"}, "stop",
                     {"koc": {"error": type(exc).__name__}, "error": error_body(err.status if err else 500, text,
                                                                                 err.code if err else "internal_error")["error"]})
        yield "data: [DONE]\n\n"
        return
    if final is not None and (notes := footnotes(final)):
        yield _chunk(cid, created, {"content": notes})
    yield _chunk(cid, created, {}, "stop", {"koc": final.to_json_dict() if final else None})
    yield "data: [DONE]\n\n"
