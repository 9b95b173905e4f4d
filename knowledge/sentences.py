"""Sentences of a chunk, and their vectors computed once at ingest.

The offline responder quotes sentences, so it must rank them; ranking by shared words alone fails
on paraphrases and on English questions over Chinese handbooks. Each chunk's sentences are embedded
with the knowledge base's own model when the chunk is ingested and land in the content-hash
embedding cache, so at question time their vectors are a cache read, never a model call.
The splitter lives here (not in ``assistant``) because ingest needs the very same sentences.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from base.language import CJK_RE, to_simplified
from knowledge.embed_cache import text_key
from knowledge.text import is_header_row, is_separator_row, is_table_row, table_cells

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")
#: a quotation closed on its line: a question or an exclamation inside it ("例如“早餐怎么办？”。") is part
#: of the sentence that quotes it, not a sentence of its own
_QUOTED = re.compile(r"“[^“”\n]*”|「[^「」\n]*」|『[^『』\n]*』")
#: how a table row reads as one sentence: its cells (with their header) joined by this ("tier: Gold · posts: 5")
ROW_JOIN = " · "
#: a clause after a semicolon that turns on the one before ("前调不会降阶；但连续 180 天没有订单的，账号停用"): the
#: exception and its rule are one sentence, or the exception is quoted without what it excepts
_TURNS_ON_IT = re.compile(r"\s*(?:但是|但|不过|否则|可是|然而|除非|however\b|but\b|unless\b)", re.I)
#: a quoted sentence is cut here; the embedded unit is the same cut text
MAX_SENTENCE_CHARS = 320
#: shorter sentences are never quoted, so never embedded
MIN_SENTENCE_CHARS = 6


def split_sentences(text: str) -> list[str]:
    """Sentences (Chinese 。！？； and English .!?; line breaks end one too), markdown decoration removed.

    Table rows are read with their header ("tier: Gold · posts: 5 · …"), because a bare row of
    numbers is useless as a quoted answer.
    """
    return [sentence for line in sentence_lines(text) for sentence in line]


def sentence_lines(text: str) -> list[list[str]]:
    """The sentences of ``split_sentences``, grouped by the line of ``text`` they come from (a table
    row is one line of one sentence); lines without a sentence are left out. A passage quoted whole
    keeps the handbook's line breaks this way."""
    out: list[list[str]] = []
    header: list[str] | None = None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if is_table_row(line):
            if is_separator_row(line):
                continue
            cells = [c.replace("**", "") for c in table_cells(line)]
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if header is None and is_header_row(line, following):
                header = cells  # above the |---| line, or (tables from .docx have none) a row of names only
                continue
            if header is None:  # the chunk starts mid-table: its header is in the chunk before
                out.append([ROW_JOIN.join(c for c in cells if c)])
                continue
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells) if c]
            out.append([ROW_JOIN.join(pairs)])
            continue
        header = None
        sentences = [s for raw in _line_sentences(line) if (s := clean_line(raw))]
        if sentences:
            out.append(sentences)
    return out


def _line_sentences(line: str) -> list[str]:
    """``line`` cut at its sentence ends, except those inside a quotation it closes."""
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(line)]
    pieces: list[str] = []
    start = 0
    for end in SENTENCE_END.finditer(line):
        if any(opened < end.start() < closed for opened, closed in quoted):
            continue
        if line[end.start() - 1:end.start()] in ("；", ";") and _TURNS_ON_IT.match(line, end.end()):
            continue
        pieces.append(line[start:end.start()])
        start = end.end()
    return [*pieces, line[start:]]


def row_key(sentence: str) -> str:
    """The subject a table row is about: its first cell's value ("等级: 银卡 · 笔记: 15" → 银卡); ""
    for a sentence that is no row, or a key too short to name anything."""
    cells = row_cells(sentence)
    key = cells[0][1] if cells else ""
    return key if len(key) >= 2 else ""


def row_cells(sentence: str) -> list[tuple[str, str]]:
    """(column name, cell) pairs of a table row read with its header ("等级: 银卡 · 笔记: 15" →
    [(等级, 银卡), (笔记, 15)]); a cell without a name has "" for it, a sentence that is no row none."""
    if ROW_JOIN not in sentence:
        return []
    return [(name.strip(), value.strip()) if value else ("", name.strip())
            for name, _, value in (cell.partition(": ") for cell in sentence.split(ROW_JOIN))]


#: a cell that only codes or marks a row (a product code, "—"): no word for a reader
_CODE_CELL = re.compile(r"(?=[\w/-]*[A-Za-z])(?=[\w/-]*\d)[A-Za-z0-9_/-]+|[-—–/]+")


def row_phrase(sentence: str) -> str:
    """A table row as a reader says it: its subject, then its other cells ("代码: A-101 · 名称: 烤架套装 ·
    规格: 双层 · 价格: ¥69" → "烤架套装：双层；¥69"), without the column names and the cells that are
    only codes or dashes; any other sentence as it is."""
    values = [value for _name, value in row_cells(sentence) if value and not _CODE_CELL.fullmatch(value)]
    if ROW_JOIN not in sentence or len(values) < 2:
        return sentence
    return f"{values[0]}：{'；'.join(values[1:])}"


