"""Rated chat answers → an evaluation set the runner loads: only what can be scored without
guessing becomes a case; the rest goes to a review list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant.store import RatedAnswer
from evals.cases import load_set
from evals.feedback_set import export_feedback, figures, write_export
from tests.conftest import SAMPLES_DIR


def _rated(i: int, up: bool, answer: str, **extra) -> RatedAnswer:
    base = dict(feedback_id=i, message_id=i, up=up, comment=extra.pop("comment", ""), rated_at=datetime.now(UTC),
                role="koc", koc_id=12, question=f"question {i}", answer=answer, language="zh-CN", intent="",
                refused=False, citations=[{"source": "faq.md", "chunk_id": "c", "text": "t", "n": 1}])
    return RatedAnswer(**{**base, **extra})


def test_figures_leave_citation_markers_out() -> None:
    assert figures("倍数 ×1.3[1]，满 1,500 元[2] 可得 15%") == ["1.3", "1,500", "15%"]


def test_export_is_a_set_the_runner_loads(tmp_path: Path) -> None:
    rated = [
        _rated(1, True, "灯塔KOC的倍数是 ×1.3[1]。"),
        _rated(2, False, "答非所问。", comment="wrong tier"),
        _rated(3, False, "你本月佣金 ¥12.00。", tool_calls=[{"name": "get_my_earnings", "args": {}, "result": {}}]),
        _rated(4, True, "手册里没有这方面内容。", refused=True),
        _rated(5, True, "请看手册。"),
    ]
    out = tmp_path / "sets" / "from-feedback.jsonl"
    export = export_feedback(rated, out, SAMPLES_DIR, name="from-feedback")
    review = write_export(export, out)
    loaded = load_set(out)  # the same loader `koc eval run` uses: header, cases, knowledge base folder
    assert loaded.knowledge_base == SAMPLES_DIR.resolve() and loaded.header.has_ledger
    by_id = {c.id: c for c in loaded.cases}
    assert by_id["fb-1"].kind == "rules" and by_id["fb-1"].facts == [["1.3"]] and by_id["fb-1"].sources == ["faq.md"]
    assert by_id["fb-3"].kind == "personal" and by_id["fb-3"].tool == "get_my_earnings" and by_id["fb-3"].koc_id == 12
    assert by_id["fb-4"].kind == "refuse"
    assert set(by_id) == {"fb-1", "fb-3", "fb-4"}
    assert review is not None and {r["feedback_id"] for r in export.review} == {2, 5}
    assert "wrong tier" in review.read_text(encoding="utf-8")
