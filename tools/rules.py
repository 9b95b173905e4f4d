"""Programme rules that change a KOC's standing: promotion, elimination, blacklist, assessment,
and the core rule. Each is a batch that can be re-run safely (it only acts on what changed) and
records why in ``tier_history`` / ``status_event``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, Table, and_, bindparam, func, insert, select, update

from tools.db import write_tx
from tools.errors import InvalidInput, NotFound
from tools.ledger import EVENTS, KOCS, ORDERS, forfeit_unsettled
from tools.models import Activity, TierHistory, Trial
from tools.policy import CRITERIA, Policy, Tier

ACTIVITY: Table = Activity.__table__  # type: ignore[attr-defined]
HISTORY: Table = TierHistory.__table__  # type: ignore[attr-defined]
TRIALS: Table = Trial.__table__  # type: ignore[attr-defined]


_ACT_ALL = select(ACTIVITY.c.koc_id, ACTIVITY.c.posts, ACTIVITY.c.interactions, ACTIVITY.c.group_size, ACTIVITY.c.fans)
_SALES_ALL = select(ORDERS.c.koc_id, func.sum(ORDERS.c.amount_cents - ORDERS.c.refunded_cents)).group_by(ORDERS.c.koc_id)
_ACT_SOME = _ACT_ALL.where(ACTIVITY.c.koc_id.in_(bindparam("ids", expanding=True)))
_SALES_SOME = _SALES_ALL.where(ORDERS.c.koc_id.in_(bindparam("ids", expanding=True)))


def metrics(conn, koc_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Cumulative tier criteria per KOC: activity counters + lifetime net sales (paid − refunded)."""
    params = {} if koc_ids is None else {"ids": list(koc_ids)}
    act, sales = (_ACT_ALL, _SALES_ALL) if koc_ids is None else (_ACT_SOME, _SALES_SOME)
    out: dict[int, dict[str, int]] = {}
    for r in conn.execute(act, params):
        out[r.koc_id] = {"posts": r.posts, "interactions": r.interactions, "group_size": r.group_size, "fans": r.fans, "net_sales_cents": 0}
    for koc_id, net in conn.execute(sales, params):
        out.setdefault(koc_id, {c: 0 for c in CRITERIA})["net_sales_cents"] = int(net or 0)
    for koc_id in koc_ids or []:
        out.setdefault(koc_id, {c: 0 for c in CRITERIA})
    return out


def meets(tier: Tier, values: dict[str, int]) -> bool:
    return all(values.get(name, 0) >= threshold for name, threshold in tier.thresholds.items())


def earned_tier(policy: Policy, current: str, values: dict[str, int]) -> str:
    """Highest tier whose thresholds are all met, never below the current tier."""
    best = policy.tier_index(current)
    for index, tier in enumerate(policy.tiers):
        if index > best and meets(tier, values):
            best = index
        elif index > best:
            break  # tiers are cumulative: failing one means failing every higher one
    return policy.tiers[best].key


@dataclass
class Promotion:
    koc_id: int
    from_tier: str
    to_tier: str
    rewards: list[str] = field(default_factory=list)


def evaluate_promotions(engine: Engine, policy: Policy, on: date) -> list[Promotion]:
    """Promote every active private-domain KOC whose counts reach a higher tier (daily batch)."""
    promoted: list[Promotion] = []
    with write_tx(engine) as conn:
        kocs = conn.execute(select(KOCS.c.id, KOCS.c.tier).where(and_(KOCS.c.kind == "private", KOCS.c.status.in_(("active", "blacklisted"))))).all()
        values = metrics(conn)
        history = []
        for koc in kocs:
            target = earned_tier(policy, koc.tier, values.get(koc.id, {}))
            if target == koc.tier:
                continue
            step_from = koc.tier
            rewards = []
            for index in range(policy.tier_index(koc.tier) + 1, policy.tier_index(target) + 1):
                tier = policy.tiers[index]
                reward = tier.promotion_reward.text if tier.promotion_reward else ""
                rewards.append(reward)
                history.append({"koc_id": koc.id, "from_tier": step_from, "to_tier": tier.key, "changed_on": on,
                                "reason": f"thresholds met; reward: {reward or 'none'}"})
                step_from = tier.key
            conn.execute(update(KOCS).where(KOCS.c.id == koc.id).values(tier=target))
            promoted.append(Promotion(koc.id, koc.tier, target, rewards))
        if history:
            conn.execute(insert(HISTORY), history)
    return promoted


