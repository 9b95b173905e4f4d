"""Client/server mode: a real `chroma run` on 127.0.0.1, ingested into and searched through KOC_CHROMA_URL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from tests.servers import free_port as _free_port

CHROMA_BIN = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_server(tmp_path: Path):
    if not CHROMA_BIN.exists():
        pytest.skip("chroma CLI not installed in the venv")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([str(CHROMA_BIN), "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(tmp_path / "chroma-server")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail("chroma server exited early")
            time.sleep(0.3)
        else:
            pytest.fail("chroma server did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_ingest_and_search_through_chroma_server(chroma_server: str, koc_home: Path, fast_embeddings: None,
                                                 docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.kb import KnowledgeBase
    from base.settings import get_settings

    monkeypatch.setenv("KOC_CHROMA_URL", chroma_server)
    get_settings.cache_clear()
    kb = KnowledgeBase()
    report = kb.ingest([docs])
    assert report.chunks_added > 0 and not report.errors
    assert not (koc_home / "chroma").exists()  # vectors live in the server, not under KOC_HOME
    assert kb.vectors.count() == report.chunks_added
    assert kb.search("云朵面霜售价", k=1).hits[0].source == "products.md"
    # the same collection is visible to a second client (another app replica)
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(chroma_server.rsplit(":", 1)[1])
    other = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
    assert other.get_collection("koc_kb").count() == report.chunks_added
