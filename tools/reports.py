"""Reading the ledger: earnings, estimates, tier progress, competition rank, trials, HQ views.

Every function returns plain JSON-ready dicts with money in integer ``*_cents`` fields; the
service adds the yuan display strings. Aggregates are computed in SQL over indexed columns
(``commission(koc_id, month)``, ``orders(koc_id, paid_at)``, ``orders(month, koc_id)``) so a
summary stays fast with millions of orders.

Commission statuses: ``pending`` = inside the 15-day refund window (frozen), ``settleable`` =
freeze over, waiting for the next settlement day, ``settled`` = paid, ``reversed`` = taken back by
refunds, ``forfeited`` = cancelled by a core-rule violation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, func, select

from base.language import counted
from tools.catalog import product_dict
from tools.commission import effective_rate
from tools.errors import InvalidInput, NotFound
from tools.competitions import competition_table
from tools.ledger import EVENTS, KOCS, LEDGER, ORDERS, month_bounds, month_of
from tools.money import apply_rate, percent, yuan
from tools.policy import CRITERIA, Policy, Product
from tools.rules import (TRIALS, assessment_end, assessment_paid_orders, earned_tier, metrics, poor_streak, scored_trials_by_koc,
                         scores_since, trial_block, trial_block_reason)

STATUSES = ("pending", "settleable", "settled", "reversed", "forfeited")


def next_settlement_day(policy: Policy, today: date) -> date:
    day = policy.commission.settlement_day
    if today.day <= day:
        return date(today.year, today.month, day)
    return date(today.year + (today.month == 12), today.month % 12 + 1, day)


def get_koc(conn, koc_id: int):
    koc = conn.execute(_KOC, {"koc": koc_id}).first()
    if koc is None:
        raise NotFound(f"KOC {koc_id} not found")
    return koc


def tier_names(policy: Policy, key: str) -> dict:
    tier = policy.tier(key)
    return {"tier": key, "tier_zh": tier.name_zh, "tier_zh_tw": tier.name_zh_tw, "tier_en": tier.name_en}


# --- earnings -----------------------------------------------------------------------------------
# Built once: SQLAlchemy then only looks the compiled form up in its cache on every request.
_STATUS = case(
    (LEDGER.c.kind == "reversal", "reversed"),
    (LEDGER.c.kind == "forfeit", "forfeited"),
    (LEDGER.c.settled_on.is_not(None), "settled"),
    (LEDGER.c.available_at > bindparam("as_of", type_=LEDGER.c.available_at.type), "pending"),
    else_="settleable",
).label("status")
_EARNINGS_BY_STATUS = (
    select(_STATUS, LEDGER.c.level, LEDGER.c.sku, func.count(), func.sum(LEDGER.c.amount_cents))
    .where(and_(LEDGER.c.koc_id == bindparam("koc"), LEDGER.c.month >= bindparam("m0"), LEDGER.c.month <= bindparam("m1")))
    .group_by(_STATUS, LEDGER.c.level, LEDGER.c.sku)
)
_SALES_BY_SKU = (
    select(ORDERS.c.sku, func.count(), func.sum(ORDERS.c.quantity), func.sum(ORDERS.c.amount_cents), func.sum(ORDERS.c.refunded_cents),
           func.sum(case((ORDERS.c.refunded_cents > 0, 1), else_=0)))
    .where(and_(ORDERS.c.koc_id == bindparam("koc"), ORDERS.c.paid_at >= bindparam("t0", type_=ORDERS.c.paid_at.type),
                ORDERS.c.paid_at < bindparam("t1", type_=ORDERS.c.paid_at.type)))
    .group_by(ORDERS.c.sku)
)


class _SkuSales(NamedTuple):
    """One product's orders in a period (a row of ``_SALES_BY_SKU``), read by name where summed."""

    orders: int = 0
    units: int = 0
    paid_cents: int = 0
    refunded_cents: int = 0
    refunded_orders: int = 0


_UPCOMING = select(func.coalesce(func.sum(LEDGER.c.amount_cents), 0)).where(and_(
    LEDGER.c.koc_id == bindparam("koc"), LEDGER.c.settled_on.is_(None),
    LEDGER.c.available_at < bindparam("cutoff", type_=LEDGER.c.available_at.type)))
