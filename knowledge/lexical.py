"""Chinese-aware BM25 (bm25s): jieba words + character bigrams over script-normalised text.

* OpenCC t2s first, so 繁體 queries match 简体 passages and vice versa.
* jieba (search mode) for words, with the brand dictionary loaded so product and tier
  names stay one token.
* character bigrams of every CJK run (own namespace) so words jieba does not know
  still match.
The index is rebuilt from the manifest after each ingest (bm25s indexes thousands of
chunks in well under a second) and persisted with a stamp and the SHA-256 of every file; a
stale, missing or corrupted copy is rebuilt on load.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from base.language import quiet_jieba, to_simplified
from knowledge.text import normalize, parse_zh_number

log = logging.getLogger(__name__)

#: Bump when ``Tokenizer.tokens`` changes, so persisted indexes built with the old tokens rebuild.
TOKENIZER_VERSION = "3"
_TOKEN_OK = re.compile(r"[0-9a-z\u3400-\u9fff]")
#: a Chinese count before a measure word: 前三天, 连续三次, 十五篇, 二十人
_ZH_COUNT = re.compile(r"[一二两三四五六七八九十]{1,3}(?=[天次个名笔条篇周月年人位件级期])")
#: the counts read as digits: one digit, or tens written with 十 (not ranges like 三五)
_COUNT_FORM = re.compile(r"[一二两三四五六七八九]|[一二两三四五六七八九]?十[一二两三四五六七八九]?")


def _count_digits(match: re.Match[str]) -> str:
    """"三" → "3", "十五" → "15", "二十" → "20"; anything else is left as written."""
    text = match.group(0)
    return str(parse_zh_number(text)) if _COUNT_FORM.fullmatch(text) else text


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_BIGRAM = "§"  # namespace prefix of character bigrams


@lru_cache(maxsize=1)
def _base_jieba():
    tokenizer = quiet_jieba().Tokenizer()
    tokenizer.initialize()
    return tokenizer


class Tokenizer:
    """jieba with a private dictionary (brand terms of this knowledge base) plus CJK bigrams."""

    def __init__(self, terms: list[str] | None = None) -> None:
        base = _base_jieba()
        self._jieba = quiet_jieba().Tokenizer()
        # share the parsed default dictionary instead of re-reading it (~2 s) for every index rebuild
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = dict(base.FREQ), base.total, True
        self.terms: list[str] = []
        self.add_terms(terms or [])

    def add_terms(self, terms: list[str]) -> None:
        for term in terms:
            t = to_simplified(normalize(term)).lower()
            if t and t not in self.terms:
                self.terms.append(t)
                self._jieba.add_word(t, freq=200000)

    def prepare(self, text: str) -> str:
        return to_simplified(normalize(text)).lower()

    def tokens(self, text: str) -> list[str]:
        t = self.prepare(text)
        words = [w.strip() for w in self._jieba.cut_for_search(t)]
        out = [w for w in words if w and _TOKEN_OK.search(w)]
        for run in _CJK_RUN.findall(t):
            out += [_BIGRAM + run[i:i + 2] for i in range(len(run) - 1)]
        # a count also as its digits: handbooks write "前 3 天", askers "前三天" (added, not replaced,
        # so every other match stays as it was)
        out += [d for m in _ZH_COUNT.finditer(t) if (d := _count_digits(m)).isdigit()]
        return out


class LexicalIndex:
    """BM25 over chunk ids; ``scores(query)`` returns a score per indexed chunk."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.ids: list[str] = []
        self.df: Counter[str] = Counter()
        self._bm25 = None
        self.stamp = ""
        self._doc_tokens: dict[str, frozenset[str]] = {}

    @staticmethod
    def make_stamp(chunk_ids: list[str], terms: list[str]) -> str:
        h = hashlib.sha1()
        for part in [f"tokenizer {TOKENIZER_VERSION}"] + sorted(chunk_ids) + ["|terms|"] + sorted(terms):
            h.update(part.encode() + b"\n")
        return h.hexdigest()

    def build(self, ids: list[str], texts: list[str]) -> None:
        import bm25s

        self.ids = list(ids)
        corpus = [self.tokenizer.tokens(t) for t in texts]
        self.df = Counter(tok for toks in corpus for tok in set(toks))
        self._bm25 = None
        if corpus:
            self._bm25 = bm25s.BM25()
            # bm25s needs at least one token per document; an empty chunk gets a placeholder
            self._bm25.index([toks or ["∅"] for toks in corpus], show_progress=False)
        self.stamp = self.make_stamp(self.ids, self.tokenizer.terms)

    def save(self, directory: Path) -> None:
        """Persist the index: the bm25s files, then ``lexical.json`` (written atomically) with the
        SHA-256 of each of them, so a corrupted, truncated or half-written copy is never loaded."""
        directory.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        if self._bm25 is not None:
            self._bm25.save(str(directory / "bm25"))
            files = {f.name: _sha256(f) for f in sorted((directory / "bm25").iterdir()) if f.is_file()}
        meta = directory / "lexical.json"
        partial = meta.with_name(meta.name + ".tmp")
        partial.write_text(json.dumps({"stamp": self.stamp, "ids": self.ids, "df": self.df, "files": files}))
        os.replace(partial, meta)

    def load(self, directory: Path, expected_stamp: str) -> bool:
        """Load a persisted copy if it matches ``expected_stamp`` and every file its digest; False =
        caller must rebuild (missing, stale, corrupted, truncated or half-written copies alike)."""
        import bm25s

        meta_file = directory / "lexical.json"
        if not meta_file.exists():
            return False
        try:
            meta = json.loads(meta_file.read_text())
            if meta["stamp"] != expected_stamp or not isinstance(meta.get("files"), dict):
                return False
            if meta["ids"] and not meta["files"]:
                return False
            for name, digest in meta["files"].items():
                if _sha256(directory / "bm25" / name) != digest:
                    log.warning("lexical index file %s is corrupted: rebuilding the index", name)
                    return False
            self.ids, self.df, self.stamp = meta["ids"], Counter(meta["df"]), meta["stamp"]
            self._bm25 = bm25s.BM25.load(str(directory / "bm25")) if self.ids else None
            return True
        except Exception:  # a half-written or foreign copy is simply rebuilt
            return False

    def positions(self) -> dict[str, int]:
        """chunk id → row in the score vector (built once per index)."""
        if getattr(self, "_positions", None) is None or len(self._positions) != len(self.ids):
            self._positions = {cid: i for i, cid in enumerate(self.ids)}
        return self._positions

    def idf(self, token: str) -> float:
        n = max(len(self.ids), 1)
        df = self.df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float32)

    def coverage(self, query_tokens: list[str], doc_text: str, doc_id: str | None = None) -> float:
        """IDF-weighted share of the query's tokens found in ``doc_text`` (0..1): an absolute evidence signal."""
        q = set(query_tokens)
        if not q:
            return 0.0
        doc = self._doc_tokens.get(doc_id) if doc_id else None
        if doc is None:
            doc = frozenset(self.tokenizer.tokens(doc_text))
            if doc_id:
                self._doc_tokens[doc_id] = doc  # tokenising a chunk costs ~10 ms; queries hit the same chunks
        total = sum(self.idf(t) for t in q)
        return sum(self.idf(t) for t in q & doc) / total if total else 0.0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
