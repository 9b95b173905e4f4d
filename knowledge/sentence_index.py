"""Every quotable sentence's vector in one matrix, so the search can find a chunk by its best sentence.

A chunk's own vector averages all it says: a FAQ chunk with five questions in it is far from each
one of them, and a question about the fifth finds other chunks first, though its sentence is the
closest of the whole knowledge base. Ingest already stores every sentence's vector in the embedding
cache (``knowledge.sentences``); this index reads them once per revision of the lexical index and
answers "how close is each chunk's best sentence" with one matrix product.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.sentences import embedding_units, sentence_vectors


class SentenceIndex:
    """Sentence vectors (rows of ``matrix``) and the position of the chunk each belongs to (``owner``)."""

    def __init__(self, matrix: np.ndarray, owner: np.ndarray, chunks: int) -> None:
        self.matrix, self.owner, self.chunks = matrix, owner, chunks

    @classmethod
    def build(cls, embeddings: Embeddings, texts: Sequence[str], max_sentences: int) -> SentenceIndex:
        """The index of the chunks ``texts`` (in the lexical index's positions); sentences whose
        vector the cache does not hold (an index built before sentence vectors) are left out, and
        a knowledge base of more than ``max_sentences`` gets an empty index (chunk vectors only)."""
        units = [embedding_units(text) for text in texts]
        if sum(len(us) for us in units) > max_sentences:
            units = [[] for _ in texts]
        vectors = sentence_vectors(embeddings, [u for us in units for u in us])
        rows, owner = [], []
        for position, us in enumerate(units):
            for unit in us:
                if unit in vectors:
                    rows.append(vectors[unit])
                    owner.append(position)
        dim = len(rows[0]) if rows else 0
        matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)
        return cls(matrix, np.asarray(owner, dtype=np.int64), len(texts))

    def best(self, query_vectors: Sequence[Sequence[float]], allowed: np.ndarray | None = None) -> np.ndarray:
        """Per chunk position, the highest similarity of one of its sentences to any query vector
        (-inf for a chunk without sentence vectors or one ``allowed`` excludes)."""
        out = np.full(self.chunks, -np.inf, dtype=np.float32)
        if not len(self.matrix) or not query_vectors:
            return out
        queries = np.asarray(query_vectors, dtype=np.float32)
        sims = (self.matrix @ queries.T).max(axis=1)
        np.maximum.at(out, self.owner, sims)
        if allowed is not None:
            out[~allowed] = -np.inf
        return out
