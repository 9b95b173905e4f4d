"""Checks a brief must pass before it is shown: structure and counts, platform limits, citations
that map to real chunks and support what cites them, distinct topics, and compliance.

The offline brief passes by construction; a model's draft is held to the same list, and the list
of problems is what the repair prompt sends back.
"""

from __future__ import annotations

from typing import Any

from assistant.briefs.distinct import repeated_angles, similar_pairs
from assistant.briefs.models import Brief, Citation
from assistant.compliance.platforms import title_length, visible_length
from assistant.compliance.rulebook import PlatformLimits
from assistant.compliance.service import ComplianceChecker
from assistant.text_match import support

#: share of a statement's bigrams its cited chunk must contain
SUPPORT_MIN = 0.5


def copy_texts(brief: Brief) -> list[tuple[str, str]]:
    """Every text of the brief that KOCs may post, labelled by where it sits (the do's and don'ts
    quote banned words on purpose and are not copy)."""
    out = [("summary", brief.summary)]
    out += [(f"key_messages[{i}]", m.text) for i, m in enumerate(brief.key_messages)]
    for i, t in enumerate(brief.topics):
        out += [(f"topics[{i}].title", t.title), (f"topics[{i}].hook", t.hook)]
        out += [(f"topics[{i}].outline[{j}]", line) for j, line in enumerate(t.outline)]
        out += [(f"topics[{i}].hashtags", " ".join(t.hashtags))]
    return out


def _citation_problem(c: Citation, kb: Any, statement: str, where: str) -> str | None:
    chunks = kb.get_chunks([c.chunk_id])
    if not chunks:
        return f"{where}: cites chunk {c.chunk_id!r}, which is not in the knowledge base"
    if support(c.text, chunks[0].text) < 0.9:
        return f"{where}: the quoted text is not in chunk {c.chunk_id}"
    if statement and support(statement, chunks[0].text) < SUPPORT_MIN:
        return f"{where}: chunk {c.chunk_id} does not support {statement[:40]!r}"
    return None


def problems(brief: Brief, *, kb: Any, limits: PlatformLimits, checker: ComplianceChecker,
             embeddings: Any | None) -> list[str]:
    """Everything wrong with ``brief``; empty when it may be shown."""
    out: list[str] = []
    want = brief.request.topics
    if len(brief.topics) != want:
        out.append(f"expected {want} topics, got {len(brief.topics)}")
    if not brief.key_messages:
        out.append("no key messages")
    for i, t in enumerate(brief.topics):
        if not t.title.strip() or not t.hook.strip() or not t.outline:
            out.append(f"topics[{i}]: title, hook and outline are required")
        if limits.title_max and title_length(t.title) > limits.title_max:
            out.append(f"topics[{i}].title: {title_length(t.title)} characters, the {limits.name} limit is {limits.title_max}")
        if limits.hashtags_max and len(t.hashtags) > limits.hashtags_max:
            out.append(f"topics[{i}].hashtags: {len(t.hashtags)}, the limit is {limits.hashtags_max}")
        body = "\n".join([t.hook, *t.outline])
        if limits.body_max and visible_length(body) > limits.body_max:
            out.append(f"topics[{i}]: body longer than {limits.body_max} characters")
        if not t.citations:
            out.append(f"topics[{i}]: no citations")
        for c in t.citations:
            if (p := _citation_problem(c, kb, "", f"topics[{i}]")) is not None:
                out.append(p)
    for i, m in enumerate(brief.key_messages):
        if not m.citations:
            out.append(f"key_messages[{i}]: no citations")
        elif all(_citation_problem(c, kb, m.text, f"key_messages[{i}]") for c in m.citations):
            out.append(_citation_problem(m.citations[0], kb, m.text, f"key_messages[{i}]") or "")
    for angle in repeated_angles([t.angle for t in brief.topics]):
        out.append(f"two topics share the angle {angle!r}")
    for i, j, sim in similar_pairs([t.title for t in brief.topics], embeddings):
        out.append(f"topics[{i}] and topics[{j}] have near-identical titles (similarity {sim:.2f})")
    for v in checker.check_texts(copy_texts(brief)).violations:
        out.append(f"{v.where}: {v.term!r} breaks {v.rule}")
    return out
