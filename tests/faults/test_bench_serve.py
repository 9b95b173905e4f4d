"""`koc bench serve` end to end: a demo fleet of two replicas on 127.0.0.1, a short bounded load,
one JSON line with the numbers; every request answered and spread over both replicas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.faults.conftest import koc, koc_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def test_bench_serve_runs_a_bounded_load_against_two_replicas(tmp_path: Path) -> None:
    env = koc_env(tmp_path / "unused")  # hashing embeddings, offline answers; the bench makes its own demo home
    done = koc("bench", "serve", "--replicas", "2", "--clients", "4", "--seconds", "3", "--json",
               "--home", str(tmp_path / "fleet"), env=env, timeout=540)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["replicas"] == 2 and result["clients"] == 4 and result["mode"] == "cached"
    assert result["answered"] > 0 and result["errors"] == {} and result["requests"] == result["answered"]
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"] <= result["max_ms"]
    logs = [tmp_path / "fleet" / f"bench-replica-{n}.log" for n in (0, 1)]
    assert all(log.exists() for log in logs)