_KOC = select(KOCS).where(KOCS.c.id == bindparam("koc"))


def earnings_summary(conn, policy: Policy, koc_id: int, start_month: str, end_month: str, as_of: datetime) -> dict:
    """Commission of a month or month range, by status, by product and by level, plus what the
    next settlement will pay."""
    start, _ = month_bounds(start_month)
    _, end = month_bounds(end_month)
    if start >= end:
        raise InvalidInput("from_month must not be after to_month")
    koc = get_koc(conn, koc_id)
    rows = conn.execute(_EARNINGS_BY_STATUS, {"koc": koc_id, "m0": start_month, "m1": end_month, "as_of": as_of}).all()
    by_status = {s: 0 for s in STATUSES}
    by_level = {1: 0, 2: 0}
    commission_by_sku: dict[str, int] = {}
    for status, level, sku, _count, total in rows:
        total = int(total or 0)
        by_status[status] += total
        by_level[level] = by_level.get(level, 0) + total
        commission_by_sku[sku] = commission_by_sku.get(sku, 0) + total
    sales = conn.execute(_SALES_BY_SKU, {"koc": koc_id, "t0": start, "t1": end}).all()
    sales_by_sku = {sku: _SkuSales(*(int(value or 0) for value in row)) for sku, *row in sales}
    products = []
    for sku in sorted(set(commission_by_sku) | set(sales_by_sku)):
        sold = sales_by_sku.get(sku, _SkuSales())
        try:
            name_zh, name_en = policy.product(sku).name_zh, policy.product(sku).name_en
        except KeyError:
            name_zh = name_en = sku
        products.append({"sku": sku, "name_zh": name_zh, "name_en": name_en, "orders": sold.orders, "units": sold.units,
                         "sales_cents": sold.paid_cents, "refunded_cents": sold.refunded_cents,
                         "net_sales_cents": sold.paid_cents - sold.refunded_cents,
                         "commission_cents": commission_by_sku.get(sku, 0)})
    products.sort(key=lambda p: -p["commission_cents"])
    total = sum(by_status.values())
    next_day = next_settlement_day(policy, as_of.date())
    cutoff = datetime(next_day.year, next_day.month, 1, tzinfo=UTC)
    upcoming = 0
    if koc.status != "disqualified":
        upcoming = int(conn.execute(_UPCOMING, {"koc": koc_id, "cutoff": cutoff}).scalar_one())
    period = start_month if start_month == end_month else f"{start_month}..{end_month}"
    return {
        "koc_id": koc_id, "period": period, "from_month": start_month, "to_month": end_month, "as_of": as_of.date().isoformat(),
        "total_cents": total,
        "by_status": {f"{s}_cents": v for s, v in by_status.items()},
        "own_sales_commission_cents": by_level.get(1, 0), "override_commission_cents": by_level.get(2, 0),
        "orders": sum(v.orders for v in sales_by_sku.values()),
        "sales_cents": sum(v.paid_cents for v in sales_by_sku.values()),
        "net_sales_cents": sum(v.paid_cents - v.refunded_cents for v in sales_by_sku.values()),
        # refunds of the period's orders, so "did anything get refunded?" has an answer, none included
        "refunded_orders": sum(v.refunded_orders for v in sales_by_sku.values()),
        "refunded_cents": sum(v.refunded_cents for v in sales_by_sku.values()),
        "by_product": products,
        "next_settlement": {"date": next_day.isoformat(), "amount_cents": max(upcoming, 0),
                            "clawback_carried_cents": min(upcoming, 0)},
        "rules": {"freeze_days": policy.commission.freeze_days, "settlement_day": policy.commission.settlement_day},
    }


