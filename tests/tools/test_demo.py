"""The demo ledger: size and variety, deterministic tokens, idempotent re-runs, the --json shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tools.auth import demo_token_for, hash_token, hq_demo_token
from tools.db import make_engine, migrate
from tools.demo import CLOSE_TO_PROMOTION, RECRUITER, REFUNDED, build_demo
from tools.ledger import KOCS, LEDGER, ORDERS, REFUNDS, SETTLEMENTS, month_of
from tools.models import CompetitionResult
from tools.policy import load_policy
from tools.reports import earnings_summary, tier_progress
from tools.rules import TRIALS

from .conftest import POLICY_PATH

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)
TODAY_DT = datetime(2026, 11, 23, 18, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo_home")
    engine = make_engine(f"sqlite:///{home / 'ledger.db'}")
    migrate(engine)
    policy = load_policy(POLICY_PATH)
    result = build_demo(engine, policy, today=TODAY)
    yield engine, policy, result, home
    engine.dispose()


def scalar(engine, stmt):
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one()


def test_size_and_variety(demo):
    engine, policy, result, _ = demo
    assert result.created and result.kocs >= 200 and result.orders >= 50_000 and result.refunds > 0
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(KOCS.c.kind, func.count()).group_by(KOCS.c.kind)).all())
        tiers = set(conn.execute(select(KOCS.c.tier).where(KOCS.c.kind == "private")).scalars())
        months = set(conn.execute(select(ORDERS.c.month).distinct()).scalars())
        partial = conn.execute(select(func.count()).select_from(ORDERS).where(
            (ORDERS.c.refunded_cents > 0) & (ORDERS.c.refunded_cents < ORDERS.c.amount_cents))).scalar_one()
        statuses = set(conn.execute(select(KOCS.c.status)).scalars())
    assert kinds["private"] > 100 and kinds["external"] >= 50
    assert tiers == {t.key for t in policy.tiers}
    assert months == {"2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"}
    assert partial > 0 and {"active", "eliminated", "blacklisted"} <= statuses
    assert scalar(engine, select(func.count()).select_from(LEDGER).where(LEDGER.c.level == 2)) > 0
    assert scalar(engine, select(func.count()).select_from(SETTLEMENTS)) > 0
    assert scalar(engine, select(func.count()).select_from(TRIALS)) > 0
    assert scalar(engine, select(func.count(func.distinct(CompetitionResult.__table__.c.month)))) == 5


def test_demo_kocs_are_in_their_situations(demo):
    engine, policy, result, _ = demo
    with engine.connect() as conn:
        close = tier_progress(conn, policy, CLOSE_TO_PROMOTION, TODAY)
        rec = earnings_summary(conn, policy, RECRUITER, "2026-06", "2026-11", TODAY_DT)
        refunded = earnings_summary(conn, policy, REFUNDED, month_of(TODAY), month_of(TODAY), TODAY_DT)
        recruits = conn.execute(select(func.count()).select_from(KOCS).where(KOCS.c.recruiter_id == RECRUITER)).scalar_one()
    assert close["tier"] == "bloom" and close["next_tier"]["tier"] == "starlight"
    assert 0 < close["criteria"][0]["missing"] <= 5 and not close["ready_for_promotion"]
    missing_sales = next(c for c in close["criteria"] if c["criterion"] == "net_sales_cents")["missing_cents"]
    assert 50_000 <= missing_sales <= 200_000
    assert recruits >= 2 and rec["override_commission_cents"] > 0
    assert refunded["by_status"]["reversed_cents"] < 0
    assert [k["id"] for k in result.demo_kocs] == [CLOSE_TO_PROMOTION, RECRUITER, REFUNDED]


def test_tokens_are_deterministic_and_only_hashes_are_stored(demo):
    engine, _, result, _ = demo
    assert demo_token_for(12) == demo_token_for(12) != demo_token_for(13)
    assert result.demo_kocs[0]["token"] == demo_token_for(CLOSE_TO_PROMOTION) and result.hq_token == hq_demo_token()
    stored = scalar(engine, select(KOCS.c.token_hash).where(KOCS.c.id == CLOSE_TO_PROMOTION))
    assert stored == hash_token(demo_token_for(CLOSE_TO_PROMOTION)) and demo_token_for(CLOSE_TO_PROMOTION) not in stored


def test_second_run_is_identical(demo):
    engine, policy, first, _ = demo
    with engine.connect() as conn:
        before = conn.execute(select(func.count(), func.sum(LEDGER.c.amount_cents))).one()
    again = build_demo(engine, policy, today=TODAY)
    assert not again.created and again.demo_kocs == first.demo_kocs and again.orders == first.orders
    with engine.connect() as conn:
        assert conn.execute(select(func.count(), func.sum(LEDGER.c.amount_cents))).one() == before
        assert conn.execute(select(func.count()).select_from(REFUNDS)).scalar_one() == first.refunds


def test_cli_json_shape(tmp_path):
    env = {**os.environ, "KOC_HOME": str(tmp_path / "home")}
    env.pop("KOC_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "ui.cli", "demo-data", "--json"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"hq", "kocs"} and set(data["hq"]) == {"token"}
    assert len(data["kocs"]) == 3
    assert all(set(k) == {"id", "name", "token", "situation"} for k in data["kocs"])
    again = subprocess.run([sys.executable, "-m", "ui.cli", "demo-data", "--json"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=600)
    assert json.loads(again.stdout) == data



@pytest.mark.postgres
def test_demo_on_postgres_matches_sqlite(demo, pg_cluster):
    """KOC_DATABASE_URL deployments get the same demo ledger."""
    engine, policy, result, _ = demo
    pg = make_engine(pg_cluster.new_database())
    migrate(pg)
    try:
        again = build_demo(pg, policy, today=TODAY)
        assert (again.kocs, again.orders, again.refunds) == (result.kocs, result.orders, result.refunds)
        totals = []
        for eng in (engine, pg):
            with eng.connect() as conn:
                totals.append(conn.execute(select(LEDGER.c.kind, LEDGER.c.level, func.count(), func.sum(LEDGER.c.amount_cents))
                                           .group_by(LEDGER.c.kind, LEDGER.c.level).order_by(LEDGER.c.kind, LEDGER.c.level)).all())
        assert [tuple(map(int, r[2:])) for r in totals[0]] == [tuple(map(int, r[2:])) for r in totals[1]]
    finally:
        pg.dispose()
