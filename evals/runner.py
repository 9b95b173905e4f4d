"""``koc eval run``: sets (and/or a SQuAD file) through a Copilot per knowledge base, scored and saved.

For each set: its own eval home (``evals.homes``) with its knowledge base ingested and, for sets
with a ledger, the demo ledger; a Copilot from the composition root's factory on the chosen
provider (``offline`` = no chat model; ``local`` / ``openai`` = the configured model, which must
really be there: a run that silently fell back offline would report the wrong provider). One
warm-up question per Copilot is not counted (model load, caches). Each case is asked through
``Copilot.stream`` as its asker, timed (total and first text), then scored (``evals.scoring``).
The run is written to ``<KOC_HOME>/evals/<run id>/`` (``evals.reports``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from assistant.audience import viewer_for
from assistant.copilot import Copilot
from assistant.local_llm import stop_all as stop_local_models
from assistant.types import AnswerResult
from base.commands import CopilotBuilder
from base.settings import Settings
from evals import homes, scoring
from evals.cases import EvalSet, load_set
from evals.expected import expected_figures
from evals.people import People, add_leaders, add_profiles, make_demo_ledger
from evals.reports import write_run
from evals.squad import DEFAULT_HOLDOUT_EVERY, SquadFile, read_squad, squad_tasks, write_documents
from evals.summary import summarize
from evals.tasks import Task, stratified, tasks_of
from knowledge.embeddings import model_id_for
from knowledge.kb import KnowledgeBase
from tools.catalog import resolve
from tools.client import ToolsClient
from tools.identity import Identity
from tools.policy import PolicyError, get_policy

PROVIDERS = ("offline", "local", "openai")
#: Asked once per Copilot before measuring, not scored (loads the models, fills the caches).
WARMUP_QUESTION = "晋级需要什么条件？"
RETRIEVAL_K = 5


class EvalRunError(RuntimeError):
    """The run cannot start (unknown provider, provider not available, no set given)."""


@dataclass
class RunConfig:
    """What ``koc eval run`` was asked to do."""

    sets: list[Path] = field(default_factory=list)
    provider: str = "offline"
    squad: Path | None = None
    squad_limit: int | None = None
    holdout_every: int = DEFAULT_HOLDOUT_EVERY
    limit_cases: int | None = None
    out: Path | None = None
    progress: bool = True


@dataclass
class Group:
    """Tasks that share one knowledge base (one set, or the SQuAD split)."""

    name: str
    folder: Path
    tasks: list[Task]
    has_ledger: bool
    info: dict[str, Any]
    before_ingest: Callable[[Settings], Path] | None = None  # returns the folder to index
    audience: str | None = None  # given to every document (None: what each declares, else the default)
    exclude: tuple[str, ...] = ()  # file names in ``folder`` left out of the knowledge base


@dataclass
class RunResult:
    summary: dict[str, Any]
    records: list[dict[str, Any]]
    run_dir: Path


Log = Callable[[str], None]


def new_run_id(config: RunConfig) -> str:
    """UTC timestamp + a short hash of what was run (two runs in one second still differ)."""
    now = datetime.now(UTC)
    digest = hashlib.sha1(f"{config!r}{now.isoformat()}{time.perf_counter_ns()}".encode()).hexdigest()[:6]
    return f"{now:%Y%m%dT%H%M%SZ}-{digest}"


# --- what to run ----------------------------------------------------------------------------------

def set_group(eval_set: EvalSet, limit: int | None) -> Group:
    info = {"name": eval_set.name, "file": str(eval_set.path), "knowledge_base": str(eval_set.knowledge_base),
            "tuned_on": eval_set.header.tuned_on, "has_ledger": eval_set.header.has_ledger}
    tasks = stratified(tasks_of(eval_set), limit)
    info["cases"] = len(tasks)
    if eval_set.header.exclude:
        info["excluded"] = list(eval_set.header.exclude)
    return Group(eval_set.name, eval_set.knowledge_base, tasks, eval_set.header.has_ledger, info,
                 exclude=tuple(eval_set.header.exclude))


def squad_group(squad: SquadFile, path: Path, every: int, limit: int | None, squad_limit: int | None) -> Group:
    tasks = stratified(squad_tasks(squad, every), limit)
    indexed = sum(1 for t in tasks if t.case.kind == "rules")
    info = {"name": f"squad:{squad.name}", "file": str(path), "knowledge_base": squad.name, "limit": squad_limit,
            "holdout_every": every, "paragraphs": len(squad.paragraphs), "cases": len(tasks),
            "answerable": indexed, "must_refuse": len(tasks) - indexed, "tuned_on": False, "has_ledger": False}

    def prepare(settings: Settings) -> Path:
        folder = settings.home.parent / "documents"
        write_documents(squad, folder, every)
        return folder

    # reading-comprehension paragraphs are public, and their questions are asked by nobody signed in
    return Group(f"squad-{squad.name}", path, tasks, False, info, before_ingest=prepare, audience="all")


def plan(config: RunConfig) -> list[Group]:
    """The groups of a run; a bad set file fails here, before anything is indexed."""
    if config.provider not in PROVIDERS:
        raise EvalRunError(f"unknown provider {config.provider!r}; choose from {', '.join(PROVIDERS)}")
    if not config.sets and config.squad is None:
        raise EvalRunError("nothing to run: give at least one set file or --squad FILE")
    groups = [set_group(load_set(p), config.limit_cases) for p in config.sets]
    if config.squad is not None:
        squad = read_squad(config.squad, config.squad_limit)
        groups.append(squad_group(squad, config.squad, config.holdout_every, config.limit_cases, config.squad_limit))
    return groups


# --- asking ---------------------------------------------------------------------------------------

def ask_timed(copilot: Copilot, question: str, identity: Identity | None,
              before: list[str] | None = None) -> tuple[dict[str, Any], float, float | None]:
    """(answer as ``koc ask --json`` prints it, total ms, ms to the first streamed text). The
    ``before`` questions are asked first in the same conversation, outside the timing."""
    session_id = None
    for earlier in before or []:
        session_id = copilot.ask(earlier, identity, session_id).session_id
    started = time.perf_counter()
    first: float | None = None
    final: AnswerResult | None = None
    for item in copilot.stream(question, identity, session_id):
        if isinstance(item, AnswerResult):
            final = item
        elif item and first is None:
            first = (time.perf_counter() - started) * 1000
    total = (time.perf_counter() - started) * 1000
    if final is None:
        raise RuntimeError("Copilot.stream ended without a result")
    return final.to_json_dict(), total, first


def in_process_tools(settings: Settings) -> Callable[[Identity], ToolsClient]:
    """The eval home's own ledger, in process: never whatever service answers on KOC_TOOLS_PORT.
    One client per token for the whole run (each in-process client holds an event-loop thread)."""
    clients: dict[str, ToolsClient] = {}

    def factory(identity: Identity) -> ToolsClient:
        if identity.token not in clients:
            clients[identity.token] = ToolsClient.in_process(settings, token=identity.token)
        return clients[identity.token]

    return factory


def make_copilot(settings: Settings, kb: KnowledgeBase, build: CopilotBuilder) -> Copilot:
    """A Copilot on the run's provider from the composition root; a chat provider that is not available
    is an error, not a quiet offline run."""
    tools = in_process_tools(settings)
    if settings.llm == "offline":
        return build(settings, chat_model=None, kb=kb, tools=tools)
    copilot = build(settings, kb=kb, tools=tools)
    if copilot.chat_model is None:
        raise EvalRunError(f"provider {settings.llm!r} is not available (no chat model could be built); "
                           "check its settings, or run with --provider offline")
    return copilot


def product_resolver(settings: Settings) -> Callable[[str], str | None]:
    """A product's code from a name a case gives; nothing resolves in a home without a policy."""
    try:
        policy = get_policy(settings.policy)
    except PolicyError:
        return lambda _name: None

    @lru_cache(maxsize=512)
    def code(name: str) -> str | None:
        try:
            return resolve(policy, name).sku
        except Exception:  # noqa: BLE001 - unknown or ambiguous: it resolves to nothing
            return None

    return code


