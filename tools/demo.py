"""The deterministic demo ledger behind ``koc demo-data``.

What it holds: 240 KOCs (180 private-domain across the policy's tiers, 60 external distributors
of which 15 recruit others), every product of the policy, ~54,000 orders over the six calendar
months up to today, ~4 % refunds (some partial, some after settlement = clawbacks), activity
counters, trials with reviews (including poor streaks and an overdue one), settlements on every
past settlement day, promotion history and closed competitions for the past months.

Everything about the programme comes from the policy: products, prices, categories, tiers and
their thresholds. The hand-made situations pick their products by position (see ``_Cast``) and
their numbers from the tier thresholds, so a different catalogue still gets the same story.

Determinism: every random choice comes from ``random.Random(SEED)``, drawn in a fixed order by
the steps of ``build_demo``; times are laid on a timeline from the first day of the month five
months back to the end of today (UTC). So the same UTC day always gives the same ledger, and
``koc demo-data`` run twice on one KOC_HOME is a no-op the second time (a fingerprint in the
``meta`` table). On a later day it rebuilds the ledger shifted to the new "today". Tokens depend
only on the KOC id (see ``tools.auth``), never on the day.

Safety: the demo only ever writes in demo mode (``KOC_DEMO=1``) and only into a ledger that is
empty or already marks itself as the demo's (the ``demo`` row of ``meta``, written in the same
transaction that first replaces the tables, so an interrupted build is still recognised as the
demo's). Any other ledger is refused with ``DemoLedgerRefused`` before anything is written:
rebuilding wipes every ledger table, which must never happen to real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, literal, select

from base.settings import Settings, get_settings
from tools.auth import demo_token_for, hash_token, hq_demo_token, require_demo
from tools.competitions import RESULTS, close_competition
from tools.db import write_tx
from tools.ledger import (EVENTS, KOCS, LEDGER, ORDERS, REFUNDS, SETTLEMENTS, import_orders, import_refunds, month_of, settle,
                          sync_products)
from tools.models import Meta
from tools.money import percent
from tools.policy import Policy, Product, Tier
from tools.records import OrderIn, RefundIn
from tools.rules import ACTIVITY, HISTORY, TRIALS, earned_tier, evaluate_promotions, evaluate_rules

__all__ = ["demo_token_for", "hq_demo_token", "build_demo", "DemoResult", "DemoLedgerRefused", "DEMO_KOCS", "situations",
           "ledger_kind"]

SEED = 20260
DEMO_VERSION = "5"  # 5: new public demo seed (tools.auth.DEMO_SEED), so older demo ledgers rebuild
N_PRIVATE, N_EXTERNAL, N_RECRUITERS = 180, 60, 15
TARGET_ORDERS = 54_000
CLOSE_TO_PROMOTION, RECRUITER, REFUNDED = 12, 181, 25
DEMO_KOCS = (CLOSE_TO_PROMOTION, RECRUITER, REFUNDED)
CLOSE_TIER = 1  # the close-to-promotion KOC sits on the second tier, short of the third
CLOSE_SALES_SHORT_CENTS = 160_000  # its older orders stop this far below the next tier's net sales
TIER_SALES_WEIGHT = (0.3, 1.0, 3.0, 8.0)  # how much more a KOC sells per tier up the ladder
# demo identifier formats (orders, KOC link and coupon codes): any prefix works
ORDER_PREFIX, LINK_PREFIX, COUPON_PREFIX = "NH", "NDL", "ND"
META = Meta.__table__  # type: ignore[attr-defined]

_SURNAMES = "林陈黄张李王吴刘蔡杨许郑谢郭洪曾邱廖赖周叶苏庄吕江何罗高潘简朱钟彭游詹胡施沈余"
_GIVEN = ["小雨", "晓芸", "佳怡", "思敏", "雅婷", "婉清", "欣妍", "梦琪", "诗涵", "可馨", "静怡", "安琪", "若溪", "美琳",
          "子涵", "晨曦", "嘉欣", "慧敏", "丽华", "秀英", "海燕", "春梅", "雪儿", "玉洁", "文静", "宇航", "浩然", "俊杰", "志强", "明轩"]


@dataclass
class DemoResult:
    created: bool
    kocs: int
    orders: int
    refunds: int
    hq_token: str | None  # the demo HQ token when it is the HQ token in force; None when KOC_HQ_TOKEN is set
    demo_kocs: list[dict]


class DemoLedgerRefused(RuntimeError):
    """The ledger holds data the demo did not create: the demo will not write into it."""

    def __init__(self, kocs: int, orders: int, other: int) -> None:
        what = f"{kocs} KOCs and {orders} orders" if kocs or orders else f"{other} rows"
        super().__init__(f"the ledger holds data that the demo did not create ({what}, and no demo marker); "
                         "building the demo would replace every ledger table, so it is refused")
        self.kocs, self.orders, self.other = kocs, orders, other


@dataclass(frozen=True)
class _Cast:
    """The products the hand-made situations use, taken from the policy by position: its first
    product is the featured one (sells most), the first two of its second category are the
    everyday ones, and its dearest product is the one refunded in part."""

    featured: Product
    staple: Product
    second_staple: Product
    dearest: Product
    busy_categories: tuple[str, ...]  # the first two categories sell 1.5× as often

    @classmethod
    def of(cls, policy: Policy) -> "_Cast":
        products = policy.products
        categories = tuple(policy.categories)
        everyday = [p for p in products if len(categories) > 1 and p.category == categories[1]] + list(products)
        return cls(featured=products[0], staple=everyday[0], second_staple=everyday[1],
                   dearest=max(products, key=lambda p: p.price_cents), busy_categories=categories[:2])

    def sku_weights(self, policy: Policy) -> list[float]:
        return [3 if p.sku == self.featured.sku else 1.5 if p.category in self.busy_categories else 1 for p in policy.products]


@dataclass
class _Demo:
    """What the steps share: the policy, the day, the timeline and the one random stream."""

    policy: Policy
    today: date
    start: datetime
    end: datetime
    cast: _Cast
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))

    @classmethod
    def on(cls, policy: Policy, today: date) -> "_Demo":
        start, end = _timeline(today)
        return cls(policy, today, start, end, _Cast.of(policy))

    @property
    def month_start(self) -> datetime:
        return datetime(self.today.year, self.today.month, 1, tzinfo=UTC)

    def amount(self, rec: OrderIn) -> int:
        return rec.amount_cents or self.policy.product(rec.sku).price_cents * rec.quantity


def _close_tiers(policy: Policy) -> tuple[Tier, Tier]:
    """The close-to-promotion KOC's tier and the one it is short of."""
    tiers = policy.tiers
    return tiers[CLOSE_TIER], tiers[min(CLOSE_TIER + 1, len(tiers) - 1)]


