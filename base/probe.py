"""The one "is that server up?" check: the service launcher, the tools client, the local model
server and the benchmarks all ask it the same way, with a short timeout and no retries. And the
one way a launcher picks a free loopback port for a server it starts."""

from __future__ import annotations

import socket

import httpx


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_ok(url: str, *, timeout_s: float = 1.0, any_status: bool = False) -> bool:
    """True when a server answers ``url`` with 200 (or with anything, when ``any_status``:
    an auth-protected service answering 401 is still up)."""
    try:
        response = httpx.get(url, timeout=timeout_s)
    except httpx.HTTPError:
        return False
    return any_status or response.status_code == 200