@dataclass
class RulesReport:
    eliminated_trials: list[int] = field(default_factory=list)  # KOCs losing trial slots for N days
    reminded: list[int] = field(default_factory=list)  # trial ids a reminder was sent for
    blacklisted: list[int] = field(default_factory=list)
    partnerships_ended: list[int] = field(default_factory=list)
    assessments_passed: list[int] = field(default_factory=list)


def _event(conn, koc_id: int, on: date, rule: str, detail: str) -> None:
    conn.execute(insert(EVENTS), [{"koc_id": koc_id, "happened_on": on, "rule": rule, "detail": detail}])


def poor_streak(scores: list[int], below: int) -> int:
    """Length of the run of poor scores at the end of ``scores`` (oldest first)."""
    streak = 0
    for score in reversed(scores):
        if score >= below:
            break
        streak += 1
    return streak


def scores_since(trials, since: date | None) -> list[int]:
    """Review scores of ``trials`` (oldest first) that count towards elimination: those delivered
    after the last suspension began (a suspension wipes the slate)."""
    return [t.review_score for t in trials
            if t.review_score is not None and (since is None or (t.delivered_on and t.delivered_on > since))]


def assessment_end(policy: Policy, joined_on: date) -> date:
    """The day an external distributor's assessment period ends (exclusive)."""
    return joined_on + timedelta(days=policy.external_assessment.days)


def assessment_paid_orders(conn, policy: Policy, koc_id: int, joined_on: date) -> int:
    """Paid (not fully refunded) orders inside an external distributor's assessment period so far."""
    end = assessment_end(policy, joined_on)
    start_at = datetime(joined_on.year, joined_on.month, joined_on.day, tzinfo=UTC)
    end_at = datetime(end.year, end.month, end.day, tzinfo=UTC)
    return int(conn.execute(select(func.count()).select_from(ORDERS).where(and_(
        ORDERS.c.koc_id == koc_id, ORDERS.c.paid_at >= start_at, ORDERS.c.paid_at < end_at,
        ORDERS.c.refunded_cents < ORDERS.c.amount_cents))).scalar_one())


def scored_trials_by_koc(conn) -> dict[int, list]:
    """Every reviewed trial, grouped by KOC, oldest delivery first."""
    reviews: dict[int, list] = {}
    for t in conn.execute(select(TRIALS).where(TRIALS.c.review_score.is_not(None)).order_by(TRIALS.c.delivered_on, TRIALS.c.id)):
        reviews.setdefault(t.koc_id, []).append(t)
    return reviews


def _eliminate_trials(conn, policy: Policy, kocs: dict, on: date, report: RulesReport) -> None:
    """Suspend trial slots of KOCs whose last N counted reviews were all poor."""
    elim, below = policy.elimination, policy.trials.poor_score_below
    for koc_id, rows in scored_trials_by_koc(conn).items():
        if poor_streak(scores_since(rows, kocs[koc_id].trial_suspended_from), below) < elim.consecutive_poor_reviews:
            continue
        until = on + timedelta(days=elim.suspension_days)
        conn.execute(update(KOCS).where(KOCS.c.id == koc_id).values(trial_suspended_from=on, trial_suspended_until=until))
        _event(conn, koc_id, on, "elimination",
               f"{elim.consecutive_poor_reviews} trial reviews in a row scored below {below}; "
               f"no trial slots until {until.isoformat()}")
        report.eliminated_trials.append(koc_id)


def _remind_and_blacklist(conn, policy: Policy, kocs: dict, on: date, report: RulesReport) -> None:
    """Overdue trial reviews: a reminder first (if the policy sends one), then the blacklist after the grace days."""
    black = policy.blacklist
    blacklisted: set[int] = set()
    overdue = conn.execute(select(TRIALS).where(and_(TRIALS.c.delivered_on.is_(None), TRIALS.c.due_on < on))).all()
    for t in overdue:
        if kocs[t.koc_id].status in ("blacklisted", "disqualified") or t.koc_id in blacklisted:
            continue
        if black.reminders and t.reminded_on is None:
            conn.execute(update(TRIALS).where(TRIALS.c.id == t.id).values(reminded_on=on))
            report.reminded.append(t.id)
            continue
        grace_from = max(t.due_on, t.reminded_on or t.due_on)
        if on > grace_from + timedelta(days=black.grace_days):
            conn.execute(update(KOCS).where(KOCS.c.id == t.koc_id).values(status="blacklisted"))
            _event(conn, t.koc_id, on, "blacklist",
                   f"trial of {t.sku} received {t.received_on.isoformat()} not reviewed within {black.due_days} days "
                   f"plus {black.grace_days} days after a reminder; permanently barred from trials")
            blacklisted.add(t.koc_id)
            report.blacklisted.append(t.koc_id)