def _close_sales_target(policy: Policy) -> int:
    """Net sales of the close-to-promotion KOC's older orders: a little short of the next tier."""
    return max(0, _close_tiers(policy)[1].thresholds.get("net_sales_cents", 0) - CLOSE_SALES_SHORT_CENTS)


def situations(policy: Policy) -> dict[int, str]:
    """What each featured demo KOC shows, worded from the policy's tiers and rates."""
    current, nxt = _close_tiers(policy)
    cast = _Cast.of(policy)
    staple_orders = -(-_close_sales_target(policy) // cast.staple.price_cents)
    short = nxt.thresholds.get("net_sales_cents", 0) - staple_orders * cast.staple.price_cents - 3 * cast.featured.price_cents
    return {
        CLOSE_TO_PROMOTION: f"close to promotion: a {current.name_zh} ({current.name_en}) a few posts, interactions and about "
                            f"¥{max(0, short) // 10_000 * 100:,} of net sales short of {nxt.name_zh} ({nxt.name_en})",
        RECRUITER: f"external distributor with recruits: earns a {percent(policy.commission.second_level.rate)} "
                   "second-level override on their orders",
        REFUNDED: "has a fully refunded and a partly refunded order this month (commission reversed)",
    }


def _timeline(today: date) -> tuple[datetime, datetime]:
    first = date(today.year, today.month, 1)
    for _ in range(5):
        first = (first - timedelta(days=1)).replace(day=1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    end = datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
    return start, end


#: every table the demo writes (and wipes before a rebuild), in an order that respects foreign keys
DEMO_TABLES = (RESULTS, EVENTS, HISTORY, TRIALS, ACTIVITY, SETTLEMENTS, LEDGER, REFUNDS, ORDERS, KOCS, META)
DEMO_MARKER = "demo"  # the ``meta`` key that marks a ledger as the demo's


def ledger_kind(conn) -> str:
    """``"demo"`` (marked as the demo's), ``"empty"`` (no row in any ledger table; the product
    catalogue, synced from the policy, does not count) or ``"other"`` (someone else's data)."""
    if conn.execute(select(META.c.value).where(META.c.key == DEMO_MARKER)).scalar() is not None:
        return "demo"
    for table in DEMO_TABLES:
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is not None:
            return "other"
    return "empty"


def _refuse_unless_demo_or_empty(conn) -> None:
    if ledger_kind(conn) == "other":
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
        raise DemoLedgerRefused(count(KOCS), count(ORDERS), sum(count(t) for t in DEMO_TABLES))


def _wipe(conn) -> None:
    for table in DEMO_TABLES:
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
        out["posts"] = rng.randint(low.get("posts", 0), max(low.get("posts", 0), high.get("posts", 1) - 1))
    if target == 0:
        out["posts"] = rng.randint(0, 4)
    return out


# --- step 1: KOCs -------------------------------------------------------------------------------
def _external(demo: _Demo, koc_id: int) -> tuple[int | None, date, float]:
    """Recruiter, join day and sales weight of an external distributor."""
    rng, today = demo.rng, demo.today
    ext_index = koc_id - N_PRIVATE
    recruiter = None if ext_index <= N_RECRUITERS else N_PRIVATE + 1 + (ext_index * 7) % N_RECRUITERS
    if ext_index > N_EXTERNAL - 5:
        joined = today - timedelta(days=10 + 6 * (N_EXTERNAL - ext_index))  # assessment running
    elif ext_index > N_EXTERNAL - 10:
        joined = today - timedelta(days=100 + ext_index)  # will fail the assessment
    else:
        joined = (demo.start - timedelta(days=30 + rng.randint(0, 300))).date()
    if koc_id == RECRUITER:
        recruiter = None
    weight = rng.lognormvariate(0, 0.6) * 1.5
    if N_EXTERNAL - 10 < ext_index <= N_EXTERNAL - 5:
        weight = 0.0
    return recruiter, joined, weight


def _private(demo: _Demo, koc_id: int) -> tuple[int, date, float]:
    """Target tier index, join day and sales weight of a private-domain KOC."""
    roll = koc_id % 9
    target = 0 if roll in (0, 1, 2, 3) else 1 if roll in (4, 5) else 2 if roll in (6, 7) else 3
    if koc_id == CLOSE_TO_PROMOTION:
        target = CLOSE_TIER
    target = min(target, len(demo.policy.tiers) - 1)
    joined = (demo.start - timedelta(days=20 + demo.rng.randint(0, 400))).date()
    weight = demo.rng.lognormvariate(0, 0.4) * TIER_SALES_WEIGHT[min(target, len(TIER_SALES_WEIGHT) - 1)]
    return target, joined, weight


def _kocs(demo: _Demo) -> tuple[list[dict], dict[int, int], dict[int, float]]:
    """KOC rows (all on the entry tier for now), target tier per private KOC, sales weight per KOC."""
    kocs: list[dict] = []
    targets: dict[int, int] = {}
    sales_weight: dict[int, float] = {}
    for koc_id in range(1, N_PRIVATE + N_EXTERNAL + 1):
        external = koc_id > N_PRIVATE
        name = demo.rng.choice(_SURNAMES) + demo.rng.choice(_GIVEN)
        if external:
            recruiter, joined, weight = _external(demo, koc_id)
        else:
            recruiter = None
            targets[koc_id], joined, weight = _private(demo, koc_id)
        if koc_id in (CLOSE_TO_PROMOTION, REFUNDED):
            weight = 0.0  # hand-made orders below
        sales_weight[koc_id] = weight
        kocs.append({"id": koc_id, "name": name, "kind": "external" if external else "private", "tier": demo.policy.tiers[0].key,
                     "recruiter_id": recruiter, "status": "active", "link_code": f"{LINK_PREFIX}{koc_id:05d}",
                     "coupon_code": f"{COUPON_PREFIX}{koc_id:05d}",
                     "token_hash": hash_token(demo_token_for(koc_id)), "joined_on": joined, "joined_sharing_activity": True,
                     "trial_suspended_until": None, "trial_suspended_from": None,
                     # externals who joined before the demo timeline passed their assessment long ago
                     "assessment_passed": True if external and joined < (demo.start - timedelta(days=60)).date() else None})
    return kocs, targets, sales_weight


# --- step 2: orders -----------------------------------------------------------------------------
def _random_orders(demo: _Demo, kocs: list[dict], sales_weight: dict[int, float]) -> list[dict]:
    """TARGET_ORDERS orders spread over the timeline, each KOC in proportion to its weight."""
    rng = demo.rng
    joined_at = {k["id"]: datetime(k["joined_on"].year, k["joined_on"].month, k["joined_on"].day, tzinfo=UTC) for k in kocs}
    ids = [k for k, w in sales_weight.items() if w > 0]
    cum = []
    total = 0.0
    for k in ids:
        total += sales_weight[k]
        cum.append(total)
    orders: list[dict] = []
    for _ in range(TARGET_ORDERS):
        koc_id = rng.choices(ids, cum_weights=cum)[0]
        lo = max(demo.start, joined_at[koc_id])
        paid = lo + timedelta(seconds=rng.random() * (demo.end - lo).total_seconds())
        orders.append({"koc_id": koc_id, "paid_at": paid.replace(microsecond=0)})
    # failing externals: two orders each, inside their assessment window
    for koc_id in range(N_PRIVATE + N_EXTERNAL - 9, N_PRIVATE + N_EXTERNAL - 4):
        for day in (3, 20):
            orders.append({"koc_id": koc_id, "paid_at": joined_at[koc_id] + timedelta(days=day, hours=5)})
    return orders


def _hand_made_orders(demo: _Demo) -> list[dict]:
    """The close-to-promotion KOC's orders (short of the next tier's net sales, a few this month)
    and the refunded KOC's ordinary history."""
    rng, start, month_start, cast = demo.rng, demo.start, demo.month_start, demo.cast
    span = (demo.end - start).total_seconds()
    orders: list[dict] = []
    hand_total, target = 0, _close_sales_target(demo.policy)
    while hand_total < target:
        paid = start + timedelta(seconds=rng.random() * span)
        orders.append({"koc_id": CLOSE_TO_PROMOTION, "paid_at": paid.replace(microsecond=0), "sku": cast.staple.sku, "quantity": 1})
        hand_total += cast.staple.price_cents
    for i in range(3):
        orders.append({"koc_id": CLOSE_TO_PROMOTION, "paid_at": month_start + timedelta(hours=2 + 5 * i),
                       "sku": cast.featured.sku, "quantity": 1})
    for _ in range(60):
        paid = start + timedelta(seconds=rng.random() * (month_start - start).total_seconds())
        orders.append({"koc_id": REFUNDED, "paid_at": paid.replace(microsecond=0)})
    return orders


def _order_records(demo: _Demo, kocs: list[dict], orders: list[dict]) -> list[OrderIn]:
    """Orders in time order, with product, quantity and coupon drawn where not hand-made; every
    other order comes in by coupon code instead of KOC id."""
    rng, policy = demo.rng, demo.policy
    weights_by_sku = demo.cast.sku_weights(policy)
    orders.sort(key=lambda o: (o["paid_at"], o["koc_id"]))
    records: list[OrderIn] = []
    for seq, o in enumerate(orders, start=1):
        sku = o.get("sku") or rng.choices(policy.products, weights=weights_by_sku)[0].sku
        qty = o.get("quantity") or rng.choices((1, 2, 3), weights=(75, 18, 7))[0]
        amount = policy.product(sku).price_cents * qty
        if "sku" not in o and rng.random() < 0.12:
            amount = amount * 9 // 10  # coupon: 10 % off
        use_code = seq % 2 == 0
        records.append(OrderIn.model_construct(
            order_id=f"{ORDER_PREFIX}{o['paid_at']:%Y%m}{seq:07d}", koc_id=None if use_code else o["koc_id"],
            code=kocs[o["koc_id"] - 1]["coupon_code"] if use_code else None,
            sku=sku, quantity=qty, amount_cents=amount, paid_at=o["paid_at"]))
    return records


def _refunded_koc_orders(demo: _Demo) -> list[OrderIn]:
    """This month's two orders of the refunded KOC: two everyday items, and the dearest product."""
    cast, month_start = demo.cast, demo.month_start
    picks = ((cast.second_staple, 2), (cast.dearest, 1))
    return [OrderIn.model_construct(order_id=f"{ORDER_PREFIX}{paid:%Y%m}R25{n:04d}", koc_id=REFUNDED, code=None,
                                    sku=product.sku, quantity=qty, amount_cents=None, paid_at=paid)
            for n, ((product, qty), paid) in enumerate(zip(picks, (month_start + timedelta(hours=1), month_start + timedelta(hours=3))),
                                                      start=1)]


# --- step 3: refunds ----------------------------------------------------------------------------
def _refunds(demo: _Demo, kocs: list[dict], records: list[OrderIn], refunded_koc: list[OrderIn]) -> list[RefundIn]:
    """~4 % of orders refunded (¾ in full) within two weeks and before now, plus the refunded KOC's
    two refunds (one full, one of two fifths); in time order."""
    rng = demo.rng
    by_code = {k["coupon_code"]: k["id"] for k in kocs}
    refunds: list[RefundIn] = []
    now_end = min(demo.end, datetime.now(UTC) if demo.today == datetime.now(UTC).date() else demo.end)
    for rec in records:
        koc_id = rec.koc_id or by_code[rec.code]
        if koc_id in (CLOSE_TO_PROMOTION, REFUNDED) or rng.random() >= 0.04:
            continue
        amount = demo.amount(rec)
        when = rec.paid_at + timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 23))
        if when >= now_end:
            continue
        part = amount if rng.random() < 0.75 else max(1, amount * rng.randint(20, 70) // 100)
        refunds.append(RefundIn.model_construct(refund_id=f"RF{rec.order_id}", order_id=rec.order_id, amount_cents=part, refunded_at=when))
    full, partial = refunded_koc
    refunds.append(RefundIn.model_construct(refund_id=f"RF{full.order_id}", order_id=full.order_id,
                                            amount_cents=demo.amount(full), refunded_at=full.paid_at + timedelta(minutes=30)))
    refunds.append(RefundIn.model_construct(refund_id=f"RF{partial.order_id}", order_id=partial.order_id,
                                            amount_cents=demo.amount(partial) * 2 // 5, refunded_at=partial.paid_at + timedelta(minutes=30)))
    refunds.sort(key=lambda r: r.refunded_at)
    return refunds


# --- step 4: activity and tiers -----------------------------------------------------------------
def _net_sales(demo: _Demo, kocs: list[dict], records: list[OrderIn], refunds: list[RefundIn]) -> dict[int, int]:
    by_code = {k["coupon_code"]: k["id"] for k in kocs}
    net: dict[int, int] = {}
    owner = {}
    for rec in records:
        koc_id = rec.koc_id or by_code[rec.code]
        owner[rec.order_id] = koc_id
        net[koc_id] = net.get(koc_id, 0) + demo.amount(rec)
    for ref in refunds:
        net[owner[ref.order_id]] -= ref.amount_cents
    return net


def _close_to_promotion_activity(demo: _Demo) -> dict[str, int]:
    """A few posts and interactions short of the next tier; group and fans already there."""
    need = _close_tiers(demo.policy)[1].thresholds
    return {"posts": max(0, need.get("posts", 0) - 3), "interactions": max(0, need.get("interactions", 0) - 80),
            "group_size": need.get("group_size", 0) + 6, "fans": need.get("fans", 0) + 40}


def _activity_and_tiers(demo: _Demo, kocs: list[dict], targets: dict[int, int], net: dict[int, int]) -> tuple[dict, list[dict]]:
    """Activity counters per KOC, and each private KOC's tier (from activity + net sales, known
    before import so commissions use it) with the promotion history that led there."""
    rng, policy = demo.rng, demo.policy
    entry = policy.tiers[0].key
    activity: dict[int, dict[str, int]] = {}
    history: list[dict] = []
    for k in kocs:
        history.append({"koc_id": k["id"], "from_tier": None, "to_tier": entry, "changed_on": k["joined_on"], "reason": "joined"})
        if k["kind"] == "external":
            activity[k["id"]] = {"posts": rng.randint(0, 30), "interactions": rng.randint(0, 4000), "group_size": 0, "fans": rng.randint(100, 20000)}
            continue
        values = _activity_for(rng, policy, targets[k["id"]])
        if k["id"] == CLOSE_TO_PROMOTION:
            values = _close_to_promotion_activity(demo)
        activity[k["id"]] = values
        k["tier"] = tier = earned_tier(policy, entry, {**values, "net_sales_cents": net.get(k["id"], 0)})
        step = k["joined_on"]
        for index in range(1, policy.tier_index(tier) + 1):
            step = step + timedelta(days=rng.randint(20, 60))
            history.append({"koc_id": k["id"], "from_tier": policy.tiers[index - 1].key, "to_tier": policy.tiers[index].key,
                            "changed_on": min(step, demo.start.date()), "reason": "thresholds met (demo history)"})
    kocs[CLOSE_TO_PROMOTION - 1]["tier"] = _close_tiers(policy)[0].key
    return activity, history


# --- step 5: write, import, settle --------------------------------------------------------------
def _write_kocs(engine: Engine, demo: _Demo, kocs: list[dict], activity: dict, history: list[dict]) -> None:
    """Replace the ledger's tables with the demo KOCs: checked, wiped and marked in one transaction."""
    with write_tx(engine) as conn:
        _refuse_unless_demo_or_empty(conn)
        _wipe(conn)
        conn.execute(insert(META), [{"key": DEMO_MARKER, "value": f"building:{_fingerprint(demo.today)}"}])
        conn.execute(insert(KOCS), kocs)
        conn.execute(insert(ACTIVITY), [{"koc_id": k, **v, "updated_at": demo.end - timedelta(hours=1)} for k, v in activity.items()])
        conn.execute(insert(HISTORY), history)


def _settlement_days(demo: _Demo) -> list[date]:
    """Every settlement day of the timeline up to today."""
    days = []
    start = demo.start
    d = date(start.year, start.month, demo.policy.commission.settlement_day)
    while d <= demo.today:
        if datetime(d.year, d.month, d.day, tzinfo=UTC) > start:
            days.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, d.day)
    return days


def _import_and_settle(engine: Engine, demo: _Demo, records: list[OrderIn], refunds: list[RefundIn]) -> None:
    """Import the orders, then walk the settlement days: refunds up to each day first, then settle
    (so refunds after a settlement become clawbacks)."""
    import_orders(engine, demo.policy, records)
    done = 0
    for day in _settlement_days(demo):
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        batch = [r for r in refunds[done:] if r.refunded_at < moment]
        if batch:
            import_refunds(engine, batch)
            done += len(batch)
        settle(engine, demo.policy, day)
    if refunds[done:]:
        import_refunds(engine, refunds[done:])


# --- step 6: trials -----------------------------------------------------------------------------
def _trials(engine: Engine, policy: Policy, rng: random.Random, kocs: list[dict], today: date) -> None:
    """Trials for tiered private KOCs over the last three months, with a few problem cases."""
    rows = []
    skus = [p.sku for p in policy.products]
    due_days = policy.trials.review_due_days
    for k in kocs:
        if k["kind"] != "private" or k["tier"] == policy.tiers[0].key:
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
                             "due_on": received + timedelta(days=due_days), "reminded_on": None,
                             "delivered_on": received + timedelta(days=rng.randint(3, 13)), "review_score": score})
        if k["id"] % 29 == 0:  # took a product and went quiet
            received = today - timedelta(days=40)
            rows.append({"koc_id": k["id"], "sku": rng.choice(skus), "kind": "new_product", "received_on": received,
                         "due_on": received + timedelta(days=due_days),
                         "reminded_on": received + timedelta(days=due_days + 1), "delivered_on": None, "review_score": None})
        elif k["id"] % 31 == 0:  # review due soon
            received = today - timedelta(days=5)
            rows.append({"koc_id": k["id"], "sku": rng.choice(skus), "kind": "new_product", "received_on": received,
                         "due_on": received + timedelta(days=due_days), "reminded_on": None,
                         "delivered_on": None, "review_score": None})
    with write_tx(engine) as conn:
        if rows:
            conn.execute(insert(TRIALS), rows)


