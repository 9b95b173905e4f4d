"""The question texts one turn embeds, embedded together by whichever step needs the first of them.

A turn can embed its question three ways, in three places: the router (when no rule decides), the
search (also as the question's twin in the handbooks' Chinese script) and the answerability check
(each part of a multi-part question on its own). One after another they cost one encode each; on a
CPU a batch of three short questions costs little more than one (docs/benchmarks.md). So the first
step to need a vector embeds all of them, and the later steps find theirs in the embeddings' memory.
The same holds for a topic list or a brief, which search for several fixed queries in a row.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from knowledge.embeddings import embed_queries
from assistant.offline import vector_parts

log = logging.getLogger(__name__)


def turn_texts(kb: Any, text: str) -> list[str]:
    """``text`` first, then what the search and the answerability check will also embed for it:
    its twin in the knowledge base's main Chinese script and the parts read on their own vectors."""
    return list(dict.fromkeys([*search_texts(kb, [text]), *vector_parts(text)]))


def search_texts(kb: Any, queries: Iterable[str]) -> list[str]:
    """What searching each of ``queries`` embeds (``KnowledgeBase.query_texts``: the query, and its
    twin in the main Chinese script when it is written in the other one)."""
    return list(dict.fromkeys(text for query in queries for text in kb.query_texts(query)))


def embed_ahead(kb: Any, texts: list[str]) -> None:
    """Embed ``texts`` with the knowledge base's model in one batch, so later look-ups of each are
    free. Only a warm-up: a failure here (no model configured, an overloaded queue) is left for the
    step that needs the vector to report, or to fall back to words."""
    if len(texts) < 2:
        return
    try:
        embed_queries(kb.embeddings, texts)
    except Exception as exc:  # the step that needs the vector meets the same error and handles it
        log.debug("question texts not embedded ahead: %s", exc)
