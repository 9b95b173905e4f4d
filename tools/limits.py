"""Request limits of the service (and of the assistant API): a cap on every request body, answered with a JSON 413.

A small pure-ASGI middleware (no settings): a ``Content-Length`` above the limit is refused before
anything is read; otherwise the body is read up to the limit (chunked uploads included) and
replayed to the app, so a route never sees more than the limit. Bulk imports (``.../bulk``) may
send up to ``MAX_BULK_BODY`` bytes, every other request ``MAX_BODY``.
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable

import orjson

MAX_BULK_BODY = 5 * 1024 * 1024  # bulk order / refund imports (JSON array or CSV)
MAX_BODY = 256 * 1024  # every other request body (single records, small JSON objects)
DIGITS = re.compile(r"[0-9]+")  # a strict ASCII decimal id: ``str.isdigit`` also accepts "²" and "١"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def body_limit(path: str) -> int:
    return MAX_BULK_BODY if path.rstrip("/").endswith("/bulk") else MAX_BODY


def is_positive_id(text: str) -> bool:
    """True for a strict ASCII decimal integer >= 1 (``"12"``), false for ``"²"``, ``"0"``, ``"-1"``, ``" 1"``."""
    return DIGITS.fullmatch(text) is not None and int(text) >= 1


#: renders an error (status, message, code) as a JSON body; the default is the service's ``{"detail"}``
ErrorBody = Callable[[int, str, str], dict[str, Any]]


def detail_body(status: int, message: str, code: str) -> dict[str, Any]:
    return {"detail": message}


async def _refuse(send: Send, render: ErrorBody, status: int, message: str, code: str) -> None:
    body = orjson.dumps(render(status, message, code))
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def _too_large(send: Send, limit: int, render: ErrorBody = detail_body) -> None:
    await _refuse(send, render, 413, f"request body too large: the limit is {limit} bytes", "request_too_large")


class BodyLimit:
    """ASGI middleware: refuse a request body above ``limit(path)`` (default ``body_limit``) with a
    JSON 413; ``render`` shapes the error body (the assistant API uses OpenAI's error shape)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: Callable[[str], int] = body_limit,
                 render: ErrorBody = detail_body) -> None:
        self.app, self.limit, self.render = app, limit, render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not DIGITS.fullmatch(value.decode("latin-1").strip()):
                    await _refuse(send, self.render, 400, "invalid Content-Length header", "invalid_content_length")
                    return
                if int(value) > limit:
                    await _too_large(send, limit, self.render)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                await self.app(scope, _replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, limit, self.render)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        first = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([first], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
