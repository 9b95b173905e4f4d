"""Which chat provider answers better here: ``koc bench answers [--providers offline,local]``.

Runs a scripted question set (default ``evals/datasets/core.jsonl``; schema in its README)
through ``Copilot.stream`` once per provider on the current KOC_HOME (sample knowledge base +
demo ledger, set up by ``koc setup-demo`` unless ``--no-setup``) and prints, per provider:

* key-fact accuracy: ``rules``/``content`` cases whose answer holds every ``must_contain`` string
  and one option of every ``any_of`` group, and is not refused;
* citation hit: ``rules`` cases citing ``expected_source`` (or one of ``also_sources``);
* refusal precision and recall over ``must_refuse``;
* tool-routing accuracy: the first tool call is ``expected_tool`` with the given ``tool_args``;
* leaks: answers (or tool results shown) holding a ``must_not_contain`` string, another demo
  KOC's name or token, or the HQ token;
* answer time p50/p95, time to first streamed text (TTFT) p50/p95, over the measured cases
  (one warm-up question per provider is not counted: it pays for loading models and the
  llama.cpp prompt cache, which a running server has paid long before);
* over the answers the model wrote: their answer time p50, when the model's first token arrived
  (p50/p95; the user sees text once the first sentence has passed the guard), and the guard's
  share of their answer time.

The result decides ``KOC_LLM_AUTO_FALLBACK`` (docs/benchmarks.md, section "Assistant").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = REPO_ROOT / "evals" / "datasets" / "core.jsonl"
PROVIDERS = ("offline", "local", "openai")
WARMUP_QUESTION = "晋级需要什么条件？"


@dataclass
class Case:
    """One line of the question set (unknown fields are kept in ``raw``)."""

    id: str
    question: str
    lang: str
    role: str
    kind: str
    must_contain: list[str] = field(default_factory=list)
    any_of: list[list[str]] = field(default_factory=list)
    expected_source: str | None = None
    also_sources: list[str] = field(default_factory=list)
    expected_tool: str | None = None
    tool_args: dict[str, Any] = field(default_factory=dict)
    must_refuse: bool = False
    must_not_contain: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, obj: dict[str, Any], line_no: int) -> "Case":
        for key in ("question", "role", "kind"):
            if not obj.get(key):
                raise ValueError(f"line {line_no}: missing {key!r}")
        if obj["role"] not in ("koc", "hq"):
            raise ValueError(f"line {line_no}: role must be koc or hq, got {obj['role']!r}")
        return cls(id=obj.get("id") or f"line-{line_no}", question=obj["question"], lang=obj.get("lang", ""),
                   role=obj["role"], kind=obj["kind"], must_contain=list(obj.get("must_contain") or []),
                   any_of=[list(g) for g in obj.get("any_of") or []], expected_source=obj.get("expected_source"),
                   also_sources=list(obj.get("also_sources") or []), expected_tool=obj.get("expected_tool"),
                   tool_args=dict(obj.get("tool_args") or {}), must_refuse=bool(obj.get("must_refuse")),
                   must_not_contain=list(obj.get("must_not_contain") or []), raw=obj)


def load_cases(path: Path) -> list[Case]:
    """Parse a JSONL question set; a bad line is an error naming the line (nothing is skipped silently)."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        cases.append(Case.from_json(obj, n))
    if not cases:
        raise ValueError(f"{path}: no cases")
    return cases


def stratified(cases: list[Case], limit: int | None) -> list[Case]:
    """The first ``limit`` cases taken round-robin over kinds, so a small subset still covers all kinds."""
    if not limit or limit >= len(cases):
        return cases
    by_kind: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_kind[c.kind].append(c)
    picked: list[Case] = []
    while len(picked) < limit:
        for kind in list(by_kind):
            if by_kind[kind] and len(picked) < limit:
                picked.append(by_kind[kind].pop(0))
    return picked


# --- demo identities ---------------------------------------------------------------------------

