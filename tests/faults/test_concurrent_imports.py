"""Overlapping order batches imported at the same time over HTTP, by many clients, into a service
with two worker processes sharing one SQLite ledger: every request succeeds (no "database is
locked" 500s) and every order, and every commission row, exists exactly once."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import ServiceProcess, koc_env
from tests.servers import free_port

HQ = "hq-fault-suite-token-0123456789"
BATCHES, SIZE, OVERLAP, CLIENTS = 24, 400, 200, 8  # every order id is in two batches; each batch is sent twice


def _batch(b: int) -> str:
    start = b * (SIZE - OVERLAP)
    rows = "".join(f"CC-{i:06d},{2 + i % 4},NH-SKN-02,1,2026-03-05T10:00:00Z\n" for i in range(start, start + SIZE))
    return "order_id,koc_id,sku,quantity,paid_at\n" + rows


@pytest.mark.timeout(600)
def test_concurrent_overlapping_imports_write_each_order_once(tmp_path: Path) -> None:
    from tests.tools.conftest import POLICY_PATH, add_koc
    from tools.db import make_engine, migrate
    from tools.ledger import sync_products
    from tools.policy import load_policy

    home = tmp_path / "home"
    home.mkdir()
    policy, engine = load_policy(POLICY_PATH), make_engine(f"sqlite:///{home / 'ledger.db'}")
    migrate(engine)
    sync_products(engine, policy)
    add_koc(engine, policy, 1, kind="external")
    for koc_id in range(2, 6):
        add_koc(engine, policy, koc_id, kind="external", recruiter_id=1)
    engine.dispose()

    port = free_port()
    service = ServiceProcess(["serve-tools", "--port", str(port), "--workers", "2"], koc_env(home, KOC_HQ_TOKEN=HQ),
                             f"http://127.0.0.1:{port}/health", tmp_path / "tools.log").start()
    headers = {"Authorization": f"Bearer {HQ}", "Content-Type": "text/csv"}
    batches = [_batch(b) for b in range(BATCHES)] * 2

    def send(body: str) -> httpx.Response:
        return httpx.post(f"http://127.0.0.1:{port}/v1/orders/bulk", content=body, headers=headers, timeout=300)

    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            responses = list(pool.map(send, batches))
    finally:
        service.stop()
    assert [r.status_code for r in responses] == [200] * len(batches), [r.text[:200] for r in responses if r.status_code != 200]
    unique = (BATCHES - 1) * (SIZE - OVERLAP) + SIZE
    assert sum(r.json()["inserted"] for r in responses) == unique
    with sqlite3.connect(home / "ledger.db") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT order_id) FROM orders").fetchone() == (unique, unique)
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT order_id || '/' || level) FROM commission "
                                      "WHERE kind = 'accrual'").fetchone()
        assert rows == distinct == 2 * unique
