"""Bearer token → ``Identity``, decided by the commission & tier service, the only owner of tokens.

The assistant API never interprets a token itself (no copy of the token table, no HQ secret in
this process): it asks the service "who am I" (``ToolsClient.me()`` = ``GET /v1/me``) with that
token. Success gives the role and KOC id; 401/403 means the token is unknown. Answers are cached
briefly so a chat of many turns costs one round trip, not one per message; a revoked token stops
working within ``ttl_s``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from knowledge.settings import Settings, get_settings
from tools.client import ToolsClient, ToolServiceError
from tools.identity import Identity

ClientFactory = Callable[[str], ToolsClient]

_CACHE: dict[tuple[str, str], tuple[float, Identity | None]] = {}
_LOCK = threading.Lock()


def service_client_factory(settings: Settings) -> ClientFactory:
    """A ToolsClient per token against the running service (KOC_TOOLS_URL / KOC_TOOLS_PORT)."""
    return lambda token: ToolsClient(settings.resolved_tools_url, token, timeout=5.0)


def resolve_identity(token: str, settings: Settings | None = None, *, client_factory: ClientFactory | None = None,
                     ttl_s: float = 30.0) -> Identity | None:
    """The identity of ``token``, or None if the service does not know it.

    Raises ``ConnectionError`` when the service cannot be reached or fails, so the API answers
    503 rather than 401 and a client does not throw away a valid key.
    """
    settings = settings or get_settings()
    factory = client_factory or service_client_factory(settings)
    key = (settings.resolved_tools_url, token)
    now = time.monotonic()
    with _LOCK:
        hit = _CACHE.get(key)
    if hit and now - hit[0] < ttl_s:
        return hit[1]
    try:
        with factory(token) as client:
            me = client.me()
    except ToolServiceError as exc:
        if exc.status_code in (401, 403):
            identity = None
        else:
            raise ConnectionError(str(exc)) from exc
    else:
        identity = Identity(role=me["role"], koc_id=me.get("koc_id"), token=token)
    with _LOCK:
        _CACHE[key] = (now, identity)
    return identity
