"""The commands of evaluation and benchmarks, registered on the ``koc`` root."""

from __future__ import annotations

from base.commands import CommandRoot
from evals import eval_cli, latency, retrieval_bench


def register_commands(root: CommandRoot) -> None:
    """``koc eval run|compare|gate`` and ``koc bench retrieval|scale|answers|latency``."""
    eval_cli.register_commands(root)
    retrieval_bench.register_commands(root)
    latency.register_commands(root)
