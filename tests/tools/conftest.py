"""Fixtures for the commission & tier service: a ledger on SQLite and on a real, throwaway
PostgreSQL cluster (initdb + pg_ctl on 127.0.0.1, a free port, a private socket dir)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests.servers import free_port  # noqa: F401  (re-exported: tests import it from here)

from tools.policy import Policy, load_policy

POLICY_PATH = Path(__file__).resolve().parents[2] / "tools" / "policy.yaml"


@pytest.fixture
def policy() -> Policy:
    return load_policy(POLICY_PATH)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> str:
    """The ledger URL: every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def engine(db_url: str, policy: Policy):
    from tools.db import make_engine, migrate
    from tools.ledger import sync_products

    eng = make_engine(db_url)
    migrate(eng)
    sync_products(eng, policy)
    yield eng
    eng.dispose()


def at(day: str, hour: int = 12) -> datetime:
    """A UTC datetime from 'YYYY-MM-DD'."""
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def add_koc(engine, policy: Policy, koc_id: int, kind: str = "private", tier: str = "sprout",
            recruiter_id: int | None = None, joined: str = "2026-01-01", token: str | None = None) -> int:
    """Register a KOC directly at a tier (tests set up situations the slow way would take months)."""
    from sqlalchemy import update

    from tools.ledger import KOCS
    from tools.registry import KocIn, create_koc, issue_token

    create_koc(engine, policy, KocIn(id=koc_id, name=f"KOC {koc_id}", kind=kind, recruiter_id=recruiter_id,
                                     joined_on=date.fromisoformat(joined)))
    if tier != "sprout":
        with engine.begin() as conn:
            conn.execute(update(KOCS).where(KOCS.c.id == koc_id).values(tier=tier))
    if token:
        issue_token(engine, koc_id, token)
    return koc_id


def order(order_id: str, koc_id: int, sku: str = "NH-SKN-01", quantity: int = 1, paid: str = "2026-03-05",
          amount_cents: int | None = None):
    from tools.records import OrderIn

    return OrderIn(order_id=order_id, koc_id=koc_id, sku=sku, quantity=quantity, amount_cents=amount_cents, paid_at=at(paid))


def refund(refund_id: str, order_id: str, amount_cents: int, when: str = "2026-03-08"):
    from tools.records import RefundIn

    return RefundIn(refund_id=refund_id, order_id=order_id, amount_cents=amount_cents, refunded_at=at(when))


def ledger_rows(engine, **where) -> list[dict]:
    from sqlalchemy import select

    from tools.ledger import LEDGER

    stmt = select(LEDGER).order_by(LEDGER.c.id)
    for key, value in where.items():
        stmt = stmt.where(LEDGER.c[key] == value)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]
