"""Ledger tables (SQLModel). Money is integer cents everywhere; times are UTC.

The commission ledger is append-only: an order's commission is written once per level, a refund
writes negative reversal rows, a core-rule violation writes forfeiture rows. Only the settlement
columns of a row ever change. Every ledger row has a unique ``entry_key`` derived from what caused
it, so a repeated or concurrent import can never write the same commission twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

KOC_KINDS = ("private", "external")
KOC_STATUSES = ("active", "eliminated", "blacklisted", "disqualified")


class Koc(SQLModel, table=True):
    """A KOC. ``status``: active; eliminated (external partnership ended); blacklisted (barred from
    trials, still earns); disqualified (core rule broken: no qualification, no unsettled earnings)."""

    __tablename__ = "koc"
    id: int = Field(primary_key=True)
    name: str
    kind: str = Field(max_length=16)
    tier: str = Field(max_length=32)
    recruiter_id: int | None = Field(default=None, foreign_key="koc.id", index=True)
    status: str = Field(default="active", max_length=16)
    link_code: str = Field(unique=True, max_length=64)
    coupon_code: str = Field(unique=True, max_length=64)
    token_hash: str | None = Field(default=None, unique=True, max_length=64)
    joined_on: date
    joined_sharing_activity: bool = True
    trial_suspended_until: date | None = None
    trial_suspended_from: date | None = None
    assessment_passed: bool | None = None


class Product(SQLModel, table=True):
    __tablename__ = "product"
    sku: str = Field(primary_key=True, max_length=32)
    name_zh: str
    name_en: str
    category: str = Field(max_length=32)
    price_cents: int


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (
        # covering: one KOC's orders in a period are summed without touching the table
        Index("ix_orders_koc_paid_cover", "koc_id", "paid_at", "sku", "quantity", "amount_cents", "refunded_cents"),
        Index("ix_orders_month_koc", "month", "koc_id"),
    )
    order_id: str = Field(primary_key=True, max_length=64)
    koc_id: int = Field(foreign_key="koc.id")
    sku: str = Field(foreign_key="product.sku", max_length=32)
    quantity: int
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    refunded_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    channel: str = Field(max_length=16)
    paid_at: datetime
    month: str = Field(max_length=7)


class Refund(SQLModel, table=True):
    __tablename__ = "refund"
    refund_id: str = Field(primary_key=True, max_length=64)
    order_id: str = Field(foreign_key="orders.order_id", index=True, max_length=64)
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    refunded_at: datetime


class CommissionEntry(SQLModel, table=True):
    """One ledger row. ``kind``: accrual (+), reversal (− refund), forfeit (− core rule)."""

    __tablename__ = "commission"
    __table_args__ = (
        # covering: earnings summaries and the next-settlement sum read only this index
        Index("ix_commission_koc_month_cover", "koc_id", "month", "kind", "level", "sku", "settled_on", "available_at", "amount_cents"),
        Index("ix_commission_order", "order_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    entry_key: str = Field(unique=True, max_length=160)
    order_id: str = Field(max_length=64)
    koc_id: int = Field(foreign_key="koc.id")
    source_koc_id: int
    sku: str = Field(max_length=32)
    level: int
    kind: str = Field(max_length=16)
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    rate_ppm: int
    month: str = Field(max_length=7)
    created_at: datetime
    available_at: datetime
    settled_on: date | None = None


class Settlement(SQLModel, table=True):
    __tablename__ = "settlement"
    __table_args__ = (UniqueConstraint("koc_id", "settled_on", name="uq_settlement_koc_day"),)
    id: int | None = Field(default=None, primary_key=True)
    koc_id: int = Field(foreign_key="koc.id")
    settled_on: date
    amount_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    entries: int


class Activity(SQLModel, table=True):
    """Cumulative counters the tiers depend on (reported by the distribution mini-program)."""

    __tablename__ = "activity"
    koc_id: int = Field(primary_key=True, foreign_key="koc.id")
    posts: int = 0
    interactions: int = 0
    group_size: int = 0
    fans: int = 0
    updated_at: datetime


class Trial(SQLModel, table=True):
    __tablename__ = "trial"
    id: int | None = Field(default=None, primary_key=True)
    koc_id: int = Field(foreign_key="koc.id", index=True)
    sku: str = Field(foreign_key="product.sku", max_length=32)
    kind: str = Field(max_length=16)  # new_product | evergreen
    received_on: date
    due_on: date
    reminded_on: date | None = None
    delivered_on: date | None = None
    review_score: int | None = None


class TierHistory(SQLModel, table=True):
    __tablename__ = "tier_history"
    id: int | None = Field(default=None, primary_key=True)
    koc_id: int = Field(foreign_key="koc.id", index=True)
    from_tier: str | None = Field(default=None, max_length=32)
    to_tier: str = Field(max_length=32)
    changed_on: date
    reason: str


class StatusEvent(SQLModel, table=True):
    """Why a KOC's standing changed (elimination, blacklist, core rule, assessment)."""

    __tablename__ = "status_event"
    id: int | None = Field(default=None, primary_key=True)
    koc_id: int = Field(foreign_key="koc.id", index=True)
    happened_on: date
    rule: str = Field(max_length=32)
    detail: str


class CompetitionResult(SQLModel, table=True):
    __tablename__ = "competition_result"
    __table_args__ = (UniqueConstraint("month", "koc_id", name="uq_competition_month_koc"),)
    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    koc_id: int = Field(foreign_key="koc.id")
    rank: int
    net_sales_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    prize: str = ""
    certificate: bool = False


class Meta(SQLModel, table=True):
    """Small key/value facts about the ledger itself (e.g. which demo data set it holds)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str
