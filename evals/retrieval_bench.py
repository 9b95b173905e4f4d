"""Retrieval benchmark on any SQuAD-format file, and a search-latency scale test.

``koc bench retrieval --squad FILE``: every distinct paragraph (context) of the file is a
document; a question's gold is the paragraph it was asked about. All methods index the same
paragraphs in one temporary KOC_HOME with the same (cached) embeddings, so the table
compares retrieval methods, not data preparation:

* ``bm25``     our lexical index alone (jieba + brand dictionary + CJK bigrams, OpenCC t2s)
* ``dense``    our Chroma index alone
* ``hybrid``   ours: weighted fusion of both (what ``koc search`` does)
* ``rrf``      plain reciprocal rank fusion of the same candidates (for comparison)
* ``baseline`` what a typical user writes: langchain_chroma.Chroma + the same embedding
               model + similarity_search

Paragraphs are whitespace-normalised by our chunker and each is one chunk (chunk size is set
above the longest paragraph), so every method sees exactly the same text. Embeddings are
cached by content hash in a persistent cache (default KOC_MODELS_DIR/../embed-cache), so a
re-run costs only search time; the report says how many vectors were computed.
Search latency excludes the query embedding, which is reported separately (it is the same
for every dense method).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import typer

from base.commands import CommandRoot
from base.settings import Settings, get_settings
from evals.squad import read_squad
from knowledge.embeddings import get_embeddings
from knowledge.kb import KnowledgeBase

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")  # the baseline opens its own Chroma client

METHODS = ("bm25", "dense", "hybrid", "baseline")
ALL_METHODS = ("bm25", "dense", "hybrid", "rrf", "baseline")


@dataclass
class SquadSet:
    paragraphs: list[str]  # normalised paragraph texts, distinct
    questions: list[tuple[str, int]]  # (question, index of its gold paragraph)


@dataclass
class MethodResult:
    method: str
    hit1: float
    hit5: float
    mrr10: float
    ingest_per_s: float | None
    p50_ms: float
    p95_ms: float

    def row(self) -> dict:
        return self.__dict__.copy()


@dataclass
class BenchReport:
    file: str
    provider: str
    model_id: str
    paragraphs: int
    questions: int
    results: list[MethodResult]
    notes: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "results"},
                "results": [r.row() for r in self.results]}


def load_squad(path: Path, limit: int | None = None) -> SquadSet:
    """Distinct paragraphs (first ``limit``) and their questions from a SQuAD v1/v2 JSON file."""
    squad = read_squad(path, limit)
    return SquadSet(squad.paragraphs, [(q.question, q.paragraph) for q in squad.questions])


def _metrics(ranked: list[list[int]], gold: list[int]) -> tuple[float, float, float]:
    hit1 = hit5 = mrr = 0.0
    for r, g in zip(ranked, gold):
        if r[:1] == [g]:
            hit1 += 1
        if g in r[:5]:
            hit5 += 1
        if g in r[:10]:
            mrr += 1.0 / (r[:10].index(g) + 1)
    n = len(gold)
    return hit1 / n, hit5 / n, mrr / n


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def default_cache_path() -> Path:
    return get_settings().models_dir.parent / "embed-cache" / "embed_cache.sqlite"


def run_retrieval_bench(squad: Path, limit: int | None = None, methods: tuple[str, ...] = METHODS,
                        provider: str | None = None, embed_cache: Path | None = None,
                        progress: bool = False, log=print) -> BenchReport:
    unknown = set(methods) - set(ALL_METHODS)
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}; choose from {', '.join(ALL_METHODS)}")
    data = load_squad(squad, limit)
    base = get_settings()
    with tempfile.TemporaryDirectory(prefix="koc-bench-") as tmp:
        tmpdir = Path(tmp)
        docs = tmpdir / "docs"
        docs.mkdir()
        width = len(str(len(data.paragraphs)))
        for i, text in enumerate(data.paragraphs):
            (docs / f"p{i:0{width}d}.txt").write_text(text, encoding="utf-8")
        settings = Settings(**{**base.model_dump(), "home": tmpdir / "home", "chroma_url": "",
                               "embed_provider": provider or base.embed_provider,
                               "embed_cache": embed_cache or default_cache_path(),
                               "chunk_size": max(len(p) for p in data.paragraphs) + 10, "chunk_overlap": 0})
        kb = KnowledgeBase(settings)
        emb = kb.embeddings
        gold = [g for _, g in data.questions]
        notes: dict = {"embed_cache": str(settings.embed_cache)}

        t0 = time.perf_counter()
        report = kb.ingest([docs], progress=progress)
        ingest_s = time.perf_counter() - t0
        if report.errors:
            raise RuntimeError(f"bench ingest failed: {report.errors[:3]}")
        source_to_para = {f"p{i:0{width}d}.txt": i for i in range(len(data.paragraphs))}
        lexical_s = kb.last_lexical_seconds
        notes.update(paragraphs_embedded=emb.encoded, paragraphs_from_cache=emb.cache_hits,
                     model_encode_s=round(emb.encode_seconds, 2), ingest_s=round(ingest_s, 2),
                     lexical_build_s=round(lexical_s, 2))
        if emb.encoded:
            notes["pipeline_overhead_pct"] = round(100 * (ingest_s - emb.encode_seconds) / emb.encode_seconds, 1)
            notes["model_paragraphs_per_s"] = round(emb.encoded / emb.encode_seconds, 2)
        log(f"indexed {len(data.paragraphs)} paragraphs in {ingest_s:.1f}s "
            f"({emb.encoded} embedded, {emb.cache_hits} from cache); {len(data.questions)} questions")

        # embed every question once (timed), so each method's latency is search only
        q_ms: list[float] = []
        before = emb.queries_encoded
        for q, _ in data.questions:
            t = time.perf_counter()
            emb.embed_query(q)
            if emb.queries_encoded > before:
                q_ms.append(1000 * (time.perf_counter() - t))
                before = emb.queries_encoded
        notes.update(queries_embedded=len(q_ms), query_embed_p50_ms=round(_pct(q_ms, 50), 1),
                     query_embed_p95_ms=round(_pct(q_ms, 95), 1))

        results: list[MethodResult] = []
        for method in methods:
            if method == "baseline":
                results.append(_run_baseline(data, emb, tmpdir, gold))
                continue
            ranked, lat = [], []
            for q, _ in data.questions:
                t = time.perf_counter()
                res = kb.search(q, k=10, mode=method)
                lat.append(1000 * (time.perf_counter() - t))
                ranked.append([source_to_para[h.source] for h in res.hits])
            h1, h5, mrr = _metrics(ranked, gold)
            n = len(data.paragraphs)
            rate = {"bm25": n / lexical_s if lexical_s else None,
                    "dense": n / max(ingest_s - lexical_s, 1e-9)}.get(method, n / ingest_s)
            results.append(MethodResult(method, h1, h5, mrr, rate, _pct(lat, 50), _pct(lat, 95)))
            log(f"  {method}: hit@1 {h1:.3f} hit@5 {h5:.3f} MRR@10 {mrr:.3f}")
        return BenchReport(str(squad), settings.embed_provider, kb.model_id, len(data.paragraphs),
                           len(data.questions), results, notes)


def _run_baseline(data: SquadSet, emb, tmpdir: Path, gold: list[int]) -> MethodResult:
    """The plain LangChain + Chroma dense search a typical user would write."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(tmpdir / "baseline"), settings=ChromaSettings(anonymized_telemetry=False))
    t0 = time.perf_counter()
    store = Chroma(collection_name="baseline", embedding_function=emb, client=client)
    store.add_texts(data.paragraphs, metadatas=[{"p": i} for i in range(len(data.paragraphs))],
                    ids=[str(i) for i in range(len(data.paragraphs))])
    ingest_s = time.perf_counter() - t0
    ranked, lat = [], []
    for q, _ in data.questions:
        t = time.perf_counter()
        docs = store.similarity_search(q, k=10)
        lat.append(1000 * (time.perf_counter() - t))
        ranked.append([d.metadata["p"] for d in docs])
    h1, h5, mrr = _metrics(ranked, gold)
    return MethodResult("baseline", h1, h5, mrr, len(data.paragraphs) / ingest_s, _pct(lat, 50), _pct(lat, 95))


