"""Suite-wide test set-up: offline model hubs, no telemetry, and a private KOC_HOME per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from base import gate  # noqa: E402
from tests import pg  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "knowledge" / "samples"
SHARED_BENCHMARKS = REPO_ROOT.parent / "shared" / "benchmarks"


@pytest.fixture(scope="session")
def pg_cluster():
    """A PostgreSQL server for this test session; skipped only when no server binaries exist."""
    if not pg.available():
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed; scripts/test_prereqs.sh installs them")
    server = pg.PgServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        server.destroy()


@pytest.fixture
def koc_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh KOC_HOME; settings are re-read so nothing leaks between tests."""
    from base.settings import get_settings

    home = tmp_path / "koc_home"
    monkeypatch.setenv("KOC_HOME", str(home))
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def fast_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the tiny deterministic hashing embedding (unit tests that are not about model quality)."""
    from base.settings import get_settings

    monkeypatch.setenv("KOC_EMBED_PROVIDER", "hashing")
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def no_real_models(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches a real model unless it says so: ``real_model`` tests (slow, few) and tests
    that take ``allow_model_requests`` (a real client against a fake server) may."""
    allowed = request.node.get_closest_marker("real_model") is not None or "allow_model_requests" in request.fixturenames
    monkeypatch.setattr(gate, "ALLOW_MODEL_REQUESTS", allowed)


@pytest.fixture
def allow_model_requests() -> None:
    """Lets a test build a real model client (pointed at a fake server started by the test)."""


@pytest.fixture(scope="session")
def sample_catalog():
    """The sample policy's products, as the composition root hands them to the router."""
    from base.settings import Settings
    from tools.catalog import product_refs
    from tools.policy import get_policy

    return product_refs(get_policy(Settings().policy))


@pytest.fixture(scope="session")
def sample_tier_names():
    """The sample policy's tier names, as the composition root hands them to the router."""
    from base.settings import Settings
    from tools.policy import get_policy
    from ui.compose import tier_names

    return tier_names(get_policy(Settings().policy))


# --- the sample knowledge base, indexed once (assistant, evals and ui tests) -------------------

@pytest.fixture(scope="session")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KOC_HOME holding the sample knowledge base, indexed once with the hashing embedding."""
    from knowledge.kb import KnowledgeBase
    from base.settings import Settings

    home = tmp_path_factory.mktemp("assistant_kb")
    report = KnowledgeBase(Settings(home=home, embed_provider="hashing")).ingest([SAMPLES_DIR])
    assert not report.errors and report.chunks_added > 20
    return home


@pytest.fixture
def settings(sample_home: Path):
    from base.settings import Settings

    return Settings(home=sample_home, embed_provider="hashing", llm="offline")


@pytest.fixture(scope="session")
def shared_kb(sample_home: Path):
    from knowledge.kb import KnowledgeBase
    from base.settings import Settings

    return KnowledgeBase(Settings(home=sample_home, embed_provider="hashing"))


@pytest.fixture
def private_home(tmp_path: Path, sample_home: Path) -> Path:
    """A copy of the sample KB home that a test may change (e.g. plant a document)."""
    target = tmp_path / "home"
    shutil.copytree(sample_home, target, ignore=shutil.ignore_patterns("chats.db*"))
    return target


@pytest.fixture(scope="session")
def heldout_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A KOC_HOME holding the second brand's knowledge base (evals/kbs/heldout), hashing embedding."""
    from knowledge.kb import KnowledgeBase
    from base.settings import Settings

    home = tmp_path_factory.mktemp("heldout_kb")
    report = KnowledgeBase(Settings(home=home, embed_provider="hashing")).ingest([REPO_ROOT / "evals" / "kbs" / "heldout"])
    assert not report.errors and report.chunks_added > 20
    return home


@pytest.fixture(scope="session")
def heldout_kb(heldout_home: Path):
    from knowledge.kb import KnowledgeBase
    from base.settings import Settings

    return KnowledgeBase(Settings(home=heldout_home, embed_provider="hashing"))
