"""Bearer token → ``Identity``, decided by the commission & tier service, the only owner of tokens.

The assistant API never interprets a token itself (no copy of the token table, no HQ secret in
this process): it asks the service "who am I" (``ToolsClient.me()`` = ``GET /v1/me``) with that
token. Success gives the role and KOC id; 401/403 means the token is unknown. Known tokens are
cached briefly so a chat of many turns costs one round trip, not one per message; a revoked token
stops working within ``ttl_s`` (and a KOC's new tier or kind, which decide the documents it may read,
applies within ``ttl_s`` too). The cache is keyed by SHA-256 hashes of tokens, is
bounded (``CACHE_SIZE``, least recently used out first), and never remembers an unknown token:
a flood of made-up keys cannot grow it, and a token issued a moment ago works at once.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from base.settings import Settings, get_settings
from tools.client import ToolsClient, ToolServiceError
from tools.identity import Identity

ClientFactory = Callable[[str], ToolsClient]

#: How many signed-in tokens are remembered at once.
CACHE_SIZE = 10_000

_CACHE: OrderedDict[tuple[str, str], tuple[float, Identity]] = OrderedDict()  # → (when, identity)
_LOCK = threading.Lock()


def _cache_key(url: str, token: str) -> tuple[str, str]:
    return url, hashlib.sha256(token.encode("utf-8")).hexdigest()


def service_client_factory(settings: Settings) -> ClientFactory:
    """A ToolsClient per token against the running service (KOC_TOOLS_URL / KOC_TOOLS_PORT)."""
    return lambda token: ToolsClient(settings.resolved_tools_url, token, timeout=5.0)


def complete_identity(identity: Identity | None, client_factory: Callable[[Identity], ToolsClient]) -> Identity | None:
    """A KOC identity built without asking the service (``koc ask --as``) with its kind and tier
    filled in by the service; unchanged when the service cannot say (closed: no kind, no tier)."""
    if identity is None or identity.role != "koc" or (identity.kind and identity.tier):
        return identity
    try:  # the factory's owner closes its clients (as the tool answers do)
        described = Identity.from_me(client_factory(identity).me(), identity.token)
    except (ToolServiceError, ConnectionError, OSError, KeyError, ValueError):
        return identity
    return described if (described.role, described.koc_id) == (identity.role, identity.koc_id) else identity


def resolve_identity(token: str, settings: Settings | None = None, *, client_factory: ClientFactory | None = None,
                     ttl_s: float = 30.0) -> Identity | None:
    """The identity of ``token``, or None if the service does not know it.

    Raises ``ConnectionError`` when the service cannot be reached or fails, so the API answers
    503 rather than 401 and a client does not throw away a valid key.
    """
    settings = settings or get_settings()
    factory = client_factory or service_client_factory(settings)
    key = _cache_key(settings.resolved_tools_url, token)
    now = time.monotonic()
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is not None and now - hit[0] < ttl_s:
        return hit[1]
    try:
        with factory(token) as client:
            me = client.me()
    except ToolServiceError as exc:
        if exc.status_code in (401, 403):
            with _LOCK:
                _CACHE.pop(key, None)  # revoked: forget it at once
            return None
        raise ConnectionError(str(exc)) from exc
    identity = Identity.from_me(me, token)
    with _LOCK:
        _CACHE[key] = (now, identity)
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return identity
