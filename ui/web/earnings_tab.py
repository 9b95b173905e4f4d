"""'My earnings' (``koc-tab-earnings``): the signed-in KOC's own figures from the commission &
tier service — the same endpoints the chat's tools call, with the KOC's own token, so the page
and the chat agree and nobody else's numbers can appear."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from tools.client import ToolServiceError
from tools.dashboard import koc_dashboard
from tools.money import yuan
from ui.web import charts
from ui.web.access import AppContext, require_koc

AUDIENCE = "koc"
SERVICE_DOWN = ("佣金与等级服务暂时无法访问，请稍后再试。 / The commission & tier service can't be reached right now; "
                "please try again shortly.")


def summary_markdown(board: Any) -> str:
    month = board.this_month
    nxt = month["next_settlement"]
    tier = board.tier
    lines = [f"### This month ({month['period']}): **{yuan(month['total_cents'])}**",
             f"- Orders {month['orders']}, net sales {yuan(month['net_sales_cents'])}",
             f"- Next settlement: **{nxt['date']}**, amount **{yuan(nxt['amount_cents'])}**"]
    lines.append(f"- Tier: **{tier.get('tier_en', '')} / {tier.get('tier_zh', '')}** — {tier.get('message', '')}")
    if tier.get("next_tier"):
        unlocks = "; ".join(tier["next_tier"].get("unlocks") or []) or "–"
        lines.append(f"- The next tier ({tier['next_tier']['tier_en']}) unlocks: {unlocks}")
    comp = board.competition
    if comp.get("entered"):
        prize = f", prize: {comp['prize']}" if comp.get("prize") else ""
        lines.append(f"- Competition {comp['month']}: rank **{comp['rank']}** of {comp['entrants']}{prize}")
    else:
        lines.append(f"- Competition {comp['month']}: {comp.get('message', 'not entered')}")
    trials = board.trials
    lines.append(f"- Trials: {len(board.open_trials)} open, {trials['slots_left_this_month']} slots left this month")
    return "\n".join(lines)


def trials_table(board: Any) -> pd.DataFrame:
    rows = [{"product": t["product_zh"], "status": t["status"], "received": t["received_on"], "due": t["due_on"],
             "days left": t.get("days_left", "")} for t in board.open_trials]
    return pd.DataFrame(rows, columns=["product", "status", "received", "due", "days left"])


def load(ctx: AppContext, identity: Any) -> tuple:
    """Every block of the page, for the session's own KOC only."""
    who = require_koc(ctx, identity)
    try:
        with ctx.client(who) as client:
            board = koc_dashboard(client, ctx.today())
    except ToolServiceError as exc:
        if exc.unavailable:
            raise gr.Error(SERVICE_DOWN) from exc
        raise gr.Error(str(exc)) from exc
    products = pd.DataFrame([{"product": p["name_zh"], "units": p["units"], "net sales": yuan(p["net_sales_cents"]),
                              "commission": yuan(p["commission_cents"])} for p in board.this_month["by_product"]],
                            columns=["product", "units", "net sales", "commission"])
    return (summary_markdown(board), charts.months_by_status(board.months), charts.product_mix(board.this_month["by_product"]),
            charts.tier_bars(board.tier.get("criteria", [])), products, trials_table(board))


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("My earnings", elem_id="koc-tab-earnings", visible=False) as tab:
        refresh = gr.Button("Refresh", size="sm", elem_id="koc-earn-refresh")
        summary = gr.Markdown("Sign in with your KOC token to see your numbers.", elem_id="koc-earn-summary")
        with gr.Row():
            months = gr.Plot(elem_id="koc-earn-months", min_width=300)
            mix = gr.Plot(elem_id="koc-earn-mix", min_width=300)
        tier = gr.Plot(elem_id="koc-earn-tier")
        products = gr.Dataframe(label="Products this month", elem_id="koc-earn-products", interactive=False, wrap=True)
        trials = gr.Dataframe(label="Open trials", elem_id="koc-earn-trials", interactive=False, wrap=True)
    outputs = [summary, months, mix, tier, products, trials]
    handler = lambda identity: load(ctx, identity)  # noqa: E731 - one line of wiring
    refresh.click(handler, identity_state, outputs, api_name="koc_earnings")
    tab.select(handler, identity_state, outputs, api_visibility="private")
    return tab
