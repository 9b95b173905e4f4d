"""Tier and programme rules: promotion, gaps, elimination, blacklist, core rule, assessment, competition."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tools.errors import InvalidInput
from tools.ledger import EVENTS, KOCS, import_orders, import_refunds, settle
from tools.registry import ActivityIn, ReviewIn, TrialIn, add_trial, review_trial, set_activity
from tools.reports import competition_rank, earnings_summary, near_promotion, tier_progress, trials_status, at_risk
from tools.rules import HISTORY, evaluate_promotions, evaluate_rules, record_core_violation

from .conftest import add_koc, at, ledger_rows, order, refund


def koc(engine, koc_id):
    with engine.connect() as conn:
        return conn.execute(select(KOCS).where(KOCS.c.id == koc_id)).first()


def sell(engine, policy, koc_id, cents_wanted, prefix="S", paid="2026-03-05"):
    """Orders of the gift box (¥399) until net sales reach at least ``cents_wanted``."""
    n = -(-cents_wanted // 39900)
    import_orders(engine, policy, [order(f"{prefix}{koc_id}-{i}", koc_id, "NH-GFT-01", paid=paid) for i in range(n)])


def test_promotion_needs_every_threshold_and_writes_history(engine, policy):
    add_koc(engine, policy, 1)
    set_activity(engine, 1, ActivityIn(posts=5, interactions=300, group_size=20, fans=0))
    sell(engine, policy, 1, 159600)  # ¥1,596 < ¥2,000
    assert evaluate_promotions(engine, policy, date(2026, 3, 6)) == []
    with engine.connect() as conn:
        progress = tier_progress(conn, policy, 1, date(2026, 3, 6))
    assert progress["next_tier"]["tier"] == "bloom"
    gaps = {c["criterion"]: c for c in progress["criteria"]}
    assert gaps["net_sales_cents"]["missing_cents"] == 200000 - 159600
    assert progress["gap_text"] == "¥404.00 more net sales"
    assert progress["next_tier"]["unlocks"] == ["1 new-product trial (新品测评) per month"]
    sell(engine, policy, 1, 79800, prefix="T")
    promoted = evaluate_promotions(engine, policy, date(2026, 3, 7))
    assert [(p.koc_id, p.from_tier, p.to_tier, p.rewards) for p in promoted] == [(1, "sprout", "bloom", ["¥50 coupon"])]
    assert koc(engine, 1).tier == "bloom"
    with engine.connect() as conn:
        history = conn.execute(select(HISTORY.c.from_tier, HISTORY.c.to_tier).where(HISTORY.c.koc_id == 1).order_by(HISTORY.c.id)).all()
    assert [tuple(h) for h in history] == [(None, "sprout"), ("sprout", "bloom")]
    assert evaluate_promotions(engine, policy, date(2026, 3, 8)) == []  # idempotent


def test_gap_text_lists_every_missing_criterion(engine, policy):
    add_koc(engine, policy, 1, tier="bloom")
    set_activity(engine, 1, ActivityIn(posts=12, interactions=1500, group_size=80, fans=500))
    sell(engine, policy, 1, 680000)
    with engine.connect() as conn:
        progress = tier_progress(conn, policy, 1, date(2026, 3, 6))
    assert progress["gap_text"] == "3 more posts, ¥818.00 more net sales"  # 18 × ¥399 = ¥7,182
    assert not progress["ready_for_promotion"]


def test_promotion_can_cross_several_tiers_and_never_lowers(engine, policy):
    add_koc(engine, policy, 1)
    set_activity(engine, 1, ActivityIn(posts=20, interactions=2000, group_size=100, fans=600))
    sell(engine, policy, 1, 800000)
    promoted = evaluate_promotions(engine, policy, date(2026, 3, 6))
    assert promoted[0].to_tier == "starlight" and promoted[0].rewards == ["¥50 coupon", "¥200 product voucher"]
    set_activity(engine, 1, ActivityIn(posts=0, interactions=0, group_size=0, fans=0))
    evaluate_promotions(engine, policy, date(2026, 3, 7))
    assert koc(engine, 1).tier == "starlight"


def test_elimination_after_three_poor_reviews_in_a_row(engine, policy):
    add_koc(engine, policy, 1, tier="lighthouse")
    ids = [add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SUN-01", received_on=date(2026, 3, 1 + i))) for i in range(3)]
    for trial_id, score in zip(ids, (55, 40, 59)):
        review_trial(engine, trial_id, ReviewIn(delivered_on=date(2026, 3, 10), review_score=score))
    report = evaluate_rules(engine, policy, date(2026, 3, 12))
    assert report.eliminated_trials == [1]
    assert koc(engine, 1).trial_suspended_until == date(2026, 6, 10)
    with pytest.raises(InvalidInput, match="no trial slots until 2026-06-10"):
        add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SUN-01", received_on=date(2026, 4, 1)))
    assert evaluate_rules(engine, policy, date(2026, 3, 13)).eliminated_trials == []  # the same streak counts once
    with engine.connect() as conn:
        status = trials_status(conn, policy, 1, date(2026, 3, 13))
    assert not status["can_take_trials"] and status["trial_suspended_until"] == "2026-06-10"


def test_a_good_review_breaks_the_streak(engine, policy):
    add_koc(engine, policy, 1, tier="lighthouse")
    ids = [add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SUN-01", received_on=date(2026, 3, 1 + i))) for i in range(3)]
    for trial_id, score, day in zip(ids, (40, 75, 40), (5, 6, 7)):
        review_trial(engine, trial_id, ReviewIn(delivered_on=date(2026, 3, day), review_score=score))
    assert evaluate_rules(engine, policy, date(2026, 3, 12)).eliminated_trials == []
    with engine.connect() as conn:
        assert trials_status(conn, policy, 1, date(2026, 3, 12))["poor_reviews_in_a_row"] == 1


def test_blacklist_after_due_date_reminder_and_grace(engine, policy):
    add_koc(engine, policy, 1, tier="bloom")
    add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SKN-03", received_on=date(2026, 3, 1)))  # due 03-15
    assert evaluate_rules(engine, policy, date(2026, 3, 15)).reminded == []
    assert evaluate_rules(engine, policy, date(2026, 3, 16)).reminded != []  # one reminder
    assert evaluate_rules(engine, policy, date(2026, 3, 23)).blacklisted == []  # within 7 days of the reminder
    assert evaluate_rules(engine, policy, date(2026, 3, 24)).blacklisted == [1]
    assert koc(engine, 1).status == "blacklisted"
    with pytest.raises(InvalidInput, match="barred from trials"):
        add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SKN-03", received_on=date(2026, 4, 2)))
    import_orders(engine, policy, [order("B1", 1, paid="2026-04-01")])  # still earns commission
    assert ledger_rows(engine, order_id="B1")[0]["amount_cents"] == 1175


def test_trial_slots_per_month_follow_the_tier(engine, policy):
    add_koc(engine, policy, 1)
    with pytest.raises(InvalidInput, match="next tier"):
        add_trial(engine, policy, TrialIn(koc_id=1, sku="NH-SKN-03", received_on=date(2026, 3, 1)))
    add_koc(engine, policy, 2, tier="bloom")
    add_trial(engine, policy, TrialIn(koc_id=2, sku="NH-SKN-03", received_on=date(2026, 3, 1)))
    with pytest.raises(InvalidInput, match="all 1 trial slots"):
        add_trial(engine, policy, TrialIn(koc_id=2, sku="NH-SKN-03", received_on=date(2026, 3, 20)))
    with pytest.raises(InvalidInput, match="evergreen"):
        add_trial(engine, policy, TrialIn(koc_id=2, sku="NH-SKN-03", kind="evergreen", received_on=date(2026, 4, 1)))


def test_evergreen_trials_open_at_the_policy_tier_and_every_tier_above(engine, policy):
    """Unlocked at ``trials.evergreen_from`` and kept higher up, whatever words the tiers' unlocks use."""
    start = policy.tier_index(policy.trials.evergreen_from)
    for koc_id, tier in enumerate(policy.tiers[start:], start=1):
        add_koc(engine, policy, koc_id, tier=tier.key)
        add_trial(engine, policy, TrialIn(koc_id=koc_id, sku="NH-SKN-03", kind="evergreen", received_on=date(2026, 4, 1)))
    assert start > 0 and not policy.takes_evergreen_trials(policy.tiers[start - 1].key)


