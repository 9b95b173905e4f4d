"""The commission & tier service: a FastAPI app over the ledger.

Every ``/v1`` endpoint needs a bearer token. A KOC token resolves to exactly one KOC and may only
read that KOC's data: any other KOC id, or any HQ endpoint, answers 403 with the same body whether
or not the other KOC exists, so nothing leaks. ``me`` in a path means "the KOC of this token";
that is how the assistant's tools work without ever passing an id. Validation problems are 422
with a message naming the field.

The app is assembled here from ``deps`` (the ledger, the token → identity dependency, error
handlers), ``routes_koc`` (routes any token may use) and ``routes_hq`` (HQ only).
"""

from __future__ import annotations

from fastapi import FastAPI

from base.settings import Settings, get_settings
from tools import routes_hq, routes_koc
from tools.auth import require_hq_token
from tools.db import database_url
from tools.deps import install_error_handlers, open_ledger
from tools.errors import InvalidInput
from tools.limits import BodyLimit


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: load and validate the policy (fails fast), migrate the database."""
    ledger = open_ledger(settings or get_settings())
    app = FastAPI(title="KOC commission & tier service",
                  description=f"Commission ledger, tiers and programme rules of the {ledger.policy.brand} KOC programme. "
                              "Money is integer cents (`*_cents`) with a yuan display string beside it.",
                  version="1.0")
    app.state.ledger = ledger
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.include_router(routes_koc.router)
    app.include_router(routes_hq.router)
    return app


_APPS: dict[tuple[str, str], FastAPI] = {}


def cached_app(settings: Settings | None = None) -> FastAPI:
    """One app per (database, policy) in this process, for in-process clients."""
    settings = settings or get_settings()
    key = (database_url(settings), str(settings.policy))
    if key not in _APPS:
        _APPS[key] = create_app(settings)
    return _APPS[key]


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (multi-worker serving reads settings from the env)."""
    return create_app()


def serve(port: int | None = None, workers: int = 1, settings: Settings | None = None) -> None:
    """Run the service with uvicorn on KOC_BIND_HOST (127.0.0.1 by default; blocking). Refuses to start without an HQ token
    (``KOC_HQ_TOKEN``, or the public demo token in demo mode): ``tools.auth.HQTokenMissing``."""
    import uvicorn  # the server, needed only to serve (in-process clients and tests never load it)

    settings = settings or get_settings()
    require_hq_token(settings)
    port = port or settings.tools_port
    if workers > 1:
        create_app(settings)  # validate the policy and migrate once before forking
        uvicorn.run("tools.service:app_factory", factory=True, host=settings.bind_host, port=port, workers=workers,
                    log_level="warning", access_log=False)
    else:
        uvicorn.run(create_app(settings), host=settings.bind_host, port=port, log_level="warning", access_log=False)


__all__ = ["create_app", "cached_app", "serve", "app_factory", "InvalidInput"]
