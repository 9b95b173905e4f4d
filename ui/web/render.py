"""HTML for the chat's side panels (citations that open to their passage, the tool trace) and for
compliance results (a checked post with its problems marked, a brief's report).

Everything shown is escaped: document text and tool results are data, never markup.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

from knowledge.kb import KnowledgeBase

NO_SOURCES = "<p class='koc-empty'>No sources for this answer.</p>"
NO_TOOLS = "<p class='koc-empty'>No tools were called.</p>"
NO_VIOLATIONS = "<p class='koc-empty'>No problems found.</p>"
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


def render_marked(text: str, violations: Sequence[Any]) -> str:
    """The checked text with every violating span marked and numbered as in the problem list; a
    missing part (a span of no width, e.g. the disclosure tag) is a numbered marker where it belongs.
    Spans may nest (a term inside an over-long body): each piece of text carries every rule it breaks."""
    numbered = list(enumerate(violations, 1))
    cuts = sorted({0, len(text), *(min(v.start, len(text)) for v in violations), *(min(v.end, len(text)) for v in violations)})
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for n, v in numbered:
            if v.start == v.end == a:
                parts.append(f"<mark class='koc-missing' title='{html.escape(v.rule)}'>⟨{n}⟩</mark>")
        if b is None:
            break
        piece = html.escape(text[a:b])
        covering = [(n, v) for n, v in numbered if v.start <= a and b <= v.end and v.end > v.start]
        if covering:
            rules = "; ".join(dict.fromkeys(v.rule for _, v in covering))
            piece = f"<mark class='koc-violation' title='{html.escape(rules)}'>{piece}</mark>"
        parts.append(piece)
        ending = [str(n) for n, v in covering if v.end == b]
        if ending:
            parts.append(f"<sup class='koc-violation-n'>{','.join(ending)}</sup>")
    return f"<div class='koc-post'>{''.join(parts)}</div>"


def render_violations(violations: Sequence[Any]) -> str:
    """Each problem: the words (or what is missing), the rule it breaks, how to fix it and, in a
    brief, which part of it."""
    if not violations:
        return NO_VIOLATIONS
    items = []
    for v in violations:
        words = f"“<mark class='koc-violation'>{html.escape(v.term)}</mark>”" if v.term else "<i>missing</i>"
        where = f" <span class='koc-where'>({html.escape(v.where)})</span>" if v.where else ""
        items.append(f"<li>{words}{where} — <span class='koc-rule'>{html.escape(v.rule)}</span>"
                     f"<br><span class='koc-suggestion'>→ {html.escape(v.suggestion)}</span></li>")
    return f"<ol class='koc-problems'>{''.join(items)}</ol>"


def render_compliance(report: Any) -> str:
    """A brief's compliance report as a box at the top of its preview: passed, or each violation."""
    if report.passed:
        return (f"<div class='koc-compliance koc-pass'>✅ Compliance check passed: {report.checked_texts} texts "
                "checked, no violations.</div>")
    return (f"<div class='koc-compliance koc-fail'>⚠️ Compliance check: {len(report.violations)} violations in "
            f"{report.checked_texts} texts{render_violations(report.violations)}</div>")
