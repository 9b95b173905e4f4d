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
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from knowledge.fusion import rrf
from knowledge.visibility import Visibility, nearest_visible

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
                     lexical_build_s=round(lexical_s, 2), sentence_embed_s=round(kb.last_sentence_seconds, 2),
                     terms_embedded=kb.last_term_units, term_embed_s=round(kb.last_term_seconds, 2),
                     term_share_of_ingest_pct=round(100 * kb.last_term_seconds / max(ingest_s, 1e-9), 1))
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
#: share of synthetic chunks per audience: most are for KOCs, some HQ-only, some per kind or tier
AUDIENCE_MIX = {"all": 0.20, "koc": 0.45, "private": 0.05, "external": 0.08, "tier:t0": 0.03, "tier:t1": 0.03,
                "tier:t2": 0.03, "tier:t3": 0.03, "hq": 0.10}
#: the askers timed: a private KOC on tier t1 sees 73% of the chunks, nobody signed in 20%
SCALE_VIEWERS = {"koc": Viewer.koc("private", "t1"), "anonymous": Viewer.public()}


def run_scale_bench(chunks: int = 100_000, dim: int = 768, queries: int = 200, profiles: tuple[str, ...] = (),
                    seed: int = 0, log=print) -> dict:
    """Search p95 over ``chunks`` synthetic unit vectors in an embedded Chroma (+ a BM25 index of the
    same size), unfiltered and as askers who may read part of the chunks (each audience strategy
    side by side), and query-embedding time per embedding profile measured separately."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    rng = np.random.default_rng(seed)
    out: dict = {"chunks": chunks, "dim": dim, "queries": queries}
    labels = rng.choice(list(AUDIENCE_MIX), size=chunks, p=list(AUDIENCE_MIX.values()))
    ids = [f"c{i:07d}" for i in range(chunks)]
    with tempfile.TemporaryDirectory(prefix="koc-scale-") as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=ChromaSettings(anonymized_telemetry=False))
        col = client.create_collection("scale", metadata={"hnsw:space": "cosine"}, embedding_function=None)
        groups = {label: client.create_collection(f"scale-{label.replace(':', '-')}", metadata={"hnsw:space": "cosine"},
                                                  embedding_function=None) for label in AUDIENCE_MIX}
        t0 = time.perf_counter()
        group_s = 0.0
        batch = 5000
        matrix = np.zeros((chunks, dim), dtype=np.float32)  # for the exact top 30 that recall is measured against
        for start in range(0, chunks, batch):
            n = min(batch, chunks - start)
            vecs = rng.standard_normal((n, dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            part = labels[start:start + n]
            matrix[start:start + n] = vecs
            col.add(ids=ids[start:start + n], embeddings=vecs,
                    metadatas=[{"doc_type": ("faq", "product", "policy")[(start + i) % 3], "audience": str(part[i])}
                               for i in range(n)])
            g0 = time.perf_counter()
            for label, group in groups.items():  # the "one collection per audience" layout, same vectors
                rows = np.flatnonzero(part == label)
                if rows.size:
                    group.add(ids=[ids[start + int(r)] for r in rows], embeddings=vecs[rows])
            group_s += time.perf_counter() - g0
        out["index_s"] = round(time.perf_counter() - t0 - group_s, 1)
        out["index_per_audience_collections_s"] = round(group_s, 1)
        log(f"indexed {chunks} synthetic vectors in {out['index_s']}s (+{out['index_per_audience_collections_s']}s "
            "for the per-audience collections)")
        lat: list[float] = []
        lat_filtered: list[float] = []
        found_exact = 0
        for i in range(queries):
            q = rng.standard_normal(dim).astype(np.float32)
            q /= np.linalg.norm(q)
            t = time.perf_counter()
            res = col.query(query_embeddings=[q], n_results=30, include=["distances"])
            lat.append(1000 * (time.perf_counter() - t))
            exact = {ids[int(r)] for r in np.argpartition(-(matrix @ q), 30)[:30]}
            found_exact += len(exact & set(res["ids"][0]))
            if i % 4 == 0:
                t = time.perf_counter()
                col.query(query_embeddings=[q], n_results=30, where={"doc_type": "faq"}, include=["distances"])
                lat_filtered.append(1000 * (time.perf_counter() - t))
        out["dense_p50_ms"], out["dense_p95_ms"] = round(_pct(lat, 50), 2), round(_pct(lat, 95), 2)
        out["dense_filtered_p95_ms"] = round(_pct(lat_filtered, 95), 2)
        out["dense_recall_at_30"] = round(found_exact / (30 * queries), 3)  # HNSW vs exact, random vectors
        lexical = _synthetic_bm25(chunks, rng)
        out["audience"] = {name: _audience_scale(col, groups, labels, ids, matrix, viewer, queries, rng, log, lexical)
                           for name, viewer in SCALE_VIEWERS.items()}
    out["lexical_p50_ms"], out["lexical_p95_ms"] = _lexical_scale(lexical, queries, rng)
    out["lexical_masked_p95_ms"] = _lexical_scale(lexical, queries, rng, mask_share=0.73)[1]
    out["query_embedding_ms"] = {}
    for profile in profiles:
        out["query_embedding_ms"][profile] = _query_embed_ms(profile)
        log(f"query embedding {profile}: {out['query_embedding_ms'][profile]}")
    return out


class _ChromaStore:
    """A bare Chroma collection with the ``VectorStore.query`` signature ``nearest_visible`` uses."""

    def __init__(self, col) -> None:
        self.col = col

    def query(self, vector, k: int, where: dict | None = None, ids: list[str] | None = None) -> list[tuple[str, float]]:
        res = self.col.query(query_embeddings=[vector], n_results=k, where=where, ids=ids, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]


def _audience_scale(col, groups: dict, labels: np.ndarray, ids: list[str], matrix: np.ndarray, viewer: Viewer,
                    queries: int, rng, log, lexical: tuple) -> dict:
    """p50/p95 (ms) and recall@30 (against the exact top 30 of the visible vectors) of a dense top-30
    restricted to what ``viewer`` may read, four ways: Chroma's metadata filter, an allow-list of the
    visible ids, one collection per audience (queried and merged), and ``nearest_visible`` (a deeper
    unfiltered query keeping the visible ones, falling back to the allow-list: what search does)."""
    dim = matrix.shape[1]
    visible_labels = [label for label in AUDIENCE_MIX if viewer.sees(frozenset({label}))]
    allowed = np.isin(labels, visible_labels)
    token_bit = {label: i for i, label in enumerate(AUDIENCE_MIX)}  # the per-chunk audience bits search keeps
    bits = np.array([1 << token_bit[str(label)] for label in labels], dtype=np.uint64)
    vis = Visibility(ids=ids, bits=bits, token_bit=token_bit)
    allow = [ids[int(r)] for r in np.flatnonzero(allowed)]
    positions = {cid: i for i, cid in enumerate(ids)}
    store = _ChromaStore(col)
    lat: dict[str, list[float]] = {"metadata_filter": [], "allow_list": [], "per_audience_collections": [],
                                   "deeper_k": [], "mask": [], "whole_search": []}
    strategies: dict[str, int] = {}
    hits: dict[str, int] = {name: 0 for name in lat if name not in ("mask", "whole_search")}
    asked: dict[str, int] = {name: 0 for name in hits}
    visible_rows = np.flatnonzero(allowed)

    def score(name: str, got: list[str], exact: set[str]) -> None:
        hits[name] += len(set(got) & exact)
        asked[name] += len(exact)
    for i in range(queries):
        q = rng.standard_normal(dim).astype(np.float32)
        q /= np.linalg.norm(q)
        t = time.perf_counter()
        mask = vis.mask(viewer)  # what each search computes for its viewer
        lat["mask"].append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        found, how = nearest_visible(store, q, 30, None, mask, ids, positions)
        lat["deeper_k"].append(1000 * (time.perf_counter() - t))
        strategies[how] = strategies.get(how, 0) + 1
        fresh = rng.standard_normal(dim).astype(np.float32)  # not the vector just searched: no warm cache
        fresh /= np.linalg.norm(fresh)
        lat["whole_search"].append(_whole_search_ms(vis, viewer, store, fresh, ids, positions, lexical, rng))
        t = time.perf_counter()
        merged: list[tuple[float, str]] = []
        for label in visible_labels:
            res = groups[label].query(query_embeddings=[q], n_results=30, include=["distances"])
            merged += [(float(d), cid) for cid, d in zip(res["ids"][0], res["distances"][0])]
        best = [cid for _d, cid in sorted(merged)[:30]]
        lat["per_audience_collections"].append(1000 * (time.perf_counter() - t))
        sims = matrix[visible_rows] @ q
        exact = {ids[int(visible_rows[r])] for r in np.argpartition(-sims, 30)[:30]}
        score("deeper_k", [cid for cid, _ in found], exact)
        score("per_audience_collections", best, exact)
        if i % 4 == 0:  # the slow ones on a quarter of the queries
            t = time.perf_counter()
            got = store.query(q, 30, {"audience": {"$in": visible_labels}})
            lat["metadata_filter"].append(1000 * (time.perf_counter() - t))
            score("metadata_filter", [cid for cid, _ in got], exact)
            t = time.perf_counter()
            got = store.query(q, 30, None, ids=allow)
            lat["allow_list"].append(1000 * (time.perf_counter() - t))
            score("allow_list", [cid for cid, _ in got], exact)
    out: dict = {"visible_share": round(float(allowed.mean()), 3), "strategies": strategies}
    for name in hits:
        out[f"{name}_recall_at_30"] = round(hits[name] / max(asked[name], 1), 3)
    for name, values in lat.items():
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = round(_pct(values, 50), 2), round(_pct(values, 95), 2)
    log(f"as {viewer.name or 'viewer'} ({out['visible_share']:.0%} visible): " +
        ", ".join(f"{k} p95 {out[k + '_p95_ms']} ms" for k in lat))
    return out


def _synthetic_bm25(chunks: int, rng) -> tuple:
    """A BM25 index over ``chunks`` synthetic documents of 60 Zipf-distributed tokens from a
    50,000-word vocabulary (a large brand's handbooks have about that many distinct words)."""
    import bm25s

    vocab = np.array([f"t{i}" for i in range(50_000)])
    ranks = np.minimum(rng.zipf(1.3, size=(chunks, 60)), len(vocab)) - 1
    index = bm25s.BM25()
    index.index([list(vocab[r]) for r in ranks], show_progress=False)
    return index, vocab


def _bm25_question(vocab: np.ndarray, rng) -> list[str]:
    return list(vocab[np.minimum(rng.zipf(1.3, size=12), len(vocab)) - 1])


def _lexical_scale(lexical: tuple, queries: int, rng, mask_share: float | None = None) -> tuple[float, float]:
    """BM25 scoring + top 30 (p50, p95 ms); with ``mask_share`` the scores of the other chunks are
    zeroed first, as a viewer's search does."""
    index, vocab = lexical
    mask = rng.random(index.scores["num_docs"]) < mask_share if mask_share is not None else None
    lat: list[float] = []
    for _ in range(queries):
        q = _bm25_question(vocab, rng)
        t = time.perf_counter()
        scores = index.get_scores(q)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        np.argpartition(-scores, 30)[:30]
        lat.append(1000 * (time.perf_counter() - t))
    return round(_pct(lat, 50), 2), round(_pct(lat, 95), 2)


def _whole_search_ms(vis: Visibility, viewer: Viewer, store, q_vec: np.ndarray, ids: list[str],
                     positions: dict[str, int], lexical: tuple, rng) -> float:
    """One search as the viewer, timed end to end as the knowledge base runs it (without the
    question's embedding): the viewer's mask, the dense top 30 of visible chunks (deeper-k), the
    masked BM25 top 30, and reciprocal-rank fusion of the two lists."""
    index, vocab = lexical
    words = _bm25_question(vocab, rng)
    t = time.perf_counter()
    mask = vis.mask(viewer)
    dense, _how = nearest_visible(store, q_vec, 30, None, mask, ids, positions)
    scores = index.get_scores(words)
    if mask is not None:
        scores = np.where(mask, scores, 0.0)
    top = np.argpartition(-scores, 30)[:30]
    keyword = [ids[int(r)] for r in top[np.argsort(-scores[top])]]
    dense_rank = {cid: r for r, (cid, _sim) in enumerate(dense)}
    keyword_rank = {cid: r for r, cid in enumerate(keyword)}
    fused = sorted(set(dense_rank) | set(keyword_rank),
                   key=lambda cid: -rrf([dense_rank.get(cid), keyword_rank.get(cid)]))[:30]
    assert fused  # the search found something to answer from
    return 1000 * (time.perf_counter() - t)


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

