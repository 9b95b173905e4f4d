"""What the offline responder knows about the knowledge base when it ranks evidence sentences.

Two signals, both from the corpus itself, so nothing about a particular brand is typed in code:
- term weights are the lexical index's IDF: a word in nearly every chunk (the brand's name, "KOC")
  finds nothing, a rare word (a product, a rule's own term) finds the answer;
- sentence similarity is the embedding model's cosine between the question and each sentence,
  with the sentence vectors stored at ingest (``knowledge.sentences``), so a paraphrase or an
  English question over Chinese handbooks still finds the sentence that answers it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np

from base.colloquial import written_form
from base.language import to_simplified
from knowledge.embeddings import embed_queries
from knowledge.fusion import CROSS_LINGUAL_SHIFT
from knowledge.sentences import MAX_SENTENCE_CHARS, sentence_vectors

#: below this cosine a question and a sentence share nothing (EmbeddingGemma, query vs document);
#: at SIM_HIGH the sentence reads as an answer to the question
SIM_LOW = 0.40
SIM_HIGH = 0.75
#: cosine scales differ by model: (low, high) per model id fragment, measured on the sample set.
#: A model without a calibration (the tests' hashing embedding) ranks by words alone.
CALIBRATION: dict[str, tuple[float, float]] = {"embeddinggemma": (SIM_LOW, SIM_HIGH)}
#: an English word's corpus renderings (``CorpusRenderings``): the corpus words at least RENDER_FLOOR close to
#: it (EmbeddingGemma, document vs document) and within RENDER_SPREAD of the closest; tuned on the tuning brands
RENDER_FLOOR = 0.75
RENDER_SPREAD = 0.05


@dataclass
class EvidenceScorer:
    """Corpus-derived term weights and question↔sentence similarity; either may be absent."""

    weight: Callable[[str], float] | None = None
    known: Callable[[str], bool] | None = None  # the corpus uses the word (or one of its bigrams)
    #: the corpus words an English word is written as (``CorpusRenderings``); None without a calibrated model
    render: CorpusRenderings | None = None
    question_vector: np.ndarray | None = None
    #: the question written as the handbooks would (written forms of spoken words, the knowledge base's main
    #: Chinese script), when the asker wrote it otherwise: a sentence is as close as the closer of the two (the
    #: model scores across scripts and registers lower)
    written_vector: np.ndarray | None = None
    #: how the handbooks would write a question (``KnowledgeBase.as_written``), None when as asked: the parts of
    #: a question get their written twins from it
    as_written: Callable[[str], str | None] | None = None
    embeddings: Any | None = None
    low: float = SIM_LOW
    high: float = SIM_HIGH
    _sims: dict[str, float | None] = field(default_factory=dict)

    def similarities(self, texts: list[str]) -> dict[str, float]:
        """Cosine of the question with each sentence (as embedded at ingest); absent ones are left out."""
        if self.question_vector is None or self.embeddings is None:
            return {}
        units = [t[:MAX_SENTENCE_CHARS] for t in texts]
        todo = [u for u in dict.fromkeys(units) if u not in self._sims]
        if todo:
            try:
                vecs = sentence_vectors(self.embeddings, todo)
            except Exception:  # a cache that cannot be read leaves lexical ranking only
                vecs = {}
            for u in todo:
                v = vecs.get(u)
                if v is None:
                    self._sims[u] = None
                    continue
                sim = float(np.dot(self.question_vector, v))
                self._sims[u] = sim if self.written_vector is None else max(sim, float(np.dot(self.written_vector, v)))
        return {t: s for t, u in zip(texts, units) if (s := self._sims.get(u)) is not None}

    def for_questions(self, questions: list[str]) -> list["EvidenceScorer"]:
        """The same corpus statistics for other questions (the parts of a multi-part one), their
        vectors embedded now, together (one batch); without a model, words alone."""
        if self.question_vector is None or self.embeddings is None:
            return [replace(self, _sims={}) for _ in questions]
        # a part in spoken words gets its written twin; one only in the other script does not (the whole question's
        # twin covers the script, and a twin per part costs a vector each on every traditional question)
        twins = [self.as_written(q) if self.as_written is not None and written_form(q) != to_simplified(q) else None
                 for q in questions]
        texts = list(dict.fromkeys([*questions, *(t for t in twins if t)]))
        try:
            vectors = dict(zip(texts, embed_queries(self.embeddings, texts)))
        except Exception:  # no model: words alone
            return [replace(self, question_vector=None, written_vector=None, _sims={}) for _ in questions]
        return [replace(self, question_vector=np.asarray(vectors[q], dtype=np.float32),
                        written_vector=np.asarray(vectors[t], dtype=np.float32) if t else None, _sims={})
                for q, t in zip(questions, twins)]

    def semantic(self, sim: float | None, cross_lingual: bool = False) -> float:
        """A cosine mapped to 0..1 between "unrelated" and "reads as an answer"."""
        if sim is None:
            return 0.0
        shift = CROSS_LINGUAL_SHIFT if cross_lingual else 0.0
        return min(1.0, max(0.0, (sim - self.low + shift) / (self.high - self.low)))


def idf_weight(lexical: Any) -> Callable[[str], float]:
    """Weight of a question term by its IDF in the lexical index (jieba words; a Chinese term the
    index never saw as a word is weighed by its rarest character bigram, since bigrams are indexed)."""
    n = max(len(getattr(lexical, "ids", []) or []), 1)
    top = math.log(1 + (n + 0.5) / 0.5)
    df = getattr(lexical, "df", {}) or {}

    def weight(term: str) -> float:
        t = to_simplified(term).lower()
        if t in df:
            return lexical.idf(t) / top
        grams = [f"§{t[i:i + 2]}" for i in range(len(t) - 1)] if re.search(r"[\u3400-\u9fff]", t) else []
        seen = [lexical.idf(g) for g in grams if g in df]
        return (min(seen) if seen else top) / top
    return weight


def corpus_knows(vocabulary: frozenset[str] | set[str]) -> Callable[[str], bool]:
    """Whether the corpus the asker may read uses a word: as an indexed word, or (Chinese) every one
    of its character bigrams, so a word jieba splits differently in the handbooks still counts as
    known, while one that only shares a bigram with them (开发票: 开发 is there, 发票 is not) does not."""
    def known(term: str) -> bool:
        t = to_simplified(term).lower()
        if t in vocabulary:
            return True
        grams = [f"§{t[i:i + 2]}" in vocabulary for i in range(len(t) - 1)]
        return bool(grams) and all(grams)
    return known


def scorer_for(kb: Any, question: str, viewer: Any = None) -> EvidenceScorer:
    """The scorer of a question over a knowledge base: IDF from its lexical index, the words the
    asker (``viewer``) may read, the question's vector as the search just computed it (the
    embeddings keep the last question vectors in memory: never embedded twice)."""
    weight, known = idf_weight(kb.lexical), corpus_knows(kb.vocabulary(viewer))
    scale = calibration(str(getattr(kb, "model_id", "")))
    if scale is None:
        return EvidenceScorer(weight=weight, known=known)
    try:
        q = np.asarray(kb.embeddings.embed_query(question), dtype=np.float32)
    except Exception:  # no model: lexical evidence only
        return EvidenceScorer(weight=weight, known=known)
    written = kb.as_written if hasattr(kb, "as_written") else None
    return EvidenceScorer(weight=weight, known=known, render=CorpusRenderings(kb, viewer), question_vector=q,
                          written_vector=_written_vector(kb, written(question) if written else None), as_written=written,
                          embeddings=kb.embeddings, low=scale[0], high=scale[1])


class CorpusRenderings:
    """How the handbooks a viewer may read write an English word: the corpus words nearest to it
    (``knowledge.term_vectors``), so "strap" is looked for as 肩带 where no glossary has it. The word index is
    read and a word embedded only when it is asked, once; a word the model cannot embed has no rendering."""

    def __init__(self, kb: Any, viewer: Any = None) -> None:
        self.kb, self.viewer = kb, viewer
        self._found: dict[str, tuple[str, ...]] = {}

    def __call__(self, word: str) -> tuple[str, ...]:
        if word not in self._found:
            self._found[word] = self._render(word)
        return self._found[word]

    def _render(self, word: str) -> tuple[str, ...]:
        try:
            index = self.kb.term_index()
            if not len(index.terms):
                return ()
            vector = np.asarray(self.kb.embeddings.embed_documents([word])[0], dtype=np.float32)
            vocabulary = self.kb.vocabulary(self.viewer)
        except Exception:  # no model or no cache: the typed glossary alone
            return ()
        return tuple(term for term, _ in index.nearest(vector, RENDER_FLOOR, RENDER_SPREAD) if term in vocabulary)


def _written_vector(kb: Any, written: str | None) -> np.ndarray | None:
    """The vector of the question as the handbooks would write it (``KnowledgeBase.as_written``: the
    written register, their main Chinese script; the search embedded it already, and the embeddings
    hand that vector back from memory); None when it is written so already, or has no Chinese."""
    if written is None:
        return None
    try:
        return np.asarray(kb.embeddings.embed_query(written), dtype=np.float32)
    except Exception:  # no model: the question's own vector only
        return None


def calibration(model_id: str) -> tuple[float, float] | None:
    """The (low, high) cosine scale of a model, None when it was never calibrated."""
    return next((scale for fragment, scale in CALIBRATION.items() if fragment in model_id.lower()), None)