def record_of(task: Task, result: dict[str, Any] | None, total_ms: float, ttft_ms: float | None, error: str,
              ctx: scoring.Context) -> dict[str, Any]:
    """One line of ``cases.jsonl``."""
    case = task.case
    scores = scoring.score(task, result, ctx)
    passed, why = scoring.verdict(task, scores, error)
    r = result or scoring.EMPTY_RESULT
    return {
        "key": task.key, "set": task.set_name, "knowledge_base": task.knowledge_base, "id": case.id,
        "kind": case.kind, "lang": case.lang, "role": case.role, "koc_id": case.koc_id, "squad": task.squad,
        "question": case.question, "answer": r.get("answer", ""), "refused": bool(r.get("refused")),
        "citations": [{**c, "text": str(c.get("text", ""))[:scoring.CITATION_TEXT_CHARS]} for c in r.get("citations", [])],
        "tool_calls": r.get("tool_calls", []), "provider": r.get("provider"), "language": r.get("language"),
        "intent": r.get("intent"), "fell_back": r.get("fell_back"),
        "latency_ms": round(total_ms, 1), "ttft_ms": None if ttft_ms is None else round(ttft_ms, 1), "error": error,
        "expected": {"facts": case.facts, "spans": list(task.spans), "sources": case.sources, "tool": case.tool,
                     "tool_args": case.tool_args, "figures": None if ctx.figures is None else [str(f) for f in ctx.figures],
                     "count": case.count, "platform": case.platform, "forbidden": case.forbidden},
        "retrieved": ctx.retrieved,
        "scores": scores, "passed": passed, "why": why,
    }


