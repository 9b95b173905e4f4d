"""Writing and reading a run: ``summary.json``, ``cases.jsonl``, ``report.md`` and ``report.html``.

The JSON files are the record (``koc eval compare`` and ``koc eval gate`` read them back); the
Markdown and HTML reports are for people: the metric table with 95 % intervals, the breakdowns,
and every failed case with its question, answer and what was expected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals.report_html import render_html
from evals.summary import HIGHER_IS_BETTER, NOT_PROPORTIONS

SUMMARY, CASES, MARKDOWN, HTML = "summary.json", "cases.jsonl", "report.md", "report.html"


class RunNotFound(FileNotFoundError):
    """A run directory (or run id) without a readable ``summary.json``."""


def write_run(run_dir: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    with (run_dir / CASES).open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    (run_dir / MARKDOWN).write_text(render_markdown(summary, records), encoding="utf-8")
    (run_dir / HTML).write_text(render_html(summary, records), encoding="utf-8")


def find_run(ref: str | Path, evals_root: Path) -> Path:
    """A run directory from a path or a run id (looked up under ``<KOC_HOME>/evals``)."""
    for candidate in (Path(ref), evals_root / str(ref)):
        if (candidate / SUMMARY).is_file():
            return candidate
        if candidate.name == SUMMARY and candidate.is_file():
            return candidate.parent
    raise RunNotFound(f"no eval run at {ref} (looked for {SUMMARY} there and under {evals_root})")


def list_runs(evals_root: Path) -> list[dict[str, Any]]:
    """Earlier runs under ``evals_root``, newest first: run id, when, provider, cases, passed."""
    runs = []
    for summary_path in evals_root.glob(f"*/{SUMMARY}"):
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a run being written, or a damaged one: not offered
        runs.append({"run_id": summary.get("run_id", summary_path.parent.name), "dir": str(summary_path.parent),
                     "created_at": summary.get("created_at", ""), "provider": summary.get("provider", ""),
                     "cases": summary.get("counts", {}).get("cases"), "passed": summary.get("counts", {}).get("passed")})
    return sorted(runs, key=lambda r: r["created_at"], reverse=True)


def read_run(run_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    summary = json.loads((run_dir / SUMMARY).read_text(encoding="utf-8"))
    cases_path = run_dir / CASES
    records = ([json.loads(line) for line in cases_path.read_text(encoding="utf-8").splitlines() if line.strip()]
               if cases_path.is_file() else [])
    return summary, records


def fmt(name: str, value: Any) -> str:
    """A metric value for a table: ms as integers, shares with three decimals, missing as a dash."""
    if value is None:
        return "–"
    if name.endswith("_ms") or name == "answer_chars_mean":
        return f"{value:,.0f}"
    return f"{value:.3f}"


def metrics_table(summary: dict[str, Any]) -> list[str]:
    details = summary.get("metrics_detail", {})
    lines = ["| metric | value | cases | 95 % CI |", "|---|---|---|---|"]
    for name in HIGHER_IS_BETTER:
        value = summary["metrics"].get(name)
        d = details.get(name)
        n = f"{d['successes']}/{d['n']}" if d and name not in NOT_PROPORTIONS else ""
        ci = f"[{d['ci95'][0]:.2f}, {d['ci95'][1]:.2f}]" if d and d.get("ci95") else ""
        lines.append(f"| `{name}` | {fmt(name, value)} | {n} | {ci} |")
    return lines


BREAKDOWN_COLUMNS = ("pass_rate", "key_fact_accuracy", "citation_validity", "refusal_recall", "refusal_precision",
                     "tool_accuracy", "personal_number_accuracy", "content_accuracy", "leak_rate", "answer_contains",
                     "latency_p50_ms")


def breakdown_table(summary: dict[str, Any], key: str) -> list[str]:
    lines = ["| group | cases | " + " | ".join(BREAKDOWN_COLUMNS) + " |", "|---|---|" + "---|" * len(BREAKDOWN_COLUMNS)]
    for group, block in summary.get(key, {}).items():
        cells = [fmt(c, block["metrics"].get(c)) for c in BREAKDOWN_COLUMNS]
        lines.append(f"| {group} | {block['cases']} | " + " | ".join(cells) + " |")
    return lines


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= limit else text[:limit - 1] + "…"


def render_markdown(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    parts = [f"{s['name']} ({s['cases']})" for s in summary.get("sets", [])]
    squad = summary.get("squad")
    if squad:
        parts.append(f"SQuAD {squad['name']}: {squad['cases']} questions, hold-out every {squad['holdout_every']}")
    counts = summary["counts"]
    lines = [f"# Eval run {summary['run_id']}", "",
             f"provider `{summary['provider']}`, embeddings `{summary['embed_model']}`, {counts['cases']} cases "
             f"({'; '.join(parts)}), {summary['duration_s']} s. Passed {counts['passed']}, errors {counts['errors']}.",
             "", "## Metrics", "", *metrics_table(summary)]
    for key, title in (("by_set", "By set"), ("by_kind", "By kind"), ("by_language", "By language")):
        lines += ["", f"## {title}", "", *breakdown_table(summary, key)]
    failed = [r for r in records if not r["passed"]]
    lines += ["", f"## Failures ({len(failed)})", "", "| case | why | question | answer |", "|---|---|---|---|"]
    lines += [f"| {r['key']} | {_one_line('; '.join(r['why']), 80)} | {_one_line(r['question'], 60)} | "
              f"{_one_line(r['answer'])} |" for r in failed]
    return "\n".join(lines) + "\n"
