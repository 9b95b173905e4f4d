"""One thread owns the embedding model; concurrent questions wait in a bounded queue and are
encoded together.

Why: under load, every request thread used to call the model itself. On a 2-core host sixteen
concurrent encodes each start their own intra-op threads, so the CPU thrashes and one unlucky
request waited 40 s. A single worker that drains the queue in batches keeps the model's threads
on the cores, and a batch of eight short questions costs little more than one. When the queue is
full, or a question would wait too long, the caller gets ``EmbeddingOverloaded`` at once, which
the API turns into a 503 with Retry-After: back-pressure instead of a stall.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

EncodeBatch = Callable[[list[str]], list[list[float]]]


class EmbeddingOverloaded(RuntimeError):
    """The question could not be embedded in time: too many are waiting. Retry shortly."""

    def __init__(self, message: str, retry_after_s: int = 2) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


@dataclass
class _Job:
    """One caller's texts (a question, or the parts of one asked together), encoded in one batch."""

    texts: list[str]
    future: Future = field(default_factory=Future)
    queued_at: float = field(default_factory=time.monotonic)


class QueryBatcher:
    """Encode questions on one worker thread, up to ``max_batch`` at a time.

    ``max_pending`` bounds the queue (a new question beyond it is refused at once) and
    ``max_wait_s`` bounds how long a caller waits for its vector (then it is refused, and its
    job is skipped if it has not started). The worker starts lazily and is a daemon thread.
    """

    def __init__(self, encode: EncodeBatch, *, max_batch: int = 16, max_pending: int = 64,
                 max_wait_s: float = 10.0) -> None:
        self._encode = encode
        self.max_batch, self.max_pending, self.max_wait_s = max_batch, max_pending, max_wait_s
        self._queue: queue.Queue[_Job] = queue.Queue()
        self._start_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self.batches = 0
        self.encoded = 0

    def encode(self, text: str) -> list[float]:
        """The vector of ``text``; raises EmbeddingOverloaded instead of waiting past the limits."""
        return self.encode_many([text])[0]

    def encode_many(self, texts: list[str]) -> list[list[float]]:
        """The vectors of texts one caller needs together (the parts of a question), queued as one
        job so they are encoded in one batch: a batch of three short texts costs about half of
        three encodes one after another on CPU."""
        if not texts:
            return []
        if self._queue.qsize() >= self.max_pending:
            raise EmbeddingOverloaded(f"{self._queue.qsize()} questions are waiting for the embedding model")
        self._ensure_worker()
        job = _Job(list(texts))
        self._queue.put(job)
        try:
            return job.future.result(timeout=self.max_wait_s)
        except TimeoutError as exc:
            job.future.cancel()  # skipped by the worker if it has not started on it yet
            raise EmbeddingOverloaded(f"the embedding model did not answer within {self.max_wait_s:.0f} s") from exc

    def _ensure_worker(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        with self._start_lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="query-embedder", daemon=True)
                self._worker.start()

    def _take_batch(self) -> list[_Job]:
        jobs = [self._queue.get()]
        size = len(jobs[0].texts)
        while size < self.max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            jobs.append(job)
            size += len(job.texts)
        return [j for j in jobs if j.future.set_running_or_notify_cancel()]

    def _run(self) -> None:
        while True:
            jobs = self._take_batch()
            if not jobs:
                continue
            try:
                vectors = self._encode([text for j in jobs for text in j.texts])
            except BaseException as exc:  # noqa: BLE001 - the callers get the model's own error
                for job in jobs:
                    job.future.set_exception(exc)
                continue
            self.batches += 1
            self.encoded += len(vectors)
            start = 0
            for job in jobs:
                job.future.set_result(vectors[start:start + len(job.texts)])
                start += len(job.texts)
