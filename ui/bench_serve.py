"""`koc bench serve`: a bounded load test of the assistant API, one replica or several.

It measures what a campaign launch looks like from the KOCs' side: many of them asking at once,
each with their own token, against every replica in turn (round-robin, as a load balancer would).
By default it builds everything it needs in a temporary demo KOC_HOME (sample knowledge base,
demo ledger), starts one commission & tier service and N `koc serve --no-ui` replicas on
127.0.0.1, runs for a fixed time and stops them; ``--url`` points it at replicas already running
instead (then ``--token`` gives the KOC tokens to use).

Two question modes, because they stress different things:
* ``cached``: a handful of questions repeated, their vectors cached after a warm-up round. What
  is left is the API, identity, tools service, search and the conversation store.
* ``fresh``: every request a question never seen (a counter in the text), so each one needs
  the embedding model. Before the load the bench times the model alone on the same texts, so the
  served rate can be compared with what the model can encode at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from base.probe import free_port, http_ok
from base.settings import get_settings
from knowledge.embeddings import get_embeddings
from tools.auth import demo_token_for
from ui.serve import stop_process_group

#: Questions every brand's KOCs ask, in the three languages; none names a brand, tier or product.
LOAD_QUESTIONS = (
    "我这个月的佣金收入有多少？",
    "How much commission did I earn this month?",
    "我离下一级还差什么？",
    "佣金什么时候结算？",
    "退货的订单还算佣金吗？",
    "What counts as a valid sale?",
)
#: KOC ids of the demo ledger the bench signs in as (the demo has a few hundred KOCs).
DEMO_KOCS = (12, 181, 25, 3, 47, 90, 133, 160, 200, 233)


@dataclass
class LoadResult:
    """What the clients saw: latencies of answered requests, and every failure by status."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return len(self.latencies_ms)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    def summary(self) -> dict[str, float | int | dict[str, int]]:
        lat = self.latencies_ms
        return {"requests": self.answered + sum(self.errors.values()), "answered": self.answered,
                "rps": round(self.answered / self.seconds, 2) if self.seconds else 0.0,
                "p50_ms": round(statistics.median(lat), 1) if lat else 0.0,
                "p95_ms": round(self.percentile(0.95), 1), "p99_ms": round(self.percentile(0.99), 1),
                "max_ms": round(max(lat), 1) if lat else 0.0, "errors": dict(self.errors)}


def ask_once(client: httpx.Client, url: str, token: str, question: str) -> tuple[float, str | None]:
    """One chat completion; (latency ms, None) when answered, (latency ms, error label) otherwise."""
    body = {"model": "koc-copilot", "messages": [{"role": "user", "content": question}]}
    started = time.perf_counter()
    try:
        resp = client.post(f"{url}/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError as exc:
        return (time.perf_counter() - started) * 1000, type(exc).__name__
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, None if resp.status_code == 200 else str(resp.status_code)


def run_load(urls: list[str], tokens: list[str], *, clients: int, seconds: float, fresh: bool,
             questions: tuple[str, ...] = LOAD_QUESTIONS) -> LoadResult:
    """``clients`` threads ask back to back for ``seconds``; request i goes to ``urls[i % len]``."""
    counter = iter(range(10**9))
    run_tag = secrets.token_hex(3)  # fresh means fresh: a kept --home has this run's questions in no cache
    lock = threading.Lock()
    result = LoadResult(seconds=seconds)
    deadline = time.monotonic() + seconds

    def client_loop() -> None:
        with httpx.Client(timeout=60) as http:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter)
                question = questions[i % len(questions)]
                if fresh:
                    question = f"{question} ({run_tag}-{i})"
                ms, error = ask_once(http, urls[i % len(urls)], tokens[i % len(tokens)], question)
                with lock:
                    if error is None:
                        result.latencies_ms.append(ms)
                    else:
                        result.errors[error] = result.errors.get(error, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.monotonic() - started  # the last requests finish after the deadline
    return result


def model_only_rates(texts: list[str], batch: int) -> tuple[float, float]:
    """Questions per second the configured embedding model encodes with nothing else around it,
    no cache: one at a time, and in batches of ``batch`` (what the server's batcher can reach)."""
    embeddings = get_embeddings(get_settings(), cache=False)
    encode = embeddings.encode_queries
    encode(["warm-up"])
    started = time.perf_counter()
    for text in texts:
        encode([text])
    single = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        encode(texts[i:i + batch])
    return single, len(texts) / (time.perf_counter() - started)


# ----------------------------------------------------------------------------------- the fleet
def _koc_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]


