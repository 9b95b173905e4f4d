"""The demo ledger: size and variety, deterministic tokens, idempotent re-runs, the --json shape,
and its safety: demo mode only, never over real data, never the real HQ token printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from base.settings import Settings
from tools.auth import DEMO_SEED, DemoModeRequired, demo_token_for, hash_token, hq_demo_token
from tools.db import make_engine, migrate
from tools.demo import CLOSE_TO_PROMOTION, META, RECRUITER, REFUNDED, DemoLedgerRefused, build_demo, ledger_kind
from tools.ledger import KOCS, LEDGER, ORDERS, REFUNDS, SETTLEMENTS, month_of
from tools.models import CompetitionResult
from tools.policy import load_policy
from tools.reports import earnings_summary, tier_progress
from tools.rules import TRIALS

from .conftest import POLICY_PATH, add_koc, order

#: demo mode, as `make run` / KOC_DEMO=1 sets it (no KOC_HQ_TOKEN: the demo HQ token is the HQ token)
DEMO = Settings(demo=True, hq_token="")

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 23)
TODAY_DT = datetime(2026, 11, 23, 18, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo_home")
    engine = make_engine(f"sqlite:///{home / 'ledger.db'}")
    migrate(engine)
    policy = load_policy(POLICY_PATH)
    result = build_demo(engine, policy, today=TODAY, settings=DEMO)
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
    again = build_demo(engine, policy, today=TODAY, settings=DEMO)
    assert not again.created and again.demo_kocs == first.demo_kocs and again.orders == first.orders
    with engine.connect() as conn:
        assert conn.execute(select(func.count(), func.sum(LEDGER.c.amount_cents))).one() == before
        assert conn.execute(select(func.count()).select_from(REFUNDS)).scalar_one() == first.refunds


def _demo_data(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", "demo-data", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def _env(home: Path, **extra: str) -> dict:
    env = {**os.environ, "KOC_HOME": str(home), **extra}
    for name in ("KOC_DATABASE_URL", "KOC_HQ_TOKEN", "KOC_DEMO"):
        if name not in extra:
            env.pop(name, None)
    return env


def test_cli_json_shape_and_the_real_hq_token_is_never_printed(tmp_path):
    env = _env(tmp_path / "home", KOC_DEMO="1")
    out = _demo_data(env, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"hq", "kocs"} and data["hq"] == {"token": hq_demo_token()}
    assert len(data["kocs"]) == 3
    assert all(set(k) == {"id", "name", "token", "situation"} for k in data["kocs"])
    again = _demo_data(env, "--json")
    assert json.loads(again.stdout) == data
    # a real HQ token in the environment is never printed (it used to be), in either output
    secret = "hq-Real-Secret-Token-0123456789"
    human = _demo_data({**env, "KOC_HQ_TOKEN": secret})
    assert human.returncode == 0 and "HQ token: (from KOC_HQ_TOKEN)" in human.stdout
    assert secret not in human.stdout + human.stderr and hq_demo_token() not in human.stdout
    as_json = _demo_data({**env, "KOC_HQ_TOKEN": secret}, "--json")
    assert json.loads(as_json.stdout)["hq"] == {"token": None, "from": "KOC_HQ_TOKEN"}
    assert secret not in as_json.stdout + as_json.stderr


def test_demo_data_needs_demo_mode(tmp_path):
    """Outside demo mode nothing is written and no token is derived or printed."""
    home = tmp_path / "home"
    out = _demo_data(_env(home))
    assert out.returncode == 1 and "KOC_DEMO=1" in out.stderr and "Traceback" not in out.stderr
    assert "koc_" not in out.stdout + out.stderr and not (home / "ledger.db").exists()
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    with pytest.raises(DemoModeRequired, match="KOC_DEMO=1"):
        build_demo(engine, load_policy(POLICY_PATH), today=TODAY, settings=Settings(demo=False))
    with engine.connect() as conn:
        assert ledger_kind(conn) == "empty"
    engine.dispose()


def _real_ledger(engine, policy):
    """A KOC and an order created by hand: data the demo did not make."""
    from tools.ledger import import_orders, sync_products

    migrate(engine)
    sync_products(engine, policy)
    add_koc(engine, policy, 7, token="real-koc-7-token")

    import_orders(engine, policy, [order("REAL-1", 7, paid="2026-03-02")])


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(KOCS)).scalar_one(),
                conn.execute(select(func.count()).select_from(ORDERS)).scalar_one())


def test_demo_never_touches_a_ledger_with_real_data(tmp_path):
    """`koc demo-data` used to drop every ledger table when the demo fingerprint was missing: a KOC and
    an order made by hand were gone. Now it refuses, says why and where to put the demo instead."""
    home = tmp_path / "home"
    home.mkdir()
    policy = load_policy(POLICY_PATH)
    engine = make_engine(f"sqlite:///{home / 'ledger.db'}")
    _real_ledger(engine, policy)
    with pytest.raises(DemoLedgerRefused, match="did not create"):
        build_demo(engine, policy, today=TODAY, settings=DEMO)
    with pytest.raises(DemoLedgerRefused):
        build_demo(engine, policy, today=TODAY, settings=DEMO, force=True)
    assert _counts(engine) == (1, 1)
    engine.dispose()
    for args in ((), ("--json",), ("--force",)):
        out = _demo_data(_env(home, KOC_DEMO="1"), *args)
        assert out.returncode == 1, out.stdout
        assert "did not create" in out.stderr and "KOC_HOME" in out.stderr and "Traceback" not in out.stderr
        assert out.stdout == ""  # no tokens printed for a refused ledger
    engine = make_engine(f"sqlite:///{home / 'ledger.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(ORDERS.c.order_id)).scalars().all() == ["REAL-1"]
        assert conn.execute(select(KOCS.c.token_hash)).scalar_one() == hash_token("real-koc-7-token")
    engine.dispose()


def test_a_demo_marked_ledger_is_rebuilt_even_after_an_interrupted_or_older_build(tmp_path):
    """A ledger marked as the demo's (here: an older demo version's marker over a half-built ledger)
    is the demo's to rebuild; the marker, not the day, decides."""
    policy = load_policy(POLICY_PATH)
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    migrate(engine)
    add_koc(engine, policy, 1)
    from sqlalchemy import insert

    with engine.begin() as conn:
        conn.execute(insert(META), [{"key": "demo", "value": "building:v4:20260:2026-11-22"}])
    result = build_demo(engine, policy, today=TODAY, settings=DEMO)
    assert result.created and result.kocs >= 200 and result.hq_token == hq_demo_token()
    with engine.connect() as conn:
        assert ledger_kind(conn) == "demo"
        assert not conn.execute(select(META.c.value).where(META.c.key == "demo")).scalar().startswith("building")
    engine.dispose()


