"""What the "My earnings" page and HQ's KOC overview show, gathered from the commission & tier
service through its client — the same endpoints the assistant's tools call, so a figure on a
page is the figure the chat gives.

Nothing is computed here that the service does not already compute; this module only decides
which months and which views make up a page, and reshapes them into rows for charts and tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tools.client import ToolsClient
from tools.ledger import month_of
from tools.reports import STATUSES

#: Months shown in the earnings history: this month and the six before it.
HISTORY_MONTHS = 7


def last_months(today: date, count: int = HISTORY_MONTHS) -> list[str]:
    """``count`` months ending with today's, oldest first (YYYY-MM)."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


@dataclass
class KocDashboard:
    """One KOC's page: every block as the service returned it, plus the month-by-status rows."""

    months: list[dict[str, Any]]          # [{"month", "<status>_cents"..., "total_cents"}], oldest first
    this_month: dict[str, Any]            # the earnings summary of this month (by product, next settlement)
    tier: dict[str, Any]
    competition: dict[str, Any]
    trials: dict[str, Any]
    open_trials: list[dict[str, Any]] = field(default_factory=list)


def koc_dashboard(client: ToolsClient, today: date) -> KocDashboard:
    """The signed-in KOC's own page (``client`` carries the KOC's token: the service scopes every call)."""
    months = []
    this_month: dict[str, Any] = {}
    for month in last_months(today):
        summary = client.earnings(month=month)
        row = {"month": month, "total_cents": summary["total_cents"]}
        row.update({s: summary["by_status"][f"{s}_cents"] for s in STATUSES})
        months.append(row)
        if month == month_of(today):
            this_month = summary
    trials = client.trials()
    open_trials = [t for t in trials["trials"] if t.get("status") in ("awaiting_review", "overdue")]
    return KocDashboard(months=months, this_month=this_month, tier=client.tier_progress(),
                        competition=client.competition(), trials=trials, open_trials=open_trials)


@dataclass
class KocOverview:
    """HQ's view of the programme: who is close to promotion, who is at risk, who sells most."""

    near_promotion: list[dict[str, Any]]
    at_risk: list[dict[str, Any]]
    top_performers: list[dict[str, Any]]
    month: str


def koc_overview(client: ToolsClient, *, tier: str = "", risk: str = "", limit: int = 20) -> KocOverview:
    """HQ only (the service answers 403 to a KOC token). ``tier`` keeps KOCs on that tier key,
    ``risk`` keeps one kind of risk (elimination, blacklist, assessment); empty keeps all."""
    near = client.near_promotion(limit=200)["kocs"]
    risky = client.at_risk(limit=500)["kocs"]
    top = client.top_performers(limit=200)
    if tier:
        near = [k for k in near if k["tier"] == tier]
        top["kocs"] = [k for k in top["kocs"] if k["tier"] == tier]
    if risk:
        risky = [k for k in risky if k["risk"] == risk]
    return KocOverview(near_promotion=near[:limit], at_risk=risky[:limit], top_performers=top["kocs"][:limit],
                       month=top["month"])


def koc_detail(client: ToolsClient, koc_id: int) -> dict[str, Any]:
    """One KOC as HQ sees it: the profile and the tier progress (HQ token; KOC tokens only reach their own)."""
    return {"overview": client.overview(koc_id), "tier": client.tier_progress(koc_id)}


#: How far back "my products" looks: products a KOC sold in this many months, this one included.
OWN_PRODUCT_MONTHS = 3


def own_products(client: ToolsClient, today: date) -> list[str]:
    """The codes of a KOC's own products: what it sold in the last ``OWN_PRODUCT_MONTHS`` months,
    best sellers first, then what it is trying out (``client`` carries the KOC's own token)."""
    months = last_months(today, OWN_PRODUCT_MONTHS)
    sold = client.earnings(from_month=months[0], to_month=months[-1])["by_product"]
    ranked = sorted(sold, key=lambda p: (-p.get("units", 0), p["sku"]))
    trying = [t["sku"] for t in client.trials()["trials"]]
    return list(dict.fromkeys([p["sku"] for p in ranked] + trying))
