"""``koc eval run|compare|gate`` (and ``koc bench answers``, the same command as ``koc eval run``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import typer

from base.commands import CommandRoot, CopilotBuilder
from base.settings import get_settings
from evals import gate as gate_mod
from evals.cases import SetFileError
from assistant.store import get_store
from evals.compare import compare_runs, format_comparison
from evals.feedback_set import export_feedback, write_export
from evals.homes import IngestFailed, evals_root
from evals.people import DemoDataError
from evals.reports import RunNotFound, breakdown_table, find_run, metrics_table, read_run
from evals.runner import PROVIDERS, EvalRunError, RunConfig, run_eval
from evals.squad import DEFAULT_HOLDOUT_EVERY
from knowledge.kb import KnowledgeBase

RUN_ERRORS = (SetFileError, EvalRunError, DemoDataError, IngestFailed, ValueError)


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def apply_gate(summary: dict, thresholds: Path, quiet: bool = False) -> bool:
    """Print each threshold check (failures to stderr); True when none failed."""
    try:
        results = gate_mod.checks(summary, gate_mod.load_thresholds(thresholds))
    except gate_mod.ThresholdsError as exc:
        _fail(str(exc))
    failed = gate_mod.failures(results)
    for check in results:
        if check.passed is False:
            typer.echo(f"FAIL {check.describe()}", err=True)
        elif not quiet:
            typer.echo(f"{'ok  ' if check.passed else 'skip'} {check.describe()}", err=True)
    typer.echo(f"gate: {len(failed)} of {len(results)} thresholds broken ({thresholds})", err=True)
    return not failed


def run_command(build: CopilotBuilder) -> Callable[..., None]:
    """``koc eval run`` answering with the Copilots of ``build`` (the composition root's factory)."""

    def eval_run(
        sets: Optional[list[Path]] = typer.Argument(None, help="Set files (JSONL with a header line).", exists=True, dir_okay=False),
        squad: Optional[Path] = typer.Option(None, "--squad", exists=True, dir_okay=False, help="A SQuAD-format file as an answer set."),
        limit: int = typer.Option(0, "--limit", min=0, help="SQuAD: use the first N distinct paragraphs (0 = all)."),
        holdout_every: int = typer.Option(DEFAULT_HOLDOUT_EVERY, "--holdout-every", min=0,
                                          help="SQuAD: leave every K-th paragraph out of the index (its questions must be refused; 0 = none)."),
        provider: str = typer.Option("offline", "--provider", help=f"Chat provider: {', '.join(PROVIDERS)}."),
        as_json: bool = typer.Option(False, "--json", help="Print one summary object (no progress bar)."),
        out: Optional[Path] = typer.Option(None, "--out", file_okay=False, help="Write the run here instead of <KOC_HOME>/evals/<run id>."),
        limit_cases: int = typer.Option(0, "--limit-cases", min=0, help="Run N cases per set, taken round-robin over kinds (0 = all)."),
        gate: bool = typer.Option(False, "--gate", help="Then apply the thresholds; exit 1 if one is broken."),
        thresholds: Path = typer.Option(gate_mod.DEFAULT_THRESHOLDS, "--thresholds", exists=True, dir_okay=False,
                                        help="Thresholds file for --gate."),
    ) -> None:
        """Run eval sets (and/or a SQuAD file) through the assistant; score, report, optionally gate."""
        config = RunConfig(sets=list(sets or []), provider=provider, squad=squad, squad_limit=limit or None,
                           holdout_every=holdout_every, limit_cases=limit_cases or None, out=out, progress=not as_json)
        log = (lambda _m: None) if as_json else (lambda m: typer.echo(m, err=True))
        try:
            result = run_eval(config, get_settings(), build, log)
        except RUN_ERRORS as exc:
            _fail(str(exc))
        summary = result.summary
        if as_json:
            typer.echo(json.dumps(summary, ensure_ascii=False))
        else:
            typer.echo("\n".join(["", *metrics_table(summary), "", *breakdown_table(summary, "by_set"), "",
                                  f"{summary['counts']['passed']} of {summary['counts']['cases']} cases passed; "
                                  f"reports in {result.run_dir}"]))
        if gate and not apply_gate(summary, thresholds, quiet=as_json):
            raise typer.Exit(1)

    return eval_run


def eval_compare(
    run_a: str = typer.Argument(..., help="Run directory or run id (before)."),
    run_b: str = typer.Argument(..., help="Run directory or run id (after)."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
) -> None:
    """Metric by metric and case by case: what improved and what regressed from A to B."""
    root = evals_root(get_settings())
    try:
        a, b = read_run(find_run(run_a, root)), read_run(find_run(run_b, root))
    except RunNotFound as exc:
        _fail(str(exc))
    cmp = compare_runs(a, b)
    typer.echo(json.dumps(cmp, ensure_ascii=False) if as_json else format_comparison(cmp))


def eval_gate(
    run: str = typer.Argument(..., help="Run directory or run id."),
    thresholds: Path = typer.Option(gate_mod.DEFAULT_THRESHOLDS, "--thresholds", exists=True, dir_okay=False,
                                    help="Thresholds file (YAML: min/max per metric, optionally per set)."),
) -> None:
    """Exit non-zero naming each metric of RUN that is past its threshold."""
    try:
        summary, _ = read_run(find_run(run, evals_root(get_settings())))
    except RunNotFound as exc:
        _fail(str(exc))
    if not apply_gate(summary, thresholds):
        raise typer.Exit(1)


def eval_export_feedback(
    out: Path = typer.Argument(..., dir_okay=False, help="Set file to write (JSONL); a review list goes beside it."),
    knowledge_base: Optional[Path] = typer.Option(None, "--knowledge-base", file_okay=False, exists=True,
                                                  help="Folder of documents the set runs against (default: the folder of the indexed documents)."),
) -> None:
    """Turn rated chat answers into an evaluation set (thumbs-down answers go to a review list)."""
    settings = get_settings()
    folder = knowledge_base or KnowledgeBase(settings).documents_folder()
    if folder is None:
        _fail("the knowledge base holds no documents; pass --knowledge-base DIR")
    rated = get_store(settings).rated_answers()
    if not rated:
        _fail("no rated answers yet: nothing to export", code=1)
    export = export_feedback(rated, out, folder, name=out.stem)
    review = write_export(export, out)
    typer.echo(f"{export.cases} cases written to {out}" +
               (f"; {len(export.review)} answers to review in {review}" if review else ""))


def register_commands(root: CommandRoot) -> None:
    """``koc eval run|compare|gate`` and ``koc bench answers`` (an alias of ``koc eval run``)."""
    eval_app = typer.Typer(help="Evaluation runs: score the assistant on eval sets, compare runs, gate on thresholds.",
                           no_args_is_help=True)
    eval_run = run_command(root.build_copilot)
    eval_app.command("run")(eval_run)
    eval_app.command("compare")(eval_compare)
    eval_app.command("gate")(eval_gate)
    eval_app.command("export-feedback")(eval_export_feedback)
    root.app.add_typer(eval_app, name="eval")
    root.bench.command("answers", help="The same command as `koc eval run` (kept for `make bench`).")(eval_run)
