"""Stop PostgreSQL in the middle of a bulk import over HTTP: the request is a 503 that says the
database is unavailable, nothing of the batch is half-written (after the restart it is all there or
not at all, commission rows included), and the same service recovers without a restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from tests import pg
from tests.faults.conftest import ServiceProcess, koc_env, wait_for
from tests.servers import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

HQ = "hq-fault-suite-token-0123456789"
N_ORDERS = 20_000
KOCS = range(2, 6)  # external KOCs recruited by KOC 1: every order has a level-1 and a level-2 commission row


@pytest.fixture
def cluster():
    if not pg.available():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed; scripts/test_prereqs.sh installs them")
    server = pg.PgServer(fsync=True)  # a crash must not lose what was committed
    server.start()
    try:
        yield server
    finally:
        server.destroy()


def _ledger_state(dsn: str) -> tuple[int, int, int]:
    """(orders of the batch, their commission rows, distinct (order, level) among those rows)."""
    with psycopg.connect(dsn) as conn:
        orders = conn.execute("SELECT count(*) FROM orders WHERE order_id LIKE 'PG-%'").fetchone()[0]
        rows, distinct = conn.execute("SELECT count(*), count(DISTINCT (order_id, level)) FROM commission "
                                      "WHERE order_id LIKE 'PG-%' AND kind = 'accrual'").fetchone()
    return orders, rows, distinct


def _importing(dsn: str) -> bool:
    """True once a transaction holds a write lock on ``orders``: the import has started writing.
    (Checked in the ledger's own database: ``pg_class`` is per database.)"""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                            "WHERE c.relname = 'orders' AND l.mode = 'RowExclusiveLock'").fetchone()[0] > 0


@pytest.mark.timeout(600)
def test_stopping_postgres_mid_import(cluster, tmp_path: Path) -> None:
    from tests.tools.conftest import POLICY_PATH, add_koc
    from tools.policy import load_policy
    from tools.db import make_engine, migrate
    from tools.ledger import sync_products

    policy = load_policy(POLICY_PATH)
    url = cluster.new_database()
    engine = make_engine(url)
    migrate(engine)
    sync_products(engine, policy)
    add_koc(engine, policy, 1, kind="external")
    for koc_id in KOCS:
        add_koc(engine, policy, koc_id, kind="external", recruiter_id=1)
    engine.dispose()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")

    port = free_port()
    service = ServiceProcess(["serve-tools", "--port", str(port)],
                             koc_env(tmp_path / "home", KOC_DATABASE_URL=dsn, KOC_HQ_TOKEN=HQ),
                             f"http://127.0.0.1:{port}/health", tmp_path / "tools.log").start()
    base, auth = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {HQ}"}
    csv = "order_id,koc_id,sku,quantity,paid_at\n" + "".join(
        f"PG-{i:06d},{KOCS[i % len(KOCS)]},NH-SKN-02,1,2026-03-05T10:00:00Z\n" for i in range(N_ORDERS))
    outcome: dict = {}

    def post() -> None:
        try:
            outcome["response"] = httpx.post(f"{base}/v1/orders/bulk", content=csv, timeout=300,
                                             headers=auth | {"Content-Type": "text/csv"})
        except httpx.HTTPError as exc:  # recorded: the service must answer, not hang up
            outcome["error"] = exc

    try:
        importer = threading.Thread(target=post)
        importer.start()
        wait_for(lambda: _importing(dsn) or "response" in outcome, 120, "the import to start writing")
        assert "response" not in outcome, "the import finished before the database could be stopped"
        time.sleep(0.5)  # well inside the batch
        cluster.stop("immediate")  # a crash: no checkpoint, open transactions die with the server
        importer.join(120)
        assert not importer.is_alive() and "error" not in outcome, outcome
        response = outcome["response"]
        assert response.status_code in (200, 503), response.text[:500]  # 200 only if it committed just before
        if response.status_code == 503:
            assert "database is unavailable" in response.json()["detail"] and response.headers.get("retry-after")
        down = httpx.get(f"{base}/v1/kocs/2/earnings", headers=auth, timeout=60)
        assert down.status_code == 503 and "database is unavailable" in down.json()["detail"]

        cluster.start()
        orders, rows, distinct = _ledger_state(dsn)
        assert orders in (0, N_ORDERS) and rows == distinct == 2 * orders, (orders, rows, distinct)
        assert (orders == N_ORDERS) == (response.status_code == 200)

        again = httpx.post(f"{base}/v1/orders/bulk", content=csv, timeout=300, headers=auth | {"Content-Type": "text/csv"})
        assert again.status_code == 200, again.text[:500]
        assert again.json()["inserted"] + again.json()["duplicates"] == N_ORDERS
        assert _ledger_state(dsn) == (N_ORDERS, 2 * N_ORDERS, 2 * N_ORDERS)
    finally:
        service.kill()
