"""The commission & tier service: a FastAPI app over the ledger.

Every ``/v1`` endpoint needs a bearer token. A KOC token resolves to exactly one KOC and may only
read that KOC's data: any other KOC id, or any HQ endpoint, answers 403 with the same body whether
or not the other KOC exists, so nothing leaks. ``me`` in a path means "the KOC of this token";
that is how the assistant's tools work without ever passing an id. Validation problems are 422
with a message naming the field.
"""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from knowledge.settings import Settings, get_settings
from tools import catalog, reports, rules
from tools.auth import hash_token, is_hq
from tools.db import open_engine
from tools.errors import BatchRejected, InvalidInput, LedgerError
from tools.identity import Identity
from tools.ledger import (KOCS, ImportReport, import_orders, import_orders_file, import_refunds, import_refunds_file, month_of,
                          settle, sync_products)
from tools.money import add_display
from tools.policy import Policy, load_policy
from tools.records import OrderIn, RefundIn
from tools.registry import ActivityIn, KocIn, ReviewIn, TrialIn, add_trial, create_koc, issue_token, review_trial, set_activity

FORBIDDEN = "forbidden"

@dataclass
class Ledger:
    settings: Settings
    policy: Policy
    engine: Engine

class _TokenCache:
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

class _FastJSON(JSONResponse):
    """JSON via orjson (a few times faster than the stdlib for these dicts), UTF-8, no ASCII escaping."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class _Leaderboard:
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
            table = reports.competition_table(conn, self.policy, month)
            self._data[month] = (time.monotonic() + self.ttl, table)
            return table


def _ok(data: Any) -> JSONResponse:
    return _FastJSON(add_display(data))

def _report(rep: ImportReport) -> dict:
    return {"received": rep.received, "inserted": rep.inserted, "duplicates": rep.duplicates,
            "commission_rows": rep.commission_rows}

class Health(BaseModel):
    status: str
    database: str
    policy_version: int

class CoreViolationIn(BaseModel):
    detail: str = Field("", max_length=500)
    on: date | None = None

def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: load and validate the policy (fails fast), migrate the database."""
    settings = settings or get_settings()
    policy = load_policy(settings.policy)
    engine = open_engine(settings)
    sync_products(engine, policy)
    ledger = Ledger(settings, policy, engine)
    tokens = _TokenCache()
    leaderboard = _Leaderboard(policy)

    app = FastAPI(title="KOC commission & tier service",
                  description="Commission ledger, tiers and programme rules of the 暖岛 Nuandao KOC programme. "
                              "Money is integer cents (`*_cents`) with a yuan display string beside it.",
                  version="1.0")
    app.state.ledger = ledger

    @app.exception_handler(LedgerError)
    async def _ledger_error(_: Request, exc: LedgerError) -> JSONResponse:
        body: dict[str, Any] = {"detail": str(exc)}
        if isinstance(exc, BatchRejected):
            body["errors"] = [{"row": e.row, "key": e.key, "error": e.error} for e in exc.errors]
        return JSONResponse(body, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"] if x not in ("body", "query", "path"))
            errors.append({"field": loc, "error": err["msg"].removeprefix("Value error, ")})
        detail = "; ".join(f"{e['field']}: {e['error']}" if e["field"] else e["error"] for e in errors)
        return JSONResponse({"detail": detail or "invalid request", "errors": errors}, status_code=422)

    def identity(request: Request) -> Identity:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
        if is_hq(token, settings):
            return Identity(role="hq", token=token)
        key = hash_token(token)
        found, koc_id = tokens.get(key)
        if not found:
            with engine.connect() as conn:
                koc_id = conn.execute(select(KOCS.c.id).where(KOCS.c.token_hash == key)).scalar()
            tokens.put(key, koc_id)
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
        if koc == "me":
            if ident.koc_id is None:
                raise HTTPException(422, "`me` needs a KOC token; HQ must name a KOC id")
            return ident.koc_id
        if not koc.isdigit() or int(koc) < 1:
            if ident.role != "hq":
                raise HTTPException(403, FORBIDDEN)
            raise HTTPException(422, f"KOC must be a positive integer id or `me`, got {koc!r}")
        if ident.role != "hq" and int(koc) != ident.koc_id:
            raise HTTPException(403, FORBIDDEN)
        return int(koc)

    KocId = Annotated[int, Depends(koc_ref)]

    def now() -> datetime:
        return datetime.now(UTC)

    # ---------------------------------------------------------------- open / any token
    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        with engine.connect() as conn:
            conn.execute(select(1))
        return Health(status="ok", database=engine.dialect.name, policy_version=policy.version)

    @app.get("/v1/me", tags=["identity"])
    def me(ident: Ident) -> JSONResponse:
        data: dict[str, Any] = {"role": ident.role, "koc_id": ident.koc_id}
        if ident.koc_id is not None:
            with engine.connect() as conn:
                koc = reports.get_koc(conn, ident.koc_id)
            data.update(name=koc.name, kind=koc.kind, status=koc.status, **reports.tier_names(policy, koc.tier))
        return _ok(data)

    @app.get("/v1/products", tags=["catalogue"])
    def products(_: Ident, q: Annotated[str, Query(max_length=100)] = "") -> JSONResponse:
        hits = catalog.search(policy, q)
        body: dict[str, Any] = {"query": q, "products": [catalog.product_dict(policy, p) for p in hits]}
        if not hits:
            body["close_matches"] = [catalog.product_dict(policy, p) for p in catalog.close_matches(policy, q)]
        return _ok(body)

    @app.get("/v1/policy/rates", tags=["catalogue"])
    def rates(_: Ident) -> JSONResponse:
        return _ok(reports.rate_table(policy))

    # ---------------------------------------------------------------- one KOC (self or HQ)
    @app.get("/v1/kocs/{koc}", tags=["koc"])
    def overview(koc_id: KocId) -> JSONResponse:
        with engine.connect() as conn:
            return _ok(reports.koc_overview(conn, policy, koc_id, now()))

    @app.get("/v1/kocs/{koc}/earnings", tags=["koc"])
    def earnings(koc_id: KocId,
                 month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; default this month")] = None,
                 from_month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
                 to_month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None) -> JSONResponse:
        moment = now()
        if month and (from_month or to_month):
            raise InvalidInput("give either month or from_month/to_month, not both")
        start = month or from_month or to_month or month_of(moment)
        end = month or to_month or from_month or month_of(moment)
        with engine.connect() as conn:
            return _ok(reports.earnings_summary(conn, policy, koc_id, start, end, moment))

    @app.get("/v1/kocs/{koc}/estimate", tags=["koc"])
    def estimate(koc_id: KocId,
                 product: Annotated[str, Query(min_length=1, max_length=100, description="SKU or (part of) the name")],
                 quantity: Annotated[int, Query(ge=1, le=10_000)] = 1) -> JSONResponse:
        prod = catalog.resolve(policy, product)
        with engine.connect() as conn:
            koc = reports.get_koc(conn, koc_id)
        return _ok({"koc_id": koc_id, **reports.estimate(policy, prod, quantity, koc.kind, koc.tier)})

    @app.get("/v1/kocs/{koc}/tier-progress", tags=["koc"])
    def tier_progress(koc_id: KocId) -> JSONResponse:
        with engine.connect() as conn:
            return _ok(reports.tier_progress(conn, policy, koc_id, now().date()))

    @app.get("/v1/kocs/{koc}/competition", tags=["koc"])
    def competition(koc_id: KocId, month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None) -> JSONResponse:
        month = month or month_of(now())
        with engine.connect() as conn:
            table = leaderboard.get(conn, month)
            return _ok(reports.competition_rank(conn, policy, koc_id, month, table=table))

    @app.get("/v1/kocs/{koc}/trials", tags=["koc"])
    def trials(koc_id: KocId) -> JSONResponse:
        with engine.connect() as conn:
            return _ok(reports.trials_status(conn, policy, koc_id, now().date()))

    # ---------------------------------------------------------------- HQ: estimates for any tier
    @app.get("/v1/estimate", tags=["hq"])
    def estimate_any(_: HQ, product: Annotated[str, Query(min_length=1, max_length=100)],
                     quantity: Annotated[int, Query(ge=1, le=10_000)] = 1,
                     tier: Annotated[str, Query()] = "sprout",
                     kind: Annotated[str, Query(pattern="^(private|external)$")] = "private") -> JSONResponse:
        try:
            policy.tier(tier)
        except KeyError as exc:
            raise InvalidInput(f"unknown tier {tier!r}; tiers: {', '.join(t.key for t in policy.tiers)}") from exc
        return _ok(reports.estimate(policy, catalog.resolve(policy, product), quantity, kind, tier))

    # ---------------------------------------------------------------- HQ: KOC records
    @app.post("/v1/kocs", status_code=201, tags=["hq"])
    def new_koc(_: HQ, body: KocIn) -> JSONResponse:
        koc_id = create_koc(engine, policy, body)
        return JSONResponse({"koc_id": koc_id}, status_code=201)

    @app.post("/v1/kocs/{koc_id}/token", tags=["hq"])
    def new_token(_: HQ, koc_id: Annotated[int, Path(ge=1)]) -> JSONResponse:
        return _ok({"koc_id": koc_id, "token": issue_token(engine, koc_id)})

    @app.put("/v1/kocs/{koc_id}/activity", tags=["hq"])
    def activity(_: HQ, koc_id: Annotated[int, Path(ge=1)], body: ActivityIn) -> JSONResponse:
        set_activity(engine, koc_id, body)
        return _ok({"koc_id": koc_id, **body.model_dump()})

    @app.post("/v1/kocs/{koc_id}/core-violation", tags=["hq"])
    def core_violation(_: HQ, koc_id: Annotated[int, Path(ge=1)], body: CoreViolationIn) -> JSONResponse:
        forfeited = rules.record_core_violation(engine, policy, koc_id, body.on or now().date(), body.detail)
        return _ok({"koc_id": koc_id, "status": "disqualified", "forfeited_cents": forfeited})

    # ---------------------------------------------------------------- HQ: imports
    async def _batch(request: Request) -> tuple[bytes, str]:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if kind in ("text/csv", "application/csv"):
            return body, "csv"
        if kind in ("application/json", ""):
            return body, "json"
        raise InvalidInput(f"unsupported content type {kind!r}; send application/json or text/csv")

    @app.post("/v1/orders", tags=["hq"])
    def add_order(_: HQ, body: OrderIn) -> JSONResponse:
        return _ok(_report(import_orders(engine, policy, [body])))

    @app.post("/v1/orders/bulk", tags=["hq"],
              openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": OrderIn.model_json_schema()}},
                                                         "text/csv": {"schema": {"type": "string"}}}, "required": True}})
    async def add_orders(_: HQ, request: Request) -> JSONResponse:
        body, fmt = await _batch(request)
        return _ok(_report(await run_in_threadpool(import_orders_file, engine, policy, body, fmt)))

    @app.post("/v1/refunds", tags=["hq"])
    def add_refund(_: HQ, body: RefundIn) -> JSONResponse:
        return _ok(_report(import_refunds(engine, [body])))

    @app.post("/v1/refunds/bulk", tags=["hq"],
              openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": RefundIn.model_json_schema()}},
                                                         "text/csv": {"schema": {"type": "string"}}}, "required": True}})
    async def add_refunds(_: HQ, request: Request) -> JSONResponse:
        body, fmt = await _batch(request)
        return _ok(_report(await run_in_threadpool(import_refunds_file, engine, body, fmt)))

    # ---------------------------------------------------------------- HQ: batches
    @app.post("/v1/settlements", tags=["hq"])
    def run_settlement(_: HQ, on: Annotated[date, Query(description="settlement date (the policy's settlement day)")]) -> JSONResponse:
        rep = settle(engine, policy, on)
        return _ok({"settled_on": rep.settled_on.isoformat(), "cutoff": rep.cutoff.isoformat(), "kocs_paid": rep.kocs_paid,
                    "total_cents": rep.total_cents, "entries": rep.entries, "carried_negative": rep.carried_negative})

    @app.post("/v1/promotions/evaluate", tags=["hq"])
    def run_promotions(_: HQ, on: Annotated[date | None, Query()] = None) -> JSONResponse:
        promoted = rules.evaluate_promotions(engine, policy, on or now().date())
        return _ok({"promoted": [p.__dict__ for p in promoted]})

    @app.post("/v1/rules/evaluate", tags=["hq"])
    def run_rules(_: HQ, on: Annotated[date | None, Query()] = None) -> JSONResponse:
        return _ok(rules.evaluate_rules(engine, policy, on or now().date()).__dict__)

    @app.post("/v1/competitions/{month}/close", tags=["hq"])
    def close(_: HQ, month: Annotated[str, Path(pattern=r"^\d{4}-\d{2}$")]) -> JSONResponse:
        return _ok({"month": month, "awards": rules.close_competition(engine, policy, month)})

    @app.post("/v1/trials", status_code=201, tags=["hq"])
    def new_trial(_: HQ, body: TrialIn) -> JSONResponse:
        return JSONResponse({"trial_id": add_trial(engine, policy, body)}, status_code=201)

    @app.post("/v1/trials/{trial_id}/review", tags=["hq"])
    def trial_review(_: HQ, trial_id: Annotated[int, Path(ge=1)], body: ReviewIn) -> JSONResponse:
        review_trial(engine, trial_id, body)
        return _ok({"trial_id": trial_id, **body.model_dump(mode="json")})

    # ---------------------------------------------------------------- HQ: views
    @app.get("/v1/hq/near-promotion", tags=["hq"])
    def hq_near(_: HQ, limit: Annotated[int, Query(ge=1, le=200)] = 10) -> JSONResponse:
        with engine.connect() as conn:
            return _ok({"kocs": reports.near_promotion(conn, policy, limit)})

    @app.get("/v1/hq/top-performers", tags=["hq"])
    def hq_top(_: HQ, month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 10) -> JSONResponse:
        month = month or month_of(now())
        with engine.connect() as conn:
            return _ok({"month": month, "kocs": reports.top_performers(conn, policy, month, limit)})

    @app.get("/v1/hq/at-risk", tags=["hq"])
    def hq_risk(_: HQ, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
        with engine.connect() as conn:
            return _ok({"kocs": reports.at_risk(conn, policy, now().date(), limit)})

    return app

_APPS: dict[tuple[str, str], FastAPI] = {}


def cached_app(settings: Settings | None = None) -> FastAPI:
    """One app per (database, policy) in this process, for in-process clients."""
    from tools.db import database_url

    settings = settings or get_settings()
    key = (database_url(settings), str(settings.policy))
    if key not in _APPS:
        _APPS[key] = create_app(settings)
    return _APPS[key]


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (multi-worker serving reads settings from the env)."""
    return create_app()

def serve(port: int | None = None, workers: int = 1, settings: Settings | None = None) -> None:
    """Run the service with uvicorn on 127.0.0.1 (blocking)."""
    import uvicorn

    settings = settings or get_settings()
    port = port or settings.tools_port
    if workers > 1:
        create_app(settings)  # validate the policy and migrate once before forking
        uvicorn.run("tools.service:app_factory", factory=True, host="127.0.0.1", port=port, workers=workers,
                    log_level="warning", access_log=False)
    else:
        uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)

__all__ = ["create_app", "serve", "app_factory", "InvalidInput"]
