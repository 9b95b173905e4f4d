"""A bounded burst of chat requests from several KOCs at once against `koc serve` (the assistant
API and the commission & tier service as the product runs them; offline provider, hashing
embeddings): no errors, and no cross-talk — every tool result, number, name and session in an
answer belongs to the KOC who asked. Prints throughput and latency (docs/benchmarks.md records a run).

    pytest tests/faults/test_chat_burst.py -s        # BURST_REQUESTS / BURST_CLIENTS to resize
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import DemoHome, ServiceProcess
from tests.servers import free_port

pytestmark = pytest.mark.slow

REQUESTS = int(os.environ.get("BURST_REQUESTS", "300"))
CLIENTS = int(os.environ.get("BURST_CLIENTS", "12"))
KOC_IDS = (12, 181, 25, 3, 47, 90, 133, 160, 200, 233)  # the three featured demo KOCs and seven others
QUESTIONS = [  # (question, the tool it must call, or None for a handbook answer)
    ("我这个月的佣金收入有多少？", "get_my_earnings"),
    ("How much commission did I earn this month?", "get_my_earnings"),
    ("我离下一级还差什么？", "get_my_tier_progress"),
    ("佣金什么时候结算？", None),
]


@dataclass
class Asker:
    koc_id: int
    token: str
    name: str
    total: str  # this month's commission as the service shows it to this KOC ("¥1,234.00")


def _askers(demo_home: DemoHome, tools: str) -> list[Asker]:
    from tools.auth import demo_token_for

    out = []
    with httpx.Client(base_url=tools, timeout=30) as http:
        for koc_id in KOC_IDS:
            token = demo_token_for(koc_id)
            earnings = http.get("/v1/kocs/me/earnings", headers={"Authorization": f"Bearer {token}"}).json()
            name = http.get(f"/v1/kocs/{koc_id}", headers={"Authorization": f"Bearer {demo_home.hq_token}"}).json()["name"]
            assert earnings["koc_id"] == koc_id
            out.append(Asker(koc_id, token, name, earnings["total"]))
    return out


def _ask(api: str, asker: Asker, question: str, stream: bool, session: str | None) -> tuple[float, int, dict, str]:
    headers = {"Authorization": f"Bearer {asker.token}"} | ({"X-Session-Id": session} if session else {})
    body = {"model": "koc-copilot", "stream": stream, "messages": [{"role": "user", "content": question}]}
    started = time.perf_counter()
    resp = httpx.post(f"{api}/v1/chat/completions", json=body, headers=headers, timeout=120)
    elapsed = time.perf_counter() - started
    if resp.status_code != 200:
        return elapsed, resp.status_code, {}, resp.text[:300]
    if not stream:
        data = resp.json()
        return elapsed, 200, data["koc"], data["choices"][0]["message"]["content"]
    events = [json.loads(line[6:]) for line in resp.text.splitlines() if line.startswith("data: {")]
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in events)
    return elapsed, 200, events[-1].get("koc") or {}, text


@pytest.mark.timeout(900)
def test_a_burst_of_chats_from_many_kocs(demo_home: DemoHome, tmp_path: Path) -> None:
    api_port, tools_port = free_port(), free_port()
    api, tools = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{tools_port}"
    serve = ServiceProcess(["serve", "--no-ui"], demo_home.env(KOC_API_PORT=str(api_port), KOC_TOOLS_PORT=str(tools_port)),
                           f"{api}/healthz", tmp_path / "serve.log").start(timeout_s=180)
    try:
        askers = _askers(demo_home, tools)
        names = [a.name for a in askers]
        rng = random.Random(2026)
        plan = [(rng.choice(askers), *rng.choice(QUESTIONS), rng.random() < 0.25, "burst" if rng.random() < 0.3 else None)
                for _ in range(REQUESTS)]
        _ask(api, askers[0], QUESTIONS[3][0], False, None)  # warm-up (first search loads the index)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(lambda p: _ask(api, p[0], p[1], p[3], p[4]), plan))
        wall = time.perf_counter() - started
    finally:
        serve.stop()

    failures, sessions = [], {}
    for (asker, question, tool, _stream, shared), (_, status, ext, text) in zip(plan, results):
        if status != 200:
            failures.append(f"{status} for KOC {asker.koc_id}: {text}")
            continue
        calls = ext.get("tool_calls", [])
        if tool is None:
            ok = not calls and bool(ext.get("citations"))
        else:
            ok = [c["name"] for c in calls] == [tool] and calls[0]["result"].get("koc_id") == asker.koc_id
            ok = ok and "error" not in calls[0]["result"]
            if tool == "get_my_earnings":
                ok = ok and calls[0]["result"]["total"] == asker.total and asker.total.lstrip("¥") in text
        others = [n for n in names if n != asker.name and names.count(n) == 1 and n not in asker.name]
        leaked = [n for n in others if n in text]
        if not ok or leaked:
            failures.append(f"KOC {asker.koc_id} asked {question!r}: tools {calls!r}, leaked {leaked}, text {text[:200]!r}")
        if shared:  # the same X-Session-Id from every KOC: each still gets a session of its own
            sessions.setdefault(ext.get("session_id"), set()).add(asker.koc_id)
    assert not failures, f"{len(failures)} of {REQUESTS} failed:\n" + "\n".join(failures[:10])
    assert sessions and all(len(owners) == 1 for owners in sessions.values()), sessions

    latencies = sorted(r[0] * 1000 for r in results)
    p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
    print(f"\nchat burst: {REQUESTS} requests from {len(KOC_IDS)} KOCs, {CLIENTS} concurrent clients, "
          f"{sum(1 for p in plan if p[3])} streamed: {REQUESTS / wall:.1f} requests/s, "
          f"p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms, 0 errors")
