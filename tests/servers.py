"""Real servers for tests: uvicorn on 127.0.0.1 in a daemon thread, on a free port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from base.probe import free_port


class ThreadedServer:
    """uvicorn in a daemon thread; started on enter, stopped on exit."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "ThreadedServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@contextmanager
def demo_services(home: Path) -> Iterator[tuple[Any, Any]]:
    """The real back end of the product in ``home``: the demo ledger behind the commission &
    tier service over HTTP, and the sample knowledge base (hashing embeddings, offline provider).
    Yields settings pointing at that service, and the demo result (tokens of HQ and demo KOCs)."""
    import pytest

    from knowledge.kb import KnowledgeBase
    from base.settings import Settings, get_settings
    from tests.conftest import SAMPLES_DIR
    from tools.db import open_engine
    from tools.demo import build_demo
    from tools.policy import load_policy
    from tools.service import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOC_HOME", str(home))
        mp.setenv("KOC_EMBED_PROVIDER", "hashing")
        mp.setenv("KOC_LLM", "offline")
        mp.setenv("KOC_DEMO", "1")  # demo data and demo tokens exist only in demo mode
        mp.setenv("KOC_HQ_TOKEN", "")  # ... and the demo HQ token only when no real one is set
        mp.delenv("KOC_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        settings = Settings()
        demo = build_demo(open_engine(settings), load_policy(settings.policy))
        KnowledgeBase(settings).ingest([SAMPLES_DIR])
        try:
            with ThreadedServer(create_app(settings)) as tools:
                yield settings.model_copy(update={"tools_url": tools.url}), demo
        finally:
            get_settings.cache_clear()
