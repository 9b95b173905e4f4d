"""Topics must differ: no two with the same angle, and no two titles the embedding model finds
near-identical. The knowledge base's own embedding model is used, so the check speaks the
languages the handbooks do; without one, character bigram overlap stands in.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from assistant.text_match import bigrams

#: cosine above which two titles say the same thing (chosen before measuring; titles that only
#: share a product name stay well below it)
NEAR_IDENTICAL = 0.92
#: bigram overlap that stands in when there is no embedding model
NEAR_IDENTICAL_BIGRAMS = 0.8


def similar_pairs(titles: Sequence[str], embeddings: Any | None) -> list[tuple[int, int, float]]:
    """(i, j, similarity) for every pair of titles that is near-identical."""
    pairs: list[tuple[int, int, float]] = []
    if len(titles) < 2:
        return pairs
    if embeddings is not None:
        try:
            m = np.asarray(embeddings.embed_documents(list(titles)), dtype=np.float32)
            m /= np.linalg.norm(m, axis=1, keepdims=True).clip(min=1e-12)
            sims = m @ m.T
            return [(i, j, float(sims[i, j])) for i in range(len(titles)) for j in range(i + 1, len(titles))
                    if sims[i, j] >= NEAR_IDENTICAL]
        except Exception:  # no model installed: fall back to bigrams below
            pass
    grams = [bigrams(t) for t in titles]
    for i in range(len(titles)):
        for j in range(i + 1, len(titles)):
            a, b = grams[i], grams[j]
            sim = len(a & b) / len(a | b) if a and b else float(titles[i] == titles[j])
            if sim >= NEAR_IDENTICAL_BIGRAMS:
                pairs.append((i, j, sim))
    return pairs


def repeated_angles(angles: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    return [a for a in angles if a in seen or seen.add(a)]  # type: ignore[func-returns-value]
