"""HQ-only routes: KOC records, imports, the batches (settlement, daily
rules, competitions, trials) and the HQ views. Every route takes the ``HQ`` dependency, so a
KOC token gets 403 before anything else happens."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tools import reports, rules
from tools.competitions import close_competition
from tools.deps import HQ, LedgerDep, now, ok
from tools.errors import InvalidInput
from tools.ledger import ImportReport, import_orders, import_orders_file, import_refunds, import_refunds_file, month_of, settle
from tools.records import OrderIn, RefundIn
from tools.registry import ActivityIn, KocIn, ReviewIn, TrialIn, add_trial, create_koc, issue_token, review_trial, set_activity

router = APIRouter(tags=["hq"])
MONTH = r"^\d{4}-\d{2}$"


class CoreViolationIn(BaseModel):
    detail: str = Field("", max_length=500)
    on: date | None = None


def _report(rep: ImportReport) -> dict:
    return {"received": rep.received, "inserted": rep.inserted, "duplicates": rep.duplicates,
            "commission_rows": rep.commission_rows}


def _batch_body(schema: dict) -> dict:
    """OpenAPI request body of a bulk import: a JSON array of records, or CSV text."""
    return {"requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": schema}},
                                        "text/csv": {"schema": {"type": "string"}}}, "required": True}}


async def _batch(request: Request) -> tuple[bytes, str]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind in ("text/csv", "application/csv"):
        return body, "csv"
    if kind in ("application/json", ""):
        return body, "json"
    raise InvalidInput(f"unsupported content type {kind!r}; send application/json or text/csv")


# ---------------------------------------------------------------- KOC records
@router.post("/v1/kocs", status_code=201)
def new_koc(_: HQ, ledger: LedgerDep, body: KocIn) -> JSONResponse:
    koc_id = create_koc(ledger.engine, ledger.policy, body)
    return JSONResponse({"koc_id": koc_id}, status_code=201)


@router.post("/v1/kocs/{koc_id}/token")
def new_token(_: HQ, ledger: LedgerDep, koc_id: Annotated[int, Path(ge=1)]) -> JSONResponse:
    return ok({"koc_id": koc_id, "token": issue_token(ledger.engine, koc_id)})


@router.put("/v1/kocs/{koc_id}/activity")
def activity(_: HQ, ledger: LedgerDep, koc_id: Annotated[int, Path(ge=1)], body: ActivityIn) -> JSONResponse:
    set_activity(ledger.engine, koc_id, body)
    return ok({"koc_id": koc_id, **body.model_dump()})


@router.post("/v1/kocs/{koc_id}/core-violation")
def core_violation(_: HQ, ledger: LedgerDep, koc_id: Annotated[int, Path(ge=1)], body: CoreViolationIn) -> JSONResponse:
    forfeited = rules.record_core_violation(ledger.engine, ledger.policy, koc_id, body.on or now().date(), body.detail)
    return ok({"koc_id": koc_id, "status": "disqualified", "forfeited_cents": forfeited})


# ---------------------------------------------------------------- imports
@router.post("/v1/orders")
def add_order(_: HQ, ledger: LedgerDep, body: OrderIn) -> JSONResponse:
    return ok(_report(import_orders(ledger.engine, ledger.policy, [body])))


@router.post("/v1/orders/bulk", openapi_extra=_batch_body(OrderIn.model_json_schema()))
async def add_orders(_: HQ, ledger: LedgerDep, request: Request) -> JSONResponse:
    body, fmt = await _batch(request)
    return ok(_report(await run_in_threadpool(import_orders_file, ledger.engine, ledger.policy, body, fmt)))


@router.post("/v1/refunds")
def add_refund(_: HQ, ledger: LedgerDep, body: RefundIn) -> JSONResponse:
    return ok(_report(import_refunds(ledger.engine, [body])))


@router.post("/v1/refunds/bulk", openapi_extra=_batch_body(RefundIn.model_json_schema()))
async def add_refunds(_: HQ, ledger: LedgerDep, request: Request) -> JSONResponse:
    body, fmt = await _batch(request)
    return ok(_report(await run_in_threadpool(import_refunds_file, ledger.engine, body, fmt)))


# ---------------------------------------------------------------- batches
@router.post("/v1/settlements")
def run_settlement(_: HQ, ledger: LedgerDep,
                   on: Annotated[date, Query(description="settlement date (the policy's settlement day)")]) -> JSONResponse:
    rep = settle(ledger.engine, ledger.policy, on, today=now().date())
    return ok({"settled_on": rep.settled_on.isoformat(), "cutoff": rep.cutoff.isoformat(), "kocs_paid": rep.kocs_paid,
               "total_cents": rep.total_cents, "entries": rep.entries, "carried_negative": rep.carried_negative})


@router.post("/v1/promotions/evaluate")
def run_promotions(_: HQ, ledger: LedgerDep, on: Annotated[date | None, Query()] = None) -> JSONResponse:
    promoted = rules.evaluate_promotions(ledger.engine, ledger.policy, on or now().date())
    return ok({"promoted": [p.__dict__ for p in promoted]})


@router.post("/v1/rules/evaluate")
def run_rules(_: HQ, ledger: LedgerDep, on: Annotated[date | None, Query()] = None) -> JSONResponse:
    return ok(rules.evaluate_rules(ledger.engine, ledger.policy, on or now().date()).__dict__)


@router.post("/v1/competitions/{month}/close")
def close(_: HQ, ledger: LedgerDep, month: Annotated[str, Path(pattern=MONTH)],
          force: Annotated[bool, Query(description="close a month that has not ended yet (logged)")] = False) -> JSONResponse:
    awards = close_competition(ledger.engine, ledger.policy, month, force=force, now=now())
    return ok({"month": month, "forced": force, "awards": awards})


@router.post("/v1/trials", status_code=201)
def new_trial(_: HQ, ledger: LedgerDep, body: TrialIn) -> JSONResponse:
    return JSONResponse({"trial_id": add_trial(ledger.engine, ledger.policy, body)}, status_code=201)


@router.post("/v1/trials/{trial_id}/review")
def trial_review(_: HQ, ledger: LedgerDep, trial_id: Annotated[int, Path(ge=1)], body: ReviewIn) -> JSONResponse:
    review_trial(ledger.engine, trial_id, body)
    return ok({"trial_id": trial_id, **body.model_dump(mode="json")})


# ---------------------------------------------------------------- views
@router.get("/v1/hq/near-promotion")
def hq_near(_: HQ, ledger: LedgerDep, limit: Annotated[int, Query(ge=1, le=200)] = 10,
            to_tier: Annotated[str | None, Query(max_length=32, description="Only KOCs whose next tier is this key.")] = None
            ) -> JSONResponse:
    if to_tier is not None and to_tier not in [t.key for t in ledger.policy.tiers]:
        raise InvalidInput(f"unknown tier {to_tier!r}")
    with ledger.engine.connect() as conn:
        return ok({"kocs": reports.near_promotion(conn, ledger.policy, limit, to_tier)})


@router.get("/v1/hq/top-performers")
def hq_top(_: HQ, ledger: LedgerDep, month: Annotated[str | None, Query(pattern=MONTH)] = None,
           limit: Annotated[int, Query(ge=1, le=200)] = 10) -> JSONResponse:
    month = month or month_of(now())
    with ledger.engine.connect() as conn:
        return ok({"month": month, "kocs": reports.top_performers(conn, ledger.policy, month, limit)})


@router.get("/v1/hq/at-risk")
def hq_risk(_: HQ, ledger: LedgerDep, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> JSONResponse:
    with ledger.engine.connect() as conn:
        return ok({"kocs": reports.at_risk(conn, ledger.policy, now().date(), limit)})
