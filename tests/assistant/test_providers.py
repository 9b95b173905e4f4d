"""Provider resolution and the openai provider's wire format against a real (scripted) HTTP server.

The fake server is a tiny FastAPI app served by uvicorn on 127.0.0.1: it records every request
and replies with scripted chat completions (plain text, tool calls, SSE streaming, or a delay),
so ChatOpenAI's real HTTP client is exercised end to end; only the model is fake.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.servers import ThreadedServer, free_port
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.tools import tool

from assistant import local_llm
from assistant.local_llm import LocalLLMServer, LocalModelError
from assistant.providers import get_chat_model, resolve_provider
from base.settings import Settings


class FakeOpenAI:
    """Scripted OpenAI-compatible chat server. ``script`` is consumed one reply per request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.script: list[dict[str, Any]] = []
        self.app = FastAPI()
        self.app.get("/v1/models")(self._models)
        self.app.post("/v1/chat/completions")(self._chat)
        self.server = ThreadedServer(self.app)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return self.server.url

    def __enter__(self) -> "FakeOpenAI":
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    async def _models(self) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "tests"}]}

    async def _chat(self, request: Request) -> Any:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        reply = self.script.pop(0) if self.script else {"content": "ok"}
        if reply.get("delay"):
            import asyncio

            await asyncio.sleep(reply["delay"])
        message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
        if reply.get("tool_calls"):
            message["tool_calls"] = [
                {"id": f"call_{i}", "type": "function",
                 "function": {"name": name, "arguments": json.dumps(args)}}
                for i, (name, args) in enumerate(reply["tool_calls"])
            ]
        finish = "tool_calls" if reply.get("tool_calls") else "stop"
        if body.get("stream"):
            return StreamingResponse(self._sse(body["model"], message, finish), media_type="text/event-stream")
        return JSONResponse({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8},
        })

    def _sse(self, model: str, message: dict[str, Any], finish: str) -> Iterator[str]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
            payload = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
            return f"data: {json.dumps(payload)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        for word in (message.get("content") or "").split(" "):
            yield chunk({"content": word + " "})
        for i, call in enumerate(message.get("tool_calls") or []):
            yield chunk({"tool_calls": [{"index": i, **call}]})
        yield chunk({}, finish)
        yield "data: [DONE]\n\n"


@pytest.fixture
def fake_openai(allow_model_requests: None) -> Iterator[FakeOpenAI]:
    """The scripted server; the real ChatOpenAI client pointed at it may be built (``base.gate``)."""
    with FakeOpenAI() as server:
        yield server


def openai_settings(server: FakeOpenAI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"llm": "openai", "llm_base_url": f"{server.base_url}/v1", "llm_model": "fake-model",
                              "llm_timeout_s": 5, **overrides}
    return Settings(**values)


# --- resolution ------------------------------------------------------------------------------

