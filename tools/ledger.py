"""Writing the ledger: order and refund imports, settlement, forfeiture.

Idempotency and concurrency come from the database, not from Python locks: orders are keyed by
order id and refunds by refund id (``ON CONFLICT DO NOTHING ... RETURNING`` tells us what this
call really inserted), and every commission row has a unique ``entry_key``. Two processes
importing overlapping batches therefore write each order and each commission exactly once.
A batch runs in one transaction: one bad row rejects the batch and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Callable, Sequence

from sqlalchemy import Engine, Table, and_, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tools.db import write_tx
from tools.commission import Earner, order_shares, reversal_cents
from tools.errors import BatchRejected, InvalidInput, RowError
from tools.models import CommissionEntry, Koc, Order, Product, Refund, Settlement, StatusEvent
from tools.policy import Policy
from tools.records import OrderIn, RefundIn, parse_orders_lenient, parse_refunds_lenient

ORDERS: Table = Order.__table__  # type: ignore[attr-defined]
REFUNDS: Table = Refund.__table__  # type: ignore[attr-defined]
LEDGER: Table = CommissionEntry.__table__  # type: ignore[attr-defined]
KOCS: Table = Koc.__table__  # type: ignore[attr-defined]
PRODUCTS: Table = Product.__table__  # type: ignore[attr-defined]
SETTLEMENTS: Table = Settlement.__table__  # type: ignore[attr-defined]
EVENTS: Table = StatusEvent.__table__  # type: ignore[attr-defined]


def now_utc() -> datetime:
    return datetime.now(UTC)


def month_of(moment: datetime | date) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a ``YYYY-MM`` month, in UTC."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = datetime(year, mon, 1, tzinfo=UTC)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"month must look like YYYY-MM, got {month!r}") from exc
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=UTC)
    return start, end


def insert_ignore(conn, table: Table):
    """INSERT ... ON CONFLICT DO NOTHING for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return insert(table).prefix_with("IGNORE")


ORDER_COLUMNS = ("order_id", "koc_id", "sku", "quantity", "amount_cents", "refunded_cents", "channel", "paid_at", "month")
LEDGER_COLUMNS = ("entry_key", "order_id", "koc_id", "source_koc_id", "sku", "level", "kind", "amount_cents", "rate_ppm",
                  "month", "created_at", "available_at", "settled_on")


def _sqlite_stamp(value: datetime | None) -> str | None:
    """A timestamp as SQLAlchemy's SQLite dialect stores it (naive UTC text), so queries compare equal."""
    if value is None:
        return None
    if value.tzinfo is not None and value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]  # C-fast, SQLAlchemy's strftime text without the "+00:00"


def stored_timestamp(conn) -> Callable[[datetime | None], Any]:
    """Converts a timestamp to the value the dialect's driver takes directly.

    Bulk imports build their rows already in storage form, so SQLite rows go straight to the
    driver's ``executemany`` without SQLAlchemy's per-value processing (several times slower).
    """
    if conn.dialect.name == "sqlite":
        return _sqlite_stamp
    return lambda v: v


def bulk_insert_ignore(conn, table: Table, columns: Sequence[str], rows: list[tuple]) -> int:
    """Insert many rows (tuples over ``columns``, timestamps through ``stored_timestamp``), skipping ones that hit a
    unique key; returns how many were written.

    SQLite takes the driver's ``executemany`` directly; PostgreSQL uses SQLAlchemy's batched
    multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING.
    """
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
               "ON CONFLICT DO NOTHING")
        return conn.exec_driver_sql(sql, rows).rowcount
    key = next(iter(table.primary_key.columns))
    stmt = insert_ignore(conn, table).returning(key)
    return len(conn.execute(stmt, [dict(zip(columns, row)) for row in rows]).scalars().all())


