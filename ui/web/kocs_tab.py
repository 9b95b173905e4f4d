"""HQ: the KOC overview (``hq-tab-kocs``) — close to promotion, at risk, top performers, with
filters and plots, and one KOC's detail. Every figure comes from the commission & tier service
with the HQ token (``tools.dashboard``); a KOC token gets a 403 there as well as a refusal here."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from tools.client import ToolServiceError
from tools.dashboard import koc_detail, koc_overview
from tools.money import yuan
from ui.web import charts
from ui.web.access import AppContext, require_hq

AUDIENCE = "hq"
RISKS = ["", "elimination", "blacklist", "assessment"]


def tier_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """Every tier of the policy, and "all" (the only choice when the policy cannot be read)."""
    return [("all tiers", "")] + [(f"{t.name_en} / {t.name_zh}", t.key) for t in ctx.tiers()]


def _service_error(exc: ToolServiceError) -> gr.Error:
    return gr.Error(f"The commission & tier service could not answer: {exc}")


def overview(ctx: AppContext, tier: str, risk: str, limit: float, identity: Any) -> tuple:
    who = require_hq(ctx, identity)
    try:
        with ctx.client(who) as client:
            view = koc_overview(client, tier=tier or "", risk=risk or "", limit=int(limit))
    except ToolServiceError as exc:
        raise _service_error(exc) from exc
    near = pd.DataFrame([{"KOC": k["koc_id"], "name": k["name"], "tier": k["tier_en"], "next": k["next_tier_en"],
                          "progress": k["progress"], "missing": k["gap_text"]} for k in view.near_promotion],
                        columns=["KOC", "name", "tier", "next", "progress", "missing"])
    risky = pd.DataFrame([{"KOC": k["koc_id"], "name": k["name"], "risk": k["risk"], "detail": k["detail"]}
                          for k in view.at_risk], columns=["KOC", "name", "risk", "detail"])
    top = pd.DataFrame([{"rank": k["rank"], "KOC": k["koc_id"], "name": k["name"], "tier": k["tier_en"],
                         "net sales": yuan(k["net_sales_cents"]), "orders": k["paid_orders"]} for k in view.top_performers],
                       columns=["rank", "KOC", "name", "tier", "net sales", "orders"])
    near_plot = charts.ranked_bars(view.near_promotion[:15], "progress", "gap_text", "Closest to promotion (share of thresholds)")
    top_plot = charts.ranked_bars(view.top_performers[:15], "net_sales_cents", "rank",
                                  f"Top performers {view.month} (net sales, ¥)", scale=0.01)
    return near, near_plot, risky, top, top_plot


def detail(ctx: AppContext, koc_id: float | None, identity: Any) -> str:
    who = require_hq(ctx, identity)
    if not koc_id or koc_id < 1:
        return "Enter a KOC number."
    try:
        with ctx.client(who) as client:
            info = koc_detail(client, int(koc_id))
    except ToolServiceError as exc:
        return f"failed: {exc}"
    o, t = info["overview"], info["tier"]
    month = o["this_month"]
    lines = [f"### #{o['koc_id']} {o['name']} — {o['tier_en']} ({o['kind']}, {o['status']})",
             f"- Joined {o['joined_on']}, recruits {o['recruits']}, link `{o['link_code']}`",
             f"- This month: commission {yuan(month['commission_cents'])}, {month['orders']} orders, "
             f"net sales {yuan(month['net_sales_cents'])}",
             f"- Tier progress: {t.get('message', '')}"]
    lines += [f"- {e['on']}: {e['rule']} — {e['detail']}" for e in o["events"][:5]]
    return "\n".join(lines)


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("KOCs", elem_id="hq-tab-kocs", visible=False) as tab:
        with gr.Row():
            tier = gr.Dropdown(label="Tier", choices=tier_choices(ctx), value="", elem_id="hq-kocs-tier", min_width=160)
            risk = gr.Dropdown(label="Risk", choices=RISKS, value="", elem_id="hq-kocs-risk", min_width=140)
            limit = gr.Slider(5, 100, value=20, step=5, label="Rows", min_width=160)
            show = gr.Button("Show", variant="primary", elem_id="hq-kocs-show", min_width=80)
        with gr.Row():
            near = gr.Dataframe(label="Close to promotion", elem_id="hq-kocs-near", interactive=False, wrap=True)
            near_plot = gr.Plot(elem_id="hq-kocs-near-plot", min_width=300)
        risky = gr.Dataframe(label="At risk", elem_id="hq-kocs-risk-table", interactive=False, wrap=True)
        with gr.Row():
            top = gr.Dataframe(label="Top performers this month", elem_id="hq-kocs-top", interactive=False, wrap=True)
            top_plot = gr.Plot(elem_id="hq-kocs-top-plot", min_width=300)
        gr.Markdown("### One KOC")
        with gr.Row():
            koc_id = gr.Number(label="KOC number", precision=0, elem_id="hq-kocs-id", min_width=140)
            look = gr.Button("Look up", elem_id="hq-kocs-lookup", min_width=80)
        one = gr.Markdown("", elem_id="hq-kocs-detail")
    outs = [near, near_plot, risky, top, top_plot]
    show.click(lambda t, r, n, identity: overview(ctx, t, r, n, identity), [tier, risk, limit, identity_state], outs,
               api_name="hq_kocs_overview")
    tab.select(lambda t, r, n, identity: overview(ctx, t, r, n, identity), [tier, risk, limit, identity_state], outs,
               api_visibility="private")
    look.click(lambda k, identity: detail(ctx, k, identity), [koc_id, identity_state], one, api_name="hq_kocs_detail")
    return tab
