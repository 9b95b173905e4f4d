"""Smoke test of the real bundled model (Qwen2.5-Coder-1.5B GGUF via llama-cpp-python's server).

Three questions through the whole Copilot, slow on purpose-limited: a rules question must get a
cited answer, a personal question the KOC's own number through a tool, an uncovered question a
refusal. The llama.cpp server is started by ``assistant.local_llm`` on a free port and stopped at
the end; knowledge base and ledger are real (hashing embeddings keep ingest fast: this test is
about the chat model, the embedding model has its own real-model tests).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.local_llm import LocalLLMServer, llama_cpp_installed, local_model_present
from tests.conftest import SAMPLES_DIR
from tests.servers import free_port

pytestmark = pytest.mark.real_model


def _skip_reason() -> str | None:
    from base.settings import Settings

    if not local_model_present(Settings()):
        return "local GGUF not fetched/verified (run `make models`)"
    if not llama_cpp_installed():
        return "llama-cpp-python not installed (run scripts/install_llama.sh)"
    return None


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


@pytest.fixture(scope="module")
def local_copilot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from ui.compose import build_copilot
    from assistant.providers import get_chat_model
    from knowledge.kb import KnowledgeBase
    from base.settings import Settings, get_settings
    from tools.client import ToolsClient
    from tools.db import open_engine
    from tools.demo import build_demo
    from tools.identity import Identity
    from tools.policy import load_policy
    from tools.service import create_app

    home = tmp_path_factory.mktemp("local_model_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOC_HOME", str(home))
        mp.setenv("KOC_EMBED_PROVIDER", "hashing")
        mp.setenv("KOC_DEMO", "1")
        mp.setenv("KOC_HQ_TOKEN", "")
        get_settings.cache_clear()
        settings = Settings(llm="local", local_model_port=free_port())
        demo = build_demo(open_engine(settings), load_policy(settings.policy))
        KnowledgeBase(settings).ingest([SAMPLES_DIR])
        tools_app = create_app(settings)
        server = LocalLLMServer(settings)
        with server:
            assert server.owned and server.healthy()
            copilot = build_copilot(settings, chat_model=get_chat_model(settings),
                              tools=lambda ident: ToolsClient.in_process(settings, ident.token,
                                                                                        app=tools_app))
            koc = demo.demo_kocs[0]
            yield copilot, Identity(role="koc", koc_id=koc["id"], token=koc["token"]), koc
        assert not server.healthy(), "the server must be stopped when the context exits"
        get_settings.cache_clear()


def test_rules_question_gets_a_cited_answer(local_copilot: tuple[Any, Any, dict[str, Any]]) -> None:
    copilot, identity, _ = local_copilot
    result = copilot.ask("灯塔KOC的佣金倍数是多少？", identity)
    assert not result.refused
    assert "1.3" in result.answer
    assert result.citations, "every rules answer cites the chunk it rests on"
    assert all(f"[{c.n}]" in result.answer for c in result.citations)


def test_personal_question_gets_the_tool_number(local_copilot: tuple[Any, Any, dict[str, Any]]) -> None:
    copilot, identity, _ = local_copilot
    result = copilot.ask("我这个月的佣金收入有多少？", identity)
    assert [t.name for t in result.tool_calls] == ["get_my_earnings"]
    tool_numbers = _numbers(json.dumps(result.tool_calls[0].result, ensure_ascii=False))
    amounts = {n for n in _numbers(result.answer) if "." in n}  # yuan amounts are shown with 分: 1,234.50
    assert amounts, f"the answer states an amount: {result.answer!r}"
    assert amounts <= tool_numbers, f"every amount in the answer comes from the tool result: {result.answer!r}"


def test_uncovered_question_is_refused(local_copilot: tuple[Any, Any, dict[str, Any]]) -> None:
    copilot, identity, _ = local_copilot
    result = copilot.ask("暖岛公司的股票代码是多少？今天股价多少？", identity)
    assert result.refused
    assert not result.citations
