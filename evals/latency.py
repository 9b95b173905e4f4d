"""Offline answer latency on a question set: ``koc bench latency [--set FILE] [--repeat N]``.

Uses the configured KOC_HOME knowledge base and embedding provider (the default is
EmbeddingGemma), no chat model, anonymous asker; personal questions are skipped because they
measure the commission service, not the answer path. One warm-up question is excluded (model
load, lexical index). Point KOC_EMBED_CACHE at an empty file to measure uncached question
embeddings (the realistic case: every new question is embedded once). Prints p50/p95 in
milliseconds and the host's CPU flags that matter.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import typer

from assistant.copilot import Copilot
from base.commands import CommandRoot
from base.settings import get_settings
from evals.cases import load_set

DEFAULT_SET = Path(__file__).resolve().parent / "datasets" / "sample.jsonl"
#: Asked once before measuring (model load, indexes); not a question of the measured set.
WARMUP_QUESTION = "What does this programme offer?"


def load_questions(path: Path) -> list[str]:
    """The set's questions that do not need a signed-in KOC (personal ones measure the ledger, not answers)."""
    return [c.question for c in load_set(path).cases if c.kind != "personal"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(questions: list[str], copilot: Copilot, repeat: int = 1) -> dict:
    """Wall-clock ms per ``Copilot.ask`` (offline), after one warm-up question."""
    copilot.router._examples()  # the labelled examples are embedded once per model (then cached on disk)
    copilot.ask(WARMUP_QUESTION, None)  # warm-up outside the measured set (model load, indexes)
    times = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            copilot.ask(q, None)
            times.append((time.perf_counter() - t0) * 1000)
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1)}


def register_commands(root: CommandRoot) -> None:
    """``koc bench latency``."""

    @root.bench.command("latency")
    def bench_latency(
        set_path: Path = typer.Option(DEFAULT_SET, "--set", exists=True, dir_okay=False, help="Question set (JSONL)."),
        repeat: int = typer.Option(1, "--repeat", min=1, help="Ask every question this many times."),
        limit: int = typer.Option(0, "--limit", min=0, help="Use only the first N questions (0 = all)."),
    ) -> None:
        """Offline answer latency (p50/p95, ms) over a question set, with the CPU flags that matter."""
        settings = get_settings()
        flags = set(Path("/proc/cpuinfo").read_text().split()) if Path("/proc/cpuinfo").exists() else set()
        questions = load_questions(set_path)
        result = measure(questions[:limit] if limit else questions, root.build_copilot(settings, chat_model=None),
                         repeat)
        result.update(embed_provider=settings.embed_provider, home=str(settings.resolved_home),
                      cpu_flags=sorted(flags & {"avx2", "avx512f", "avx512_bf16", "amx_bf16"}))
        typer.echo(json.dumps(result, ensure_ascii=False))
