"""Following a handbook's reference to another of its documents: when the evidence defers to a
title ("按天计分，标准见《积分细则》"), the section of that document closest to the question
joins the evidence, so the answer can quote the rule and not only the pointer to it. The rest of a
section cut into several chunks joins the evidence the same way (``with_section_rest``)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from knowledge.audience import Viewer
from knowledge.references import cited_titles
from knowledge.sentences import row_cells
from knowledge.types import Hit, SearchFilters, SearchResult

#: how many referenced documents one question follows (a passage citing a whole reading list points
#: at background, not at one rule)
MAX_FOLLOWED = 2
#: how deep to look in a referenced document for a section the search has not returned already
FOLLOWED_DEPTH = 3


class ReferenceSearch(Protocol):
    def referenced_document(self, reference: str, viewer: Viewer | None = None) -> str | None: ...
    def section_chunk_ids(self, chunk_id: str) -> list[str]: ...
    def search(self, query: str, k: int | None = None, filters: SearchFilters | None = None,
               mode: Any = "hybrid", viewer: Viewer | None = None) -> SearchResult: ...


def defers_a_cell(sentence: str) -> bool:
    """A table row one of whose cells is only a pointer to another document ("发放方式: 见《会员卡说明》"):
    that row's value is in the document, not in the row."""
    return any(cell.startswith(("见《", "详见《", "参见《", "按《")) and cited_titles(cell) for _, cell in row_cells(sentence))


def with_referenced(kb: ReferenceSearch, query: str, hits: Sequence[Hit], quoted: Sequence[tuple[int, str]],
                    viewer: Viewer | None, deferred: set[str] | None = None) -> list[Hit]:
    """``hits`` with, right after each hit whose ``quoted`` sentence (hit index, text) refers to
    another document by title, the section of that document closest to the question and to what
    the sentence says of it ("按天计分"), when the search had not returned it; renumbered. The
    viewer's search: a reference never opens a page the asker may not read. Unchanged when the
    evidence refers to nothing. ``deferred`` (filled in when given): the closest section of each
    document a table cell defers its value to (``defers_a_cell``), though the search had returned it:
    the answer must quote it, as the row itself states nothing."""
    have = {h.chunk_id for h in hits}
    followed: list[str] = []
    after: dict[int, list[Hit]] = {}
    for index, sentence in quoted:
        for title in cited_titles(sentence):
            source = kb.referenced_document(title, viewer)
            if source is None or source in followed or len(followed) >= MAX_FOLLOWED:
                continue
            if index < len(hits) and hits[index].source == source:
                continue  # a document pointing at itself adds nothing the search did not weigh
            followed.append(source)
            asked = f"{query} {sentence.split('《')[0]}"
            found = kb.search(asked, k=FOLLOWED_DEPTH, filters=SearchFilters(source=source), viewer=viewer).hits
            if deferred is not None and found and found[0].chunk_id in have and defers_a_cell(sentence):
                deferred.add(found[0].chunk_id)
            new = next((h for h in found if h.chunk_id not in have), None)
            if new is not None:
                have.add(new.chunk_id)
                after.setdefault(index, []).append(new)
    if not after:
        return list(hits)
    ordered = [h for i, hit in enumerate(hits) for h in (hit, *after.get(i, ()))]
    return [h.model_copy(update={"rank": n}) for n, h in enumerate(ordered, start=1)]


#: how many other chunks of the best sentence's section join the evidence
SECTION_REST = 1


def with_section_rest(kb: ReferenceSearch, query: str, hits: Sequence[Hit], index: int,
                      viewer: Viewer | None) -> list[Hit]:
    """``hits`` with, right after hit ``index`` (the one holding the best sentence), the closest other
    chunk of its section that the search had not returned: a long section is cut into chunks, and
    the notes under a table ("清仓周只有车灯的比例下调") may read closest to a question whose answer is
    the table row before them. The viewer's search, in that document only; renumbered."""
    if index >= len(hits) or not hits[index].heading_path:
        return list(hits)
    lead = hits[index]
    have = {h.chunk_id for h in hits}
    if all(cid in have for cid in kb.section_chunk_ids(lead.chunk_id)):
        return list(hits)  # a section in one chunk, or all of it found: no search
    found = kb.search(query, k=FOLLOWED_DEPTH * 3, filters=SearchFilters(source=lead.source), viewer=viewer).hits
    rest = [h for h in found if h.heading_path == lead.heading_path and h.chunk_id not in have][:SECTION_REST]
    if not rest:
        return list(hits)
    ordered = [*hits[:index + 1], *rest, *hits[index + 1:]]
    return [h.model_copy(update={"rank": n}) for n, h in enumerate(ordered, start=1)]
