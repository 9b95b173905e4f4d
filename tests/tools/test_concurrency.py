"""Overlapping imports from many threads and processes against PostgreSQL: every order and every
commission row exists exactly once (unique keys + ON CONFLICT DO NOTHING, not Python locks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tools.db import make_engine, migrate
from tools.ledger import LEDGER, ORDERS, import_orders, import_refunds, sync_products

from .conftest import add_koc, order, refund

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_engine(pg_cluster, policy):
    eng = make_engine(pg_cluster.new_database())
    migrate(eng)
    sync_products(eng, policy)
    add_koc(eng, policy, 1, kind="external")
    for koc_id in range(2, 6):
        add_koc(eng, policy, koc_id, kind="external", recruiter_id=1)
    yield eng
    eng.dispose()


def _batches(n_batches: int, size: int, overlap: int):
    """Batches whose order ids overlap their neighbours by ``overlap``."""
    out = []
    for b in range(n_batches):
        start = b * (size - overlap)
        out.append([order(f"c{i}", 2 + i % 4, "NH-SKN-02", paid="2026-03-05") for i in range(start, start + size)])
    return out


def _assert_exactly_once(engine, expected_orders: int) -> None:
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ORDERS)).scalar_one() == expected_orders
        per_key = conn.execute(select(LEDGER.c.order_id, LEDGER.c.level, LEDGER.c.kind, func.count())
                               .group_by(LEDGER.c.order_id, LEDGER.c.level, LEDGER.c.kind).having(func.count() > 1)).all()
        assert per_key == []
        assert conn.execute(select(func.count()).select_from(LEDGER).where(LEDGER.c.kind == "accrual")).scalar_one() == 2 * expected_orders


def test_threads_importing_overlapping_batches(pg_engine, policy):
    batches = _batches(16, 200, 100) * 2  # every order id in up to 4 concurrent batches
    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(lambda b: import_orders(pg_engine, policy, b), batches))
    unique = len({o.order_id for b in batches for o in b})
    assert sum(r.inserted for r in reports) == unique
    _assert_exactly_once(pg_engine, unique)


def test_threads_importing_overlapping_refunds(pg_engine, policy):
    import_orders(pg_engine, policy, [order(f"r{i}", 2, "NH-SKN-02") for i in range(50)])
    refunds = [refund(f"rf{i}-{part}", f"r{i}", 5300) for i in range(50) for part in range(3)]  # 3 × ¥53 = ¥159 each
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda k: import_refunds(pg_engine, refunds[k::3] + refunds[(k + 1) % 3::3]), range(3)))
    with pg_engine.connect() as conn:
        net = conn.execute(select(func.sum(LEDGER.c.amount_cents)).where(LEDGER.c.order_id.like("r%"))).scalar_one()
        refunded = conn.execute(select(func.sum(ORDERS.c.refunded_cents)).where(ORDERS.c.order_id.like("r%"))).scalar_one()
    assert net == 0 and refunded == 50 * 15900


def test_processes_importing_overlapping_files(pg_engine, pg_cluster, tmp_path):
    url = pg_engine.url.render_as_string(hide_password=False)
    files = []
    for k, batch in enumerate(_batches(4, 300, 150)):
        path = tmp_path / f"batch{k}.json"
        path.write_text(json.dumps([{**o.model_dump(mode="json")} for o in batch]), encoding="utf-8")
        files.append(path)
    env = {**os.environ, "KOC_DATABASE_URL": url, "KOC_HOME": str(tmp_path / "home")}
    procs = [subprocess.Popen([sys.executable, "-m", "ui.cli", "ledger", "import-orders", str(f)], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files + files[::-1]]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    _assert_exactly_once(pg_engine, 150 * 4 + 150)