def test_core_rule_violation_forfeits_unsettled_and_cancels(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("V1", 1, paid="2026-03-01"), order("V2", 1, paid="2026-04-01")])
    settle(engine, policy, date(2026, 4, 10))  # V1 paid out
    forfeited = record_core_violation(engine, policy, 1, date(2026, 4, 12), "sold another brand in the fan group")
    assert forfeited == 1068
    assert koc(engine, 1).status == "disqualified"
    with engine.connect() as conn:
        summary = earnings_summary(conn, policy, 1, "2026-03", "2026-04", at("2026-04-12"))
        events = conn.execute(select(EVENTS.c.rule).where(EVENTS.c.koc_id == 1)).scalars().all()
    assert summary["by_status"]["settled_cents"] == 1068 and summary["by_status"]["forfeited_cents"] == -1068
    assert summary["total_cents"] == 1068 and summary["next_settlement"]["amount_cents"] == 0
    assert events == ["core_rule"]
    import_orders(engine, policy, [order("V3", 1, paid="2026-04-13")])
    assert ledger_rows(engine, order_id="V3") == []  # no new commission
    assert settle(engine, policy, date(2026, 5, 10)).kocs_paid == 0
    with pytest.raises(InvalidInput, match="already disqualified"):
        record_core_violation(engine, policy, 1, date(2026, 4, 13), "again")