# --- estimate -------------------------------------------------------------------------------------
def estimate(policy: Policy, product: Product, quantity: int, kind: str, tier: str) -> dict:
    """What selling ``quantity`` units earns at this KOC's rate, with the rate explained."""
    if quantity < 1:
        raise InvalidInput("quantity must be at least 1")
    if quantity > 10_000:
        raise InvalidInput("quantity must be at most 10000")
    base, multiplier, rate, source = effective_rate(policy, product.sku, kind, tier)
    amount = product.price_cents * quantity
    commission = apply_rate(amount, rate)
    cat = policy.categories[product.category]
    source_text = (f"product rate for {product.sku} ({percent(base)})" if source == "product"
                   else f"{cat.name_en} category rate ({percent(base)})")
    who = "external distributor (no tier ladder)" if kind == "external" else f"{policy.tier(tier).name_en} tier"
    explanation = (f"{quantity} × {yuan(product.price_cents)} = {yuan(amount)}; {source_text} × {who} multiplier "
                   f"×{multiplier} = {percent(rate)}; {yuan(amount)} × {percent(rate)} = {yuan(commission)} "
                   f"(rounded half up to the nearest fen). Pending for {policy.commission.freeze_days} days after payment, "
                   f"then paid on the next settlement day (the {policy.commission.settlement_day}th).")
    return {
        "product": product_dict(policy, product), "quantity": quantity, "kind": kind, **tier_names(policy, tier),
        "order_amount_cents": amount, "base_rate": str(base), "base_rate_percent": percent(base), "rate_source": source,
        "multiplier": str(multiplier), "effective_rate": str(rate), "effective_rate_percent": percent(rate),
        "commission_cents": commission, "explanation": explanation,
    }


# --- tiers --------------------------------------------------------------------------------------
def _criterion_gap(policy: Policy, name: str, current: int, required: int) -> dict:
    names = policy.criteria[name]
    missing = max(0, required - current)
    item: dict = {"criterion": name, "name_zh": names.name_zh, "name_zh_tw": names.name_zh_tw, "name_en": names.name_en,
                  "met": missing == 0}
    if name == "net_sales_cents":
        item.update(current_cents=current, required_cents=required, missing_cents=missing,
                    gap_text=f"{yuan(missing)} more net sales" if missing else "met")
    else:
        item.update(current=current, required=required, missing=missing,
                    gap_text=counted(missing, "more " + names.name_en.split(" (")[0]) if missing else "met")
    return item


def progress_score(policy: Policy, tier_key: str, values: dict[str, int]) -> float:
    """Mean share of the next tier's thresholds reached (each capped at 1); 1.0 = ready."""
    nxt = policy.next_tier(tier_key)
    if nxt is None or not nxt.thresholds:
        return 1.0
    return sum(min(1.0, values.get(n, 0) / t) if t else 1.0 for n, t in nxt.thresholds.items()) / len(nxt.thresholds)


def tier_progress(conn, policy: Policy, koc_id: int, on: date) -> dict:
    koc = get_koc(conn, koc_id)
    values = metrics(conn, [koc_id])[koc_id]
    current = policy.tier(koc.tier)
    out: dict = {"koc_id": koc_id, "kind": koc.kind, "status": koc.status, **tier_names(policy, koc.tier),
                 "multiplier": str(policy.multiplier(koc.kind, koc.tier)), "current_unlocks": current.unlocks,
                 "values": {k: v for k, v in values.items() if k != "net_sales_cents"},
                 "net_sales_cents": values["net_sales_cents"]}
    if koc.kind == "external":
        assess = policy.external_assessment
        end = assessment_end(policy, koc.joined_on)
        paid = assessment_paid_orders(conn, policy, koc_id, koc.joined_on)
        override = percent(policy.commission.second_level.rate)
        out.update(next_tier=None, criteria=[], gap_text="", ready_for_promotion=False, override_rate=override,
                   message="External distributors have no tier ladder; they earn a flat ×1.0 rate and a "
                           f"{override} override on recruits' orders.",
                   assessment={"ends_on": end.isoformat(), "paid_orders": int(paid), "required_orders": assess.min_paid_orders,
                               "passed": koc.assessment_passed, "days_left": max(0, (end - on).days)})
        return out
    nxt = policy.next_tier(koc.tier)
    if nxt is None:
        out.update(next_tier=None, criteria=[], gap_text="", ready_for_promotion=False,
                   message=f"{current.name_en} is the top tier.")
        return out
    criteria = [_criterion_gap(policy, n, values.get(n, 0), t) for n, t in nxt.thresholds.items()]
    gaps = [c["gap_text"] for c in criteria if not c["met"]]
    out.update(
        next_tier={**tier_names(policy, nxt.key), "multiplier": str(nxt.multiplier), "unlocks": nxt.unlocks,
                   "monthly_trials": nxt.monthly_trials,
                   "promotion_reward": nxt.promotion_reward.text if nxt.promotion_reward else None,
                   "promotion_reward_texts": nxt.promotion_reward.texts() if nxt.promotion_reward else {}},
        criteria=criteria, gap_text=", ".join(gaps) if gaps else "all thresholds met",
        ready_for_promotion=not gaps, progress=round(progress_score(policy, koc.tier, values), 3),
        message=("All thresholds are met; the daily promotion run will promote you." if not gaps
                 else f"To reach {nxt.name_en} ({nxt.name_zh}): " + ", ".join(gaps) + "."),
    )
    return out


