"""Commission arithmetic, free of any database: what one order earns and what a refund takes back.

Rules (policy): level 1 = amount × product/category rate × tier multiplier (external distributors
×1.0); level 2 = the recruiter's override, amount × 3 %, only when both are external
distributors and only one level up. Each result is rounded half up once. A refund reverses the
same share of every level; reversals are computed from cumulative refunded amounts, so several
partial refunds that add up to the full amount reverse exactly the original commission.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tools.money import apply_rate, round_cents
from tools.policy import Policy


@dataclass(frozen=True)
class Share:
    """One level of an order's commission."""

    koc_id: int
    level: int
    rate: Decimal  # effective rate (rate × multiplier)
    amount_cents: int

    @property
    def rate_ppm(self) -> int:
        return int(self.rate * 1_000_000)


@dataclass(frozen=True)
class Earner:
    """What the arithmetic needs to know about a KOC."""

    id: int
    kind: str
    tier: str
    status: str = "active"
    recruiter_id: int | None = None


EARNING_STATUSES = ("active", "blacklisted")  # blacklisted KOCs lose trials, not commission


def effective_rate(policy: Policy, sku: str, kind: str, tier: str) -> tuple[Decimal, Decimal, Decimal, str]:
    """(base rate, multiplier, effective rate, source of the base rate)."""
    rate, source = policy.product_rate(sku)
    multiplier = policy.multiplier(kind, tier)
    return rate, multiplier, rate * multiplier, source


def order_shares(policy: Policy, sku: str, amount_cents: int, seller: Earner, recruiter: Earner | None) -> list[Share]:
    """The commission rows an order creates (level 1 and, if due, level 2)."""
    shares: list[Share] = []
    if seller.status in EARNING_STATUSES:
        _, _, rate, _ = effective_rate(policy, sku, seller.kind, seller.tier)
        shares.append(Share(seller.id, 1, rate, apply_rate(amount_cents, rate)))
    second = policy.commission.second_level
    if (
        recruiter is not None
        and seller.kind == second.recruit_kind
        and recruiter.kind == second.recruiter_kind
        and recruiter.status in EARNING_STATUSES
        and recruiter.id != seller.id
    ):
        shares.append(Share(recruiter.id, 2, second.rate, apply_rate(amount_cents, second.rate)))
    return shares


def reversal_cents(commission_cents: int, order_amount_cents: int, refunded_before: int, refunded_after: int) -> int:
    """Negative amount a refund takes back from one commission row.

    share(x) = round(commission × x / amount); the reversal is share(after) − share(before), so the
    sum over all partial refunds telescopes to exactly the commission once fully refunded.
    """
    if order_amount_cents <= 0:
        return 0

    def share(refunded: int) -> int:
        return round_cents(Decimal(commission_cents) * Decimal(refunded) / Decimal(order_amount_cents))

    return -(share(refunded_after) - share(refunded_before))
