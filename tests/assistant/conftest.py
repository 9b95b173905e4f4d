"""Fixtures of the assistant tests: the sample knowledge base (hashing embedding, built once per
session), settings pointing at it, and a scripted chat model (the only fake: the LLM)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES_DIR


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KOC_HOME holding the sample knowledge base, indexed once with the hashing embedding."""
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    home = tmp_path_factory.mktemp("assistant_kb")
    report = KnowledgeBase(Settings(home=home, embed_provider="hashing")).ingest([SAMPLES_DIR])
    assert not report.errors and report.chunks_added > 20
    return home


@pytest.fixture
def settings(sample_home: Path):
    from knowledge.settings import Settings

    return Settings(home=sample_home, embed_provider="hashing", llm="offline")


@pytest.fixture(scope="session")
def shared_kb(sample_home: Path):
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    return KnowledgeBase(Settings(home=sample_home, embed_provider="hashing"))


@pytest.fixture
def private_home(tmp_path: Path, sample_home: Path) -> Path:
    """A copy of the sample KB home that a test may change (e.g. plant a document)."""
    target = tmp_path / "home"
    shutil.copytree(sample_home, target, ignore=shutil.ignore_patterns("chats.db*"))
    return target
