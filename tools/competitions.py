"""The monthly sales competition: who entered, in what order, and closing a month with its prizes.

Both the read side (``reports.competition_rank``, the HQ top-performers view, the service's
cached leaderboard) and the write side (``close_competition``, run by HQ or the demo) rank
entrants here, so there is one ranking rule: net sales (paid − refunded) of the month, best
first, ties broken by the lower KOC id, and only KOCs with the policy's minimum of paid orders.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine, Table, func, select

from tools.db import write_tx
from tools.errors import InvalidInput
from tools.ledger import ORDERS, insert_ignore, month_bounds, now_utc
from tools.models import CompetitionResult
from tools.policy import Policy

RESULTS: Table = CompetitionResult.__table__  # type: ignore[attr-defined]
log = logging.getLogger(__name__)


def competition_table(conn, policy: Policy, month: str) -> list[tuple[int, int, int]]:
    """(koc_id, net sales, paid orders) of every entrant, best first (ties: lower KOC id first)."""
    month_bounds(month)
    rows = conn.execute(
        select(ORDERS.c.koc_id, func.sum(ORDERS.c.amount_cents - ORDERS.c.refunded_cents), func.count())
        .where(ORDERS.c.month == month).group_by(ORDERS.c.koc_id)
        .having(func.count() >= policy.competition.min_paid_orders)
    ).all()
    table = [(int(k), int(n or 0), int(c)) for k, n, c in rows]
    table.sort(key=lambda r: (-r[1], r[0]))
    return table


def close_competition(engine: Engine, policy: Policy, month: str, force: bool = False,
                      now: datetime | None = None) -> list[dict]:
    """Record the final ranking and prizes of a month's competition (idempotent per month).

    A month that has not ended yet (at ``now``, default the current UTC time) is refused unless
    ``force`` is given; a forced early close is logged as a warning.
    """
    _, end = month_bounds(month)
    moment = now or now_utc()
    if moment < end:
        if not force:
            raise InvalidInput(f"the {month} competition has not ended yet (it ends {end.date().isoformat()} UTC); "
                               "closing it early needs force")
        log.warning("competition %s closed early with force at %s, before the month ended", month, moment.isoformat())
    comp = policy.competition
    with write_tx(engine) as conn:
        table = competition_table(conn, policy, month)
        rows = []
        for index, (koc_id, net, _orders) in enumerate(table):
            prize = comp.prize_for(index + 1)
            rows.append({"month": month, "koc_id": koc_id, "rank": index + 1, "net_sales_cents": net,
                         "prize": prize.text if prize else "", "certificate": net >= comp.certificate_min_net_sales_cents})
        for start in range(0, len(rows), 1000):
            conn.execute(insert_ignore(conn, RESULTS), rows[start : start + 1000])
    return [r for r in rows if r["prize"] or r["certificate"]]
