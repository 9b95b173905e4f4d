"""From scored cases to the numbers of a run: each metric overall and by language, kind, set and
knowledge base, proportions with their 95 % Wilson interval.

The metric names here are the contract of ``koc eval run --json``, ``evals/thresholds.yaml`` and
``koc eval compare``; ``HIGHER_IS_BETTER`` says which way each one should move.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from evals import metrics
from evals.stats import Proportion, mean, percentile, proportion

#: Every metric of a summary, in report order, and whether a higher value is better (None: neither,
#: e.g. answer length, which is reported so a change is seen, not judged).
HIGHER_IS_BETTER: dict[str, bool | None] = {
    "key_fact_accuracy": True,
    "key_fact_groups": True,
    "citation_validity": True,
    "citation_support": True,
    "citation_source_hit": True,
    "retrieval_hit_at_1": True,
    "retrieval_hit_at_5": True,
    "retrieval_mrr": True,
    "refusal_precision": True,
    "refusal_recall": True,
    "refusal_f1": True,
    "over_refusal_rate": False,
    "wrong_answer_rate": False,
    "tool_accuracy": True,
    "personal_number_accuracy": True,
    "content_accuracy": True,
    "leak_rate": False,
    "answer_contains": True,
    "pass_rate": True,
    "answer_chars_mean": None,
    "latency_p50_ms": False,
    "latency_p95_ms": False,
    "ttft_p50_ms": False,
    "ttft_p95_ms": False,
}
#: Metrics that are not proportions (no Wilson interval, not a share of cases).
NOT_PROPORTIONS = {"key_fact_groups", "retrieval_mrr", "refusal_f1", "answer_chars_mean", "latency_p50_ms",
                   "latency_p95_ms", "ttft_p50_ms", "ttft_p95_ms"}
#: Breakdowns of a summary: report key → the record field it groups by.
BREAKDOWNS = {"by_language": "lang", "by_kind": "kind", "by_set": "set", "by_knowledge_base": "knowledge_base"}


def _flags(records: list[dict[str, Any]], name: str) -> list[bool | None]:
    return [r["scores"].get(name) for r in records]


def _outcome_share(records: list[dict[str, Any]], outcome: str) -> Proportion:
    outcomes = [r["scores"].get("outcome") for r in records]
    return proportion([None if o is None else o == outcome for o in outcomes])


def proportions(records: list[dict[str, Any]]) -> dict[str, Proportion]:
    """The proportion metrics of ``records`` (each with the cases it counts)."""
    refusals = metrics.refusal_counts((r["scores"]["should_refuse"], r["scores"]["refused"]) for r in records
                                      if r["scores"].get("should_refuse") is not None)
    return {
        "key_fact_accuracy": proportion(_flags(records, "key_facts")),
        "citation_validity": proportion(_flags(records, "citation_valid")),
        "citation_support": proportion(_flags(records, "citation_supported")),
        "citation_source_hit": proportion(_flags(records, "citation_source_hit")),
        "retrieval_hit_at_1": proportion(_flags(records, "retrieval_hit_at_1")),
        "retrieval_hit_at_5": proportion(_flags(records, "retrieval_hit_at_5")),
        "refusal_precision": Proportion(refusals.tp, refusals.tp + refusals.fp),
        "refusal_recall": Proportion(refusals.tp, refusals.tp + refusals.fn),
        "over_refusal_rate": _outcome_share(records, "over_refused"),
        "wrong_answer_rate": _outcome_share(records, "wrong"),
        "tool_accuracy": proportion(_flags(records, "tool_correct")),
        "personal_number_accuracy": proportion(_flags(records, "personal_number")),
        "content_accuracy": proportion(_flags(records, "content_ok")),
        "leak_rate": proportion(_flags(records, "leaked")),
        "answer_contains": proportion(_flags(records, "answer_contains")),
        "pass_rate": proportion([r["passed"] for r in records]),
    }


def _numbers(records: list[dict[str, Any]], name: str, keep: Callable[[dict], bool] = lambda r: True) -> list[float]:
    return [float(v) for r in records if keep(r) and (v := r["scores"].get(name)) is not None]


def metric_values(records: list[dict[str, Any]]) -> tuple[dict[str, float | None], dict[str, Any]]:
    """``(metrics, proportion details)`` of ``records``: every name of ``HIGHER_IS_BETTER``."""
    props = proportions(records)
    prec, rec = props["refusal_precision"].value, props["refusal_recall"].value
    timed = [case for case in records if not case.get("error")]
    latency = [float(t["latency_ms"]) for t in timed]
    ttft = [float(t["ttft_ms"]) for t in timed if t.get("ttft_ms") is not None]
    values: dict[str, float | None] = {name: prop.value for name, prop in props.items()}
    values.update({
        "key_fact_groups": mean(_numbers(records, "key_fact_groups")),
        "retrieval_mrr": mean(_numbers(records, "retrieval_rr")),
        "refusal_f1": None if prec is None or rec is None else (2 * prec * rec / (prec + rec) if prec + rec else 0.0),
        "answer_chars_mean": mean(_numbers(records, "answer_chars", lambda rec: not rec["scores"]["refused"])),
        "latency_p50_ms": percentile(latency, 0.5),
        "latency_p95_ms": percentile(latency, 0.95),
        "ttft_p50_ms": percentile(ttft, 0.5),
        "ttft_p95_ms": percentile(ttft, 0.95),
    })
    rounded = {name: None if values[name] is None else round(values[name], 4) for name in HIGHER_IS_BETTER}
    return rounded, {name: prop.to_json() for name, prop in props.items()}


def _block(records: list[dict[str, Any]]) -> dict[str, Any]:
    values, details = metric_values(records)
    return {"cases": len(records), "metrics": values,
            "ci95": {name: d["ci95"] for name, d in details.items() if d["ci95"] is not None}}


def summarize(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The numbers of a run (without its identity: ``runner`` adds run id, sets and settings)."""
    values, details = metric_values(records)
    out: dict[str, Any] = {
        "metrics": values,
        "metrics_detail": details,
        "cases": dict(sorted(Counter(r["kind"] for r in records).items())),
        "counts": {
            "cases": len(records),
            "passed": sum(1 for r in records if r["passed"]),
            "errors": sum(1 for r in records if r.get("error")),
            "leaks": sum(1 for r in records if r["scores"]["leaked"]),
            "over_refusals": sum(1 for r in records if r["scores"].get("outcome") == "over_refused"),
            "wrong_answers": sum(1 for r in records if r["scores"].get("outcome") == "wrong"),
            "missed_refusals": sum(1 for r in records if r["scores"].get("should_refuse") and not r["scores"]["refused"]),
        },
    }
    for key, field_name in BREAKDOWNS.items():
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in records:
            groups.setdefault(str(r[field_name]), []).append(r)
        out[key] = {name: _block(rs) for name, rs in sorted(groups.items())}
    return out
