"""Suite-wide test set-up: offline model hubs, no telemetry, and a private KOC_HOME per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "knowledge" / "samples"
SHARED_BENCHMARKS = REPO_ROOT.parent / "shared" / "benchmarks"


@pytest.fixture
def koc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh KOC_HOME; settings are re-read so nothing leaks between tests."""
    from knowledge.settings import get_settings

    home = tmp_path / "koc_home"
    monkeypatch.setenv("KOC_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def fast_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the tiny deterministic hashing embedding (unit tests that are not about model quality)."""
    from knowledge.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_PROVIDER", "hashing")
    get_settings.cache_clear()