@dataclass
class Demo:
    """Tokens and names from ``koc demo-data --json`` (the runner's knowledge of secrets)."""

    hq_token: str
    kocs: list[dict[str, Any]]

    @classmethod
    def load(cls, env: dict[str, str]) -> "Demo":
        out = subprocess.run([sys.executable, "-m", "assistant.cli", "demo-data", "--json"], env=env,
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"koc demo-data --json failed: {out.stderr.strip()[-500:]}")
        data = json.loads(out.stdout[out.stdout.index("{"):])
        return cls(hq_token=data["hq"]["token"], kocs=data["kocs"])

    def identity(self, case_index: int, role: str) -> Any:
        from tools.identity import Identity

        if role == "hq":
            return Identity(role="hq", token=self.hq_token)
        koc = self.kocs[case_index % len(self.kocs)]
        return Identity(role="koc", koc_id=int(koc["id"]), token=koc["token"])

    def secrets_for(self, identity: Any) -> list[str]:
        """Strings that must never appear in this identity's answers: every token (its own included),
        and for a KOC also the other demo KOCs' names (HQ may see every KOC's name)."""
        found = [self.hq_token] + [koc["token"] for koc in self.kocs]
        if identity.role == "koc":
            found += [koc["name"] for koc in self.kocs if int(koc["id"]) != identity.koc_id]
        return [s for s in found if s]


# --- scoring -----------------------------------------------------------------------------------

@dataclass
class Outcome:
    case: Case
    result: dict[str, Any] | None
    total_ms: float
    ttft_ms: float | None
    leaked: list[str] = field(default_factory=list)
    error: str = ""


def has_facts(case: Case, answer: str) -> bool:
    return all(s in answer for s in case.must_contain) and all(any(o in answer for o in g) for g in case.any_of)


def cites_expected(case: Case, citations: list[dict[str, Any]]) -> bool:
    allowed = {case.expected_source, *case.also_sources} - {None}
    return any(Path(str(c.get("source", ""))).name in allowed for c in citations)


#: Dataset argument names → the tool's own parameter names (``estimate_commission`` takes the SKU
#: or product name as ``product``; the dataset names the SKU ``sku``).
ARG_ALIASES = {"sku": ("sku", "product")}


def _same(a: Any, b: Any) -> bool:
    return str(a).strip().casefold() == str(b).strip().casefold() if a is not None else False


def routed_right(case: Case, tool_calls: list[dict[str, Any]]) -> bool:
    if not tool_calls or tool_calls[0].get("name") != case.expected_tool:
        return False
    args = tool_calls[0].get("args") or {}
    return all(any(_same(args.get(name), v) for name in ARG_ALIASES.get(k, (k,))) for k, v in case.tool_args.items())


def find_leaks(case: Case, result: dict[str, Any], secrets: list[str]) -> list[str]:
    """What of ``must_not_contain`` and the other users' secrets is visible in the answer or tool trace."""
    shown = result.get("answer", "") + json.dumps(result.get("tool_calls", []), ensure_ascii=False)
    answer = result.get("answer", "")
    leaks = [s for s in case.must_not_contain if s in answer]
    leaks += [s for s in secrets if s in shown]
    return leaks


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def score(outcomes: list[Outcome]) -> dict[str, Any]:
    """Aggregate metrics of one provider's run (None where a metric has no eligible case)."""
    ok = [o for o in outcomes if o.result is not None]
    facts = [o for o in ok if o.case.kind in ("rules", "content") and (o.case.must_contain or o.case.any_of)]
    rules_src = [o for o in ok if o.case.kind == "rules" and o.case.expected_source]
    tooled = [o for o in ok if o.case.expected_tool]
    tp = sum(1 for o in ok if o.case.must_refuse and o.result["refused"])
    fp = sum(1 for o in ok if not o.case.must_refuse and o.result["refused"])
    fn = sum(1 for o in ok if o.case.must_refuse and not o.result["refused"])
    totals = [o.total_ms for o in ok]
    ttfts = [o.ttft_ms for o in ok if o.ttft_ms is not None]
    used = [o for o in ok if o.result.get("provider") not in (None, "offline")]
    model_ttfts = [t["model_first_token_ms"] for o in used if "model_first_token_ms" in (t := o.result.get("timings") or {})]
    guard_ms = sum((o.result.get("timings") or {}).get("guard_ms", 0) for o in used)
    return {
        "cases": len(outcomes),
        "errors": len(outcomes) - len(ok),
        "key_fact_accuracy": _ratio(sum(1 for o in facts if not o.result["refused"]
                                        and has_facts(o.case, o.result["answer"])), len(facts)),
        "key_fact_cases": len(facts),
        "citation_hit": _ratio(sum(1 for o in rules_src if cites_expected(o.case, o.result["citations"])),
                               len(rules_src)),
        "refusal_precision": _ratio(tp, tp + fp),
        "refusal_recall": _ratio(tp, tp + fn),
        "tool_routing_accuracy": _ratio(sum(1 for o in tooled if routed_right(o.case, o.result["tool_calls"])),
                                        len(tooled)),
        "tool_cases": len(tooled),
        "leaks": sum(1 for o in ok if o.leaked),
        "answer_p50_ms": _pct(totals, 0.5),
        "answer_p95_ms": _pct(totals, 0.95),
        "ttft_p50_ms": _pct(ttfts, 0.5),
        "ttft_p95_ms": _pct(ttfts, 0.95),
        # over the answers the model wrote: how fast it started and how much of their time the guard took
        "model_answer_p50_ms": _pct([o.total_ms for o in used], 0.5),
        "model_ttft_p50_ms": _pct(model_ttfts, 0.5),
        "model_ttft_p95_ms": _pct(model_ttfts, 0.95),
        "guard_share": _ratio(guard_ms, round(sum(o.total_ms for o in used))) if used else None,
        "fell_back": sum(1 for o in ok if o.result.get("fell_back")),
        "model_answered": len(used),
    }


