"""What the service's routes depend on: the ledger (settings, policy, engine), who is calling,
which KOC a path names, the clock, JSON responses and the error handlers.

The ledger is built once by ``service.create_app`` and kept on ``app.state.ledger``; routes get
it (and everything derived from the bearer token) through FastAPI dependencies, so the route
modules hold no state of their own.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError

from base.settings import Settings
from tools.auth import hash_token, is_hq
from tools.competitions import competition_table
from tools.db import open_engine
from tools.errors import BatchRejected, LedgerError
from tools.identity import Identity
from tools.ledger import KOCS, sync_products
from tools.limits import is_positive_id
from tools.money import add_display
from tools.policy import Policy, load_policy

FORBIDDEN = "forbidden"
log = logging.getLogger(__name__)


class TokenCache:
    """Token hash -> KOC id for a few seconds, so a busy service is not one query per request."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        self._data: dict[str, tuple[float, int | None]] = {}

    def get(self, key: str) -> tuple[bool, int | None]:
        hit = self._data.get(key)
        if hit and hit[0] > time.monotonic():
            return True, hit[1]
        return False, None

    def put(self, key: str, value: int | None) -> None:
        if len(self._data) > 10_000:
            self._data.clear()
        self._data[key] = (time.monotonic() + self.ttl, value)


class Leaderboard:
    """A month's competition table, recomputed at most every few seconds: ranking every entrant
    is the one read that scans a whole month, and a leaderboard a few seconds old is fine."""

    def __init__(self, policy: Policy, ttl: float = 5.0) -> None:
        self.policy, self.ttl = policy, ttl
        self._data: dict[str, tuple[float, list]] = {}
        self._lock = threading.Lock()

    def get(self, conn, month: str) -> list:
        hit = self._data.get(month)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        with self._lock:
            hit = self._data.get(month)
            if hit and hit[0] > time.monotonic():
                return hit[1]
            table = competition_table(conn, self.policy, month)
            self._data[month] = (time.monotonic() + self.ttl, table)
            return table


@dataclass
class Ledger:
    """Everything one app serves from, built once at start."""

    settings: Settings
    policy: Policy
    engine: Engine
    tokens: TokenCache = field(default_factory=TokenCache)
    leaderboard: Leaderboard = field(init=False)

    def __post_init__(self) -> None:
        self.leaderboard = Leaderboard(self.policy)


def open_ledger(settings: Settings) -> Ledger:
    """Load and validate the policy (fails fast), migrate the database, sync the catalogue."""
    policy = load_policy(settings.policy)
    engine = open_engine(settings)
    sync_products(engine, policy)
    return Ledger(settings, policy, engine)


# --- dependencies -------------------------------------------------------------------------------
def get_ledger(request: Request) -> Ledger:
    return request.app.state.ledger


LedgerDep = Annotated[Ledger, Depends(get_ledger)]


def identity(request: Request, ledger: LedgerDep) -> Identity:
    """The caller of a bearer token: HQ, or the one KOC whose token hash it is (401 otherwise)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    if is_hq(token, ledger.settings):
        return Identity(role="hq", token=token)
    key = hash_token(token)
    found, koc_id = ledger.tokens.get(key)
    if not found:
        with ledger.engine.connect() as conn:
            koc_id = conn.execute(select(KOCS.c.id).where(KOCS.c.token_hash == key)).scalar()
        ledger.tokens.put(key, koc_id)
    if koc_id is None:
        raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": "Bearer"})
    return Identity(role="koc", koc_id=koc_id, token=token)


Ident = Annotated[Identity, Depends(identity)]


def hq_only(ident: Ident) -> Identity:
    if ident.role != "hq":
        raise HTTPException(403, FORBIDDEN)
    return ident


HQ = Annotated[Identity, Depends(hq_only)]


def koc_ref(ident: Ident, koc: Annotated[str, Path(description="KOC id, or `me` for the token's own KOC")]) -> int:
    """The KOC a ``{koc}`` path names; a KOC token naming any other KOC (existing or not) gets the same 403."""
    if koc == "me":
        if ident.koc_id is None:
            raise HTTPException(422, "`me` needs a KOC token; HQ must name a KOC id")
        return ident.koc_id
    if not is_positive_id(koc):
        if ident.role != "hq":
            raise HTTPException(403, FORBIDDEN)
        raise HTTPException(422, f"KOC must be a positive integer id or `me`, got {koc!r}")
    if ident.role != "hq" and int(koc) != ident.koc_id:
        raise HTTPException(403, FORBIDDEN)
    return int(koc)


KocId = Annotated[int, Depends(koc_ref)]


def now() -> datetime:
    return datetime.now(UTC)


# --- responses and errors -----------------------------------------------------------------------
class FastJSON(JSONResponse):
    """JSON via orjson (a few times faster than the stdlib for these dicts), UTF-8, no ASCII escaping."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def ok(data: Any) -> JSONResponse:
    """A 200 with a yuan display string beside every ``*_cents`` field."""
    return FastJSON(add_display(data))


async def _ledger_error(_: Request, exc: LedgerError) -> JSONResponse:
    body: dict[str, Any] = {"detail": str(exc)}
    if isinstance(exc, BatchRejected):
        body["errors"] = [{"row": e.row, "key": e.key, "error": e.error} for e in exc.errors]
    return JSONResponse(body, status_code=exc.status_code)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":  # loc is ("body", character position): not a field
            errors.append({"field": "", "error": f"malformed JSON body ({err['ctx'].get('error', 'invalid')} "
                                                 f"at position {err['loc'][-1]})" if err.get("ctx") else "malformed JSON body"})
            continue
        loc = ".".join(str(x) for x in err["loc"] if x not in ("body", "query", "path"))
        errors.append({"field": loc, "error": err["msg"].removeprefix("Value error, ")})
    detail = "; ".join(f"{e['field']}: {e['error']}" if e["field"] else e["error"] for e in errors)
    return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)


async def _not_utf8(_: Request, exc: UnicodeDecodeError) -> JSONResponse:
    return JSONResponse({"detail": "the request is not UTF-8 text"}, status_code=400)


async def _too_deep(_: Request, exc: RecursionError) -> JSONResponse:
    return JSONResponse({"detail": "the request is nested too deeply"}, status_code=400)


async def _database_down(_: Request, exc: OperationalError) -> JSONResponse:
    """The ledger database is unreachable, restarting, locked or out of space: a 503 that says so
    (the driver's message stays in the log: it may name hosts and statements)."""
    reason = str(getattr(exc, "orig", exc) or type(exc).__name__).strip().splitlines()[0][:200]
    log.error("ledger database unavailable: %s", reason)
    return JSONResponse({"detail": "the ledger database is unavailable right now; try again shortly"},
                        status_code=503, headers={"Retry-After": "5"})


def install_error_handlers(app: FastAPI) -> None:
    """Ledger errors keep their status code (and list bad rows); validation errors are a 422 naming the field.
    A body that is not UTF-8 or nests too deeply is a client error (400 with a JSON body), never a 500;
    a database that cannot be reached is a 503 (a write in flight is rolled back as a whole)."""
    app.add_exception_handler(LedgerError, _ledger_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(UnicodeDecodeError, _not_utf8)  # type: ignore[arg-type]
    app.add_exception_handler(RecursionError, _too_deep)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, _database_down)  # type: ignore[arg-type]
