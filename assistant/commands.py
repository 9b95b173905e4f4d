"""Assistant commands (ask, chat, serve, setup-demo), registered into the ``koc`` app."""

from __future__ import annotations

import typer


def register(app: typer.Typer, bench_app: typer.Typer) -> None:
    """Add the assistant's commands to ``app`` and its benchmarks to ``bench_app``."""
    from assistant.serve import register_commands as register_serving

    register_serving(app)  # koc serve, koc setup-demo
