"""A knowledge base of a few handbooks written by the test itself, on the hashing embedding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from base.settings import Settings
from knowledge.kb import KnowledgeBase


def handbook_kb(tmp_path: Path, handbooks: dict[str, str], **settings: Any) -> tuple[Settings, KnowledgeBase]:
    """``handbooks`` (file name → text) ingested into a new home under ``tmp_path``; ``settings``
    override the defaults (offline answers, the hashing embedding)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in handbooks.items():
        (folder / name).write_text(text, encoding="utf-8")
    chosen = Settings(**{"home": tmp_path / "home", "embed_provider": "hashing", "llm": "offline", **settings})
    kb = KnowledgeBase(chosen)
    assert not kb.ingest([folder]).errors
    return chosen, kb
