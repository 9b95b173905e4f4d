"""A persistent embedding cache keyed by (model id, kind, sha1 of the text).

Embedding is by far the most expensive step on a CPU, so a text is never embedded
twice by the same model: re-ingesting unchanged files, resuming an interrupted ingest,
or re-running a benchmark all read vectors from here. SQLite (WAL) because it is a
single file, safe for concurrent readers, and already a dependency.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, kind TEXT, key TEXT, dim INTEGER, vec BLOB,"
            " PRIMARY KEY (model, kind, key))"
        )
        self._db.commit()

    def get_many(self, model: str, kind: str, keys: list[str]) -> dict[str, list[float]]:
        found: dict[str, list[float]] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start:start + 500]
                marks = ",".join("?" * len(batch))
                rows = self._db.execute(
                    f"SELECT key, vec FROM vectors WHERE model=? AND kind=? AND key IN ({marks})",
                    [model, kind, *batch],
                ).fetchall()
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def put_many(self, model: str, kind: str, items: dict[str, list[float]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?, ?)",
                [(model, kind, k, len(v), np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )
            self._db.commit()

    def count(self, model: str | None = None) -> int:
        with self._lock:
            if model is None:
                return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
            return self._db.execute("SELECT COUNT(*) FROM vectors WHERE model=?", (model,)).fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
