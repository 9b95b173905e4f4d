"""The corpus's own words get vectors at ingest, so an English word can be read in the handbooks' word for it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.kb import KnowledgeBase
from knowledge.term_vectors import TermIndex, corpus_terms


def test_only_chinese_words_of_two_to_six_characters_are_terms() -> None:
    """A single character is too vague to stand for a thing, a number or a Latin word is read as itself."""
    assert corpus_terms(["面霜", "霜", "128", "KOC", "晨露精华", "一二三四五六七", "面霜"]) == ["晨露精华", "面霜"]


def test_ingest_embeds_every_corpus_term_once(kb: KnowledgeBase, docs: Path) -> None:
    """Every term of the lexical index is embedded at ingest and read back by the term index; a second ingest
    of unchanged files embeds nothing."""
    kb.ingest([docs])
    index = kb.term_index()
    assert kb.last_term_units == len(index.terms) > 0
    assert "面霜" in index.terms and "佣金" in index.terms
    vector = np.asarray(kb.embeddings.embed_documents(["面霜"])[0], dtype=np.float32)
    nearest = index.nearest(vector, floor=0.5, spread=0.2)
    assert nearest[0] == ("面霜", pytest.approx(1.0, abs=1e-5))
    assert all(score >= nearest[0][1] - 0.2 for _, score in nearest)
    assert index.nearest(vector, floor=1.01, spread=0.2) == []
    encoded = kb.embeddings.encoded
    kb.ingest([docs])
    assert kb.embeddings.encoded == encoded


def test_a_corpus_over_the_limit_keeps_the_glossary_only(koc_home: Path, fast_embeddings: None, docs: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Above ``KOC_TERM_VECTORS_MAX`` words nothing is embedded for them and nothing is rendered."""
    from base.settings import get_settings

    monkeypatch.setenv("KOC_TERM_VECTORS_MAX", "3")
    get_settings.cache_clear()
    kb = KnowledgeBase()
    kb.ingest([docs])
    assert kb.last_term_units == 0 and kb.term_index().terms == []
    assert TermIndex([], np.zeros((0, 0), dtype=np.float32)).nearest(np.ones(4), 0.0, 1.0) == []
