"""Sections → chunks: heading-aware, sentence-aware (Chinese 。！？； and English), content-hashed ids.

A chunk never crosses a section boundary, so its heading path is always true. Inside a
section, sentences are packed up to ``size`` characters, and the next chunk starts with
the last sentences of the previous one (up to ``overlap`` characters) so a fact split at
a boundary is still retrievable. The id hashes the normalised text and the heading path
only — not the file name — so the same content uploaded twice is one chunk.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.loaders import LoadedDocument
from knowledge.text import is_header_row, is_separator_row, is_table_row, normalize

# a sentence ends after Chinese 。！？； (plus closing quotes/brackets) or after English .!? followed by space
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])[”’」』）)\]]*|(?<=[.])(?=\s+[A-Z\"'(\u4e00-\u9fff])")
#: a numbered or lettered list item's marker ("3.", "b)")
_LIST_MARKER = re.compile(r"(?:\d{1,3}|[A-Za-z])[.)]")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    text: str
    heading_path: tuple[str, ...]
    position: int  # order within the document, for display only


def chunk_id(text: str, heading_path: tuple[str, ...] | list[str]) -> str:
    """Content hash: sha1 of normalised heading path + text (source-independent)."""
    key = " > ".join(normalize(h) for h in heading_path) + "\n" + normalize(text)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def split_sentences(text: str) -> list[str]:
    """Sentences in order; the last sentence of each line keeps its line break so tables/lists keep their layout."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if is_table_row(line):  # "2 层；可拆洗；…" inside a cell ends no sentence: a row is read whole, with its header
            out.append(line.strip() + "\n")
            continue
        pieces: list[str] = []
        last = 0
        for m in _SENTENCE_END.finditer(line):
            if m.end() > last:
                pieces.append(line[last:m.end()])
                last = m.end()
        pieces.append(line[last:])
        pieces = [p.strip() for p in pieces if p.strip()]
        if len(pieces) > 1 and _LIST_MARKER.fullmatch(pieces[0]):
            # "3. 赠品不计分…": a list item's number is no sentence of its own, or a chunk could end on a bare
            # "3." with the item in the next chunk; it is joined to its item as chunks join sentences
            pieces[:2] = [_join(pieces[:2])]
        if pieces:
            pieces[-1] += "\n"
            out += pieces
    return out


def _hard_split(sentence: str, size: int) -> list[str]:
    """A 'sentence' longer than the chunk size (a table, a run-on line) is cut at commas, then blindly."""
    if len(sentence) <= size:
        return [sentence]
    pieces: list[str] = []
    buf = ""
    for part in re.split(r"(?<=[，,、：:])", sentence):
        while len(part) > size:
            if buf:
                pieces.append(buf)
                buf = ""
            pieces.append(part[:size])
            part = part[size:]
        if len(buf) + len(part) > size and buf:
            pieces.append(buf)
            buf = ""
        buf += part
    if buf:
        pieces.append(buf)
    return pieces


def _join(sentences: list[str]) -> str:
    out = ""
    for s in sentences:
        if out and not out.endswith("\n") and (out[-1].isascii() and out[-1].isalnum() or out[-1] in ".!?;:,") and s[:1].isascii():
            out += " "
        out += s
    return out.strip()


def _table_headers(sentences: list[str]) -> list[tuple[str, ...] | None]:
    """For each sentence that is a body row of a table, the table's header lines (its first row,
    and the ``|---|`` line when there is one, by the rules the sentence reader quotes rows with);
    None for anything else, header lines included."""
    out: list[tuple[str, ...] | None] = [None] * len(sentences)
    header: tuple[str, ...] | None = None
    in_table = False
    for i, sentence in enumerate(sentences):
        if not (is_table_row(sentence) or is_separator_row(sentence)):  # "---|---" has no outer pipes
            header, in_table = None, False
            continue
        if not in_table:  # the table's first line
            in_table = True
            following = sentences[i + 1] if i + 1 < len(sentences) else ""
            if is_separator_row(following):
                header = (sentence, following)
            elif is_header_row(sentence, following):
                header = (sentence,)
            continue
        if header is not None and sentence not in header:
            out[i] = header
    return out


def chunk_text(text: str, size: int, overlap: int) -> list[str]:
    """Chunks of about ``size`` characters at sentence ends, ``overlap`` carried over. A chunk that
    starts inside a table repeats the table's header, so its rows still say what each number is."""
    sentences = [piece for s in split_sentences(text) for piece in _hard_split(s, size)]
    headers = _table_headers(sentences)
    chunks: list[str] = []
    current: list[str] = []
    length = 0
    for sentence, header in zip(sentences, headers):
        if current and length + len(sentence) > size:
            chunks.append(_join(current))
            carry: list[str] = []
            carried = 0
            for prev in reversed(current):
                if carried + len(prev) > overlap:
                    break
                carry.insert(0, prev)
                carried += len(prev)
            current, length = carry, carried
            if header is not None and header[0] not in current:
                current = [*header, *(c for c in current if c not in header)]
                length = sum(len(c) for c in current)
        current.append(sentence)
        length += len(sentence)
    if current:
        tail = _join(current)
        if not chunks or tail not in chunks[-1]:
            chunks.append(tail)
    return chunks


def chunk_document(doc: LoadedDocument, size: int = 360, overlap: int = 60) -> list[Chunk]:
    """All chunks of ``doc`` in order, duplicates (same id) dropped."""
    if overlap >= size:
        raise ValueError("chunk overlap must be smaller than chunk size")
    out: list[Chunk] = []
    seen: set[str] = set()
    for section in doc.sections:
        path = tuple(section.heading_path)
        for text in chunk_text(section.text, size, overlap):
            cid = chunk_id(text, path)
            if cid in seen:
                continue
            seen.add(cid)
            out.append(Chunk(cid, text, path, len(out)))
    return out
