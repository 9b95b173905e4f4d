"""The deterministic demo ledger behind ``koc demo-data``.

What it holds: 240 KOCs (180 private-domain across all four tiers, 60 external distributors of
which 15 recruit others), the 13 products of the policy, ~54,000 orders over the six calendar
months up to today, ~4 % refunds (some partial, some after settlement = clawbacks), activity
counters, trials with reviews (including poor streaks and an overdue one), settlements on every
past 10th, promotion history and closed competitions for the past months.

Determinism: every random choice comes from ``random.Random(SEED)``; times are laid on a timeline
from the first day of the month five months back to the end of today (UTC). So the same UTC day
always gives the same ledger, and ``koc demo-data`` run twice on one KOC_HOME is a no-op the second
time (a fingerprint in the ``meta`` table). On a later day it rebuilds the ledger shifted to the
new "today". Tokens depend only on the KOC id (see ``tools.auth``), never on the day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from tools.db import write_tx
from tools.auth import demo_token_for, hash_token, hq_demo_token
from tools.ledger import KOCS, LEDGER, ORDERS, REFUNDS, SETTLEMENTS, EVENTS, import_orders, import_refunds, month_of, settle, sync_products
from tools.models import CompetitionResult, Meta
from tools.policy import Policy
from tools.records import OrderIn, RefundIn
from tools.rules import ACTIVITY, HISTORY, TRIALS, close_competition, earned_tier, evaluate_promotions, evaluate_rules

__all__ = ["demo_token_for", "hq_demo_token", "build_demo", "DemoResult", "DEMO_KOCS"]

SEED = 20260
DEMO_VERSION = "4"
N_PRIVATE, N_EXTERNAL, N_RECRUITERS = 180, 60, 15
TARGET_ORDERS = 54_000
CLOSE_TO_PROMOTION, RECRUITER, REFUNDED = 12, 181, 25
DEMO_KOCS = {
    CLOSE_TO_PROMOTION: "close to promotion: a 绽放KOC (Bloom) a few posts, interactions and about ¥1,100 of net sales short of 星光KOC (Starlight)",
    RECRUITER: "external distributor with recruits: earns a 3% second-level override on their orders",
    REFUNDED: "has a fully refunded and a partly refunded order this month (commission reversed)",
}
META = Meta.__table__  # type: ignore[attr-defined]
RESULTS = CompetitionResult.__table__  # type: ignore[attr-defined]

_SURNAMES = "林陈黄张李王吴刘蔡杨许郑谢郭洪曾邱廖赖周叶苏庄吕江何罗高潘简朱钟彭游詹胡施沈余"
_GIVEN = ["小雨", "晓芸", "佳怡", "思敏", "雅婷", "婉清", "欣妍", "梦琪", "诗涵", "可馨", "静怡", "安琪", "若溪", "美琳",
          "子涵", "晨曦", "嘉欣", "慧敏", "丽华", "秀英", "海燕", "春梅", "雪儿", "玉洁", "文静", "宇航", "浩然", "俊杰", "志强", "明轩"]


@dataclass
class DemoResult:
    created: bool
    kocs: int
    orders: int
    refunds: int
    hq_token: str
    demo_kocs: list[dict]


def _timeline(today: date) -> tuple[datetime, datetime]:
    first = date(today.year, today.month, 1)
    for _ in range(5):
        first = (first - timedelta(days=1)).replace(day=1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
    return start, end


def _wipe(conn) -> None:
    for table in (RESULTS, EVENTS, HISTORY, TRIALS, ACTIVITY, SETTLEMENTS, LEDGER, REFUNDS, ORDERS, KOCS, META):
        conn.execute(delete(table))


def _activity_for(rng: random.Random, policy: Policy, target: int) -> dict[str, int]:
    """Counters that reach tier ``target`` and stay short of the next one (posts fall short)."""
    tiers = policy.tiers
    low = tiers[target].thresholds
    high = tiers[target + 1].thresholds if target + 1 < len(tiers) else None
    out = {}
    for name in ("posts", "interactions", "group_size", "fans"):
        floor = low.get(name, 0)
        ceiling = (high or {}).get(name, floor * 2 + 40)
        out[name] = rng.randint(floor, max(floor, ceiling + (ceiling - floor) // 3))
    if high:
        out["posts"] = rng.randint(low.get("posts", 0), max(low.get("posts", 0), high["posts"] - 1))
    if target == 0:
        out["posts"] = rng.randint(0, 4)
    return out


def build_demo(engine: Engine, policy: Policy, today: date | None = None, force: bool = False) -> DemoResult:
    """Create (or keep, if already there for this day) the demo ledger."""
    today = today or datetime.now(UTC).date()
    fingerprint = f"v{DEMO_VERSION}:{SEED}:{today.isoformat()}"
    sync_products(engine, policy)
    with engine.connect() as conn:
        current = conn.execute(select(META.c.value).where(META.c.key == "demo")).scalar()
    if current == fingerprint and not force:
        return _result(engine, False)

    rng = random.Random(SEED)
    start, end = _timeline(today)
    span = (end - start).total_seconds()
    products = policy.products
    weights_by_sku = [3 if p.sku == "NH-SUN-01" else 1.5 if p.category in ("sun_care", "skincare") else 1 for p in products]

    # --- KOCs ---------------------------------------------------------------------------------
    kocs: list[dict] = []
    targets: dict[int, int] = {}
    sales_weight: dict[int, float] = {}
    for koc_id in range(1, N_PRIVATE + N_EXTERNAL + 1):
        external = koc_id > N_PRIVATE
        name = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
        if external:
            ext_index = koc_id - N_PRIVATE
            recruiter = None if ext_index <= N_RECRUITERS else N_PRIVATE + 1 + (ext_index * 7) % N_RECRUITERS
            if ext_index > N_EXTERNAL - 5:
                joined = today - timedelta(days=10 + 6 * (N_EXTERNAL - ext_index))  # assessment running
            elif ext_index > N_EXTERNAL - 10:
                joined = today - timedelta(days=100 + ext_index)  # will fail the assessment
            else:
                joined = (start - timedelta(days=30 + rng.randint(0, 300))).date()
            if koc_id == RECRUITER:
                recruiter = None
            weight = rng.lognormvariate(0, 0.6) * 1.5
            if N_EXTERNAL - 10 < ext_index <= N_EXTERNAL - 5:
                weight = 0.0
        else:
            recruiter = None
            roll = koc_id % 9
            target = 0 if roll in (0, 1, 2, 3) else 1 if roll in (4, 5) else 2 if roll in (6, 7) else 3
            if koc_id == CLOSE_TO_PROMOTION:
                target = 1
            targets[koc_id] = target
            joined = (start - timedelta(days=20 + rng.randint(0, 400))).date()
            weight = rng.lognormvariate(0, 0.4) * (0.3, 1.0, 3.0, 8.0)[target]
        if koc_id in (CLOSE_TO_PROMOTION, REFUNDED):
            weight = 0.0  # hand-made orders below
        sales_weight[koc_id] = weight
        kocs.append({"id": koc_id, "name": name, "kind": "external" if external else "private", "tier": "sprout",
                     "recruiter_id": recruiter, "status": "active", "link_code": f"NDL{koc_id:05d}", "coupon_code": f"ND{koc_id:05d}",
                     "token_hash": hash_token(demo_token_for(koc_id)), "joined_on": joined, "joined_sharing_activity": True,
                     "trial_suspended_until": None, "trial_suspended_from": None,
                     # externals who joined before the demo timeline passed their assessment long ago
                     "assessment_passed": True if external and joined < (start - timedelta(days=60)).date() else None})
    joined_at = {k["id"]: datetime(k["joined_on"].year, k["joined_on"].month, k["joined_on"].day, tzinfo=UTC) for k in kocs}

    # --- orders & refunds ----------------------------------------------------------------------
    ids = [k for k, w in sales_weight.items() if w > 0]
    cum = []
    total = 0.0
    for k in ids:
        total += sales_weight[k]
        cum.append(total)
    orders: list[dict] = []
    for _ in range(TARGET_ORDERS):
        koc_id = rng.choices(ids, cum_weights=cum)[0]
        lo = max(start, joined_at[koc_id])
        paid = lo + timedelta(seconds=rng.random() * (end - lo).total_seconds())
        orders.append({"koc_id": koc_id, "paid_at": paid.replace(microsecond=0)})
    # failing externals: two orders each, inside their assessment window
    for koc_id in range(N_PRIVATE + N_EXTERNAL - 9, N_PRIVATE + N_EXTERNAL - 4):
        for day in (3, 20):
            orders.append({"koc_id": koc_id, "paid_at": joined_at[koc_id] + timedelta(days=day, hours=5)})
    # the close-to-promotion KOC: about ¥6,800 of net sales, some of it this month
    month_start = datetime(today.year, today.month, 1, tzinfo=UTC)
    hand_total = 0
    while hand_total < 640_000:
        paid = start + timedelta(seconds=rng.random() * span)
        orders.append({"koc_id": CLOSE_TO_PROMOTION, "paid_at": paid.replace(microsecond=0), "sku": "NH-SKN-01", "quantity": 1})
        hand_total += policy.product("NH-SKN-01").price_cents
    for i in range(3):
        orders.append({"koc_id": CLOSE_TO_PROMOTION, "paid_at": month_start + timedelta(hours=2 + 5 * i), "sku": "NH-SUN-01", "quantity": 1})
    # the refunded KOC: ordinary history plus this month's refunded orders
    for _ in range(60):
        paid = start + timedelta(seconds=rng.random() * (month_start - start).total_seconds())
        orders.append({"koc_id": REFUNDED, "paid_at": paid.replace(microsecond=0)})
    orders.sort(key=lambda o: (o["paid_at"], o["koc_id"]))
    records: list[OrderIn] = []
    for seq, o in enumerate(orders, start=1):
        sku = o.get("sku") or rng.choices(products, weights=weights_by_sku)[0].sku
        qty = o.get("quantity") or rng.choices((1, 2, 3), weights=(75, 18, 7))[0]
        amount = policy.product(sku).price_cents * qty
        if "sku" not in o and rng.random() < 0.12:
            amount = amount * 9 // 10  # coupon: 10 % off
        use_code = seq % 2 == 0
        records.append(OrderIn.model_construct(
            order_id=f"NH{o['paid_at']:%Y%m}{seq:07d}", koc_id=None if use_code else o["koc_id"],
            code=kocs[o["koc_id"] - 1]["coupon_code"] if use_code else None,
            sku=sku, quantity=qty, amount_cents=amount, paid_at=o["paid_at"]))
    special_paid = [month_start + timedelta(hours=1), month_start + timedelta(hours=3)]
    for n, paid in enumerate(special_paid, start=1):
        records.append(OrderIn.model_construct(order_id=f"NH{paid:%Y%m}R25{n:04d}", koc_id=REFUNDED, code=None,
                                               sku="NH-SKN-02" if n == 1 else "NH-GFT-01", quantity=2 if n == 1 else 1,
                                               amount_cents=None, paid_at=paid))
    by_code = {k["coupon_code"]: k["id"] for k in kocs}
    refunds: list[RefundIn] = []
    now_end = min(end, datetime.now(UTC) if today == datetime.now(UTC).date() else end)
    for rec in records:
        koc_id = rec.koc_id or by_code[rec.code]
        if koc_id in (CLOSE_TO_PROMOTION, REFUNDED) or rng.random() >= 0.04:
            continue
        amount = rec.amount_cents or policy.product(rec.sku).price_cents * rec.quantity
        when = rec.paid_at + timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 23))
        if when >= now_end:
            continue
        part = amount if rng.random() < 0.75 else max(1, amount * rng.randint(20, 70) // 100)
        refunds.append(RefundIn.model_construct(refund_id=f"RF{rec.order_id}", order_id=rec.order_id, amount_cents=part, refunded_at=when))
    r25 = [r for r in records if r.order_id.startswith(f"NH{month_start:%Y%m}R25")]
    refunds.append(RefundIn.model_construct(refund_id=f"RF{r25[0].order_id}", order_id=r25[0].order_id,
                                            amount_cents=policy.product(r25[0].sku).price_cents * 2, refunded_at=r25[0].paid_at + timedelta(minutes=30)))
    refunds.append(RefundIn.model_construct(refund_id=f"RF{r25[1].order_id}", order_id=r25[1].order_id,
                                            amount_cents=policy.product(r25[1].sku).price_cents * 2 // 5, refunded_at=r25[1].paid_at + timedelta(minutes=30)))
    refunds.sort(key=lambda r: r.refunded_at)

    # --- tiers from activity + net sales (known before import, so commissions use them) --------
    net: dict[int, int] = {}
    amount_of = {}
    for rec in records:
        koc_id = rec.koc_id or by_code[rec.code]
        amount = rec.amount_cents or policy.product(rec.sku).price_cents * rec.quantity
        amount_of[rec.order_id] = (koc_id, amount)
        net[koc_id] = net.get(koc_id, 0) + amount
    for ref in refunds:
        koc_id, _ = amount_of[ref.order_id]
        net[koc_id] -= ref.amount_cents
    activity: dict[int, dict[str, int]] = {}
    history: list[dict] = []
    for k in kocs:
        if k["kind"] == "external":
            activity[k["id"]] = {"posts": rng.randint(0, 30), "interactions": rng.randint(0, 4000), "group_size": 0, "fans": rng.randint(100, 20000)}
            history.append({"koc_id": k["id"], "from_tier": None, "to_tier": "sprout", "changed_on": k["joined_on"], "reason": "joined"})
            continue
        values = _activity_for(rng, policy, targets[k["id"]])
        if k["id"] == CLOSE_TO_PROMOTION:
            values = {"posts": 12, "interactions": 1420, "group_size": 86, "fans": 540}
        activity[k["id"]] = values
        tier = earned_tier(policy, "sprout", {**values, "net_sales_cents": net.get(k["id"], 0)})
        k["tier"] = tier
        history.append({"koc_id": k["id"], "from_tier": None, "to_tier": "sprout", "changed_on": k["joined_on"], "reason": "joined"})
        step = k["joined_on"]
        for index in range(1, policy.tier_index(tier) + 1):
            step = step + timedelta(days=rng.randint(20, 60))
            history.append({"koc_id": k["id"], "from_tier": policy.tiers[index - 1].key, "to_tier": policy.tiers[index].key,
                            "changed_on": min(step, start.date()), "reason": "thresholds met (demo history)"})
    if kocs[CLOSE_TO_PROMOTION - 1]["tier"] != "bloom":
        kocs[CLOSE_TO_PROMOTION - 1]["tier"] = "bloom"

    # --- write ----------------------------------------------------------------------------------
    with write_tx(engine) as conn:
        _wipe(conn)
        conn.execute(insert(KOCS), kocs)
        conn.execute(insert(ACTIVITY), [{"koc_id": k, **v, "updated_at": end - timedelta(hours=1)} for k, v in activity.items()])
        conn.execute(insert(HISTORY), history)
    import_orders(engine, policy, records)
    settle_days = []
    d = date(start.year, start.month, policy.commission.settlement_day)
    while d <= today:
        if datetime(d.year, d.month, d.day, tzinfo=UTC) > start:
            settle_days.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, d.day)
    done = 0
    for day in settle_days:
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        batch = [r for r in refunds[done:] if r.refunded_at < moment]
        if batch:
            import_refunds(engine, batch)
            done += len(batch)
        settle(engine, policy, day)
    if refunds[done:]:
        import_refunds(engine, refunds[done:])
    _trials(engine, policy, rng, kocs, today)
    evaluate_rules(engine, policy, today)
    evaluate_promotions(engine, policy, today)
    m = start
    while m < datetime(today.year, today.month, 1, tzinfo=UTC):
        close_competition(engine, policy, month_of(m))
        m = (m + timedelta(days=32)).replace(day=1)
    with write_tx(engine) as conn:
        conn.execute(delete(META).where(META.c.key == "demo"))
        conn.execute(insert(META), [{"key": "demo", "value": fingerprint}])
    return _result(engine, True)


def _trials(engine: Engine, policy: Policy, rng: random.Random, kocs: list[dict], today: date) -> None:
    """Trials for tiered private KOCs over the last three months, with a few problem cases."""
    rows = []
    skus = [p.sku for p in policy.products]
    for k in kocs:
        if k["kind"] != "private" or k["tier"] == "sprout":
            continue
        per_month = policy.tier(k["tier"]).monthly_trials
        for months_back in (3, 2, 1):
            base = today - timedelta(days=30 * months_back)
            for n in range(per_month):
                received = base + timedelta(days=n * 3 + rng.randint(0, 2))
                score = rng.randint(62, 98)
                if k["id"] % 23 == 0:
                    score = rng.randint(30, 58)  # consistently poor: eliminated from trials
                elif k["id"] % 17 == 0 and months_back < 3:
                    score = rng.randint(35, 55)  # a poor streak building up: at risk
                rows.append({"koc_id": k["id"], "sku": rng.choice(skus), "kind": "new_product", "received_on": received,
                             "due_on": received + timedelta(days=policy.trials.review_due_days), "reminded_on": None,
                             "delivered_on": received + timedelta(days=rng.randint(3, 13)), "review_score": score})
        if k["id"] % 29 == 0:  # took a product and went quiet
            received = today - timedelta(days=40)
            rows.append({"koc_id": k["id"], "sku": rng.choice(skus), "kind": "new_product", "received_on": received,
                         "due_on": received + timedelta(days=policy.trials.review_due_days),
                         "reminded_on": received + timedelta(days=policy.trials.review_due_days + 1), "delivered_on": None, "review_score": None})
        elif k["id"] % 31 == 0:  # review due soon
            received = today - timedelta(days=5)
            rows.append({"koc_id": k["id"], "sku": rng.choice(skus), "kind": "new_product", "received_on": received,
                         "due_on": received + timedelta(days=policy.trials.review_due_days), "reminded_on": None,
                         "delivered_on": None, "review_score": None})
    with write_tx(engine) as conn:
        if rows:
            conn.execute(insert(TRIALS), rows)


def _result(engine: Engine, created: bool) -> DemoResult:
    from sqlalchemy import func

    with engine.connect() as conn:
        n_kocs = conn.execute(select(func.count()).select_from(KOCS)).scalar_one()
        n_orders = conn.execute(select(func.count()).select_from(ORDERS)).scalar_one()
        n_refunds = conn.execute(select(func.count()).select_from(REFUNDS)).scalar_one()
        names = {r.id: r.name for r in conn.execute(select(KOCS.c.id, KOCS.c.name).where(KOCS.c.id.in_(list(DEMO_KOCS))))}
    demo = [{"id": koc_id, "name": names.get(koc_id, ""), "token": demo_token_for(koc_id), "situation": situation}
            for koc_id, situation in DEMO_KOCS.items()]
    return DemoResult(created, n_kocs, n_orders, n_refunds, hq_demo_token(), demo)
