"""HQ: evaluation runs (``hq-tab-evals``) — run a shipped set with a progress bar, see the metrics
and a plot, compare with an earlier run. The same ``run_eval`` and ``compare_runs`` as
``koc eval run`` and ``koc eval compare``, with Copilots from the same composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from evals.cases import SetFileError, shipped_sets
from evals.compare import compare_runs
from evals.homes import IngestFailed, evals_root
from evals.people import DemoDataError
from evals.reports import RunNotFound, find_run, list_runs, read_run
from evals.runner import EvalRunError, RunConfig, run_eval
from evals.summary import HIGHER_IS_BETTER
from ui.web import charts
from ui.web.access import AppContext, require_hq

AUDIENCE = "hq"
RUN_ERRORS = (SetFileError, EvalRunError, DemoDataError, IngestFailed, ValueError)


def set_choices() -> list[tuple[str, str]]:
    return [(p.stem, str(p)) for p in shipped_sets()]


def run_choices(ctx: AppContext) -> list[tuple[str, str]]:
    return [(f"{r['run_id']} · {r['provider']} · {r['passed']}/{r['cases']} passed", r["run_id"])
            for r in list_runs(evals_root(ctx.settings))]


def metrics_frame(summary: dict[str, Any], other: dict[str, Any] | None = None) -> pd.DataFrame:
    rows = []
    for name in HIGHER_IS_BETTER:
        value = summary["metrics"].get(name)
        if value is None:
            continue
        row = {"metric": name, "value": round(value, 3)}
        if other is not None:
            before = other["metrics"].get(name)
            row.update({"earlier": None if before is None else round(before, 3),
                        "change": None if before is None else round(value - before, 3)})
        rows.append(row)
    return pd.DataFrame(rows)


def list_runs_for(ctx: AppContext, identity: Any) -> Any:
    require_hq(ctx, identity)
    return gr.update(choices=run_choices(ctx), value=None)


def run(ctx: AppContext, sets: list[str] | None, cases: float, identity: Any, progress: gr.Progress) -> tuple:
    """Run the chosen shipped sets offline (``cases`` per set, 0 = all) and show what it scored."""
    require_hq(ctx, identity)
    allowed = {path for _, path in set_choices()}
    chosen = [Path(s) for s in (sets or []) if s in allowed]  # only shipped sets: no path from the browser
    if not chosen:
        raise gr.Error("Choose at least one evaluation set.")
    config = RunConfig(sets=chosen, provider="offline", limit_cases=int(cases) or None, progress=False)
    progress((0, 1), desc="indexing the set's knowledge base")
    try:
        result = run_eval(config, ctx.settings, ctx.build_copilot,
                          on_case=lambda done, total, what: progress((done, total), desc=what))
    except RUN_ERRORS as exc:
        raise gr.Error(str(exc)) from exc
    summary = result.summary
    counts = summary["counts"]
    note = (f"Run **{summary['run_id']}**: {counts['passed']} of {counts['cases']} cases passed in "
            f"{summary['duration_s']} s (provider {summary['provider']}). Reports: `{result.run_dir}`")
    return (note, metrics_frame(summary), charts.metric_bars(summary["metrics"], f"Run {summary['run_id']}"),
            gr.update(choices=run_choices(ctx), value=None))


def compare(ctx: AppContext, earlier: str | None, identity: Any) -> tuple:
    """The newest run against an earlier one, metric by metric."""
    require_hq(ctx, identity)
    runs = list_runs(evals_root(ctx.settings))
    if not earlier or not runs:
        raise gr.Error("Choose an earlier run to compare with.")
    root = evals_root(ctx.settings)
    try:
        newest, before = read_run(find_run(runs[0]["run_id"], root)), read_run(find_run(earlier, root))
    except RunNotFound as exc:
        raise gr.Error(str(exc)) from exc
    cmp = compare_runs(before, newest)
    changed = ", ".join(f"{k}: {len(v)}" for k, v in cmp.get("cases", {}).items() if isinstance(v, list))
    note = (f"Newest run {newest[0]['run_id']} against {before[0]['run_id']}: improved "
            f"{', '.join(cmp['improved']) or 'none'}; regressed {', '.join(cmp['regressed']) or 'none'}. "
            f"Cases — {changed or 'no case changes'}.")
    return (note, metrics_frame(newest[0], before[0]),
            charts.metric_bars(newest[0]["metrics"], "Newest run against the earlier one", before[0]["metrics"]))


def build(ctx: AppContext, identity_state: gr.State) -> gr.Tab:
    with gr.Tab("Evaluations", elem_id="hq-tab-evals", visible=False) as tab:
        with gr.Row():
            sets = gr.CheckboxGroup(label="Shipped sets", choices=set_choices(), elem_id="hq-evals-sets", min_width=200)
            cases = gr.Number(label="Cases per set (0 = all)", value=6, precision=0, minimum=0, elem_id="hq-evals-cases",
                              min_width=140)
            run_btn = gr.Button("Run (offline)", variant="primary", elem_id="hq-evals-run", min_width=100)
        note = gr.Markdown("", elem_id="hq-evals-note")
        with gr.Row():
            table = gr.Dataframe(label="Metrics", elem_id="hq-evals-metrics", interactive=False, wrap=True)
            plot = gr.Plot(elem_id="hq-evals-plot", min_width=300)
        with gr.Row():
            earlier = gr.Dropdown(label="Earlier run", choices=[], elem_id="hq-evals-earlier", min_width=200)
            compare_btn = gr.Button("Compare newest with it", elem_id="hq-evals-compare", min_width=120)

    def on_run(sets: list[str] | None, cases: float, identity: Any, progress: gr.Progress = gr.Progress()) -> tuple:
        return run(ctx, sets, cases, identity, progress)

    run_btn.click(on_run, [sets, cases, identity_state], [note, table, plot, earlier], api_name="hq_evals_run")
    compare_btn.click(lambda e, identity: compare(ctx, e, identity), [earlier, identity_state], [note, table, plot],
                      api_name="hq_evals_compare")
    tab.select(lambda identity: list_runs_for(ctx, identity), identity_state, earlier, api_visibility="private")
    return tab
