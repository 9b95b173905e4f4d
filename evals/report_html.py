"""``report.html``: one self-contained page per run (plotly.js embedded, so it opens offline).

Charts: pass rate with its 95 % interval by case kind and by language, the main scores side by
side per language, the answer-time histogram; then the metric table and every failed case with
its question, answer and expected facts.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

from evals.summary import HIGHER_IS_BETTER, NOT_PROPORTIONS

SCORE_METRICS = ("key_fact_accuracy", "citation_validity", "refusal_recall", "refusal_precision", "tool_accuracy",
                 "personal_number_accuracy", "content_accuracy", "answer_contains")
STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}th{background:#f3f3f3}
td.answer{max-width:520px;white-space:pre-wrap}"""


def _pass_rate_chart(summary: dict[str, Any], key: str, title: str) -> go.Figure:
    groups = summary.get(key, {})
    names = list(groups)
    values = [groups[g]["metrics"].get("pass_rate") or 0 for g in names]
    cis = [groups[g].get("ci95", {}).get("pass_rate") for g in names]
    fig = go.Figure(go.Bar(
        x=[f"{g} ({groups[g]['cases']})" for g in names], y=values,
        error_y={"type": "data", "symmetric": False,
                 "array": [(ci[1] - v) if ci else 0 for ci, v in zip(cis, values)],
                 "arrayminus": [(v - ci[0]) if ci else 0 for ci, v in zip(cis, values)]}))
    fig.update_layout(title=title, yaxis={"range": [0, 1], "title": "pass rate (95 % CI)"}, height=360)
    return fig


def _scores_by_language(summary: dict[str, Any]) -> go.Figure:
    fig = go.Figure()
    for lang, block in summary.get("by_language", {}).items():
        shown = [m for m in SCORE_METRICS if block["metrics"].get(m) is not None]
        fig.add_trace(go.Bar(name=lang, x=shown, y=[block["metrics"][m] for m in shown]))
    fig.update_layout(title="Scores by language", barmode="group", yaxis={"range": [0, 1]}, height=380)
    return fig


def _latency_histogram(records: list[dict[str, Any]]) -> go.Figure:
    fig = go.Figure()
    kinds = sorted({r["kind"] for r in records})
    for kind in kinds:
        fig.add_trace(go.Histogram(name=kind, x=[r["latency_ms"] for r in records if r["kind"] == kind and not r["error"]],
                                   nbinsx=40))
    fig.update_layout(title="Answer time (ms)", barmode="stack", xaxis={"title": "ms"}, yaxis={"title": "cases"}, height=360)
    return fig


def _metric_rows(summary: dict[str, Any]) -> str:
    rows = []
    for name in HIGHER_IS_BETTER:
        value = summary["metrics"].get(name)
        d = summary.get("metrics_detail", {}).get(name)
        shown = "–" if value is None else f"{value:,.0f}" if name.endswith("_ms") else f"{value:.3f}"
        n = f"{d['successes']}/{d['n']}" if d and name not in NOT_PROPORTIONS else ""
        ci = f"[{d['ci95'][0]:.2f}, {d['ci95'][1]:.2f}]" if d and d.get("ci95") else ""
        rows.append(f"<tr><td>{name}</td><td>{shown}</td><td>{n}</td><td>{ci}</td></tr>")
    return "<table><tr><th>metric</th><th>value</th><th>cases</th><th>95 % CI</th></tr>" + "".join(rows) + "</table>"


def _expected(r: dict[str, Any]) -> str:
    e = r.get("expected", {})
    parts = []
    if e.get("facts"):
        parts.append("facts: " + " · ".join(" / ".join(g) for g in e["facts"]))
    if e.get("spans"):
        parts.append("gold: " + " / ".join(e["spans"]))
    if e.get("tool"):
        parts.append(f"tool: {e['tool']} {e.get('tool_args') or ''}")
    if e.get("figures"):
        parts.append("figures: " + ", ".join(e["figures"]))
    if e.get("count"):
        parts.append(f"{e['count']} items ({e.get('platform') or ''})")
    if r["scores"].get("should_refuse"):
        parts.append("refuse")
    return "<br>".join(html.escape(p) for p in parts)


def _failure_rows(records: list[dict[str, Any]]) -> str:
    rows = [f"<tr><td>{html.escape(r['key'])}<br>{r['lang']}</td><td>{html.escape('; '.join(r['why']))}</td>"
            f"<td>{html.escape(r['question'])}</td><td class=answer>{html.escape(r['answer'])}</td><td>{_expected(r)}</td></tr>"
            for r in records if not r["passed"]]
    head = "<tr><th>case</th><th>why</th><th>question</th><th>answer</th><th>expected</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def render_html(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    figures = [_pass_rate_chart(summary, "by_kind", "Pass rate by case kind"),
               _pass_rate_chart(summary, "by_language", "Pass rate by language"),
               _scores_by_language(summary), _latency_histogram(records)]
    charts = "".join(fig.to_html(full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(figures))
    counts = summary["counts"]
    failed = counts["cases"] - counts["passed"]
    title = f"Eval run {html.escape(summary['run_id'])}"
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title><style>{STYLE}</style></head><body>"
            f"<h1>{title}</h1><p>provider <b>{html.escape(summary['provider'])}</b>, embeddings "
            f"{html.escape(summary['embed_model'])}, {counts['cases']} cases, {counts['passed']} passed, "
            f"{counts['errors']} errors, {summary['duration_s']} s</p>{charts}<h2>Metrics</h2>{_metric_rows(summary)}"
            f"<h2>Failures ({failed})</h2>{_failure_rows(records)}</body></html>")
