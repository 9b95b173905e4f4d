"""Which chunk each viewer may search: audience bits per chunk, aligned with the lexical index rows.

Built from the manifest (the store every replica shares) whenever its revision changes, so an
audience set by HQ on one replica is in force for the next question on every other one. A chunk
held by several files (a duplicate upload) may be read by anyone who may read one of them, and is
shown under the name of a file that asker may read.

Each audience token gets one bit; a viewer's mask is one vectorised AND over the rows, so filtering
100,000 chunks costs well under a millisecond, and both BM25 (score mask) and the dense search
(candidate filter) use the same rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from knowledge.audience import Viewer, audience_label, effective_tokens
from knowledge.manifest import FileRecord

#: the dense search for a viewer asks for this many times the neighbours it needs, divided by the
#: share of chunks the viewer may see, then keeps the visible ones (docs/benchmarks.md, Scale)
DEEP_MARGIN = 1.5
#: deeper than this, Chroma's search over an allow-list of the visible ids is the faster way
DEEP_CAP = 1000


class NearestStore(Protocol):
    """What ``nearest_visible`` needs of the vector store (``knowledge.vector_store.VectorStore``)."""

    def query(self, vector: list[float], k: int, where: dict | None = None,
              ids: list[str] | None = None) -> list[tuple[str, float]]: ...


@dataclass
class Visibility:
    """Audience bits per lexical row, and the name to show for chunks shared by several files."""

    ids: list[str] = field(default_factory=list)
    bits: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    token_bit: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # chunk id → its effective audience
    owners: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)  # shared chunks only

    @classmethod
    def build(cls, ids: list[str], files: list[FileRecord], default_audience: str) -> "Visibility":
        tokens_of: dict[str, set[str]] = {}
        owners: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for f in files:
            tokens = effective_tokens(f.audience, default_audience)
            for cid in f.chunk_list:
                tokens_of.setdefault(cid, set()).update(tokens)
                owners.setdefault(cid, []).append((f.source, tokens))
        token_bit: dict[str, int] = {}
        for tokens in tokens_of.values():
            for t in sorted(tokens):
                if t not in token_bit and len(token_bit) < 64:
                    token_bit[t] = len(token_bit)
        bits = np.zeros(len(ids), dtype=np.uint64)
        for row, cid in enumerate(ids):  # a chunk no file holds any more is nobody's (bits 0)
            bits[row] = sum(1 << token_bit[t] for t in tokens_of.get(cid, ()) if t in token_bit)
        labels = {cid: audience_label(tokens) for cid, tokens in tokens_of.items()}
        return cls(ids=list(ids), bits=bits, token_bit=token_bit, labels=labels,
                   owners={cid: o for cid, o in owners.items() if len(o) > 1})

    def _bits_of(self, tokens: frozenset[str]) -> int:
        return sum(1 << self.token_bit[t] for t in tokens if t in self.token_bit)

    def mask(self, viewer: Viewer | None) -> np.ndarray | None:
        """True per row the viewer may search; None = no restriction (HQ)."""
        if viewer is None or viewer.tokens is None:
            return None
        want = np.uint64(self._bits_of(viewer.tokens))
        return (self.bits & want) != 0

    def having(self, tokens: frozenset[str]) -> np.ndarray:
        """True per row whose audience includes one of ``tokens`` (the curator's ``--audience`` filter)."""
        return (self.bits & np.uint64(self._bits_of(tokens))) != 0

    def source_for(self, chunk_id: str, stored_source: str, viewer: Viewer | None) -> str:
        """The file name to show: the stored one, unless the viewer may not read that file but may
        read another file holding the same chunk."""
        owners = self.owners.get(chunk_id)
        if not owners or viewer is None or viewer.tokens is None:
            return stored_source
        visible = [src for src, tokens in owners if viewer.sees(tokens)]
        return stored_source if stored_source in visible or not visible else visible[0]


def nearest_visible(store: NearestStore, q_vec: list[float], depth: int, where: dict | None,
                    allowed: np.ndarray | None, ids: list[str], positions: dict[str, int]
                    ) -> tuple[list[tuple[str, float]], str]:
    """The ``depth`` nearest chunks among the ``allowed`` rows (None = all), and how they were found.

    Chroma's own metadata filter scans the matching ids and took 20x the unfiltered time at 100k
    chunks, so this asks for more neighbours than it needs (``depth`` / share visible x
    ``DEEP_MARGIN``) and keeps the visible ones ("deeper-k"). When that would be deeper than
    ``DEEP_CAP`` or leaves too few, Chroma searches an allow-list of the visible ids ("allow-list").
    Either way only visible chunks come back; a chunk the manifest does not know is never visible.
    """
    if allowed is None:
        return store.query(q_vec, depth, where), "unfiltered"
    total, visible = len(allowed), int(allowed.sum())
    if visible == 0:
        return [], "none-visible"

    def ok(cid: str) -> bool:
        row = positions.get(cid)
        return row is not None and bool(allowed[row])

    deep = min(math.ceil(depth * DEEP_MARGIN * total / visible), max(total, depth))
    if deep <= DEEP_CAP or deep >= total:
        found = store.query(q_vec, deep, where)
        kept = [(cid, sim) for cid, sim in found if ok(cid)][:depth]
        if len(kept) >= min(depth, visible) or len(found) < deep:  # enough, or nothing more to find
            return kept, "deeper-k"
    allow = [ids[row] for row in np.flatnonzero(allowed)]
    return [(cid, sim) for cid, sim in store.query(q_vec, depth, where, ids=allow) if ok(cid)], "allow-list"
