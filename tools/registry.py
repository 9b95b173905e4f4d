"""Managing KOC records: sign-up, tokens, activity counters, trials (HQ operations)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError

from tools.db import write_tx
from tools.auth import hash_token, new_token
from tools.errors import InvalidInput, NotFound
from tools.ledger import KOCS
from tools.policy import Policy
from tools.rules import ACTIVITY, HISTORY, TRIALS, trial_slots_open


class KocIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: int | None = Field(None, ge=1)
    name: str = Field(min_length=1, max_length=80)
    kind: Literal["private", "external"]
    recruiter_id: int | None = Field(None, ge=1)
    link_code: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{3,64}$")
    coupon_code: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{3,64}$")
    joined_on: date


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    posts: int = Field(ge=0)
    interactions: int = Field(ge=0)
    group_size: int = Field(ge=0)
    fans: int = Field(ge=0)


class TrialIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    koc_id: int = Field(ge=1)
    sku: str
    kind: Literal["new_product", "evergreen"] = "new_product"
    received_on: date


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delivered_on: date
    review_score: int = Field(ge=0, le=100)


def create_koc(engine: Engine, policy: Policy, data: KocIn) -> int:
    """Register a KOC at the entry tier. A recruiter must exist; codes default to the id."""
    with write_tx(engine) as conn:
        if data.recruiter_id is not None:
            rec = conn.execute(select(KOCS.c.id, KOCS.c.kind).where(KOCS.c.id == data.recruiter_id)).first()
            if rec is None:
                raise InvalidInput(f"recruiter {data.recruiter_id} not found")
        koc_id = data.id
        if koc_id is None:
            koc_id = (conn.execute(select(KOCS.c.id).order_by(KOCS.c.id.desc()).limit(1)).scalar() or 0) + 1
        values = {"id": koc_id, "name": data.name, "kind": data.kind, "tier": policy.tiers[0].key,
                  "recruiter_id": data.recruiter_id, "status": "active",
                  "link_code": data.link_code or f"L{koc_id:06d}", "coupon_code": data.coupon_code or f"C{koc_id:06d}",
                  "token_hash": None, "joined_on": data.joined_on, "joined_sharing_activity": True,
                  "trial_suspended_until": None, "trial_suspended_from": None, "assessment_passed": None}
        try:
            conn.execute(insert(KOCS), [values])
        except IntegrityError as exc:
            raise InvalidInput(f"KOC id, link code or coupon code already in use ({koc_id})") from exc
        conn.execute(insert(ACTIVITY), [{"koc_id": koc_id, "posts": 0, "interactions": 0, "group_size": 0, "fans": 0,
                                         "updated_at": datetime.now(UTC)}])
        conn.execute(insert(HISTORY), [{"koc_id": koc_id, "from_tier": None, "to_tier": policy.tiers[0].key,
                                        "changed_on": data.joined_on, "reason": "joined"}])
    return koc_id


def issue_token(engine: Engine, koc_id: int, token: str | None = None) -> str:
    """Give a KOC a new bearer token (the old one stops working); only its hash is stored."""
    token = token or new_token()
    with write_tx(engine) as conn:
        done = conn.execute(update(KOCS).where(KOCS.c.id == koc_id).values(token_hash=hash_token(token))).rowcount
    if not done:
        raise NotFound(f"KOC {koc_id} not found")
    return token


def set_activity(engine: Engine, koc_id: int, data: ActivityIn) -> None:
    with write_tx(engine) as conn:
        done = conn.execute(update(ACTIVITY).where(ACTIVITY.c.koc_id == koc_id).values(
            **data.model_dump(), updated_at=datetime.now(UTC))).rowcount
        if not done:
            if conn.execute(select(KOCS.c.id).where(KOCS.c.id == koc_id)).first() is None:
                raise NotFound(f"KOC {koc_id} not found")
            conn.execute(insert(ACTIVITY), [{"koc_id": koc_id, **data.model_dump(), "updated_at": datetime.now(UTC)}])


def add_trial(engine: Engine, policy: Policy, data: TrialIn) -> int:
    """Ship a trial product; refused when the KOC has no open trial slot."""
    try:
        policy.product(data.sku)
    except KeyError as exc:
        raise InvalidInput(f"unknown SKU {data.sku!r}") from exc
    with write_tx(engine) as conn:
        koc = conn.execute(select(KOCS).where(KOCS.c.id == data.koc_id)).first()
        if koc is None:
            raise NotFound(f"KOC {data.koc_id} not found")
        ok, reason = trial_slots_open(policy, koc, data.received_on)
        if not ok:
            raise InvalidInput(f"KOC {data.koc_id} cannot take a trial: {reason}")
        if data.kind == "evergreen" and not policy.takes_evergreen_trials(koc.tier):
            raise InvalidInput(f"evergreen trials are not open to the {policy.tier(koc.tier).name_en} tier")
        month_start = data.received_on.replace(day=1)
        used = conn.execute(select(TRIALS.c.id).where(and_(TRIALS.c.koc_id == data.koc_id, TRIALS.c.received_on >= month_start,
                                                           TRIALS.c.received_on <= data.received_on))).all()
        if len(used) >= policy.tier(koc.tier).monthly_trials:
            raise InvalidInput(f"KOC {data.koc_id} has used all {policy.tier(koc.tier).monthly_trials} trial slots this month")
        due = data.received_on + timedelta(days=policy.trials.review_due_days)
        return conn.execute(insert(TRIALS).returning(TRIALS.c.id), [{
            "koc_id": data.koc_id, "sku": data.sku, "kind": data.kind, "received_on": data.received_on, "due_on": due,
            "reminded_on": None, "delivered_on": None, "review_score": None}]).scalar_one()


def review_trial(engine: Engine, trial_id: int, data: ReviewIn) -> None:
    with write_tx(engine) as conn:
        trial = conn.execute(select(TRIALS).where(TRIALS.c.id == trial_id)).first()
        if trial is None:
            raise NotFound(f"trial {trial_id} not found")
        if trial.delivered_on is not None:
            raise InvalidInput(f"trial {trial_id} was already reviewed")
        if data.delivered_on < trial.received_on:
            raise InvalidInput("delivered_on is before the product was received")
        conn.execute(update(TRIALS).where(TRIALS.c.id == trial_id).values(delivered_on=data.delivered_on, review_score=data.review_score))
