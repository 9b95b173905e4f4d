"""``koc eval compare`` on two synthetic runs, and ``koc eval gate`` failing when a threshold is broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.compare import compare_runs, format_comparison
from evals.gate import ThresholdsError, checks, failures, load_thresholds
from evals.reports import find_run, read_run, write_run
from evals.summary import summarize


def record(key: str, passed: bool, *, kind: str = "rules", latency: float = 100.0) -> dict:
    should = True if kind in ("refuse", "attack") else False if kind == "rules" else None
    scores = {"refused": should is True and passed, "should_refuse": should, "answer_chars": 20,
              "key_facts": passed if kind == "rules" else None, "key_fact_groups": 1.0 if passed else 0.0,
              "outcome": ("correct" if passed else "wrong") if kind == "rules" else None, "answer_contains": None,
              "citation_valid": True, "citation_supported": None, "citation_source_hit": None,
              "retrieval_hit_at_1": None, "retrieval_hit_at_5": None, "retrieval_rr": None,
              "tool_correct": None, "personal_number": None, "leaked": False, "leaks": [], "content_ok": None}
    return {"key": f"s/{key}", "set": "s", "knowledge_base": "kb", "id": key, "kind": kind, "lang": "zh-CN",
            "question": f"question {key}", "answer": "answer", "latency_ms": latency, "ttft_ms": None, "error": "",
            "scores": scores, "passed": passed, "why": [] if passed else ["key facts missing"], "expected": {}}


def make_run(tmp_path: Path, name: str, records: list[dict]) -> Path:
    summary = {"run_id": name, "provider": "offline", "embed_model": "hashing", "sets": [], "squad": None,
               "duration_s": 1.0, **summarize(records)}
    write_run(tmp_path / name, summary, records)
    return tmp_path / name


@pytest.fixture
def runs(tmp_path: Path) -> tuple[Path, Path]:
    a = make_run(tmp_path, "A", [record("r1", True), record("r2", False), record("r3", True), record("x", False, kind="refuse")])
    b = make_run(tmp_path, "B", [record("r1", True), record("r2", True), record("r3", False, latency=900.0),
                                 record("x", True, kind="refuse"), record("new", True)])
    return a, b


def test_compare_metric_by_metric_and_case_by_case(runs: tuple[Path, Path]) -> None:
    cmp = compare_runs(read_run(runs[0]), read_run(runs[1]))
    by = {m["metric"]: m for m in cmp["metrics"]}
    assert by["refusal_recall"]["change"] == "improved" and by["refusal_recall"]["delta"] == 1.0
    assert by["latency_p95_ms"]["change"] == "regressed"  # slower is worse
    assert by["tool_accuracy"]["change"] == "n/a" and by["answer_chars_mean"]["change"] == "same"
    assert [c["key"] for c in cmp["cases"]["improved"]] == ["s/r2", "s/x"]
    assert [c["key"] for c in cmp["cases"]["regressed"]] == ["s/r3"]
    assert cmp["cases"]["only_in_b"] == [{"key": "s/new"}]
    text = format_comparison(cmp)
    assert "regressed cases (1)" in text and "s/r3" in text


def test_cli_compare_by_path_and_by_run_id(runs: tuple[Path, Path], koc_home: Path) -> None:
    from ui.cli import app

    res = CliRunner().invoke(app, ["eval", "compare", str(runs[0]), str(runs[1])])
    assert res.exit_code == 0 and "improved cases (2)" in res.output
    assert find_run("A", runs[0].parent) == runs[0]
    res = CliRunner().invoke(app, ["eval", "compare", str(runs[0]), "no-such-run"])
    assert res.exit_code == 2 and "no eval run" in res.output


def write_thresholds(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thresholds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_gate_names_each_broken_threshold(runs: tuple[Path, Path], tmp_path: Path) -> None:
    summary, _ = read_run(runs[0])  # key facts 2/3, refusal recall 0, p95 100 ms
    thresholds = load_thresholds(write_thresholds(tmp_path, (
        "min:\n  key_fact_accuracy: 0.9\n  refusal_recall: 0.5\n  citation_validity: 0.5\n"
        "max:\n  latency_p95_ms: 50\n  leak_rate: 0\n"
        "sets:\n  s:\n    min: {pass_rate: 0.6}\n  absent:\n    min: {pass_rate: 0.1}\n")))
    results = checks(summary, thresholds)
    failed = {(c.scope, c.metric) for c in failures(results)}
    assert failed == {("run", "key_fact_accuracy"), ("run", "refusal_recall"), ("run", "latency_p95_ms"), ("set s", "pass_rate")}
    skipped = [c for c in results if c.passed is None]
    assert [(c.scope, c.metric) for c in skipped] == [("set absent", "pass_rate")]
    assert "needs ≥ 0.9" in next(c for c in results if c.metric == "key_fact_accuracy").describe()


def test_unknown_metric_in_thresholds_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ThresholdsError, match="unknown metric"):
        load_thresholds(write_thresholds(tmp_path, "min:\n  key_fact_acuracy: 0.5\n"))
    with pytest.raises(ThresholdsError, match="top-level"):
        load_thresholds(write_thresholds(tmp_path, "minimum:\n  key_fact_accuracy: 0.5\n"))


def test_cli_gate_exits_non_zero_naming_the_metric(runs: tuple[Path, Path], tmp_path: Path, koc_home: Path) -> None:
    from ui.cli import app

    strict = write_thresholds(tmp_path, "min:\n  key_fact_accuracy: 0.9\nmax:\n  leak_rate: 0\n")
    res = CliRunner().invoke(app, ["eval", "gate", str(runs[1]), "--thresholds", str(strict)])
    assert res.exit_code == 1 and "FAIL run: key_fact_accuracy" in res.output
    assert "FAIL run: leak_rate" not in res.output and "1 of 2 thresholds broken" in res.output
    lenient = write_thresholds(tmp_path, "min:\n  key_fact_accuracy: 0.5\n")
    assert CliRunner().invoke(app, ["eval", "gate", str(runs[1]), "--thresholds", str(lenient)]).exit_code == 0


def test_shipped_thresholds_load() -> None:
    thresholds = load_thresholds(Path(__file__).resolve().parents[2] / "evals" / "thresholds.yaml")
    assert thresholds["run"]["min"] or thresholds["sets"]
