"""HTML for the chat's side panels: citations that open to their passage, and the tool trace.

Everything shown is escaped: document text and tool results are data, never markup.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

from knowledge.kb import KnowledgeBase

NO_SOURCES = "<p class='koc-empty'>No sources for this answer.</p>"
NO_TOOLS = "<p class='koc-empty'>No tools were called.</p>"
TRACE_MAX_CHARS = 4000


def _as_dict(item: Any) -> dict[str, Any]:
    return item.model_dump() if hasattr(item, "model_dump") else dict(item)


def render_sources(citations: Iterable[Any], kb: KnowledgeBase | None = None) -> str:
    """Each ``[n]`` as a collapsible block naming the document and the heading it sits under; it
    opens to the cited passage. Headings come from the knowledge base (a citation stores the chunk id)."""
    cites = [_as_dict(c) for c in citations]
    if not cites:
        return NO_SOURCES
    headings: dict[str, list[str]] = {}
    if kb is not None:
        headings = {h.chunk_id: h.heading_path for h in kb.get_chunks([c["chunk_id"] for c in cites])}
    items = []
    for c in cites:
        path = headings.get(c["chunk_id"], [])
        heading = f" <span class='koc-heading'>› {html.escape(' › '.join(path[1:] or path))}</span>" if path else ""
        items.append(
            f"<details class='koc-source'><summary>[{c['n']}] <b class='koc-doc'>{html.escape(c['source'])}</b>{heading}"
            f"</summary><p class='koc-passage'>{html.escape(c['text'])}</p><code>{html.escape(c['chunk_id'][:16])}</code>"
            "</details>")
    return "".join(items)


def render_trace(tool_calls: Iterable[Any]) -> str:
    """The tool trace: which tool ran with which arguments and what it returned."""
    calls = [_as_dict(c) for c in tool_calls]
    if not calls:
        return NO_TOOLS
    parts = []
    for call in calls:
        args = html.escape(json.dumps(call.get("args", {}), ensure_ascii=False))
        body = html.escape(json.dumps(call.get("result"), ensure_ascii=False, indent=1, default=str)[:TRACE_MAX_CHARS])
        parts.append(f"<details class='koc-tool' open><summary>{html.escape(call['name'])}({args})</summary>"
                     f"<pre>{body}</pre></details>")
    return "".join(parts)

