"""Offline answer latency on a question set: ``python -m assistant.latency [--set FILE] [--repeat N]``.

Uses the configured KOC_HOME knowledge base and embedding provider (the default is
EmbeddingGemma), no chat model, anonymous asker; personal questions are skipped because they
measure the commission service, not the answer path. One warm-up question is excluded (model
load, lexical index). Point KOC_EMBED_CACHE at an empty file to measure uncached question
embeddings (the realistic case: every new question is embedded once). Prints p50/p95 in
milliseconds and the host's CPU flags that matter.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

DEFAULT_SET = Path(__file__).resolve().parent.parent / "evals" / "datasets" / "core.jsonl"


def load_questions(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("kind") != "personal"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(questions: list[str], repeat: int = 1, copilot=None) -> dict:
    """Wall-clock ms per ``Copilot.ask`` (offline), after one warm-up question."""
    from assistant.copilot import Copilot

    copilot = copilot or Copilot(chat_model=None)
    copilot.router._examples()  # the labelled examples are embedded once per model (then cached on disk)
    copilot.ask("暖岛品牌是什么时候创立的？", None)  # warm-up outside the measured set (model load, indexes)
    times = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            copilot.ask(q, None)
            times.append((time.perf_counter() - t0) * 1000)
    return {"n": len(times), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N questions (0 = all).")
    args = parser.parse_args()
    from knowledge.settings import get_settings

    settings = get_settings()
    flags = set(Path("/proc/cpuinfo").read_text().split()) if Path("/proc/cpuinfo").exists() else set()
    questions = load_questions(args.set)
    result = measure(questions[:args.limit] if args.limit else questions, args.repeat)
    result.update(embed_provider=settings.embed_provider, home=str(settings.resolved_home),
                  cpu_flags=sorted(flags & {"avx2", "avx512f", "avx512_bf16", "amx_bf16"}))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
