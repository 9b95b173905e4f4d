"""``koc eval compare RUN_A RUN_B``: what got better and what got worse, metric by metric and case by case.

A metric moved "significantly" only when the two runs' 95 % Wilson intervals do not overlap (for
proportions); smaller moves are shown but not claimed. Cases are joined on ``set/id``: a case that
passed in A and fails in B regressed, the reverse improved.
"""

from __future__ import annotations

from typing import Any

from evals.summary import HIGHER_IS_BETTER

#: Differences below what a report shows are "same": 0.0005 for shares, half a unit for ms and characters.
SHARE_EPSILON, UNIT_EPSILON = 0.0005, 0.5


def _direction(name: str, a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "n/a"
    unit = name.endswith("_ms") or name == "answer_chars_mean"
    if abs(b - a) < (UNIT_EPSILON if unit else SHARE_EPSILON):
        return "same"
    higher_is_better = HIGHER_IS_BETTER[name]
    if higher_is_better is None:
        return "up" if b > a else "down"
    return "improved" if (b > a) == higher_is_better else "regressed"


def _separate(ci_a: list[float] | None, ci_b: list[float] | None) -> bool:
    return bool(ci_a and ci_b) and (ci_a[1] < ci_b[0] or ci_b[1] < ci_a[0])


def compare_metrics(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name in HIGHER_IS_BETTER:
        va, vb = a["metrics"].get(name), b["metrics"].get(name)
        ci_a = (a.get("metrics_detail", {}).get(name) or {}).get("ci95")
        ci_b = (b.get("metrics_detail", {}).get(name) or {}).get("ci95")
        rows.append({"metric": name, "a": va, "b": vb, "delta": None if va is None or vb is None else round(vb - va, 4),
                     "change": _direction(name, va, vb), "significant": _separate(ci_a, ci_b)})
    return rows


def compare_cases(records_a: list[dict[str, Any]], records_b: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_a = {r["key"]: r for r in records_a}
    by_b = {r["key"]: r for r in records_b}
    out: dict[str, list[dict[str, Any]]] = {"improved": [], "regressed": [], "only_in_a": [], "only_in_b": []}
    for key, ra in by_a.items():
        rb = by_b.get(key)
        if rb is None:
            out["only_in_a"].append({"key": key})
        elif ra["passed"] != rb["passed"]:
            out["improved" if rb["passed"] else "regressed"].append(
                {"key": key, "kind": rb["kind"], "lang": rb["lang"], "why_a": ra["why"], "why_b": rb["why"],
                 "question": rb["question"]})
    out["only_in_b"] = [{"key": k} for k in by_b if k not in by_a]
    return out


def compare_runs(a: tuple[dict[str, Any], list[dict[str, Any]]], b: tuple[dict[str, Any], list[dict[str, Any]]]) -> dict:
    """The comparison of run A (before) with run B (after)."""
    (sa, ra), (sb, rb) = a, b
    metrics = compare_metrics(sa, sb)
    return {"a": sa["run_id"], "b": sb["run_id"], "metrics": metrics,
            "improved": [m["metric"] for m in metrics if m["change"] == "improved"],
            "regressed": [m["metric"] for m in metrics if m["change"] == "regressed"],
            "cases": compare_cases(ra, rb)}


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if abs(value) < 10 else f"{value:,.0f}"


def format_comparison(cmp: dict[str, Any]) -> str:
    lines = [f"A = {cmp['a']}   B = {cmp['b']}", "", f"{'metric':<26}{'A':>10}{'B':>10}{'Δ':>10}  change"]
    for m in cmp["metrics"]:
        if m["a"] is None and m["b"] is None:
            continue
        mark = " *" if m["significant"] else ""
        lines.append(f"{m['metric']:<26}{_cell(m['a']):>10}{_cell(m['b']):>10}{_cell(m['delta']):>10}  {m['change']}{mark}")
    lines.append("(* = the 95 % intervals do not overlap)")
    cases = cmp["cases"]
    for label in ("regressed", "improved"):
        lines += ["", f"{label} cases ({len(cases[label])}):"]
        lines += [f"  {c['key']} [{c['kind']}, {c['lang']}]: {'; '.join(c['why_b'] if label == 'regressed' else c['why_a'])}"
                  for c in cases[label]]
    if cases["only_in_a"] or cases["only_in_b"]:
        lines += ["", f"only in A: {len(cases['only_in_a'])} cases, only in B: {len(cases['only_in_b'])} cases"]
    return "\n".join(lines)
