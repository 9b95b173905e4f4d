"""Smoke test of a brief written by the real bundled model (slow: ``real_model``), kept tiny: two
topics. Whatever the 1.5B model writes, the brief that comes out is valid — its own draft when it
passes validation, otherwise the offline brief with the reasons in ``warnings``."""

from __future__ import annotations

import time
from datetime import date

import pytest

from assistant.local_llm import LocalLLMServer, llama_cpp_installed, local_model_present
from tests.servers import free_port

pytestmark = pytest.mark.real_model


def test_local_model_brief_is_valid_or_falls_back(shared_kb, sample_catalog) -> None:
    from assistant.briefs.models import BriefRequest
    from assistant.briefs.writer import BriefWriter
    from assistant.providers import get_chat_model
    from base.settings import Settings

    settings = Settings(llm="local", local_model_port=free_port())
    if not local_model_present(settings) or not llama_cpp_installed():
        pytest.skip("local GGUF or llama-cpp-python missing (run `make models`)")
    with LocalLLMServer(settings):
        writer = BriefWriter(shared_kb, catalog=sample_catalog, chat_model=get_chat_model(settings),
                             embeddings=shared_kb.embeddings, provider="local")
        started = time.perf_counter()
        brief = writer.write(BriefRequest(campaign="秋季换季修护", audience="宝妈", platform="xiaohongshu", topics=2,
                                          products=["燕麦修护面霜"], start=date(2026, 9, 1), end=date(2026, 9, 7)))
        print(f"local-model brief: {time.perf_counter() - started:.1f} s, provider {brief.provider}, "
              f"fell back {brief.fell_back}, warnings {brief.warnings[:3]}")
    assert len(brief.topics) == 2 and brief.compliance.passed
    assert brief.provider == "local" or (brief.fell_back and brief.warnings)
    assert all(t.citations for t in brief.topics)