# --- competition --------------------------------------------------------------------------------
def competition_rank(conn, policy: Policy, koc_id: int, month: str, table: list[tuple[int, int, int]] | None = None) -> dict:
    """Own rank, gap to the next rank, prize, and up to two neighbours each side (rank and net
    sales only: no ids, no names). ``table`` may be a recently computed ``competition_table``."""
    get_koc(conn, koc_id)
    if table is None:
        table = competition_table(conn, policy, month)
    comp = policy.competition
    out: dict = {"koc_id": koc_id, "month": month, "entrants": len(table),
                 "certificate_min_net_sales_cents": comp.certificate_min_net_sales_cents,
                 "prizes": [p.model_dump() for p in comp.prizes]}
    index = next((i for i, row in enumerate(table) if row[0] == koc_id), None)
    if index is None:
        out.update(entered=False, rank=None, message=f"Not entered yet: at least {comp.min_paid_orders} paid order in {month} enters you.")
        if len(table) >= 10:
            out["tenth_place_net_sales_cents"] = table[9][1]
        return out
    rank = index + 1
    own = table[index][1]
    prize = comp.prize_for(rank)
    neighbours = [{"rank": i + 1, "net_sales_cents": table[i][1], "you": i == index}
                  for i in range(max(0, index - 2), min(len(table), index + 3))]
    out.update(entered=True, rank=rank, net_sales_cents=own, paid_orders=table[index][2],
               prize=prize.text if prize else None, prize_texts=prize.texts() if prize else {}, certificate=own >= comp.certificate_min_net_sales_cents,
               gap_to_next_rank_cents=(table[index - 1][1] - own + 1) if index > 0 else 0,
               next_rank=rank - 1 if index > 0 else None, neighbours=neighbours)
    prize_ranks = [p.rank_to for p in comp.prizes]
    if prize is None and prize_ranks and len(table) >= max(prize_ranks):
        out["gap_to_prize_cents"] = table[max(prize_ranks) - 1][1] - own + 1
    return out