def _wait_up(url: str, proc: subprocess.Popen, log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with code {proc.returncode}; see {log}")
        if http_ok(url, any_status=True):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout_s:.0f}s; see {log}")


@contextlib.contextmanager
def demo_fleet(replicas: int, home: Path | None = None) -> Iterator[tuple[list[str], list[str]]]:
    """A demo KOC_HOME (made here unless given), one tools service and ``replicas`` assistant APIs.

    Yields (replica URLs, KOC tokens). Everything runs with KOC_DEMO=1 in child processes only,
    on free loopback ports, and is stopped on exit.
    """
    with contextlib.ExitStack() as stack:
        if home is None:
            home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="koc-bench-serve-")))
        tools_port = free_port()
        env = {**os.environ, "KOC_HOME": str(home), "KOC_DEMO": "1", "KOC_TOOLS_PORT": str(tools_port)}
        env.pop("KOC_HQ_TOKEN", None)
        for step in (("ingest", str(Path(__file__).resolve().parent.parent / "knowledge" / "samples")), ("demo-data",)):
            subprocess.run(_koc_cmd(*step), env=env, check=True, stdout=subprocess.DEVNULL)
        procs: list[subprocess.Popen] = []
        stack.callback(lambda: [stop_process_group(p, 20) for p in reversed(procs)])
        log = home / "bench-tools.log"
        procs.append(subprocess.Popen(_koc_cmd("serve-tools", "--port", str(tools_port)), env=env,
                                      stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True))
        _wait_up(f"http://127.0.0.1:{tools_port}/health", procs[-1], log, 60)
        urls = []
        for n in range(replicas):
            port = free_port()
            log = home / f"bench-replica-{n}.log"
            procs.append(subprocess.Popen(_koc_cmd("serve", "--no-ui", "--reuse-tools", "--port", str(port)), env=env,
                                          stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True))
            urls.append(f"http://127.0.0.1:{port}")
            _wait_up(f"{urls[-1]}/healthz", procs[-1], log, 300)
        yield urls, [demo_token_for(k) for k in DEMO_KOCS]


def warm_up(urls: list[str], tokens: list[str]) -> None:
    """Ask every load question once through every replica, so their vectors and indexes are warm."""
    with httpx.Client(timeout=300) as http:
        for url in urls:
            for i, question in enumerate(LOAD_QUESTIONS):
                ask_once(http, url, tokens[i % len(tokens)], question)


def report(label: str, result: LoadResult) -> str:
    s = result.summary()
    errors = ", ".join(f"{k}×{v}" for k, v in sorted(s["errors"].items())) or "0"  # type: ignore[union-attr]
    return (f"{label}: {s['answered']} answered in {result.seconds:.1f} s = {s['rps']} requests/s, "
            f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms, errors {errors}")


def bench_serve(*, clients: int, seconds: float, replicas: int, fresh: bool, urls: list[str] | None,
                tokens: list[str] | None, home: Path | None, as_json: bool) -> dict:
    """Run the load (against ``urls`` or a fleet started here) and print one line (or JSON)."""
    mode = "fresh" if fresh else "cached"
    out: dict = {"clients": clients, "seconds": seconds, "mode": mode}
    if fresh:
        sample = [f"{q} (#model-only-{i})" for i in range(8) for q in LOAD_QUESTIONS]
        single, batched = model_only_rates(sample, get_settings().embed_query_batch)
        out["model_only_qps"], out["model_only_batched_qps"] = round(single, 2), round(batched, 2)
    with contextlib.ExitStack() as stack:
        if not urls:
            urls, tokens = stack.enter_context(demo_fleet(replicas, home))
        if not tokens:
            raise ValueError("give --token for every KOC to sign in as when --url points at running replicas")
        warm_up(urls, tokens)
        result = run_load(urls, tokens, clients=clients, seconds=seconds, fresh=fresh)
    out.update(replicas=len(urls), **result.summary())
    if as_json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(report(f"{len(urls)} replica(s), {clients} clients, {mode} questions", result))
        if fresh:
            print(f"embedding model alone: {out['model_only_qps']} questions/s one at a time, "
                  f"{out['model_only_batched_qps']} questions/s in batches; served/batched = "
                  f"{out['rps'] / out['model_only_batched_qps']:.2f}")
    return out