def test_refund_after_forfeit_does_not_double_reverse(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("W1", 1, paid="2026-03-01")])
    record_core_violation(engine, policy, 1, date(2026, 3, 2), "")
    import_refunds(engine, [refund("WR1", "W1", 8900, when="2026-03-03")])
    assert sum(r["amount_cents"] for r in ledger_rows(engine, order_id="W1")) == 0


def test_external_assessment_needs_five_paid_orders_in_sixty_days(engine, policy):
    add_koc(engine, policy, 1, kind="external", joined="2026-01-01")
    add_koc(engine, policy, 2, kind="external", joined="2026-01-01")
    import_orders(engine, policy, [order(f"X1-{i}", 1, paid="2026-01-20") for i in range(5)])
    import_orders(engine, policy, [order(f"X2-{i}", 2, paid="2026-01-20") for i in range(5)])
    import_refunds(engine, [refund("XR", "X2-0", 8900, when="2026-01-22")])  # fully refunded: not a paid order
    import_orders(engine, policy, [order("X2-late", 2, paid="2026-03-05")])  # after the 60 days
    assert evaluate_rules(engine, policy, date(2026, 2, 28)).partnerships_ended == []  # still assessing
    with engine.connect() as conn:
        risk = at_risk(conn, policy, date(2026, 2, 20), 50)
    assert {r["koc_id"] for r in risk if r["risk"] == "assessment"} == {2}
    # the figures behind the risk, for a reply in any language (the detail sentence is English)
    short = next(r for r in risk if r["koc_id"] == 2)
    assert short["paid_orders"] == 4 and short["needed_orders"] == policy.external_assessment.min_paid_orders
    assert short["days_left"] > 0
    report = evaluate_rules(engine, policy, date(2026, 3, 2))
    assert report.assessments_passed == [1] and report.partnerships_ended == [2]
    assert koc(engine, 2).status == "eliminated"


def test_competition_rank_gap_and_anonymous_neighbours(engine, policy):
    for i in range(1, 13):
        add_koc(engine, policy, i)
        import_orders(engine, policy, [order(f"M{i}-{j}", i, "NH-SKN-04", paid="2026-03-05") for j in range(i)])  # ¥69 × i
    import_refunds(engine, [refund("MR", "M12-0", 6900, when="2026-03-06")])  # KOC 12 ties KOC 11 on net sales
    with engine.connect() as conn:
        mine = competition_rank(conn, policy, 5, "2026-03")
        low = competition_rank(conn, policy, 2, "2026-03")
        top = competition_rank(conn, policy, 11, "2026-03")
        absent = competition_rank(conn, policy, 3, "2026-04")
    assert mine["entered"] and mine["entrants"] == 12 and mine["rank"] == 8
    assert mine["gap_to_next_rank_cents"] == 6901 and mine["prize"] == "¥100 coupon"
    assert low["rank"] == 11 and low["prize"] is None and low["gap_to_prize_cents"] == 6901 and low["certificate"] is False
    assert [n["rank"] for n in mine["neighbours"]] == [6, 7, 8, 9, 10]
    assert all(set(n) == {"rank", "net_sales_cents", "you"} for n in mine["neighbours"])  # no ids, no names
    assert top["rank"] == 1 and top["prize"] == "¥1,000 cash bonus" and top["certificate"] is True
    assert absent["entered"] is False


def test_near_promotion_orders_by_progress(engine, policy):
    for koc_id, posts in ((1, 4), (2, 1), (3, 3)):
        add_koc(engine, policy, koc_id)
        set_activity(engine, koc_id, ActivityIn(posts=posts, interactions=300, group_size=20, fans=0))
        sell(engine, policy, koc_id, 200000)
    with engine.connect() as conn:
        near = near_promotion(conn, policy, 2)
    assert [k["koc_id"] for k in near] == [1, 3]
    assert near[0]["gap_text"] == "1 more post"