# --- trials -------------------------------------------------------------------------------------
def trials_status(conn, policy: Policy, koc_id: int, on: date) -> dict:
    koc = get_koc(conn, koc_id)
    rows = conn.execute(select(TRIALS).where(TRIALS.c.koc_id == koc_id).order_by(TRIALS.c.received_on, TRIALS.c.id)).all()
    grace = policy.blacklist.grace_days
    trials = []
    for t in rows:
        item = {"trial_id": t.id, "sku": t.sku, "product_zh": policy.product(t.sku).name_zh, "product_en": policy.product(t.sku).name_en,
                "kind": t.kind, "received_on": t.received_on.isoformat(), "due_on": t.due_on.isoformat(),
                "delivered_on": t.delivered_on.isoformat() if t.delivered_on else None, "review_score": t.review_score}
        if t.delivered_on:
            item["status"] = "reviewed" if t.review_score is not None else "delivered"
            item["poor"] = t.review_score is not None and t.review_score < policy.trials.poor_score_below
        elif on <= t.due_on:
            item["status"] = "awaiting_review"
            item["days_left"] = (t.due_on - on).days
        else:
            last = max(t.due_on, t.reminded_on or t.due_on) + timedelta(days=grace)
            item["status"] = "overdue"
            item["reminded_on"] = t.reminded_on.isoformat() if t.reminded_on else None
            item["blacklist_after"] = last.isoformat()
        trials.append(item)
    scores = scores_since(rows, koc.trial_suspended_from)
    code = trial_block(policy, koc, on)
    ok = not code
    month = month_of(on)
    used = sum(1 for t in rows if month_of(t.received_on) == month)
    per_month = policy.tier(koc.tier).monthly_trials if koc.kind == "private" else 0
    return {"koc_id": koc_id, "trials": trials, "can_take_trials": ok,
            "blocked_reason": trial_block_reason(policy, koc, code) if code else None, "blocked_code": code or None,
            "suspended_until": koc.trial_suspended_until.isoformat() if koc.trial_suspended_until else None,
            "monthly_trials": per_month, "trials_this_month": used, "slots_left_this_month": max(0, per_month - used) if ok else 0,
            "poor_reviews_in_a_row": poor_streak(scores, policy.trials.poor_score_below),
            "elimination_after": policy.elimination.consecutive_poor_reviews,
            "poor_score_below": policy.trials.poor_score_below,
            "trial_suspended_until": koc.trial_suspended_until.isoformat() if koc.trial_suspended_until else None,
            "rules": {"review_due_days": policy.trials.review_due_days, "grace_days_after_reminder": grace,
                      "suspension_days": policy.elimination.suspension_days}}


# --- profile and HQ views ------------------------------------------------------------------------
def koc_overview(conn, policy: Policy, koc_id: int, as_of: datetime) -> dict:
    koc = get_koc(conn, koc_id)
    month = month_of(as_of)
    recruits = conn.execute(select(func.count()).select_from(KOCS).where(KOCS.c.recruiter_id == koc_id)).scalar_one()
    events = conn.execute(select(EVENTS).where(EVENTS.c.koc_id == koc_id).order_by(EVENTS.c.happened_on.desc()).limit(10)).all()
    earnings = earnings_summary(conn, policy, koc_id, month, month, as_of)
    progress = tier_progress(conn, policy, koc_id, as_of.date())
    return {
        "koc_id": koc_id, "name": koc.name, "kind": koc.kind, "status": koc.status, **tier_names(policy, koc.tier),
        "joined_on": koc.joined_on.isoformat(), "recruiter_id": koc.recruiter_id, "recruits": int(recruits),
        "link_code": koc.link_code, "coupon_code": koc.coupon_code,
        "this_month": {"month": month, "commission_cents": earnings["total_cents"], "orders": earnings["orders"],
                       "net_sales_cents": earnings["net_sales_cents"]},
        "lifetime_net_sales_cents": progress["net_sales_cents"],
        "next_tier": progress.get("next_tier"), "gap_text": progress.get("gap_text", ""),
        "criteria": progress.get("criteria", []), "assessment": progress.get("assessment"),
        "events": [{"on": e.happened_on.isoformat(), "rule": e.rule, "detail": e.detail} for e in events],
    }


def near_promotion(conn, policy: Policy, limit: int, to_tier: str | None = None) -> list[dict]:
    """Active private KOCs closest to their next tier (not yet eligible first by progress); only those
    whose next tier is ``to_tier`` when one is given."""
    kocs = conn.execute(select(KOCS.c.id, KOCS.c.name, KOCS.c.tier).where(and_(
        KOCS.c.kind == "private", KOCS.c.status.in_(("active", "blacklisted"))))).all()
    values = metrics(conn)
    scored = []
    for k in kocs:
        nxt = policy.next_tier(k.tier)
        if nxt is None or (to_tier is not None and nxt.key != to_tier):
            continue
        v = values.get(k.id, {c: 0 for c in CRITERIA})
        if earned_tier(policy, k.tier, v) != k.tier:
            continue  # already eligible: the next promotion run handles it
        scored.append((progress_score(policy, k.tier, v), k, v, nxt))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    out = []
    for score, k, v, nxt in scored[:limit]:
        gaps = [_criterion_gap(policy, n, v.get(n, 0), t) for n, t in nxt.thresholds.items()]
        out.append({"koc_id": k.id, "name": k.name, **tier_names(policy, k.tier), "next_tier": nxt.key,
                    "next_tier_zh": nxt.name_zh, "next_tier_en": nxt.name_en, "progress": round(score, 3),
                    "gap_text": ", ".join(g["gap_text"] for g in gaps if not g["met"]),
                    "missing": [g for g in gaps if not g["met"]]})
    return out