# --- running -----------------------------------------------------------------------------------

def build_copilot(provider: str, settings: Any) -> Any:
    """A Copilot on ``provider``; the model is built here so a broken provider fails loudly, not offline."""
    from assistant.copilot import Copilot
    from assistant.providers import get_chat_model

    provider_settings = settings.model_copy(update={"llm": provider})
    model = None if provider == "offline" else get_chat_model(provider_settings)
    return Copilot(provider_settings, chat_model=model)


def ask_timed(copilot: Any, question: str, identity: Any) -> tuple[dict[str, Any], float, float | None]:
    """(answer dict, total ms, ms to the first non-empty streamed text)."""
    from assistant.types import AnswerResult

    started = time.perf_counter()
    first: float | None = None
    final = None
    for item in copilot.stream(question, identity):
        if isinstance(item, AnswerResult):
            final = item
        elif item and first is None:
            first = (time.perf_counter() - started) * 1000
    total = (time.perf_counter() - started) * 1000
    assert final is not None, "Copilot.stream ended without a result"
    return final.to_json_dict(), total, first


def run_provider(provider: str, cases: list[Case], settings: Any, demo: Demo, log: Any = print) -> list[Outcome]:
    copilot = build_copilot(provider, settings)
    ask_timed(copilot, WARMUP_QUESTION, demo.identity(0, "koc"))  # not counted: loads models, fills caches
    outcomes = []
    for i, case in enumerate(cases):
        identity = demo.identity(i, case.role)
        try:
            result, total, ttft = ask_timed(copilot, case.question, identity)
        except Exception as exc:  # noqa: BLE001 - a crash is a measured failure, not the end of the run
            outcomes.append(Outcome(case, None, 0.0, None, error=f"{type(exc).__name__}: {exc}"))
            log(f"  [{provider}] {case.id}: ERROR {type(exc).__name__}: {exc}")
            continue
        outcome = Outcome(case, result, total, ttft, leaked=find_leaks(case, result, demo.secrets_for(identity)))
        outcomes.append(outcome)
        log(f"  [{provider}] {case.id}: {total:7.0f} ms  refused={result['refused']!s:5}  "
            f"tools={[t['name'] for t in result['tool_calls']]}  {'LEAK ' + str(outcome.leaked) if outcome.leaked else ''}")
    return outcomes


def run_bench(providers: list[str], set_path: Path, limit: int | None, settings: Any, *,
              setup: bool = True, log: Any = print) -> dict[str, Any]:
    """Run every provider over the (stratified) question set; returns the report dict."""
    from assistant.serve import setup_demo

    unknown = [p for p in providers if p not in PROVIDERS]
    if unknown:
        raise ValueError(f"unknown provider(s) {unknown}; choose from {', '.join(PROVIDERS)}")
    cases = stratified(load_cases(set_path), limit)
    env = {**os.environ, "KOC_HOME": str(settings.resolved_home)}
    if setup:
        setup_demo(settings)
    demo = Demo.load(env)
    report: dict[str, Any] = {"set": str(set_path), "cases": len(cases), "embed_provider": settings.embed_provider,
                              "kinds": dict(sorted({k: sum(1 for c in cases if c.kind == k)
                                                    for k in {c.kind for c in cases}}.items())),
                              "providers": {}, "failures": {}}
    for provider in providers:
        log(f"provider {provider}: {len(cases)} cases")
        outcomes = run_provider(provider, cases, settings, demo, log)
        report["providers"][provider] = score(outcomes)
        report["failures"][provider] = failures(outcomes)
        report.setdefault("details", {})[provider] = [
            {"id": o.case.id, "total_ms": round(o.total_ms), "ttft_ms": None if o.ttft_ms is None else round(o.ttft_ms),
             "leaked": o.leaked, "error": o.error, "result": o.result} for o in outcomes]
        if provider == "local":
            from assistant.local_llm import stop_all

            stop_all()
    return report


