"""A task is one case to run, with where it comes from: the unit the runner, scorer and reports share.

Set files and SQuAD files both become tasks, so one runner and one scorer serve both; a SQuAD
task carries its gold answer spans (scored by ``answer_contains``, not by key facts).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from evals.cases import Case, EvalSet


@dataclass(frozen=True)
class Task:
    """One case of one set, asked against that set's knowledge base."""

    set_name: str
    knowledge_base: str
    case: Case
    spans: tuple[str, ...] = ()
    squad: bool = False

    @property
    def key(self) -> str:
        """Unique across the sets of a run (compare joins runs on it)."""
        return f"{self.set_name}/{self.case.id}"


def tasks_of(eval_set: EvalSet) -> list[Task]:
    return [Task(eval_set.name, eval_set.knowledge_base.name, case) for case in eval_set.cases]


def stratified(tasks: list[Task], limit: int | None) -> list[Task]:
    """The first ``limit`` tasks taken round-robin over case kinds, so a small run still covers every kind."""
    if not limit or limit >= len(tasks):
        return tasks
    by_kind: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        by_kind[task.case.kind].append(task)
    picked: list[Task] = []
    while len(picked) < limit:
        for queue in by_kind.values():
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    order = {id(t): i for i, t in enumerate(tasks)}
    return sorted(picked, key=lambda t: order[id(t)])
