"""HQ: feedback (``hq-tab-feedback``) — every rated answer, thumbs-down first, with the question,
the answer, its sources and the comment; exported as an evaluation set by the same function as
``koc eval export-feedback``."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from evals.feedback_set import export_feedback, write_export
from ui.web.access import AppContext, require_hq

AUDIENCE = "hq"
COLUMNS = ["rating", "when", "who", "question", "answer", "sources", "comment"]


def rows(ctx: AppContext, identity: Any) -> tuple[pd.DataFrame, str]:
    require_hq(ctx, identity)
    rated = ctx.copilot.store.rated_answers()
    table = pd.DataFrame([{
        "rating": "👍" if r.up else "👎", "when": f"{r.rated_at:%Y-%m-%d %H:%M}",
        "who": f"KOC #{r.koc_id}" if r.koc_id is not None else r.role,
        "question": r.question, "answer": r.answer[:400],
        "sources": ", ".join(dict.fromkeys(c.get("source", "") for c in r.citations)), "comment": r.comment,
    } for r in rated], columns=COLUMNS)
    down = sum(1 for r in rated if not r.up)
    return table, f"{len(rated)} rated answers, {down} thumbs-down."


def export(ctx: AppContext, identity: Any) -> tuple[list[str] | None, str]:
    """Write the set (and its review list) under KOC_HOME/evals/feedback and offer them for download."""
    require_hq(ctx, identity)
    rated = ctx.copilot.store.rated_answers()
    if not rated:
        return None, "No rated answers yet."
    folder = ctx.copilot.kb.documents_folder()
    if folder is None:
        return None, "The knowledge base holds no documents, so the set would have nothing to run against."
    out = ctx.settings.resolved_home / "evals" / "feedback" / f"feedback-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.jsonl"
    result = export_feedback(rated, out, folder, name=out.stem)
    review = write_export(result, out)
    files = [str(out)] + ([str(review)] if review else [])
    note = f"{result.cases} cases in {html.escape(Path(out).name)}"
    if review:
        note += f"; {len(result.review)} answers need their expected facts written ({Path(review).name})"
    return files, note


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Feedback", elem_id="hq-tab-feedback", visible=False) as tab:
        with gr.Row():
            refresh = gr.Button("Refresh", elem_id="hq-feedback-refresh", min_width=80)
            export_btn = gr.Button("Export as evaluation set", elem_id="hq-feedback-export", min_width=160)
        note = gr.Markdown("", elem_id="hq-feedback-note")
        table = gr.Dataframe(label="Rated answers (thumbs-down first)", elem_id="hq-feedback-table", interactive=False,
                             wrap=True, headers=COLUMNS)
        download = gr.File(label="Exported set", elem_id="hq-feedback-file", interactive=False, file_count="multiple")
    load = lambda identity: rows(ctx, identity)  # noqa: E731
    refresh.click(load, identity_state, [table, note], api_name="hq_feedback_list")
    tab.select(load, identity_state, [table, note], api_visibility="private")
    export_btn.click(lambda identity: export(ctx, identity), identity_state, [download, note], api_name="hq_feedback_export")
    return tab
