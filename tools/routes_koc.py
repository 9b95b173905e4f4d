"""Routes any signed-in caller may use: the health check, who am I, the catalogue, estimates at
any tier from the policy alone, and one KOC's own numbers (``/v1/kocs/{koc}/...``, where a KOC
token may only name itself or ``me``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import select

from tools import catalog, reports
from tools.deps import Ident, KocId, LedgerDep, now, ok
from tools.errors import InvalidInput
from tools.ledger import month_of

router = APIRouter()
MONTH = r"^\d{4}-\d{2}$"


class Health(BaseModel):
    status: str
    database: str
    policy_version: int


# ---------------------------------------------------------------- open / any token
@router.get("/health", response_model=Health, tags=["service"])
def health(ledger: LedgerDep) -> Health:
    with ledger.engine.connect() as conn:
        conn.execute(select(1))
    return Health(status="ok", database=ledger.engine.dialect.name, policy_version=ledger.policy.version)


@router.get("/v1/me", tags=["identity"])
def me(ident: Ident, ledger: LedgerDep) -> JSONResponse:
    data: dict[str, Any] = {"role": ident.role, "koc_id": ident.koc_id}
    if ident.koc_id is not None:
        with ledger.engine.connect() as conn:
            koc = reports.get_koc(conn, ident.koc_id)
        data.update(name=koc.name, kind=koc.kind, status=koc.status, **reports.tier_names(ledger.policy, koc.tier))
    return ok(data)


@router.get("/v1/products", tags=["catalogue"])
def products(_: Ident, ledger: LedgerDep, q: Annotated[str, Query(max_length=100)] = "") -> JSONResponse:
    policy = ledger.policy
    hits = catalog.search(policy, q)
    body: dict[str, Any] = {"query": q, "products": [catalog.product_dict(policy, p) for p in hits]}
    if not hits:
        body["close_matches"] = [catalog.product_dict(policy, p) for p in catalog.close_matches(policy, q)]
    return ok(body)


@router.get("/v1/policy/rates", tags=["catalogue"])
def rates(_: Ident, ledger: LedgerDep) -> JSONResponse:
    return ok(reports.rate_table(ledger.policy))


# ---------------------------------------------------------------- one KOC (self or HQ)
@router.get("/v1/kocs/{koc}", tags=["koc"])
def overview(koc_id: KocId, ledger: LedgerDep) -> JSONResponse:
    with ledger.engine.connect() as conn:
        return ok(reports.koc_overview(conn, ledger.policy, koc_id, now()))


@router.get("/v1/kocs/{koc}/earnings", tags=["koc"])
def earnings(koc_id: KocId, ledger: LedgerDep,
             month: Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM; default this month")] = None,
             from_month: Annotated[str | None, Query(pattern=MONTH)] = None,
             to_month: Annotated[str | None, Query(pattern=MONTH)] = None) -> JSONResponse:
    moment = now()
    if month and (from_month or to_month):
        raise InvalidInput("give either month or from_month/to_month, not both")
    start = month or from_month or to_month or month_of(moment)
    end = month or to_month or from_month or month_of(moment)
    with ledger.engine.connect() as conn:
        return ok(reports.earnings_summary(conn, ledger.policy, koc_id, start, end, moment))


@router.get("/v1/kocs/{koc}/estimate", tags=["koc"])
def estimate(koc_id: KocId, ledger: LedgerDep,
             product: Annotated[str, Query(min_length=1, max_length=100, description="SKU or (part of) the name")],
             quantity: Annotated[int, Query(ge=1, le=10_000)] = 1) -> JSONResponse:
    prod = catalog.resolve(ledger.policy, product)
    with ledger.engine.connect() as conn:
        koc = reports.get_koc(conn, koc_id)
    return ok({"koc_id": koc_id, **reports.estimate(ledger.policy, prod, quantity, koc.kind, koc.tier)})


# ---------------------------------------------------------------- estimates at any tier
# Only the policy is read (rates and multipliers the handbooks publish), never a KOC's records,
# so any signed-in caller may ask "what would a <tier> earn on this product?".
@router.get("/v1/estimate", tags=["koc"])
def estimate_any(_: Ident, ledger: LedgerDep, product: Annotated[str, Query(min_length=1, max_length=100)],
                 quantity: Annotated[int, Query(ge=1, le=10_000)] = 1,
                 tier: Annotated[str | None, Query(description="tier key; default the entry tier")] = None,
                 kind: Annotated[str, Query(pattern="^(private|external)$")] = "private") -> JSONResponse:
    policy = ledger.policy
    tier = tier or policy.tiers[0].key
    try:
        policy.tier(tier)
    except KeyError as exc:
        raise InvalidInput(f"unknown tier {tier!r}; tiers: {', '.join(t.key for t in policy.tiers)}") from exc
    return ok(reports.estimate(policy, catalog.resolve(policy, product), quantity, kind, tier))


@router.get("/v1/kocs/{koc}/tier-progress", tags=["koc"])
def tier_progress(koc_id: KocId, ledger: LedgerDep) -> JSONResponse:
    with ledger.engine.connect() as conn:
        return ok(reports.tier_progress(conn, ledger.policy, koc_id, now().date()))


@router.get("/v1/kocs/{koc}/competition", tags=["koc"])
def competition(koc_id: KocId, ledger: LedgerDep, month: Annotated[str | None, Query(pattern=MONTH)] = None) -> JSONResponse:
    month = month or month_of(now())
    with ledger.engine.connect() as conn:
        table = ledger.leaderboard.get(conn, month)
        return ok(reports.competition_rank(conn, ledger.policy, koc_id, month, table=table))


@router.get("/v1/kocs/{koc}/trials", tags=["koc"])
def trials(koc_id: KocId, ledger: LedgerDep) -> JSONResponse:
    with ledger.engine.connect() as conn:
        return ok(reports.trials_status(conn, ledger.policy, koc_id, now().date()))