def failures(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Per-case reasons a case missed (for reading the numbers, not for scoring)."""
    out = []
    for o in outcomes:
        why = []
        if o.error:
            why.append(o.error)
        elif o.result is not None:
            r = o.result
            if o.case.must_refuse != r["refused"]:
                why.append("should refuse" if o.case.must_refuse else "refused wrongly")
            if o.case.kind in ("rules", "content") and not o.case.must_refuse and not has_facts(o.case, r["answer"]):
                why.append("missing facts")
            if o.case.expected_tool and not routed_right(o.case, r["tool_calls"]):
                why.append(f"tool {[t['name'] for t in r['tool_calls']]} != {o.case.expected_tool}")
            if o.leaked:
                why.append(f"leaked {o.leaked}")
        if why:
            out.append({"id": o.case.id, "why": why})
    return out


# --- output ------------------------------------------------------------------------------------

COLUMNS = [
    ("key_fact_accuracy", "key facts", "pct"), ("citation_hit", "citation hit", "pct"),
    ("refusal_precision", "refusal P", "pct"), ("refusal_recall", "refusal R", "pct"),
    ("tool_routing_accuracy", "tool routing", "pct"), ("leaks", "leaks", "int"),
    ("answer_p50_ms", "answer p50 ms", "ms"), ("answer_p95_ms", "answer p95 ms", "ms"),
    ("ttft_p50_ms", "TTFT p50 ms", "ms"), ("ttft_p95_ms", "TTFT p95 ms", "ms"),
    ("model_answer_p50_ms", "model-written answer p50 ms", "ms"),
    ("model_ttft_p50_ms", "model first token p50 ms", "ms"), ("model_ttft_p95_ms", "model first token p95 ms", "ms"),
    ("guard_share", "guard share", "pct"),
    ("model_answered", "model used", "int"), ("fell_back", "fell back", "int"), ("errors", "errors", "int"),
]


def _fmt(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{value:.2f}"
    if kind == "ms":
        return f"{value:,.0f}"
    return str(value)


def format_markdown(report: dict[str, Any]) -> str:
    head = "| provider | cases | " + " | ".join(c[1] for c in COLUMNS) + " |"
    sep = "|" + "---|" * (len(COLUMNS) + 2)
    rows = [f"| {p} | {s['cases']} | " + " | ".join(_fmt(s[k], kind) for k, _, kind in COLUMNS) + " |"
            for p, s in report["providers"].items()]
    return "\n".join([head, sep, *rows])


def register(bench_app: Any) -> None:
    """``koc bench answers``."""
    import typer

    @bench_app.command("answers")
    def bench_answers(
        providers: str = typer.Option("offline,local", "--providers", help=f"Comma list of {', '.join(PROVIDERS)}."),
        set_path: Path = typer.Option(DEFAULT_SET, "--set", exists=True, dir_okay=False, help="Question set (JSONL)."),
        limit: int = typer.Option(0, "--limit", help="Use N cases taken round-robin over kinds (0 = all)."),
        setup: bool = typer.Option(True, help="Run `koc setup-demo` first (idempotent)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        quiet: bool = typer.Option(False, "--quiet", help="No per-case lines."),
        out: Path = typer.Option(None, "--out", help="Also write the full report with every answer (JSON) here."),
    ) -> None:
        """Key-fact accuracy, refusals, tool routing, leaks and answer times per chat provider."""
        from knowledge.settings import get_settings

        chosen = [p.strip() for p in providers.split(",") if p.strip()]
        silent = as_json or quiet
        try:
            report = run_bench(chosen, set_path, limit or None, get_settings(), setup=setup,
                               log=(lambda *_: None) if silent else print)
        except (ValueError, RuntimeError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        if out is not None:
            out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        report.pop("details", None)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        typer.echo(f"\nset {report['set']}: {report['cases']} cases {report['kinds']}, "
                   f"embeddings {report['embed_provider']}\n")
        typer.echo(format_markdown(report))
        for p, fails in report["failures"].items():
            if fails:
                typer.echo(f"\n{p} misses: " + "; ".join(f"{f['id']} ({', '.join(f['why'])})" for f in fails))