# --- step 7: daily rules, past competitions -----------------------------------------------------
def _run_rules_and_close_competitions(engine: Engine, demo: _Demo) -> None:
    evaluate_rules(engine, demo.policy, demo.today)
    evaluate_promotions(engine, demo.policy, demo.today)
    m = demo.start
    while m < demo.month_start:
        close_competition(engine, demo.policy, month_of(m))
        m = (m + timedelta(days=32)).replace(day=1)


# --- the whole run ------------------------------------------------------------------------------
def _fingerprint(today: date) -> str:
    return f"v{DEMO_VERSION}:{SEED}:{today.isoformat()}"


def _stored_fingerprint(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(META.c.value).where(META.c.key == DEMO_MARKER)).scalar()


def _stamp(engine: Engine, fingerprint: str) -> None:
    with write_tx(engine) as conn:
        conn.execute(delete(META).where(META.c.key == DEMO_MARKER))
        conn.execute(insert(META), [{"key": DEMO_MARKER, "value": fingerprint}])


def build_demo(engine: Engine, policy: Policy, today: date | None = None, force: bool = False,
               settings: Settings | None = None) -> DemoResult:
    """Create (or keep, if already there for this day) the demo ledger.

    Only in demo mode (``DemoModeRequired`` otherwise) and only into an empty or demo-marked ledger
    (``DemoLedgerRefused`` otherwise, before anything is written); ``force`` rebuilds today's demo
    ledger, never anything else. The steps draw from one random stream in this order; reordering
    them changes the ledger."""
    settings = settings or get_settings()
    require_demo(settings, "the demo ledger (`koc demo-data`)")
    today = today or datetime.now(UTC).date()
    fingerprint = _fingerprint(today)
    with engine.connect() as conn:
        _refuse_unless_demo_or_empty(conn)  # fail fast; checked again where the tables are replaced
    sync_products(engine, policy)
    if _stored_fingerprint(engine) == fingerprint and not force:
        return _result(engine, policy, False, settings)
    demo = _Demo.on(policy, today)
    kocs, targets, sales_weight = _kocs(demo)
    orders = _random_orders(demo, kocs, sales_weight) + _hand_made_orders(demo)
    refunded_koc = _refunded_koc_orders(demo)
    records = _order_records(demo, kocs, orders) + refunded_koc
    refunds = _refunds(demo, kocs, records, refunded_koc)
    activity, history = _activity_and_tiers(demo, kocs, targets, _net_sales(demo, kocs, records, refunds))
    _write_kocs(engine, demo, kocs, activity, history)
    _import_and_settle(engine, demo, records, refunds)
    _trials(engine, policy, demo.rng, kocs, today)
    _run_rules_and_close_competitions(engine, demo)
    _stamp(engine, fingerprint)
    return _result(engine, policy, True, settings)


def _result(engine: Engine, policy: Policy, created: bool, settings: Settings) -> DemoResult:
    with engine.connect() as conn:
        n_kocs = conn.execute(select(func.count()).select_from(KOCS)).scalar_one()
        n_orders = conn.execute(select(func.count()).select_from(ORDERS)).scalar_one()
        n_refunds = conn.execute(select(func.count()).select_from(REFUNDS)).scalar_one()
        names = {r.id: r.name for r in conn.execute(select(KOCS.c.id, KOCS.c.name).where(KOCS.c.id.in_(list(DEMO_KOCS))))}
    demo = [{"id": koc_id, "name": names.get(koc_id, ""), "token": demo_token_for(koc_id), "situation": situation}
            for koc_id, situation in situations(policy).items()]
    # the demo HQ token only when it is the one in force: a configured KOC_HQ_TOKEN is never returned
    hq = None if settings.hq_token.get_secret_value() else hq_demo_token()
    return DemoResult(created, n_kocs, n_orders, n_refunds, hq, demo)
