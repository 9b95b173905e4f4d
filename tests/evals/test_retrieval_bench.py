"""The retrieval benchmark on SQuAD-format files (hashing embedding: fast, the metrics are real)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.retrieval_bench import load_squad, run_retrieval_bench, run_scale_bench
from tests.conftest import SHARED_BENCHMARKS

TRIAL = SHARED_BENCHMARKS / "cmrc2018_trial.json"


def _tiny_squad(path: Path) -> Path:
    data = {"version": "1.1", "data": [
        {"title": "Tea", "paragraphs": [
            {"context": "Oolong tea is partially oxidised. It comes mainly from Fujian and Taiwan.",
             "qas": [{"id": "q1", "question": "Where does oolong tea come from?", "answers": []}]},
            {"context": "Green tea is not oxidised at all, which keeps its colour bright.",
             "qas": [{"id": "q2", "question": "Is green tea oxidised?", "answers": []}]}]},
        {"title": "茶", "paragraphs": [
            {"context": "烏龍茶屬於半發酵茶，主要產於福建和台灣。",
             "qas": [{"id": "q3", "question": "烏龍茶主要產於哪裡？", "answers": []},
                     {"id": "q4", "question": "乌龙茶是什么发酵程度？", "answers": []}]},
            {"context": "Oolong tea is partially oxidised. It comes mainly from Fujian and Taiwan.",
             "qas": [{"id": "q5", "question": "Is oolong oxidised?", "answers": []}]}]}]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_load_squad_dedupes_paragraphs(tmp_path: Path) -> None:
    s = load_squad(_tiny_squad(tmp_path / "tiny.json"))
    assert len(s.paragraphs) == 3 and len(s.questions) == 5
    assert s.questions[-1][1] == 0  # the repeated context maps to the first copy


def test_bench_on_english_and_traditional_chinese(tmp_path: Path, fast_embeddings: None) -> None:
    report = run_retrieval_bench(_tiny_squad(tmp_path / "tiny.json"), methods=("bm25", "dense", "hybrid", "rrf", "baseline"),
                                 embed_cache=tmp_path / "cache.sqlite", log=lambda *_: None)
    by = {r.method: r for r in report.results}
    assert set(by) == {"bm25", "dense", "hybrid", "rrf", "baseline"}
    assert by["hybrid"].hit1 == 1.0 and by["bm25"].hit5 == 1.0
    for r in report.results:
        assert 0 <= r.hit1 <= r.hit5 <= 1 and r.mrr10 >= r.hit1 and r.p95_ms >= r.p50_ms >= 0


@pytest.mark.skipif(not TRIAL.exists(), reason="shared benchmark data missing")
def test_cli_bench_on_cmrc_trial(tmp_path: Path, koc_home: Path, fast_embeddings: None) -> None:
    from ui.cli import app

    res = CliRunner().invoke(app, ["bench", "retrieval", "--squad", str(TRIAL), "--limit", "25", "--json",
                                   "--embed-cache", str(tmp_path / "cache.sqlite")])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["paragraphs"] == 25 and out["questions"] > 50
    by = {r["method"]: r for r in out["results"]}
    assert set(by) == {"bm25", "dense", "hybrid", "baseline"}
    assert by["bm25"]["hit1"] > 0.85 and by["hybrid"]["hit1"] >= by["dense"]["hit1"]
    # the embedding cache makes a re-run free of model work
    again = CliRunner().invoke(app, ["bench", "retrieval", "--squad", str(TRIAL), "--limit", "25", "--json",
                                     "--embed-cache", str(tmp_path / "cache.sqlite"), "--methods", "dense"])
    assert json.loads(again.stdout)["notes"]["paragraphs_embedded"] == 0


def test_bad_squad_file_is_a_clear_error(tmp_path: Path, fast_embeddings: None) -> None:
    from ui.cli import app

    bad = tmp_path / "bad.json"
    bad.write_text('{"data": []}', encoding="utf-8")
    res = CliRunner().invoke(app, ["bench", "retrieval", "--squad", str(bad)])
    assert res.exit_code == 2 and "SQuAD" in res.output
    res = CliRunner().invoke(app, ["bench", "retrieval", "--squad", str(TRIAL), "--methods", "magic"])
    assert res.exit_code == 2 and "unknown methods" in res.output


def test_scale_bench_small(fast_embeddings: None) -> None:
    out = run_scale_bench(chunks=3000, dim=64, queries=20, profiles=("hashing",), log=lambda *_: None)
    assert out["dense_p95_ms"] > 0 and out["lexical_p95_ms"] > 0
    assert out["query_embedding_ms"]["hashing"]["model_id"].startswith("hashing")
    koc = out["audience"]["koc"]  # a KOC's search, every strategy measured, only visible chunks found
    assert 0.6 < koc["visible_share"] < 0.85 and sum(koc["strategies"].values()) == 20
    assert all(koc[f"{name}_p95_ms"] > 0 for name in ("metadata_filter", "allow_list", "per_audience_collections",
                                                       "deeper_k", "whole_search"))
    assert koc["whole_search_p95_ms"] >= koc["deeper_k_p50_ms"]  # the whole search includes the dense one
    assert 0 < koc["deeper_k_recall_at_30"] <= 1 and out["lexical_masked_p95_ms"] > 0
