"""The commands of evaluation and benchmarks, registered on the ``koc`` root."""

from __future__ import annotations

from base.commands import CommandRoot
from evals import compliance_eval, eval_cli, latency, retrieval_bench


def register_commands(root: CommandRoot) -> None:
    """``koc eval run|compare|gate`` and ``koc bench retrieval|scale|answers|latency|compliance``."""
    eval_cli.register_commands(root)
    retrieval_bench.register_commands(root)
    latency.register_commands(root)
    compliance_eval.register_commands(root)