def test_the_demo_seed_names_no_brand():
    assert b"nuandao" not in DEMO_SEED.lower() and b"koc-copilot-public-demo" in DEMO_SEED


@pytest.mark.postgres
def test_demo_on_postgres_matches_sqlite(demo, pg_cluster):
    """KOC_DATABASE_URL deployments get the same demo ledger."""
    engine, policy, result, _ = demo
    pg = make_engine(pg_cluster.new_database())
    migrate(pg)
    try:
        again = build_demo(pg, policy, today=TODAY, settings=DEMO)
        assert (again.kocs, again.orders, again.refunds) == (result.kocs, result.orders, result.refunds)
        totals = []
        for eng in (engine, pg):
            with eng.connect() as conn:
                totals.append(conn.execute(select(LEDGER.c.kind, LEDGER.c.level, func.count(), func.sum(LEDGER.c.amount_cents))
                                           .group_by(LEDGER.c.kind, LEDGER.c.level).order_by(LEDGER.c.kind, LEDGER.c.level)).all())
        assert [tuple(map(int, r[2:])) for r in totals[0]] == [tuple(map(int, r[2:])) for r in totals[1]]
    finally:
        pg.dispose()


@pytest.mark.postgres
def test_demo_data_refuses_a_non_demo_database_url(tmp_path, pg_cluster, policy):
    """KOC_DATABASE_URL pointing at a database with real data: refused, the URL shown without its password."""
    url = pg_cluster.new_database()
    engine = make_engine(url)
    _real_ledger(engine, policy)
    engine.dispose()
    with_password = url.replace("postgres@", "postgres:pg-Secret-pw@", 1)
    out = _demo_data(_env(tmp_path / "home", KOC_DEMO="1", KOC_DATABASE_URL=with_password))
    assert out.returncode == 1 and "KOC_DATABASE_URL" in out.stderr and "did not create" in out.stderr
    assert "pg-Secret-pw" not in out.stdout + out.stderr
    engine = make_engine(url)
    assert _counts(engine) == (1, 1)
    engine.dispose()