def _assess_externals(conn, policy: Policy, kocs: dict, on: date, report: RulesReport) -> None:
    """External distributors whose assessment period is over either pass or end the partnership."""
    assess = policy.external_assessment
    for koc in kocs.values():
        if koc.kind != "external" or koc.status != "active" or koc.assessment_passed is not None:
            continue
        if on < assessment_end(policy, koc.joined_on):
            continue
        paid = assessment_paid_orders(conn, policy, koc.id, koc.joined_on)
        if paid >= assess.min_paid_orders:
            conn.execute(update(KOCS).where(KOCS.c.id == koc.id).values(assessment_passed=True))
            report.assessments_passed.append(koc.id)
        else:
            conn.execute(update(KOCS).where(KOCS.c.id == koc.id).values(assessment_passed=False, status="eliminated"))
            _event(conn, koc.id, on, "assessment",
                   f"{paid} paid orders in the {assess.days}-day assessment period (minimum {assess.min_paid_orders}); partnership ended")
            report.partnerships_ended.append(koc.id)


def evaluate_rules(engine: Engine, policy: Policy, on: date) -> RulesReport:
    """Daily batch: trial elimination, reminders and blacklist, external-distributor assessment."""
    report = RulesReport()
    with write_tx(engine) as conn:
        kocs = {r.id: r for r in conn.execute(select(KOCS))}
        _eliminate_trials(conn, policy, kocs, on, report)
        _remind_and_blacklist(conn, policy, kocs, on, report)
        _assess_externals(conn, policy, kocs, on, report)
    return report


def record_core_violation(engine: Engine, policy: Policy, koc_id: int, on: date, detail: str) -> int:
    """Core rule broken: cancel the qualification and forfeit unsettled commission. Returns cents forfeited."""
    with write_tx(engine) as conn:
        koc = conn.execute(select(KOCS).where(KOCS.c.id == koc_id)).first()
        if koc is None:
            raise NotFound(f"KOC {koc_id} not found")
        if koc.status == "disqualified":
            raise InvalidInput(f"KOC {koc_id} is already disqualified")
        forfeited = forfeit_unsettled(conn, koc_id, on) if policy.core_rule.forfeits_unsettled else 0
        if policy.core_rule.cancels_qualification:
            conn.execute(update(KOCS).where(KOCS.c.id == koc_id).values(status="disqualified"))
        _event(conn, koc_id, on, "core_rule", f"{detail.strip() or 'core rule violated'}; forfeited {forfeited} cents of unsettled commission")
        return forfeited


def trial_block(policy: Policy, koc, on: date) -> str:
    """Why a KOC may not take trials now, as a code ("" when it may): disqualified, blacklisted,
    eliminated, suspended (poor reviews; ``trial_suspended_until`` says until when), external, tier
    (the KOC's tier has no monthly slots). Replies word it in the asker's language."""
    if koc.status in ("disqualified", "blacklisted", "eliminated"):
        return koc.status
    if koc.trial_suspended_until and on < koc.trial_suspended_until:
        return "suspended"
    if koc.kind == "external":
        return "external"
    if policy.tier(koc.tier).monthly_trials == 0:
        return "tier"
    return ""


def trial_slots_open(policy: Policy, koc, on: date) -> tuple[bool, str]:
    """Whether a KOC may take trials now, and why not (in English, for the service's own errors)."""
    code = trial_block(policy, koc, on)
    return (False, trial_block_reason(policy, koc, code)) if code else (True, "")


def trial_block_reason(policy: Policy, koc, code: str) -> str:
    """A ``trial_block`` code in the service's English words."""
    reasons = {"disqualified": "qualification cancelled (core rule)",
               "blacklisted": "barred from trials: a trial review was never delivered",
               "eliminated": "partnership ended",
               "suspended": f"no trial slots until {koc.trial_suspended_until.isoformat() if koc.trial_suspended_until else ''} "
                            f"after {policy.elimination.consecutive_poor_reviews} poor reviews in a row",
               "external": "external distributors have no trial slots",
               "tier": "trials unlock at the next tier"}
    return reasons[code]