def _existing(conn, column, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(conn.execute(select(column).where(column.in_(keys[start : start + 500]))).scalars())
    return found


@dataclass
class ImportReport:
    received: int
    inserted: int
    duplicates: int
    commission_rows: int
    errors: list[RowError] = field(default_factory=list)


def sync_products(engine: Engine, policy: Policy) -> None:
    """Make the product table match the policy's catalogue (insert new, update changed)."""
    with write_tx(engine) as conn:
        existing = {row.sku: row for row in conn.execute(select(PRODUCTS))}
        for p in policy.products:
            values = {"sku": p.sku, "name_zh": p.name_zh, "name_en": p.name_en, "category": p.category, "price_cents": p.price_cents}
            row = existing.get(p.sku)
            if row is None:
                conn.execute(insert(PRODUCTS), values)
            elif tuple(row) != tuple(values[c.name] for c in PRODUCTS.columns):
                conn.execute(update(PRODUCTS).where(PRODUCTS.c.sku == p.sku).values(values))


def _earners(conn, ids: set[int]) -> dict[int, Earner]:
    out: dict[int, Earner] = {}
    ids_list = sorted(ids)
    for start in range(0, len(ids_list), 500):
        chunk = ids_list[start : start + 500]
        rows = conn.execute(select(KOCS.c.id, KOCS.c.kind, KOCS.c.tier, KOCS.c.status, KOCS.c.recruiter_id).where(KOCS.c.id.in_(chunk)))
        for r in rows:
            out[r.id] = Earner(r.id, r.kind, r.tier, r.status, r.recruiter_id)
    return out


def _codes(conn, codes: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    codes_list = sorted(codes)
    for start in range(0, len(codes_list), 500):
        chunk = codes_list[start : start + 500]
        for r in conn.execute(select(KOCS.c.id, KOCS.c.link_code, KOCS.c.coupon_code).where(
                KOCS.c.link_code.in_(chunk) | KOCS.c.coupon_code.in_(chunk))):
            if r.link_code in codes:
                out[r.link_code] = r.id
            if r.coupon_code in codes:
                out[r.coupon_code] = r.id
    return out


class _ShareCache:
    """Memoises ``order_shares`` by what it depends on (SKU, amount, both earners' kind/tier/status):
    a batch repeats the same few combinations thousands of times."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._cache: dict[tuple, list[tuple[int, int, int]]] = {}

    def shares(self, sku: str, amount: int, seller: Earner, recruiter: Earner | None) -> list[tuple[int, int, int, int]]:
        """[(koc_id, level, amount, rate_ppm)]"""
        if recruiter is not None and recruiter.id == seller.id:
            recruiter = None
        key = (sku, amount, seller.kind, seller.tier, seller.status,
               None if recruiter is None else (recruiter.kind, recruiter.status))
        hit = self._cache.get(key)
        if hit is None:
            shape_seller = Earner(0, seller.kind, seller.tier, seller.status)
            shape_rec = None if recruiter is None else Earner(-1, recruiter.kind, recruiter.tier, recruiter.status)
            hit = [(s.level, s.amount_cents, s.rate_ppm) for s in order_shares(self.policy, sku, amount, shape_seller, shape_rec)]
            self._cache[key] = hit
        return [(seller.id if level == 1 else recruiter.id, level, cents, ppm) for level, cents, ppm in hit]  # type: ignore[union-attr]


def _check_orders(orders: Sequence[OrderIn], numbers: Sequence[int], prices: dict[str, int], earners: dict[int, Earner],
                  codes: dict[str, int], stamp: Callable[[datetime | None], Any]) -> tuple[list[tuple[tuple, datetime]], list[RowError]]:
    """Validate a batch against the catalogue and the KOCs; returns the accepted orders and the bad rows.

    Accepted orders are tuples in ``ORDER_COLUMNS`` order, already in storage form, each with its
    ``paid_at`` beside it for the freeze arithmetic; an order id repeated with the same contents
    is accepted once."""
    errors: list[RowError] = []
    accepted: list[tuple[tuple, datetime]] = []
    seen: dict[str, tuple] = {}
    for number, order in zip(numbers, orders):
        by_id = order.koc_id is not None
        koc_id = order.koc_id if by_id else codes.get(order.code or "")
        price = prices.get(order.sku)
        if price is None:
            errors.append(RowError(number, f"unknown SKU {order.sku!r}", order.order_id))
            continue
        if koc_id is None:
            errors.append(RowError(number, f"no KOC has the link or coupon code {order.code!r}", order.order_id))
            continue
        if by_id and koc_id not in earners:
            errors.append(RowError(number, f"unknown KOC id {koc_id}", order.order_id))
            continue
        paid = order.paid_at
        row = (order.order_id, koc_id, order.sku, order.quantity,
               order.amount_cents if order.amount_cents is not None else price * order.quantity,
               0, "id" if by_id else "code", stamp(paid), month_of(paid))
        previous = seen.get(order.order_id)
        if previous is not None:
            if previous[:6] + previous[7:] != row[:6] + row[7:]:  # the channel may differ, nothing else
                errors.append(RowError(number, f"order id {order.order_id!r} appears twice with different contents", order.order_id))
            continue
        seen[order.order_id] = row
        accepted.append((row, paid))
    return accepted, errors


def _insert_orders(conn, accepted: list[tuple[tuple, datetime]]) -> set[str]:
    """Insert the accepted orders that are not there yet; returns the ids this call really inserted."""
    ids = list(dict.fromkeys(row[0] for row, _ in accepted))
    if conn.dialect.name == "sqlite":
        # the write lock is held (BEGIN IMMEDIATE): what does not exist now is ours to insert
        inserted = set(ids) - _existing(conn, ORDERS.c.order_id, ids)
        bulk_insert_ignore(conn, ORDERS, ORDER_COLUMNS, [row for row, _ in accepted if row[0] in inserted])
        return inserted
    stmt = insert_ignore(conn, ORDERS).returning(ORDERS.c.order_id)
    return set(conn.execute(stmt, [dict(zip(ORDER_COLUMNS, row)) for row, _ in accepted]).scalars().all())


def _accrual_rows(conn, policy: Policy, accepted: list[tuple[tuple, datetime]], inserted: set[str], earners: dict[int, Earner],
                  created: Any, stamp: Callable[[datetime | None], Any]) -> list[tuple]:
    """Commission rows (``LEDGER_COLUMNS`` tuples) of the newly inserted orders: the seller's and,
    for a recruited external distributor, the recruiter's override."""
    missing = {row[1] for row, _ in accepted} - earners.keys()
    earners.update(_earners(conn, missing))
    recruiters = _earners(conn, {e.recruiter_id for e in earners.values() if e.recruiter_id} - earners.keys())
    recruiters.update(earners)
    freeze = timedelta(days=policy.commission.freeze_days)
    ledger_rows: list[tuple] = []
    add = ledger_rows.append
    cache = _ShareCache(policy)
    for (order_id, koc_id, sku, _, amount, _, _, _, month), paid in accepted:
        if order_id not in inserted:
            continue
        seller = earners[koc_id]
        recruiter = recruiters.get(seller.recruiter_id) if seller.recruiter_id else None
        available = stamp(paid + freeze)
        for earner_id, level, cents, ppm in cache.shares(sku, amount, seller, recruiter):
            add((f"acc:{order_id}:L{level}", order_id, earner_id, koc_id, sku, level, "accrual", cents, ppm, month,
                 created, available, None))
    return ledger_rows


def _aware_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _check_reimports(conn, accepted: list[tuple[tuple, datetime]], inserted: set[str], first_row: dict[str, int]) -> None:
    """An order id already stored must come back with the same contents (then it is an idempotent
    duplicate); different contents reject the batch with a 409 naming the differing fields.
    Checked after the insert, so an order a concurrent import wrote first is compared too."""
    again = {row[0]: (first_row.get(row[0], 0), row, paid) for row, paid in accepted if row[0] not in inserted}
    if not again:
        return
    stored = _rows_by_key(conn, ORDERS, ORDERS.c.order_id, set(again))
    errors: list[RowError] = []
    for order_id, (number, row, paid) in again.items():
        old = stored.get(order_id)
        if old is None:
            continue
        new = {"koc_id": row[1], "sku": row[2], "quantity": row[3], "amount_cents": row[4], "paid_at": paid}
        differ = [f for f, v in new.items()
                  if (_aware_utc(old[f]) != _aware_utc(v) if f == "paid_at" else old[f] != v)]
        if differ:
            errors.append(RowError(number, f"order id {order_id!r} was already imported with different "
                                           f"{', '.join(differ)}", order_id))
    if errors:
        raise BatchRejected(sorted(errors, key=lambda e: e.row), status_code=409)


def import_orders(engine: Engine, policy: Policy, orders: Sequence[OrderIn], rows: Sequence[int] | None = None,
                  prior_errors: Sequence[RowError] = ()) -> ImportReport:
    """Import attributed orders and write their commission; all-or-nothing, idempotent.

    ``rows`` are the records' row numbers in the source file and ``prior_errors`` the rows that
    already failed parsing, so one rejection lists every bad row of the file.
    """
    prices = {p.sku: p.price_cents for p in policy.products}
    with write_tx(engine) as conn:
        stamp = stored_timestamp(conn)
        earners = _earners(conn, {o.koc_id for o in orders if o.koc_id is not None})
        codes = _codes(conn, {o.code for o in orders if o.koc_id is None and o.code})
        numbers = list(rows) if rows is not None else list(range(1, len(orders) + 1))
        accepted, errors = _check_orders(orders, numbers, prices, earners, codes, stamp)
        if errors or prior_errors:
            raise BatchRejected(sorted([*prior_errors, *errors], key=lambda e: e.row))
        if not accepted:
            return ImportReport(len(orders), 0, len(orders), 0)
        inserted = _insert_orders(conn, accepted)
        first_row: dict[str, int] = {}
        for number, o in zip(numbers, orders):
            first_row.setdefault(o.order_id, number)
        _check_reimports(conn, accepted, inserted, first_row)
        ledger_rows = _accrual_rows(conn, policy, accepted, inserted, earners, stamp(now_utc()), stamp)
        written = bulk_insert_ignore(conn, LEDGER, LEDGER_COLUMNS, ledger_rows)
        return ImportReport(len(orders), len(inserted), len(orders) - len(inserted), written)


def _rows_by_key(conn, table: Table, column, keys: set[str]) -> dict[str, dict]:
    """Rows of ``table`` whose ``column`` is one of ``keys``, by that key (looked up 500 at a time)."""
    ordered = sorted(keys)
    out: dict[str, dict] = {}
    for start in range(0, len(ordered), 500):
        for r in conn.execute(select(table).where(column.in_(ordered[start : start + 500]))):
            out[r._mapping[column.name]] = dict(r._mapping)
    return out


def _check_refunds(refunds: Sequence[RefundIn], numbers: Sequence[int], orders: dict[str, dict],
                   existing: dict[str, dict]) -> tuple[list[RefundIn], list[RowError]]:
    """Validate a batch of refunds: known order, refund id not reused for something else, and the
    order's refunds (stored + this batch) never above its paid amount. Returns the new refunds and the bad rows."""
    errors: list[RowError] = []
    pending_total: dict[str, int] = {}
    todo: list[RefundIn] = []
    seen: dict[str, RefundIn] = {}
    for number, refund in zip(numbers, refunds):
        order = orders.get(refund.order_id)
        if order is None:
            errors.append(RowError(number, f"unknown order id {refund.order_id!r}", refund.refund_id))
            continue
        old = existing.get(refund.refund_id)
        if old is not None:
            if old["order_id"] != refund.order_id or old["amount_cents"] != refund.amount_cents:
                errors.append(RowError(number, f"refund id {refund.refund_id!r} already used for a different refund", refund.refund_id))
            continue
        if refund.refund_id in seen:
            if seen[refund.refund_id] != refund:
                errors.append(RowError(number, f"refund id {refund.refund_id!r} appears twice with different contents", refund.refund_id))
            continue
        seen[refund.refund_id] = refund
        paid_at = _aware_utc(order["paid_at"])
        if refund.refunded_at < paid_at:
            errors.append(RowError(number, f"refund dated {refund.refunded_at.isoformat()} is before order {refund.order_id!r} "
                                           f"was paid ({paid_at.isoformat()})", refund.refund_id))
            continue
        total = order["refunded_cents"] + pending_total.get(refund.order_id, 0) + refund.amount_cents
        if total > order["amount_cents"]:
            errors.append(RowError(number, f"refund of {refund.amount_cents} cents would exceed the paid amount of order "
                                           f"{refund.order_id!r} ({order['amount_cents']} cents, {order['refunded_cents']} already refunded)",
                                   refund.refund_id))
            continue
        pending_total[refund.order_id] = pending_total.get(refund.order_id, 0) + refund.amount_cents
        todo.append(refund)
    return todo, errors


def _commission_entries(conn, order_ids: set[str]) -> dict[str, list]:
    """Accrual and forfeit rows of these orders, by order id: what a refund reverses."""
    ordered = sorted(order_ids)
    entries: dict[str, list] = {}
    for start in range(0, len(ordered), 500):
        for e in conn.execute(select(LEDGER.c.order_id, LEDGER.c.koc_id, LEDGER.c.source_koc_id, LEDGER.c.sku, LEDGER.c.level,
                                     LEDGER.c.kind, LEDGER.c.amount_cents, LEDGER.c.rate_ppm)
                              .where(and_(LEDGER.c.order_id.in_(ordered[start : start + 500]), LEDGER.c.kind.in_(("accrual", "forfeit"))))):
            entries.setdefault(e.order_id, []).append(e)
    return entries


_ADD_REFUND = (update(ORDERS)
               .where(and_(ORDERS.c.order_id == bindparam("oid"),
                           ORDERS.c.refunded_cents + bindparam("amt") <= ORDERS.c.amount_cents))
               .values(refunded_cents=ORDERS.c.refunded_cents + bindparam("amt"))
               .returning(ORDERS.c.refunded_cents, ORDERS.c.amount_cents))


def import_refunds(engine: Engine, refunds: Sequence[RefundIn], rows: Sequence[int] | None = None,
                   prior_errors: Sequence[RowError] = ()) -> ImportReport:
    """Import refunds; each reverses the same share of its order's commission (both levels).

    A refund that would take an order above its paid amount rejects the whole batch. Refund ids
    make the import idempotent; the paid-amount check is an atomic conditional UPDATE, so two
    concurrent refunds can never together exceed the order.
    """
    with write_tx(engine) as conn:
        orders = _rows_by_key(conn, ORDERS, ORDERS.c.order_id, {r.order_id for r in refunds})
        existing = _rows_by_key(conn, REFUNDS, REFUNDS.c.refund_id, {r.refund_id for r in refunds})
        numbers = list(rows) if rows is not None else list(range(1, len(refunds) + 1))
        todo, errors = _check_refunds(refunds, numbers, orders, existing)
        if errors or prior_errors:
            raise BatchRejected(sorted([*prior_errors, *errors], key=lambda e: e.row))
        if not todo:
            return ImportReport(len(refunds), 0, len(refunds), 0)
        got = set(conn.execute(insert_ignore(conn, REFUNDS).returning(REFUNDS.c.refund_id), [{
            "refund_id": r.refund_id, "order_id": r.order_id, "amount_cents": r.amount_cents, "refunded_at": r.refunded_at}
            for r in todo]).scalars().all())
        todo = [r for r in todo if r.refund_id in got]  # the others were written by a concurrent import
        entries = _commission_entries(conn, {r.order_id for r in todo})
        reversal_rows: list[tuple] = []
        stamp = stored_timestamp(conn)
        created = stamp(now_utc())
        for number, refund in enumerate(todo, start=1):
            after = conn.execute(_ADD_REFUND, {"oid": refund.order_id, "amt": refund.amount_cents}).first()
            if after is None:  # a concurrent refund got there first and the total would exceed the order
                raise BatchRejected([RowError(number, f"refund would exceed the paid amount of order {refund.order_id!r}", refund.refund_id)])
            reversal_rows += _reversal_rows(entries.get(refund.order_id, []), refund, after.refunded_cents - refund.amount_cents,
                                            after.refunded_cents, after.amount_cents, created, stamp)
        written = bulk_insert_ignore(conn, LEDGER, LEDGER_COLUMNS, reversal_rows)
        return ImportReport(len(refunds), len(todo), len(refunds) - len(todo), written)


def _reversal_rows(entries: list, refund: RefundIn, before: int, after: int, order_amount: int, created: Any,
                   stamp: Callable[[datetime | None], Any]) -> list[tuple]:
    """Reversal ledger rows (``LEDGER_COLUMNS`` tuples, timestamps already through ``stamp``)."""
    forfeited = {e.level for e in entries if e.kind == "forfeit"}
    rows = []
    refunded_at = stamp(refund.refunded_at)
    for e in entries:
        if e.kind != "accrual" or e.level in forfeited:
            continue
        amount = reversal_cents(e.amount_cents, order_amount, before, after)
        if amount == 0:
            continue
        rows.append((f"rev:{refund.refund_id}:L{e.level}", refund.order_id, e.koc_id, e.source_koc_id, e.sku, e.level,
                     "reversal", amount, e.rate_ppm, month_of(refund.refunded_at), created, refunded_at, None))
    return rows


@dataclass
class SettlementReport:
    settled_on: date
    cutoff: datetime
    kocs_paid: int
    total_cents: int
    entries: int
    carried_negative: int  # KOCs whose clawback exceeded their commission: carried to next time


def settle(engine: Engine, policy: Policy, on: date, today: date | None = None) -> SettlementReport:
    """Run the monthly settlement dated ``on`` (must be the policy's settlement day, and not after
    ``today``, default today's UTC date: a settlement dated in the future would pay out commission
    still inside its refund window).

    Settles every unsettled row whose freeze window ended before the first day of ``on``'s month
    (i.e. by the last day of the previous month), reversals included, so a refund of an already
    settled commission is clawed back here. A KOC whose net would be negative is left for the
    next settlement. Disqualified KOCs are never paid. Re-running the same day is a no-op.
    """
    if on.day != policy.commission.settlement_day:
        raise InvalidInput(f"settlement runs on day {policy.commission.settlement_day} of a month, not on {on.isoformat()}")
    today = today or now_utc().date()
    if on > today:
        raise InvalidInput(f"settlement date {on.isoformat()} is after today ({today.isoformat()}): "
                           "commission is settled only once its freeze window has ended")
    cutoff = datetime(on.year, on.month, 1, tzinfo=UTC)
    # the rule: never settle a row whose freeze window has not ended by the settlement date.
    # cutoff (the 1st of ``on``'s month) is never after ``on``, so available_at < cutoff implies it.
    assert cutoff <= datetime(on.year, on.month, on.day, tzinfo=UTC)
    eligible = and_(LEDGER.c.settled_on.is_(None), LEDGER.c.available_at < cutoff,
                    LEDGER.c.koc_id.in_(select(KOCS.c.id).where(KOCS.c.status != "disqualified")))
    with write_tx(engine) as conn:
        sums = conn.execute(select(LEDGER.c.koc_id, func.sum(LEDGER.c.amount_cents), func.count())
                            .where(eligible).group_by(LEDGER.c.koc_id)).all()
        payable = {k: (int(s), int(n)) for k, s, n in sums if int(s) >= 0}
        carried = sum(1 for _, s, _ in sums if int(s) < 0)
        ids = sorted(payable)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(update(LEDGER).where(and_(eligible, LEDGER.c.koc_id.in_(chunk))).values(settled_on=on))
        existing = {r.koc_id: r for r in conn.execute(select(SETTLEMENTS).where(SETTLEMENTS.c.settled_on == on))}
        new_rows = []
        for koc_id in ids:
            amount, count = payable[koc_id]
            if koc_id in existing:
                conn.execute(update(SETTLEMENTS).where(SETTLEMENTS.c.id == existing[koc_id].id)
                             .values(amount_cents=SETTLEMENTS.c.amount_cents + amount, entries=SETTLEMENTS.c.entries + count))
            else:
                new_rows.append({"koc_id": koc_id, "settled_on": on, "amount_cents": amount, "entries": count})
        if new_rows:
            conn.execute(insert(SETTLEMENTS), new_rows)
        return SettlementReport(on, cutoff, len(ids), sum(a for a, _ in payable.values()),
                                sum(n for _, n in payable.values()), carried)


def forfeit_unsettled(conn, koc_id: int, on: date) -> int:
    """Core-rule violation: cancel every unsettled commission of the KOC with forfeiture rows."""
    rows = conn.execute(
        select(LEDGER.c.order_id, LEDGER.c.level, LEDGER.c.sku, LEDGER.c.source_koc_id, func.sum(LEDGER.c.amount_cents).label("net"))
        .where(and_(LEDGER.c.koc_id == koc_id, LEDGER.c.settled_on.is_(None)))
        .group_by(LEDGER.c.order_id, LEDGER.c.level, LEDGER.c.sku, LEDGER.c.source_koc_id)
    ).all()
    moment = datetime(on.year, on.month, on.day, tzinfo=UTC)
    out = []
    for r in rows:
        if int(r.net) == 0:
            continue
        out.append({
            "entry_key": f"forfeit:{koc_id}:{r.order_id}:L{r.level}", "order_id": r.order_id, "koc_id": koc_id,
            "source_koc_id": r.source_koc_id, "sku": r.sku, "level": r.level, "kind": "forfeit",
            "amount_cents": -int(r.net), "rate_ppm": 0, "month": month_of(on), "created_at": now_utc(),
            "available_at": moment, "settled_on": on,
        })
    if out:
        conn.execute(insert_ignore(conn, LEDGER), out)
    return -sum(r["amount_cents"] for r in out)


def import_orders_file(engine: Engine, policy: Policy, text: str | bytes, fmt: str) -> ImportReport:
    """Import a CSV/JSON batch of orders; one rejection lists every bad row (shape and catalogue)."""
    parsed = parse_orders_lenient(text, fmt)
    return import_orders(engine, policy, parsed.records, parsed.rows, parsed.errors)


def import_refunds_file(engine: Engine, text: str | bytes, fmt: str) -> ImportReport:
    """Import a CSV/JSON batch of refunds; one rejection lists every bad row."""
    parsed = parse_refunds_lenient(text, fmt)
    return import_refunds(engine, parsed.records, parsed.rows, parsed.errors)
