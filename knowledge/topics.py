"""The topics a knowledge base covers, read from its own headings.

Used to suggest questions to a new user: the suggestions must come from the brand's documents,
not from strings written for one brand. A heading is the document author's own name for a topic,
so the deepest heading of each chunk is a topic; headings already written as questions (FAQ
entries) are the best suggestions, because they are how users ask.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from knowledge.manifest import ChunkRecord

#: A heading's list numbering ("一、", "2.", "(3)") is layout, not part of the topic.
NUMBERING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．)]|[(（]\d+[)）])\s*")
QUESTION_END = ("?", "？")
MIN_CHARS, MAX_CHARS = 3, 28


@dataclass(frozen=True)
class Topic:
    """One heading of the knowledge base, with where it comes from."""

    heading: str
    source: str
    language: str
    is_question: bool


def clean_heading(heading: str) -> str:
    return NUMBERING_RE.sub("", heading).strip()


def topics(chunks: list[ChunkRecord]) -> list[Topic]:
    """Distinct topics in document order: the deepest heading of each chunk (document titles,
    the top of every path, name a whole file, not a topic, and are left out when deeper ones exist)."""
    seen: set[str] = set()
    out: list[Topic] = []
    for chunk in sorted(chunks, key=lambda c: (c.source, c.chunk_id)):
        path = json.loads(chunk.heading_path)
        if len(path) < 2:
            continue
        heading = clean_heading(path[-1])
        if not (MIN_CHARS <= len(heading) <= MAX_CHARS) or heading in seen:
            continue
        seen.add(heading)
        out.append(Topic(heading, chunk.source, chunk.language, heading.endswith(QUESTION_END)))
    return out


def spread(found: list[Topic], n: int) -> list[Topic]:
    """Up to ``n`` topics, questions first, taken in turn from each source so one long document
    does not fill the list."""
    by_source: dict[str, list[Topic]] = {}
    for topic in sorted(found, key=lambda t: not t.is_question):
        by_source.setdefault(topic.source, []).append(topic)
    queues = sorted(by_source.values(), key=lambda q: (not q[0].is_question, q[0].source))
    picked: list[Topic] = []
    while len(picked) < n and any(queues):
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return picked