def clean_line(line: str) -> str:
    """One line without markdown heading/list/quote marks and emphasis."""
    s = re.sub(r"^\s*(#{1,6}\s*|[-*+]\s+|\d+[.)]\s+|>\s*)", "", line)
    s = s.replace("**", "").replace("__", "").replace("`", "")
    if s.strip().startswith("|"):
        if is_separator_row(s):
            return ""
        s = ROW_JOIN.join(c for c in table_cells(s) if c)
    # a line drawn across the page (=====, ·····) frames a heading; it says nothing to quote
    return s.strip() if _HAS_WORD.search(s) else ""


_HAS_WORD = re.compile(r"[^\W_]")


def embedding_units(chunk_text: str, title: str = "") -> list[str]:
    """The texts embedded for one chunk: its quotable sentences, cut as they are quoted, and its section's
    ``title`` when a sentence reads with it (a bare list, a list's item: ``reads_with_title``)."""
    sentences = split_sentences(chunk_text)
    units = [s[:MAX_SENTENCE_CHARS] for s in sentences if len(s) >= MIN_SENTENCE_CHARS]
    items = list_item_sentences(chunk_text)
    if title and any(reads_with_title(s, items) for s in sentences):
        units.append(title)
    return list(dict.fromkeys(units))


#: what parts the items of a list written on one line: the enumeration comma (an English list, commas)
_ITEM_SEPARATOR = re.compile(r"\s*[、/]\s*|,\s+")
#: a bare list's items are each a word or a short phrase: this many characters at most (an English one, words)
BARE_ITEM_CHARS = 8
BARE_ITEM_WORDS = 3


def is_bare_list(sentence: str) -> bool:
    """``sentence`` is only a run of three or more short items ("减肥、燃脂、降血糖、替代药物。"), with no clause
    of its own (no "，" or "；"), no lead words ("禁用词：…") and no table row's cells: nothing in it says what
    the items are. Its section's title does, so the list is read with it."""
    body = to_simplified(sentence).strip().rstrip("。.；;！!")
    if not body or re.search(r"[：:·，；;]", body) or (CJK_RE.search(body) and "," in body):
        return False
    items = [item for item in _ITEM_SEPARATOR.split(body) if item]
    return len(items) >= 3 and all(len(item.split()) <= BARE_ITEM_WORDS if item.isascii() else len(item) <= BARE_ITEM_CHARS
                                   for item in items)


#: a line that is an item of a list: a bullet, or a number before its text ("1.", "2、", "3)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·]\s*|\d{1,2}\s*[.、．)）]\s*)\S")
#: a list's marker alone ("1."), which a sentence splitter may leave as a sentence of its own
_LIST_MARK = re.compile(r"\d{1,2}\s*[.、．)）]")


def list_item_sentences(text: str) -> set[str]:
    """The sentences of ``text``'s list items (bulleted or numbered lines), as ``sentence_lines`` cuts them:
    an item's subject is usually its list's, named by the section title."""
    return {sentence for line in text.split("\n") if _LIST_ITEM.match(line)
            for raw in _line_sentences(line) if (sentence := clean_line(raw)) and not _LIST_MARK.fullmatch(sentence)}


def reads_with_title(sentence: str, items: set[str]) -> bool:
    """``sentence`` says what it is about only with its section's title: a bare list of items, or an item of
    a list (``items``: its chunk's ``list_item_sentences``)."""
    return is_bare_list(sentence) or sentence in items


def section_title(heading_path: Sequence[str]) -> str:
    """The title of the section a chunk is cut from (its last heading), cut as a sentence is; "" for none.
    Ingest embeds it beside the sentences of a section holding a bare list: its items mean what it says."""
    titles = [h.strip() for h in heading_path if h and h.strip()]
    return titles[-1].strip("#").strip()[:MAX_SENTENCE_CHARS] if titles else ""


def embed_sentences(embeddings: Embeddings, chunks: Iterable[tuple[str, str]], on_batch=None) -> int:
    """Embed (into the cache) every sentence of the chunks (text, section title), and the title of each
    chunk holding a bare list, not embedded yet; returns how many units were asked for. Already cached units
    cost a cache read only."""
    units = list(dict.fromkeys(u for text, title in chunks for u in embedding_units(text, title)))
    if units:
        kwargs = {"on_batch": on_batch} if on_batch is not None else {}
        embeddings.embed_documents(units, **kwargs)
    return len(units)


def sentence_vectors(embeddings: Embeddings, texts: list[str]) -> dict[str, np.ndarray]:
    """Vectors of ``texts`` as ingest stored them: read from the cache only (a text that was never
    embedded — a KB indexed before sentence vectors existed — is simply absent). Without a cache
    (tests, a cheap model) they are computed."""
    cache = getattr(embeddings, "cache", None)
    model_id = getattr(embeddings, "model_id", "")
    unique = list(dict.fromkeys(texts))
    if cache is None:
        return {t: np.asarray(v, dtype=np.float32) for t, v in zip(unique, embeddings.embed_documents(unique))}
    keys = {text_key(t): t for t in unique}
    found = cache.get_many(model_id, "doc", list(keys))
    return {keys[k]: np.asarray(v, dtype=np.float32) for k, v in found.items()}
