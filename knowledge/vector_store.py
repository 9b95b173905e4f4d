"""The dense index: one Chroma collection (embedded under KOC_HOME, or a Chroma server).

Chroma never embeds anything itself here — vectors always come from our cached
embeddings — and its telemetry is off. The collection records the embedding model id
in its metadata and refuses to be used with another model: mixing vector spaces would
silently return nonsense.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse


class EmbeddingModelMismatch(RuntimeError):
    """The index was built with a different embedding model than the configured one."""


def make_client(chroma_url: str, path: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        u = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
                                   ssl=u.scheme == "https", settings=chroma_settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class VectorStore:
    def __init__(self, client, name: str, model_id: str) -> None:
        self.client = client
        self.model_id = model_id
        self.collection = client.get_or_create_collection(
            name=name, metadata={"model_id": model_id, "hnsw:space": "cosine"}, embedding_function=None)
        stored = (self.collection.metadata or {}).get("model_id")
        if stored and stored != model_id:
            raise EmbeddingModelMismatch(
                f"the knowledge base collection '{name}' was built with embedding model '{stored}', "
                f"but the configured model is '{model_id}'. Vectors of two models cannot be mixed: use the "
                f"same KOC_EMBED_PROVIDER/KOC_EMBED_MODEL, or another KOC_HOME / KOC_COLLECTION and re-ingest.")

    def count(self) -> int:
        return self.collection.count()

    def existing_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 1000):
            found.update(self.collection.get(ids=ids[start:start + 1000], include=[])["ids"])
        return found

    def add(self, ids: list[str], vectors: list[list[float]], metadatas: list[dict]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.upsert(ids=ids[start:start + 1000], embeddings=vectors[start:start + 1000],
                                   metadatas=metadatas[start:start + 1000])

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=ids[start:start + 1000])

    def set_metadata(self, ids: list[str], values: dict) -> None:
        """Change metadata fields of stored chunks (ids the store does not hold are skipped)."""
        held = sorted(self.existing_ids(ids))
        for start in range(0, len(held), 1000):
            batch = held[start:start + 1000]
            old = self.collection.get(ids=batch, include=["metadatas"])
            self.collection.update(ids=old["ids"], metadatas=[{**(m or {}), **values} for m in old["metadatas"]])

    def query(self, vector: list[float], k: int, where: dict | None = None,
              ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (chunk id, cosine similarity), among ``ids`` when given (an allow-list)."""
        n = self.count() if ids is None else len(ids)
        if n == 0:
            return []
        res = self.collection.query(query_embeddings=[vector], n_results=min(k, n), where=where or None,
                                    ids=ids, include=["distances"])
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    def vectors(self, ids: list[str]) -> dict[str, list[float]]:
        if not ids:
            return {}
        res = self.collection.get(ids=ids, include=["embeddings"])
        return {cid: list(vec) for cid, vec in zip(res["ids"], res["embeddings"])}
