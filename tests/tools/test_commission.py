"""Commission arithmetic: rates, tier multipliers, the second-level override, rounding, reversals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tools.commission import Earner, order_shares, reversal_cents
from tools.money import add_display, apply_rate, yuan


@pytest.mark.parametrize("sku, tier, amount, expected", [
    ("NH-SKN-01", "sprout", 8900, 1068),       # 12 % of ¥89 = ¥10.68
    ("NH-SKN-01", "bloom", 8900, 1175),        # 13.2 % = 1174.8 -> 1175
    ("NH-SUN-01", "sprout", 13900, 2502),      # product override 18 %
    ("NH-SUN-01", "lighthouse", 13900, 3253),  # 23.4 % = 3252.6 -> 3253
    ("NH-GFT-01", "starlight", 39900, 3830),   # 9.6 % = 3830.4 -> 3830
    ("NH-BAB-03", "starlight", 5900, 708),     # 12 % = 708
    ("NH-BOD-02", "bloom", 6900, 759),         # 11 % = 759
])
def test_level_one_rate_times_multiplier(policy, sku, tier, amount, expected):
    shares = order_shares(policy, sku, amount, Earner(1, "private", tier), None)
    assert [(s.level, s.amount_cents) for s in shares] == [(1, expected)]


def test_rounding_is_half_up():
    assert apply_rate(25, Decimal("0.1")) == 3    # 2.5 -> 3 (banker's rounding would give 2)
    assert apply_rate(35, Decimal("0.1")) == 4    # 3.5 -> 4
    assert apply_rate(5, Decimal("0.1")) == 1     # 0.5 -> 1
    assert apply_rate(4, Decimal("0.1")) == 0


def test_external_distributor_has_flat_rate_and_recruiter_override(policy):
    seller = Earner(2, "external", "sprout", recruiter_id=1)
    recruiter = Earner(1, "external", "sprout")
    shares = order_shares(policy, "NH-SKN-02", 15900, seller, recruiter)
    assert [(s.koc_id, s.level, s.amount_cents) for s in shares] == [(2, 1, 1908), (1, 2, 477)]  # 12 %, 3 % of ¥159


def test_external_tier_column_is_ignored(policy):
    """External distributors have no ladder: even a stray tier value gives ×1.0."""
    shares = order_shares(policy, "NH-SKN-02", 15900, Earner(2, "external", "lighthouse"), None)
    assert shares[0].amount_cents == 1908


def test_no_override_for_private_recruits_or_private_recruiters(policy):
    assert len(order_shares(policy, "NH-SKN-02", 15900, Earner(2, "private", "sprout", recruiter_id=1), Earner(1, "external", "sprout"))) == 1
    assert len(order_shares(policy, "NH-SKN-02", 15900, Earner(2, "external", "sprout", recruiter_id=1), Earner(1, "private", "bloom"))) == 1


def test_disqualified_earns_nothing_and_blacklisted_still_earns(policy):
    assert order_shares(policy, "NH-SKN-01", 8900, Earner(1, "private", "sprout", status="disqualified"), None) == []
    assert order_shares(policy, "NH-SKN-01", 8900, Earner(1, "private", "sprout", status="blacklisted"), None)[0].amount_cents == 1068


def test_partial_refunds_reverse_exactly_in_total():
    commission, amount = 1175, 8900
    steps = [(0, 3333), (3333, 5000), (5000, 8900)]
    reversals = [reversal_cents(commission, amount, before, after) for before, after in steps]
    assert sum(reversals) == -commission
    assert reversals[0] == -440  # 1175 × 3333 / 8900 = 440.04 -> 440


def test_money_display():
    assert yuan(123456) == "¥1,234.56" and yuan(-5) == "-¥0.05" and yuan(0) == "¥0.00"
    assert add_display({"a_cents": 100, "x": [{"b_cents": -250}]}) == {"a_cents": 100, "a": "¥1.00", "x": [{"b_cents": -250, "b": "-¥2.50"}]}
