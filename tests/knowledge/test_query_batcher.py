"""The question batcher: one worker, batches under concurrency, refusal instead of a stall."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from knowledge.embed_cache import EmbeddingCache
from knowledge.embeddings import CachedEmbeddings, HashingEmbeddings
from knowledge.query_batcher import EmbeddingOverloaded, QueryBatcher


class SlowEncoder:
    """Encodes like a model that costs a fixed time per batch; records the threads and batch sizes."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds, self.batches, self.threads = seconds, [], set()
        self.inner = HashingEmbeddings()

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.threads.add(threading.get_ident())
        self.batches.append(len(texts))
        time.sleep(self.seconds)
        return [self.inner.embed_query(t) for t in texts]


def test_concurrent_questions_share_batches_on_one_thread_and_get_their_own_vectors() -> None:
    encoder = SlowEncoder()
    batcher = QueryBatcher(encoder, max_batch=8)
    texts = [f"问题 {i}" for i in range(24)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        vectors = list(pool.map(batcher.encode, texts))
    assert vectors == [HashingEmbeddings().embed_query(t) for t in texts]
    assert len(encoder.threads) == 1
    assert sum(encoder.batches) == 24 and max(encoder.batches) > 1 and max(encoder.batches) <= 8


def test_a_full_queue_refuses_at_once_and_a_long_wait_is_refused_not_stalled() -> None:
    """A question beyond a full queue is refused without waiting (well under ``max_wait_s``), and
    the queued ones are refused once ``max_wait_s`` passes. The queue is watched, not slept on, and
    the bounds are wide, so a busy host does not fail it."""
    gate, running = threading.Event(), threading.Event()

    def blocked(texts: list[str]) -> list[list[float]]:
        running.set()
        gate.wait(10)
        return [[1.0] for _ in texts]

    batcher = QueryBatcher(blocked, max_batch=1, max_pending=2, max_wait_s=2.0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        waiting = [pool.submit(batcher.encode, "q0")]
        assert running.wait(5)  # the worker holds one question; the next two can only queue
        waiting += [pool.submit(batcher.encode, f"q{i}") for i in (1, 2)]
        deadline = time.monotonic() + 5
        while batcher._queue.qsize() < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert batcher._queue.qsize() == 2
        started = time.monotonic()
        with pytest.raises(EmbeddingOverloaded):
            batcher.encode("one too many")
        assert time.monotonic() - started < 1.0  # refused at once, not after the 2 s wait
        errors = [f.exception(timeout=10) for f in waiting]
    gate.set()
    assert all(isinstance(e, EmbeddingOverloaded) for e in errors)


def test_a_model_error_reaches_the_caller_and_the_worker_keeps_serving() -> None:
    calls = {"n": 0}

    def flaky(texts: list[str]) -> list[list[float]]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("model crashed")
        return [[0.5] for _ in texts]

    batcher = QueryBatcher(flaky)
    with pytest.raises(RuntimeError, match="model crashed"):
        batcher.encode("first")
    assert batcher.encode("second") == [0.5]


def test_cached_embeddings_encode_questions_through_the_batcher() -> None:
    emb = CachedEmbeddings(HashingEmbeddings(), HashingEmbeddings.model_id, None)
    with ThreadPoolExecutor(max_workers=8) as pool:
        vectors = list(pool.map(emb.embed_query, [f"q{i}" for i in range(16)]))
    assert vectors[3] == HashingEmbeddings().embed_query("q3")
    assert emb.queries_encoded == 16 and emb.batcher.encoded == 16


def test_texts_asked_together_are_encoded_in_one_batch_and_cached(tmp_path: Path) -> None:
    """The parts of one question go to the model as one batch (not one encode after another), each
    gets its own vector back, and a part seen before comes from the cache."""
    encoder = SlowEncoder(seconds=0.01)
    batcher = QueryBatcher(encoder, max_batch=8)
    parts = ["第一部分", "第二部分", "第三部分"]
    assert batcher.encode_many(parts) == [HashingEmbeddings().embed_query(p) for p in parts]
    assert encoder.batches == [3] and batcher.encode_many([]) == []

    emb = CachedEmbeddings(HashingEmbeddings(), HashingEmbeddings.model_id, EmbeddingCache(tmp_path / "cache.sqlite"))
    emb.embed_query("第一部分")
    vectors = emb.embed_queries(["第一部分", "第二部分", "第二部分"])
    assert vectors[0] == HashingEmbeddings().embed_query("第一部分") and vectors[1] == vectors[2]
    assert emb.queries_encoded == 2  # the cached part and the repeated one were not encoded again
