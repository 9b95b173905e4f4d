"""The knowledge base's own words as vectors, so a word of an English question is read in the handbooks' word for it.

An English question over Chinese handbooks names things in English ("strap", "warranty"); whether the
evidence states them can only be checked in the words the handbooks write. A typed glossary covers the
programme's vocabulary and nothing of a brand's products, while the embedding model knows that "strap"
and 肩带 are one thing. So every Chinese word of the lexical index is embedded at ingest, into the same
content-hash cache as the sentences, and read back once per revision; a question's word is embedded when
it is asked, and the corpus words nearest to it are the handbooks' renderings of it.
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.sentences import sentence_vectors

#: the words worth a vector: Chinese words of two to six characters (a single character is too vague
#: to stand for a thing, a longer run is a phrase jieba did not split)
_TERM = re.compile(r"[\u4e00-\u9fff]{2,6}")


def corpus_terms(words: Iterable[str]) -> list[str]:
    """The indexed words that get a vector (``_TERM``), sorted so a rebuild embeds them in one order."""
    return sorted(w for w in set(words) if _TERM.fullmatch(w))


def embed_terms(embeddings: Embeddings, words: Iterable[str], limit: int, on_batch=None) -> int:
    """Embed (into the cache) the corpus terms of ``words`` not embedded yet; returns how many were asked
    for, 0 when there are more than ``limit`` (a corpus that large keeps its typed glossary only)."""
    terms = corpus_terms(words)
    if not terms or len(terms) > limit:
        return 0
    kwargs = {"on_batch": on_batch} if on_batch is not None else {}
    embeddings.embed_documents(terms, **kwargs)
    return len(terms)


class TermIndex:
    """Corpus terms (``terms``) and their vectors (rows of ``matrix``)."""

    def __init__(self, terms: list[str], matrix: np.ndarray) -> None:
        self.terms, self.matrix = terms, matrix

    @classmethod
    def build(cls, embeddings: Embeddings, words: Iterable[str], limit: int) -> TermIndex:
        """The index of the corpus terms of ``words`` whose vectors ingest stored (an index built before term
        vectors has none: renderings are then simply absent)."""
        terms = corpus_terms(words)
        vectors = sentence_vectors(embeddings, terms) if len(terms) <= limit else {}
        kept = [t for t in terms if t in vectors]
        matrix = (np.vstack([vectors[t] for t in kept]).astype(np.float32) if kept
                  else np.zeros((0, 0), dtype=np.float32))
        return cls(kept, matrix)

    def nearest(self, vector: np.ndarray, floor: float, spread: float) -> list[tuple[str, float]]:
        """The terms at least ``floor`` close to ``vector`` and within ``spread`` of the closest, closest first."""
        if not len(self.terms):
            return []
        sims = self.matrix @ np.asarray(vector, dtype=np.float32)
        best = float(sims.max())
        if best < floor:
            return []
        order = np.argsort(-sims)
        return [(self.terms[i], float(sims[i])) for i in order if sims[i] >= max(floor, best - spread)]
