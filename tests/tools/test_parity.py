"""SQLite and PostgreSQL give the same answers for the same history (service included)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.client import ToolsClient
from tools.db import make_engine, migrate
from tools.ledger import import_orders, import_refunds, settle, sync_products
from tools.reports import competition_rank, earnings_summary, near_promotion, tier_progress
from tools.registry import ActivityIn, set_activity
from tools.rules import evaluate_promotions, record_core_violation

from .conftest import add_koc, at, order, refund

pytestmark = pytest.mark.postgres


def _history(engine, policy) -> dict:
    add_koc(engine, policy, 1, kind="external", token="parity-koc-1")
    for koc_id in range(2, 5):
        add_koc(engine, policy, koc_id, kind="external", recruiter_id=1)
    for koc_id in range(5, 9):
        add_koc(engine, policy, koc_id)
        set_activity(engine, koc_id, ActivityIn(posts=koc_id, interactions=400, group_size=30, fans=10))
    skus = [p.sku for p in policy.products]
    orders = [order(f"p{i}", 1 + i % 8, skus[i % len(skus)], quantity=1 + i % 3, paid=f"2026-0{3 + i % 3}-{1 + i % 27:02d}",
                    amount_cents=None if i % 5 else 12345) for i in range(400)]
    import_orders(engine, policy, orders)
    import_refunds(engine, [refund(f"pr{i}", f"p{i}", 1000 + i, when="2026-05-28") for i in range(0, 400, 7)])
    settle(engine, policy, date(2026, 5, 10))
    import_refunds(engine, [refund(f"px{i}", f"p{i}", 2000, when="2026-06-01") for i in range(0, 400, 11)])
    evaluate_promotions(engine, policy, date(2026, 6, 2))
    record_core_violation(engine, policy, 8, date(2026, 6, 3), "parity")
    settle(engine, policy, date(2026, 6, 10))
    moment = at("2026-06-20")
    out = {}
    with engine.connect() as conn:
        for koc_id in range(1, 9):
            out[f"earn{koc_id}"] = earnings_summary(conn, policy, koc_id, "2026-03", "2026-06", moment)
            out[f"tier{koc_id}"] = tier_progress(conn, policy, koc_id, moment.date())
            out[f"rank{koc_id}"] = competition_rank(conn, policy, koc_id, "2026-04")
        out["near"] = near_promotion(conn, policy, 5)
    return out


def test_same_reports_on_both_databases(pg_cluster, tmp_path, policy):
    results = []
    for url in (f"sqlite:///{tmp_path / 'p.db'}", pg_cluster.new_database()):
        engine = make_engine(url)
        migrate(engine)
        sync_products(engine, policy)
        results.append(_history(engine, policy))
        engine.dispose()
    assert results[0] == results[1]
    assert results[0]["earn8"]["by_status"]["forfeited_cents"] < 0


def test_service_on_postgres(pg_cluster, koc_home, monkeypatch, policy):
    from base.settings import get_settings
    from tools.service import create_app

    monkeypatch.setenv("KOC_DATABASE_URL", pg_cluster.new_database().replace("postgresql+psycopg://", "postgresql://"))
    get_settings.cache_clear()
    app = create_app()
    add_koc(app.state.ledger.engine, policy, 1, token="pg-koc-1")
    import_orders(app.state.ledger.engine, policy, [order("pg1", 1, "NH-SUN-01", paid="2026-03-01")])
    client = ToolsClient.in_process(token="pg-koc-1", app=app)
    try:
        assert client.health()["database"] == "postgresql"
        assert client.earnings(month="2026-03")["total_cents"] == 2502
    finally:
        client.close()
