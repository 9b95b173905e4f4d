"""The personal figures a correct answer must state, computed at run time from the ledger.

A case never carries its expected numbers (a new demo day would make them stale). The runner asks
the same commission service the assistant asks, with the same KOC's token, and takes the figure
the question is about:

* ``get_my_earnings``: the month is this month, or the previous one when the question says so
  ("上个月", "last month"); the figure is the one the question names (refund reversals, the
  pending part, second-level override, the next payout), else the month's total. A question
  naming two (payout and pending) needs both.
* ``estimate_commission``: the commission of the case's ``tool_args`` product and quantity.
* ``get_my_tier_progress``: every unmet gap to the next tier (none when there is no next tier).
* ``get_my_competition_rank``: the rank.
* ``get_my_trials``: the trial slots left, when the question asks about slots.

Anything else (product search, due dates) has no figure: the case is scored on its tool only.
"""

from __future__ import annotations

from decimal import Decimal

from base.language import to_simplified
from evals.cases import Case
from tools.client import ToolsClient, ToolServiceError

#: Earnings figure → words of a question that asks for it (简体 / English, matched after 繁→简).
EARNINGS_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reversed", ("退", "扣", "refund", "revers", "clawback", "deducted")),
    ("pending", ("冻结", "解冻", "pending", "frozen")),
    ("override", ("推荐", "二级", "拉进来", "override", "recruit")),
    ("payout", ("打多少", "打到", "发放", "payout", "paid out")),
)
LAST_MONTH_WORDS = ("上个月", "上月", "last month", "previous month")
SLOT_WORDS = ("名额", "slot")


def _cents(value: object) -> Decimal:
    return (Decimal(int(value or 0)) / 100).quantize(Decimal("0.01"))


def _asks(question: str, words: tuple[str, ...]) -> bool:
    text = to_simplified(question).casefold()
    return any(w in text for w in words)


def previous_month(month: str) -> str:
    year, mon = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def earnings_figures(question: str, client: ToolsClient) -> list[Decimal]:
    current = client.earnings("me")
    result = client.earnings("me", month=previous_month(current["period"])) if _asks(question, LAST_MONTH_WORDS) else current
    by_status = result.get("by_status") or {}
    values = {
        "reversed": _cents(by_status.get("reversed_cents")),
        "pending": _cents(by_status.get("pending_cents")),
        "override": _cents(result.get("override_commission_cents")),
        "payout": _cents((result.get("next_settlement") or {}).get("amount_cents")),
    }
    named = [values[name] for name, words in EARNINGS_FIGURES if _asks(question, words)]
    return named or [_cents(result.get("total_cents"))]


def tier_figures(client: ToolsClient) -> list[Decimal]:
    result = client.tier_progress("me")
    if not result.get("next_tier"):
        return []
    gaps = []
    for c in result.get("criteria", []):
        if c.get("met"):
            continue
        gaps.append(_cents(c.get("missing_cents")) if "missing_cents" in c else Decimal(int(c.get("missing") or 0)))
    return gaps


def expected_figures(case: Case, client: ToolsClient) -> list[Decimal]:
    """The figures ``case``'s answer must state; empty when its tool has no figure to check."""
    try:
        if case.tool == "get_my_earnings":
            return earnings_figures(case.question, client)
        if case.tool == "estimate_commission":
            args = case.tool_args
            result = client.estimate(str(args.get("product") or args.get("sku")), int(args.get("quantity", 1)))
            return [_cents(result.get("commission_cents"))]
        if case.tool == "get_my_tier_progress":
            return tier_figures(client)
        if case.tool == "get_my_competition_rank":
            rank = client.competition("me").get("rank")
            return [Decimal(int(rank))] if rank else []
        if case.tool == "get_my_trials" and _asks(case.question, SLOT_WORDS):
            return [Decimal(int(client.trials("me").get("slots_left_this_month") or 0))]
    except ToolServiceError:
        return []
    return []