def top_performers(conn, policy: Policy, month: str, limit: int) -> list[dict]:
    table = competition_table(conn, policy, month)[:limit]
    names = {r.id: r for r in conn.execute(select(KOCS.c.id, KOCS.c.name, KOCS.c.kind, KOCS.c.tier).where(
        KOCS.c.id.in_([t[0] for t in table])))} if table else {}
    return [{"rank": i + 1, "koc_id": k, "name": names[k].name, "kind": names[k].kind, **tier_names(policy, names[k].tier),
             "net_sales_cents": net, "paid_orders": n} for i, (k, net, n) in enumerate(table)]


def at_risk(conn, policy: Policy, on: date, limit: int) -> list[dict]:
    """KOCs one poor review from losing trial slots, with overdue trials, or failing assessment."""
    kocs = {r.id: r for r in conn.execute(select(KOCS).where(KOCS.c.status == "active"))}
    out: list[dict] = []
    need = policy.elimination.consecutive_poor_reviews
    for koc_id, rows in scored_trials_by_koc(conn).items():
        koc = kocs.get(koc_id)
        if koc is None or (koc.trial_suspended_until and on < koc.trial_suspended_until):
            continue
        streak = poor_streak(scores_since(rows, koc.trial_suspended_from), policy.trials.poor_score_below)
        if 0 < streak < need and streak == need - 1:
            out.append({"koc_id": koc_id, "name": koc.name, "risk": "elimination", "poor_reviews": streak,
                        "poor_score_below": policy.trials.poor_score_below,
                        "suspension_days": policy.elimination.suspension_days,
                        "detail": f"{streak} poor trial reviews in a row; one more below {policy.trials.poor_score_below} suspends trials for {policy.elimination.suspension_days} days"})
    for t in conn.execute(select(TRIALS).where(and_(TRIALS.c.delivered_on.is_(None), TRIALS.c.due_on < on))):
        koc = kocs.get(t.koc_id)
        if koc is None:
            continue
        out.append({"koc_id": t.koc_id, "name": koc.name, "risk": "blacklist", "sku": t.sku, "due_on": t.due_on.isoformat(),
                    "detail": f"trial of {t.sku} was due {t.due_on.isoformat()} and is not delivered"})
    assess = policy.external_assessment
    start_window = on - timedelta(days=assess.days)
    for koc in kocs.values():
        if koc.kind != "external" or koc.assessment_passed is not None or koc.joined_on <= start_window:
            continue
        paid = assessment_paid_orders(conn, policy, koc.id, koc.joined_on)
        if paid < assess.min_paid_orders:
            days_left = (assessment_end(policy, koc.joined_on) - on).days
            out.append({"koc_id": koc.id, "name": koc.name, "risk": "assessment", "paid_orders": paid,
                        "needed_orders": assess.min_paid_orders, "days_left": days_left,
                        "detail": f"{paid} of {assess.min_paid_orders} paid orders with {days_left} days of the assessment left"})
    return out[:limit]


def rate_table(policy: Policy) -> dict:
    """The commission rules as data (for the assistant and the docs)."""
    return {
        "categories": {k: {"name_zh": c.name_zh, "name_en": c.name_en, "rate": str(c.rate)} for k, c in policy.categories.items()},
        "product_overrides": {p.sku: str(p.rate) for p in policy.products if p.rate is not None},
        "tier_multipliers": {t.key: str(t.multiplier) for t in policy.tiers},
        "second_level_rate": str(policy.commission.second_level.rate),
        "freeze_days": policy.commission.freeze_days, "settlement_day": policy.commission.settlement_day,
    }