def run_task(task: Task, copilot: Copilot, people: People, settings: Settings,
             resolver: Callable[[str], str | None]) -> dict[str, Any]:
    identity = people.identity(task.case)
    figures = None
    if task.case.kind == "personal" and identity is not None:
        with ToolsClient.in_process(settings, token=identity.token) as client:
            figures = expected_figures(task.case, client)
    try:
        result, total, ttft = ask_timed(copilot, task.case.question, identity, task.case.before)
        error = ""
    except Exception as exc:  # noqa: BLE001 - a crash is a measured failure, not the end of the run
        result, total, ttft, error = None, 0.0, None, f"{type(exc).__name__}: {exc}"
    # searched after the answer is timed: the search embeds (and caches) the question, which would
    # make the answer look faster than a user's first asking of it
    retrieved = ([h.source for h in copilot.kb.search(task.case.question, k=RETRIEVAL_K,
                                                      viewer=viewer_for(identity)).hits]
                 if task.case.sources else [])
    ctx = scoring.Context(secrets=people.secrets_for(identity), figures=figures, retrieved=retrieved, resolve=resolver)
    return record_of(task, result, total, ttft, error, ctx)


# --- the run --------------------------------------------------------------------------------------

@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar over all cases (nothing when disabled); yields ``advance(description)``."""
    if not enabled:
        yield lambda _description: None
        return
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=False) as bar:
        job = bar.add_task("eval", total=total)
        yield lambda description: bar.update(job, advance=1, description=description)


def prepare_group(group: Group, settings: Settings, build: CopilotBuilder, log: Log) -> tuple[Copilot, People]:
    """The group's knowledge base indexed in its eval home (``settings``), its demo ledger, and a Copilot."""
    folder = group.before_ingest(settings) if group.before_ingest else group.folder
    log(f"{group.info['name']}: indexing {folder} in {settings.home}")
    kb = homes.index_folder(settings, folder, audience=group.audience, exclude=group.exclude)
    if group.has_ledger:
        people = make_demo_ledger(settings.home)
        with ToolsClient.in_process(settings, token=people.hq_token) as hq:
            add_leaders(people, hq)
        add_profiles(people, lambda token: ToolsClient.in_process(settings, token=token))
    else:
        people = People.without_ledger()
    copilot = make_copilot(settings, kb, build)
    ask_timed(copilot, WARMUP_QUESTION, None)
    return copilot, people


#: Told after each case: (cases done, cases in the run, "<set> <case id>") — the web app's progress bar.
OnCase = Callable[[int, int, str], None]


def run_eval(config: RunConfig, base: Settings, build: CopilotBuilder, log: Log = lambda _m: None,
             on_case: OnCase | None = None) -> RunResult:
    """Run, score and save; the summary is also returned (``summary.json`` of the run)."""
    groups = plan(config)
    run_id = new_run_id(config)
    started = time.perf_counter()
    records: list[dict[str, Any]] = []
    total = sum(len(g.tasks) for g in groups)
    try:
        for group in groups:
            settings = homes.home_settings(base, group.name, config.provider, has_ledger=group.has_ledger)
            with homes.in_use(settings.resolved_home, log):
                copilot, people = prepare_group(group, settings, build, log)
                resolver = product_resolver(settings)
                with progress_bar(config.progress, len(group.tasks)) as advance:
                    for task in group.tasks:
                        records.append(run_task(task, copilot, people, settings, resolver))
                        advance(f"{group.info['name']} {task.case.id}"[:28])
                        if on_case is not None:
                            on_case(len(records), total, f"{group.info['name']} {task.case.id}")
    finally:
        if config.provider == "local":
            stop_local_models()
    summary = {
        "run_id": run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": config.provider,
        "embed_model": model_id_for(base),
        "sets": [g.info for g in groups if not g.info["name"].startswith("squad:")],
        "squad": next((g.info for g in groups if g.info["name"].startswith("squad:")), None),
        "limit_cases": config.limit_cases,
        "duration_s": round(time.perf_counter() - started, 1),
        **summarize(records),
    }
    run_dir = config.out or homes.evals_root(base) / run_id
    summary["run_dir"] = str(run_dir)
    write_run(run_dir, summary, records)
    return RunResult(summary, records, run_dir)
