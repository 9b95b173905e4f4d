"""The router's similarity stage with the real EmbeddingGemma: short questions about someone that read like
"你是谁？" reach the handbooks, greetings stay small talk, and an "I" in a title looks up nobody's records."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.router import Router
from base.settings import get_settings
from knowledge.embeddings import default_model_path, get_embeddings

pytestmark = pytest.mark.real_model


def test_short_questions_about_someone_and_titles_route_to_the_handbooks(koc_home: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOC_EMBED_PROVIDER", "sentence-transformers")
    get_settings.cache_clear()
    if not Path(default_model_path(get_settings())).exists():
        pytest.skip("EmbeddingGemma not fetched (make models)")
    router = Router(embeddings=get_embeddings(get_settings()))
    for question in ("店长是谁？", "客服是谁？", "东湖是哪里？", "《I Love My Skin》那本手册第几页讲佣金？"):
        route = router.route(question, "koc", 3)
        assert route.intent == "rules" and route.tool is None, question
    for greeting in ("你好呀", "谢啦", "晚安"):
        assert router.route(greeting, "koc", 3).intent == "smalltalk", greeting
