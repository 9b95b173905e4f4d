"""Corrupt the persisted lexical (BM25) index: the next start notices (every file's SHA-256 is kept
beside the index), rebuilds it from the manifest and answers exactly as before. Flipped bytes in
the index used to load silently and end a search in an IndexError traceback (a 500 in the API)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.faults.conftest import koc, koc_env

QUERIES = ["顾客退款了，我的佣金怎么办？", "怎么升级到下一个等级？", "試用品的測評要多久交？", "How is commission settled?"]


def flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(128, len(data), 7):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


CORRUPTIONS = {
    "flipped bytes in the postings": lambda d: flip_bytes(d / "bm25" / "indices.csc.index.npy"),
    "flipped bytes in the scores": lambda d: flip_bytes(d / "bm25" / "data.csc.index.npy"),
    "truncated metadata": lambda d: (d / "lexical.json").write_bytes((d / "lexical.json").read_bytes()[:500]),
    "missing file": lambda d: (d / "bm25" / "indptr.csc.index.npy").unlink(),
    "garbage vocabulary": lambda d: (d / "bm25" / "vocab.index.json").write_text("{not json"),
    "emptied file": lambda d: (d / "bm25" / "params.index.json").write_bytes(b""),
}


def ranking(home: Path) -> list[list[tuple[str, float]]]:
    from base.settings import Settings
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(Settings(home=home, embed_provider="hashing"))
    return [[(h.chunk_id, round(h.lexical_score or 0.0, 6)) for h in kb.search(q, k=5, mode="bm25").hits] for q in QUERIES]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("corrupt", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_a_corrupted_lexical_index_is_rebuilt(private_home: Path, corrupt: str) -> None:
    from knowledge.lexical import _sha256

    before = ranking(private_home)  # loads (or first rebuilds) the persisted copy
    lexical = private_home / "lexical"
    CORRUPTIONS[corrupt](lexical)
    assert ranking(private_home) == before  # a fresh instance: detected, rebuilt, same answers
    meta = json.loads((lexical / "lexical.json").read_text())
    assert meta["files"] and all(_sha256(lexical / "bm25" / name) == digest for name, digest in meta["files"].items())


@pytest.mark.timeout(300)
def test_the_cli_answers_through_a_corrupted_index(private_home: Path) -> None:
    env = koc_env(private_home)
    first = koc("search", QUERIES[0], "-k", "3", "--json", env=env)
    assert first.returncode == 0, first.stderr[-1500:]
    flip_bytes(private_home / "lexical" / "bm25" / "indices.csc.index.npy")
    again = koc("search", QUERIES[0], "-k", "3", "--json", env=env)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-1500:]
    assert [h["chunk_id"] for h in json.loads(again.stdout)["hits"]] == [h["chunk_id"] for h in json.loads(first.stdout)["hits"]]
