"""Commands of this package, registered into the ``koc`` app (placeholder until implemented)."""

from __future__ import annotations

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    """Add this package's commands to ``app`` and its benchmarks to ``bench_app``."""
    from evals import retrieval_bench

    retrieval_bench.register(bench_app)  # koc bench retrieval / koc bench scale

    from evals import provider_bench

    provider_bench.register(bench_app)  # koc bench answers
