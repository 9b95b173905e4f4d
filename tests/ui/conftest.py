"""Fixtures of the interface tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES_DIR


@pytest.fixture(scope="session")
def no_model_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(KOC_HOME, KOC_MODELS_DIR): a knowledge base indexed for the default embedding model
    (EmbeddingGemma), on a machine where that model is not installed — the state after
    ``koc setup-demo`` when ``make models`` never ran or its cache was removed. (The vectors
    come from the hashing embedding under the default model's id, so no model is needed to build it.)"""
    from base.settings import Settings
    from knowledge.embeddings import CachedEmbeddings, HashingEmbeddings, model_id_for
    from knowledge.kb import KnowledgeBase

    home, models = tmp_path_factory.mktemp("no_model_home"), tmp_path_factory.mktemp("no_models")
    settings = Settings(home=home, models_dir=models, embed_provider="sentence-transformers", embed_model="", llm="offline")
    stand_in = CachedEmbeddings(HashingEmbeddings(), model_id_for(settings), None)
    assert KnowledgeBase(settings, embeddings=stand_in).ingest([SAMPLES_DIR]).chunks_added > 20
    return home, models
