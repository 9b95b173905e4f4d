"""Request limits of the service: a cap on every request body, answered with a JSON 413.

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


async def _too_large(send: Send, limit: int) -> None:
    body = orjson.dumps({"detail": f"request body too large: the limit is {limit} bytes"})
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: refuse a request body above ``body_limit(path)`` with a JSON 413."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                if not DIGITS.fullmatch(value.decode("latin-1").strip()):
                    body = orjson.dumps({"detail": "invalid Content-Length header"})
                    await send({"type": "http.response.start", "status": 400,
                                "headers": [(b"content-type", b"application/json")]})
                    await send({"type": "http.response.body", "body": body})
                    return
                if int(value) > limit:
                    await _too_large(send, limit)
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
                await _too_large(send, limit)
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
