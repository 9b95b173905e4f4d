"""Which chat model answers: ``KOC_LLM`` = auto | openai | local | offline.

Every provider that has a model speaks the OpenAI chat-completions protocol (a hosted endpoint,
vLLM/Ollama, or the bundled llama.cpp server), so one LangChain class, ``ChatOpenAI``, serves
them all and the agent has a single code path. ``offline`` means no model at all: the Copilot
then answers with its deterministic router + extractive responder.

``auto`` resolves in this order:
1. ``openai`` when an endpoint is configured (``KOC_LLM_BASE_URL``) or ``OPENAI_API_KEY`` is set;
2. otherwise ``KOC_LLM_AUTO_FALLBACK`` (``local`` or ``offline``), where ``local`` is only taken
   when the GGUF is fetched and verified and llama-cpp-python is installed. The shipped default
   of that setting was chosen by measuring both on the core question set
   (``koc bench answers``; numbers in docs/benchmarks.md, section "Assistant").
"""

from __future__ import annotations

from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from assistant.local_llm import LOCAL_MODEL_ALIAS, ensure_local_server, local_model_available
from base.gate import check_model_requests
from base.settings import Settings, get_settings

Provider = Literal["openai", "local", "offline"]

#: The OpenAI client insists on a key even for servers that ignore it (llama.cpp, vLLM, Ollama).
_PLACEHOLDER_KEY = "not-needed"


def openai_configured(settings: Settings) -> bool:
    """An OpenAI-compatible endpoint is usable: explicit base URL, or a key for the default endpoint."""
    return bool(settings.llm_base_url or settings.openai_api_key)


def resolve_provider(settings: Settings | None = None) -> Provider:
    """The provider ``settings.llm`` stands for on this machine (``auto`` resolved, see module doc)."""
    settings = settings or get_settings()
    if settings.llm != "auto":
        return settings.llm
    if openai_configured(settings):
        return "openai"
    if settings.llm_auto_fallback == "local" and local_model_available(settings):
        return "local"
    return "offline"


def openai_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured endpoint. Few retries: a dead LLM should fall back fast."""
    check_model_requests(f"chat model {settings.llm_model} at {settings.llm_base_url or 'the OpenAI API'}")
    return ChatOpenAI(
        base_url=settings.llm_base_url or None,
        model=settings.llm_model,
        api_key=settings.openai_api_key or _PLACEHOLDER_KEY,
        timeout=settings.llm_timeout_s,
        max_retries=1,
        streaming=True,
    )


def local_chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI pointed at the bundled llama.cpp server, which is started here if not yet up.

    Temperature 0 keeps the small model's phrasing reproducible (the guard checks it anyway) and
    ``max_tokens`` bounds answer time on a CPU.
    """
    check_model_requests("the bundled local chat model")
    server = ensure_local_server(settings)
    return ChatOpenAI(
        base_url=f"{server.base_url}/v1",
        model=LOCAL_MODEL_ALIAS,
        api_key=_PLACEHOLDER_KEY,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=True,
        temperature=0.0,
        max_tokens=settings.local_model_max_tokens,
    )


def get_chat_model(settings: Settings | None = None) -> BaseChatModel | None:
    """The chat model for ``KOC_LLM``, or None for offline. May start the local server.

    Raises ``assistant.local_llm.LocalModelError`` when ``KOC_LLM=local`` is forced but the model
    cannot be served (with ``auto`` that case resolves to offline instead).
    """
    settings = settings or get_settings()
    provider = resolve_provider(settings)
    if provider == "openai":
        return openai_chat_model(settings)
    if provider == "local":
        return local_chat_model(settings)
    return None