def _plant_model(models_dir: Path) -> None:
    """A verified-looking GGUF: resolution only checks presence + the .verified marker."""
    models_dir.mkdir(parents=True, exist_ok=True)
    (models_dir / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").write_bytes(b"GGUF")
    (models_dir / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf.verified").write_text("x\n")


@pytest.mark.parametrize("forced", ["openai", "local", "offline"])
def test_explicit_provider_is_taken_as_is(forced: str, tmp_path: Path) -> None:
    assert resolve_provider(Settings(llm=forced, models_dir=tmp_path)) == forced


def test_auto_prefers_a_configured_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    _plant_model(tmp_path)
    assert resolve_provider(Settings(llm="auto", llm_base_url="http://127.0.0.1:1/v1", models_dir=tmp_path,
                                     llm_auto_fallback="local")) == "openai"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert resolve_provider(Settings(llm="auto", models_dir=tmp_path)) == "openai"


def test_auto_without_key_uses_the_measured_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    # No model fetched: offline whatever the fallback says.
    assert resolve_provider(Settings(llm="auto", models_dir=tmp_path, llm_auto_fallback="local")) == "offline"
    _plant_model(tmp_path)
    expected_local = "local" if local_llm.llama_cpp_installed() else "offline"
    assert resolve_provider(Settings(llm="auto", models_dir=tmp_path, llm_auto_fallback="local")) == expected_local
    assert resolve_provider(Settings(llm="auto", models_dir=tmp_path, llm_auto_fallback="offline")) == "offline"


def test_shipped_auto_fallback_default_is_documented() -> None:
    field = Settings.model_fields["llm_auto_fallback"]
    assert field.default in {"local", "offline"}
    assert "docs/benchmarks.md" in (field.description or "")


def test_offline_has_no_chat_model(tmp_path: Path) -> None:
    assert get_chat_model(Settings(llm="offline", models_dir=tmp_path)) is None


def test_forced_local_without_weights_fails_clearly(tmp_path: Path, koc_home: Path, allow_model_requests: None) -> None:
    # allowed past ``base.gate``: there are no weights in models_dir, so nothing real can load
    settings = Settings(llm="local", models_dir=tmp_path, local_model_port=free_port())
    with pytest.raises(LocalModelError, match="make models|llama-cpp-python"):
        get_chat_model(settings)


# --- openai provider wire format ---------------------------------------------------------------

def test_openai_provider_sends_standard_chat_request(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wire-test")
    fake_openai.script.append({"content": "推荐返佣为 10% [1]。"})
    model = get_chat_model(openai_settings(fake_openai))
    reply = model.invoke([SystemMessage("rules"), HumanMessage("推荐返佣是多少？")])
    assert reply.content.strip() == "推荐返佣为 10% [1]。"
    sent = fake_openai.requests[0]
    assert sent["model"] == "fake-model"
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert sent["messages"][1]["content"] == "推荐返佣是多少？"
    assert fake_openai.headers[0]["authorization"] == "Bearer sk-wire-test"


def test_openai_provider_parses_tool_calls(fake_openai: FakeOpenAI) -> None:
    @tool
    def get_my_earnings(month: str) -> str:
        """Commission earned by the signed-in KOC in a month (YYYY-MM)."""
        return "0"

    fake_openai.script.append({"content": None, "tool_calls": [("get_my_earnings", {"month": "2026-10"})]})
    model = get_chat_model(openai_settings(fake_openai)).bind_tools([get_my_earnings])
    reply = model.invoke("我十月赚了多少？")
    assert isinstance(reply, AIMessage)
    assert reply.tool_calls == [{"name": "get_my_earnings", "args": {"month": "2026-10"}, "id": "call_0",
                                 "type": "tool_call"}]
    sent_tools = fake_openai.requests[0]["tools"]
    assert sent_tools[0]["function"]["name"] == "get_my_earnings"
    assert "month" in sent_tools[0]["function"]["parameters"]["properties"]


def test_openai_provider_streams_tokens(fake_openai: FakeOpenAI) -> None:
    fake_openai.script.append({"content": "Level up after 3 more posts [2]."})
    model = get_chat_model(openai_settings(fake_openai))
    chunks = [c.content for c in model.stream("How do I reach the next tier?")]
    assert len([c for c in chunks if c]) >= 5, "expected several streamed deltas"
    assert "".join(chunks).strip() == "Level up after 3 more posts [2]."
    assert fake_openai.requests[0]["stream"] is True


def test_openai_provider_streams_tool_calls(fake_openai: FakeOpenAI) -> None:
    fake_openai.script.append({"content": "", "tool_calls": [("get_tier_progress", {})]})
    model = get_chat_model(openai_settings(fake_openai))
    merged = None
    for chunk in model.stream("我离下一级还差多少？"):
        merged = chunk if merged is None else merged + chunk
    assert merged is not None and merged.tool_calls[0]["name"] == "get_tier_progress"


def test_openai_provider_times_out_instead_of_hanging(fake_openai: FakeOpenAI) -> None:
    fake_openai.script += [{"content": "late", "delay": 5}] * 3
    model = get_chat_model(openai_settings(fake_openai, llm_timeout_s=0.5))
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        model.invoke("hello")
    assert "timeout" in type(info.value).__name__.lower() or "timed out" in str(info.value).lower()
    assert time.monotonic() - started < 4  # one retry at most


# --- local server lifecycle (the real model has its own smoke test: test_local_model.py) ------

def test_local_server_adopts_a_healthy_server_and_never_stops_it(fake_openai: FakeOpenAI, koc_home: Path,
                                                                  tmp_path: Path) -> None:
    server = LocalLLMServer(Settings(models_dir=tmp_path), port=fake_openai.port)
    with server:
        assert server.healthy() and not server.owned
    assert httpx.get(f"{fake_openai.base_url}/v1/models").status_code == 200


def test_local_server_without_weights_explains_what_to_run(koc_home: Path, tmp_path: Path) -> None:
    server = LocalLLMServer(Settings(models_dir=tmp_path), port=free_port())
    with pytest.raises(LocalModelError, match="make models"):
        server.start()
    assert not server.owned