def format_table(report: BenchReport) -> str:
    lines = [f"{report.file}: {report.paragraphs} paragraphs, {report.questions} questions, "
             f"embeddings {report.model_id}",
             f"{'method':<10}{'hit@1':>8}{'hit@5':>8}{'MRR@10':>8}{'ingest p/s':>12}{'p50 ms':>9}{'p95 ms':>9}"]
    for r in report.results:
        rate = f"{r.ingest_per_s:.1f}" if r.ingest_per_s else "-"
        lines.append(f"{r.method:<10}{r.hit1:>8.3f}{r.hit5:>8.3f}{r.mrr10:>8.3f}{rate:>12}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}")
    lines.append("search latency excludes query embedding: " + ", ".join(f"{k}={v}" for k, v in report.notes.items()))
    return "\n".join(lines)


# --------------------------------------------------------------------------- scale
def run_scale_bench(chunks: int = 100_000, dim: int = 768, queries: int = 200, profiles: tuple[str, ...] = (),
                    seed: int = 0, log=print) -> dict:
    """Search p95 over ``chunks`` synthetic unit vectors in an embedded Chroma (+ a BM25 index of the
    same size), and query-embedding time per embedding profile measured separately."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    rng = np.random.default_rng(seed)
    out: dict = {"chunks": chunks, "dim": dim, "queries": queries}
    with tempfile.TemporaryDirectory(prefix="koc-scale-") as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        col = client.create_collection("scale", metadata={"hnsw:space": "cosine"}, embedding_function=None)
        t0 = time.perf_counter()
        batch = 5000
        for start in range(0, chunks, batch):
            n = min(batch, chunks - start)
            vecs = rng.standard_normal((n, dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            col.add(ids=[f"c{start + i}" for i in range(n)], embeddings=vecs,
                    metadatas=[{"doc_type": ("faq", "product", "policy")[(start + i) % 3]} for i in range(n)])
        out["index_s"] = round(time.perf_counter() - t0, 1)
        log(f"indexed {chunks} synthetic vectors in {out['index_s']}s")
        lat: list[float] = []
        lat_filtered: list[float] = []
        for i in range(queries):
            q = rng.standard_normal(dim).astype(np.float32)
            q /= np.linalg.norm(q)
            t = time.perf_counter()
            col.query(query_embeddings=[q], n_results=30, include=["distances"])
            lat.append(1000 * (time.perf_counter() - t))
            if i % 4 == 0:
                t = time.perf_counter()
                col.query(query_embeddings=[q], n_results=30, where={"doc_type": "faq"}, include=["distances"])
                lat_filtered.append(1000 * (time.perf_counter() - t))
        out["dense_p50_ms"], out["dense_p95_ms"] = round(_pct(lat, 50), 2), round(_pct(lat, 95), 2)
        out["dense_filtered_p95_ms"] = round(_pct(lat_filtered, 95), 2)
    out["lexical_p50_ms"], out["lexical_p95_ms"] = _lexical_scale(chunks, queries, rng)
    out["query_embedding_ms"] = {}
    for profile in profiles:
        out["query_embedding_ms"][profile] = _query_embed_ms(profile)
        log(f"query embedding {profile}: {out['query_embedding_ms'][profile]}")
    return out


def _lexical_scale(chunks: int, queries: int, rng) -> tuple[float, float]:
    """BM25 scoring over a synthetic vocabulary of the same size (Zipf-distributed tokens)."""
    import bm25s

    vocab = np.array([f"t{i}" for i in range(50_000)])
    ranks = np.minimum(rng.zipf(1.3, size=(chunks, 60)), len(vocab)) - 1
    index = bm25s.BM25()
    index.index([list(vocab[r]) for r in ranks], show_progress=False)
    lat: list[float] = []
    for _ in range(queries):
        q = list(vocab[np.minimum(rng.zipf(1.3, size=12), len(vocab)) - 1])
        t = time.perf_counter()
        scores = index.get_scores(q)
        np.argpartition(-scores, 30)[:30]
        lat.append(1000 * (time.perf_counter() - t))
    return round(_pct(lat, 50), 2), round(_pct(lat, 95), 2)


def _query_embed_ms(profile: str, n: int = 20) -> dict:
    emb = get_embeddings(Settings(embed_provider=profile), cache=False)
    emb.embed_query("warm-up")
    lat = []
    for i in range(n):
        t = time.perf_counter()
        emb.embed_query(f"灯塔KOC每月有几个测评名额？问题 {i}")
        lat.append(1000 * (time.perf_counter() - t))
    return {"p50": round(_pct(lat, 50), 1), "p95": round(_pct(lat, 95), 1), "model_id": emb.model_id}


# --------------------------------------------------------------------------- CLI
def register_commands(root: CommandRoot) -> None:
    """``koc bench retrieval`` and ``koc bench scale``."""
    bench_app = root.bench

    @bench_app.command("retrieval")
    def bench_retrieval(
        squad: Path = typer.Option(..., "--squad", exists=True, dir_okay=False, help="A SQuAD-format JSON file."),
        limit: int = typer.Option(0, "--limit", help="Use only the first N distinct paragraphs (0 = all)."),
        methods: str = typer.Option(",".join(METHODS), "--methods", help=f"Comma list of {', '.join(ALL_METHODS)}."),
        provider: str = typer.Option("", "--provider", help="Embedding provider (default KOC_EMBED_PROVIDER)."),
        embed_cache: Path = typer.Option(None, "--embed-cache", help="Embedding cache file (default KOC_MODELS_DIR/../embed-cache)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """hit@1, hit@5, MRR@10, ingest and search timings per method, side by side."""
        chosen = tuple(m.strip() for m in methods.split(",") if m.strip())
        try:
            report = run_retrieval_bench(squad, limit or None, chosen, provider or None, embed_cache,
                                         progress=not as_json, log=(lambda *_: None) if as_json else print)
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if as_json else format_table(report))

    @bench_app.command("scale")
    def bench_scale(
        chunks: int = typer.Option(100_000, "--chunks", help="Synthetic chunks to index."),
        dim: int = typer.Option(768, "--dim", help="Vector size (768 = EmbeddingGemma)."),
        queries: int = typer.Option(200, "--queries", help="Timed searches."),
        profiles: str = typer.Option("fast,sentence-transformers", "--profiles",
                                     help="Embedding profiles whose query-embedding time is measured ('' = none)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Search p95 on a large synthetic index (excluding query embedding) + query embedding time per profile."""
        out = run_scale_bench(chunks, dim, queries, tuple(p for p in profiles.split(",") if p),
                              log=(lambda *_: None) if as_json else print)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))

