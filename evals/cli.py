"""The commands of evaluation and benchmarks, registered on the ``koc`` root."""

from __future__ import annotations

from base.commands import CommandRoot
from evals import latency, retrieval_bench


def register_commands(root: CommandRoot) -> None:
    """``koc bench retrieval|scale|latency``."""
    retrieval_bench.register_commands(root)
    latency.register_commands(root)
