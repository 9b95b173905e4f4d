"""Two assistant replicas on shared engines: one Chroma server, one PostgreSQL, no shared KOC_HOME.

The deployment of README "Scaling out", on 127.0.0.1: a commission & tier service and two
`koc serve --no-ui` replicas, each with a KOC_HOME of its own, all pointed at one PostgreSQL
database (ledger, conversations, knowledge-base manifest) and one `chroma run` server. A document
ingested with replica A's configuration is found through replica B at once, by dense and by keyword
search; a conversation started on A continues on B; both answer a question the same way.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SAMPLES_DIR
from tests.faults.conftest import ServiceProcess, koc, koc_env, wait_for
from tests.knowledge.test_chroma_server import CHROMA_BIN
from tests.servers import free_port
from tools.auth import demo_token_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]

NEW_FACT_DOC = """---
title: 冬季加推规则
doc_type: rules
audience: koc
---
# 冬季加推规则

## 雪线奖励
冬季加推期间，每完成一笔有效订单额外获得雪线奖励 7 元，奖励在次月 18 日随佣金一起结算。
"""
NEW_FACT_Q = "雪线奖励每单多少钱？什么时候结算？"


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    if not CHROMA_BIN.exists():
        pytest.skip("chroma CLI not installed in the venv")
    port = free_port()
    proc = subprocess.Popen([str(CHROMA_BIN), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(tmp_path / "chroma-server")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(up, 60, "the chroma server")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _ask(api: str, koc_id: int, question: str, session: str) -> dict:
    resp = httpx.post(f"{api}/v1/chat/completions", timeout=120,
                      headers={"Authorization": f"Bearer {demo_token_for(koc_id)}", "X-Session-Id": session},
                      json={"model": "koc-copilot", "messages": [{"role": "user", "content": question}]})
    assert resp.status_code == 200, resp.text[:500]
    data = resp.json()
    return {**data["koc"], "content": data["choices"][0]["message"]["content"]}


def test_two_replicas_share_knowledge_conversations_and_answers(pg_cluster, chroma_url: str, tmp_path: Path) -> None:
    database = pg_cluster.new_database()
    tools_port = free_port()
    shared = {"KOC_DATABASE_URL": database, "KOC_KB_DATABASE_URL": database, "KOC_CHROMA_URL": chroma_url,
              "KOC_TOOLS_PORT": str(tools_port), "KOC_DEMO": "1"}
    homes = [tmp_path / "replica-a", tmp_path / "replica-b"]
    env_a, env_b = (koc_env(home, **shared) for home in homes)

    for step in (("ingest", str(SAMPLES_DIR)), ("demo-data",)):  # once, through replica A's configuration
        done = koc(*step, env=env_a, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    tools = ServiceProcess(["serve-tools", "--port", str(tools_port)], env_a, f"http://127.0.0.1:{tools_port}/health",
                           tmp_path / "tools.log").start()
    replicas = []
    try:
        for env, home in zip((env_a, env_b), homes):
            port = free_port()
            replicas.append(ServiceProcess(["serve", "--no-ui", "--reuse-tools", "--port", str(port)], env,
                                           f"http://127.0.0.1:{port}/healthz", home.parent / f"{home.name}.log")
                            .start(timeout_s=180))
        api_a, api_b = (r.health_url.removesuffix("/healthz") for r in replicas)

        # the same question answered the same way by both replicas
        rules_q = "佣金什么时候结算？"
        first, second = _ask(api_a, 12, rules_q, "same-a"), _ask(api_b, 12, rules_q, "same-b")
        assert first["citations"] and first["answer"] == second["answer"]
        assert [c["chunk_id"] for c in first["citations"]] == [c["chunk_id"] for c in second["citations"]]

        # B does not know the new rule yet; A ingests it; B answers from it on its very next question
        assert "7" not in _ask(api_b, 12, NEW_FACT_Q, "before")["answer"]
        new_doc = tmp_path / "winter.md"
        new_doc.write_text(NEW_FACT_DOC, encoding="utf-8")
        done = koc("ingest", str(new_doc), env=env_a)
        assert done.returncode == 0, done.stderr[-2000:]
        finished = time.monotonic()
        after = _ask(api_b, 12, NEW_FACT_Q, "after")
        assert time.monotonic() - finished < 5  # one request, no waiting for a refresh
        assert "winter.md" in {c["source"] for c in after["citations"]} and "7" in after["answer"], after

        # B's keyword index alone finds it too (a KB opened with replica B's settings, as B's process is)
        from base.settings import Settings
        from knowledge.kb import KnowledgeBase

        b_settings = Settings(home=homes[1], embed_provider="hashing", database_url=database,
                              kb_database_url=database, chroma_url=chroma_url)
        keyword = KnowledgeBase(b_settings).search("雪线奖励", mode="bm25")
        assert keyword.hits and keyword.hits[0].source == "winter.md"

        # a conversation started on A continues on B (the store is the shared database)
        turn1 = _ask(api_a, 25, "我这个月的佣金收入有多少？", "across")
        turn2 = _ask(api_b, 25, "那上个月呢？", "across")
        assert turn1["session_id"] == turn2["session_id"]
        from assistant.store import ConversationStore

        messages = ConversationStore(database).messages(turn1["session_id"])
        assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
        # another KOC sending the same session id gets a session of its own
        assert _ask(api_b, 181, "那上个月呢？", "across")["session_id"] != turn1["session_id"]
    finally:
        for replica in replicas:
            replica.stop()
        tools.kill()
    assert not (homes[0] / "chroma").exists() and not (homes[1] / "chats.db").exists()
