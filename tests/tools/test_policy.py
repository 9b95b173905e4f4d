"""The policy file encodes docs/brand-facts.md exactly, and a bad policy fails naming the field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tools.policy import PolicyError, load_policy

from .conftest import POLICY_PATH


def test_products_match_the_fact_sheet(policy):
    prices = {p.sku: (p.category, p.price_cents) for p in policy.products}
    assert prices == {
        "NH-SUN-01": ("sun_care", 13900), "NH-SUN-02": ("sun_care", 9900),
        "NH-SKN-01": ("skincare", 8900), "NH-SKN-02": ("skincare", 15900), "NH-SKN-03": ("skincare", 18900),
        "NH-SKN-04": ("skincare", 6900), "NH-BAB-01": ("baby_care", 7900), "NH-BAB-02": ("baby_care", 8900),
        "NH-BAB-03": ("baby_care", 5900), "NH-BOD-01": ("body_care", 9900), "NH-BOD-02": ("body_care", 6900),
        "NH-BOD-03": ("body_care", 5900), "NH-GFT-01": ("gift_set", 39900),
    }
    assert policy.product("NH-SUN-01").name_zh.startswith("晴空轻透防晒乳")


def test_rates_multipliers_and_rules_match_the_fact_sheet(policy):
    assert {k: c.rate for k, c in policy.categories.items()} == {
        "sun_care": Decimal("0.15"), "skincare": Decimal("0.12"), "baby_care": Decimal("0.10"),
        "body_care": Decimal("0.10"), "gift_set": Decimal("0.08")}
    assert policy.product_rate("NH-SUN-01") == (Decimal("0.18"), "product")
    assert policy.product_rate("NH-SUN-02") == (Decimal("0.15"), "category")
    assert [(t.name_zh, t.multiplier) for t in policy.tiers] == [
        ("新芽KOC", Decimal("1.0")), ("绽放KOC", Decimal("1.1")), ("星光KOC", Decimal("1.2")), ("灯塔KOC", Decimal("1.3"))]
    assert policy.tier("bloom").thresholds == {"posts": 5, "interactions": 300, "net_sales_cents": 200000, "group_size": 20}
    assert policy.tier("starlight").thresholds == {"posts": 15, "interactions": 1500, "net_sales_cents": 800000, "group_size": 80, "fans": 500}
    assert policy.tier("lighthouse").thresholds == {"posts": 40, "interactions": 6000, "net_sales_cents": 3000000, "group_size": 200, "fans": 2000}
    assert [t.monthly_trials for t in policy.tiers] == [0, 1, 2, 3]
    c = policy.commission
    assert (c.second_level.rate, c.freeze_days, c.settlement_day, c.external_multiplier) == (Decimal("0.03"), 15, 10, Decimal("1.0"))
    comp = policy.competition
    assert [(p.rank_from, p.rank_to, p.value_cents) for p in comp.prizes] == [(1, 1, 100000), (2, 2, 60000), (3, 3, 30000), (4, 10, 10000)]
    assert comp.certificate_min_net_sales_cents == 50000 and comp.min_paid_orders == 1
    assert (policy.elimination.consecutive_poor_reviews, policy.trials.poor_score_below, policy.elimination.suspension_days) == (3, 60, 90)
    assert (policy.blacklist.due_days, policy.blacklist.grace_days, policy.blacklist.reminders) == (14, 7, 1)
    assert (policy.external_assessment.days, policy.external_assessment.min_paid_orders) == (60, 5)
    assert policy.core_rule.forfeits_unsettled and policy.core_rule.cancels_qualification
    assert [t.promotion_reward.value_cents for t in policy.tiers[1:]] == [5000, 20000, 80000]


def _broken(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(POLICY_PATH.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d["categories"]["skincare"].update(rate="1.5"), "categories.skincare.rate"),
    (lambda d: d["tiers"][2]["thresholds"].update(fans=-1), "tiers.2.thresholds"),
    (lambda d: d["commission"].update(freeze_days="soon"), "commission.freeze_days"),
    (lambda d: d["products"][0].update(category="nope"), "products.0.category"),
    (lambda d: d["tiers"][3]["thresholds"].update(posts=1), "tiers.3.thresholds.posts"),
    (lambda d: d["commission"].update(settlement_dya=10), "commission.settlement_dya"),
    (lambda d: d["trials"].update(evergreen_from="platinum"), "trials.evergreen_from"),
])
def test_invalid_policy_names_the_field(tmp_path, mutate, field):
    with pytest.raises(PolicyError) as err:
        load_policy(_broken(tmp_path, mutate))
    assert field in str(err.value)


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "absent.yaml")


def test_service_refuses_to_start_with_an_invalid_policy(tmp_path, koc_home, monkeypatch):
    from base.settings import get_settings
    from tools.service import create_app

    bad = _broken(tmp_path, lambda d: d["commission"].update(settlement_day=40))
    monkeypatch.setenv("KOC_POLICY", str(bad))
    get_settings.cache_clear()
    with pytest.raises(PolicyError, match="commission.settlement_day"):
        create_app()


def test_reward_and_prize_wording_by_language(policy):
    """The policy words rewards in each answer language it gives; only those it gives are claimed."""
    reward = policy.tiers[2].promotion_reward
    assert reward.texts()["zh"] != reward.text and set(reward.texts()) == {"zh"}
    assert all(p.texts().get("zh") for p in policy.competition.prizes)
