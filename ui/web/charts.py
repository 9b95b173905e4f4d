"""Plotly figures for the dashboards: presentation only; every number comes in from a lower layer."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from tools.reports import STATUSES

STATUS_COLOURS = {"pending": "#f2b84b", "settleable": "#7cc4a4", "settled": "#2f7d5b", "reversed": "#d9665b",
                  "forfeited": "#8a8a8a"}
LAYOUT = dict(margin=dict(l=40, r=10, t=40, b=40), height=320, legend=dict(orientation="h", y=-0.2),
              paper_bgcolor="rgba(0,0,0,0)")


def months_by_status(months: list[dict[str, Any]]) -> go.Figure:
    """Commission per month, stacked by status (yuan)."""
    fig = go.Figure()
    for status in STATUSES:
        fig.add_bar(name=status, x=[m["month"] for m in months], y=[m[status] / 100 for m in months],
                    marker_color=STATUS_COLOURS[status])
    fig.update_layout(barmode="relative", title="Commission by month and status (¥)", **LAYOUT)
    return fig


def product_mix(products: list[dict[str, Any]]) -> go.Figure:
    """This month's commission by product."""
    shown = [p for p in products if p["commission_cents"]] or products
    fig = go.Figure(go.Pie(labels=[p["name_zh"] or p["sku"] for p in shown],
                           values=[max(p["commission_cents"], 0) / 100 for p in shown], hole=0.45))
    fig.update_layout(title="This month's commission by product (¥)", **LAYOUT)
    return fig


def tier_bars(criteria: list[dict[str, Any]]) -> go.Figure:
    """Progress to the next tier, one bar per criterion (share of the threshold reached, capped at 100 %)."""
    names, shares, labels = [], [], []
    for c in criteria:
        # money criteria carry *_cents (the service adds display strings under the bare names)
        current = c["current_cents"] if "current_cents" in c else c.get("current", 0)
        required = (c["required_cents"] if "required_cents" in c else c.get("required", 0)) or 1
        names.append(c["name_en"].split(" (")[0])
        shares.append(min(100.0, 100.0 * current / required))
        labels.append(c["gap_text"])
    fig = go.Figure(go.Bar(x=shares, y=names, orientation="h", text=labels, textposition="auto",
                           marker_color=["#2f7d5b" if s >= 100 else "#f2b84b" for s in shares]))
    fig.update_layout(title="Progress to the next tier (% of each threshold)", xaxis=dict(range=[0, 100]), **LAYOUT)
    return fig


def ranked_bars(rows: list[dict[str, Any]], value: str, label: str, title: str, scale: float = 1.0) -> go.Figure:
    """A horizontal bar per row (KOC lists on the HQ page)."""
    fig = go.Figure(go.Bar(x=[r[value] * scale for r in rows][::-1], y=[f"#{r['koc_id']} {r['name']}" for r in rows][::-1],
                           orientation="h", text=[r.get(label, "") for r in rows][::-1], textposition="auto"))
    fig.update_layout(title=title, **{**LAYOUT, "height": max(260, 28 * len(rows) + 80)})
    return fig


def metric_bars(metrics: dict[str, float | None], title: str, other: dict[str, float | None] | None = None) -> go.Figure:
    """Share metrics of an evaluation run (and of an earlier one, side by side)."""
    names = [n for n, v in metrics.items() if isinstance(v, (int, float)) and 0 <= v <= 1 and not n.endswith("_ms")]
    fig = go.Figure(go.Bar(name="this run", x=names, y=[metrics[n] for n in names]))
    if other:
        fig.add_bar(name="earlier run", x=names, y=[other.get(n) for n in names])
    fig.update_layout(title=title, yaxis=dict(range=[0, 1]), barmode="group", **LAYOUT)
    return fig
