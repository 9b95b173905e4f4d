"""File → structured text (title, sections with heading paths, metadata).

One loader per format; all return :class:`LoadedDocument` so the chunker never
sees a format. Metadata comes from (in increasing priority) the file itself, YAML
front matter (.md) and an optional sidecar ``FILE.meta.yaml``. Every failure is a
:class:`LoadError` with a message a curator can act on; the ingest loop turns it
into a per-file error and carries on with the batch.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

import yaml

from base.encoding import TextDecodeError
from base.encoding import decode_text as decode_bytes
from base.language import detect_language
from knowledge.clean_text import WRAPPED_SHARE, clean_text, join_wrapped_lines, joined_across_wrap
from knowledge.html_hidden import drop_hidden
from knowledge.plain_headings import heading_styles, heading_text, is_rule

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
METADATA_KEYS = ("title", "doc_type", "audience", "language")


class LoadError(ValueError):
    """A file that cannot be turned into text; the message is shown to the curator."""


@dataclass
class Section:
    heading_path: list[str]
    text: str


class _SectionBuilder:
    """Collects lines under the current heading path; every structured loader walks its format
    and feeds headings and text here, so heading-path rules are the same for md, html and docx."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.buf: list[str] = []
        self.terms: list[str] = []

    def flush(self) -> None:
        chunk = "\n".join(self.buf).strip()
        if chunk:
            self.sections.append(Section([h for _, h in self.path], chunk))
        self.buf.clear()

    def heading(self, level: int, text: str) -> None:
        """Close the running section and make ``text`` the heading at ``level``."""
        self.flush()
        self.path = [(lvl, h) for lvl, h in self.path if lvl < level] + [(level, text)]


@dataclass
class LoadedDocument:
    title: str
    sections: list[Section]
    doc_type: str = ""
    audience: str = ""
    language: str = ""
    terms: list[str] = field(default_factory=list)  # brand terms found in the file (bold, table keys)
    title_from_name: bool = False  # True when no real title was found and the file name stands in

    @property
    def full_text(self) -> str:
        return "\n".join(s.text for s in self.sections)


# --------------------------------------------------------------------------- text decoding
def decode_text(data: bytes, name: str = "") -> str:
    """Decode UTF-8 (with or without BOM), GBK/GB18030 or Big5; refuse binary junk (``base.encoding``)."""
    try:
        return decode_bytes(data)[0]
    except TextDecodeError as exc:
        raise LoadError(str(exc)) from exc


# --------------------------------------------------------------------------- markdown
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD = re.compile(r"\*\*([^*\n]{2,24})\*\*")


def _split_front_matter(text: str) -> tuple[dict, str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML front matter: {exc}") from exc
    if not isinstance(meta, dict):
        raise LoadError("front matter is not a mapping")
    return meta, text[m.end():]


#: the line under a table's header row, as the chunk text keeps it (``knowledge.text.is_separator_row``)
_SEPARATOR = "--- | ---"


def _table_terms(line: str) -> list[str]:
    """First cell of a markdown table row: product and tier tables name things there."""
    cells = [c.strip().strip("*` ") for c in line.strip().strip("|").split("|")]
    first = cells[0] if cells else ""
    if first and not set(first) <= set("-: ") and 2 <= len(first) <= 16 and not first[0].isdigit():
        return [first]
    return []


def load_markdown(text: str, fallback_title: str) -> LoadedDocument:
    meta, body = _split_front_matter(text)
    b = _SectionBuilder()
    title = str(meta.get("title") or "")
    in_code = False

    for line in body.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        m = None if in_code else _HEADING.match(line)
        if m:
            level, heading = len(m.group(1)), m.group(2).strip()
            if level == 1 and not title:
                title = heading
            b.heading(level, heading)
            continue
        stripped = line.strip()
        if stripped.startswith("|"):
            if set(stripped) <= set("|-: "):
                b.buf.append(_SEPARATOR)  # kept (normalised): it tells a header row with figures from a row of values
                continue
            b.terms += _table_terms(stripped)
            line = " | ".join(c.strip() for c in stripped.strip("|").split("|"))
        b.terms += _BOLD.findall(line)
        b.buf.append(line.replace("**", ""))
    b.flush()
    return LoadedDocument(title=title or fallback_title, sections=b.sections, terms=_dedupe(b.terms),
                          **{k: str(meta[k]) for k in ("doc_type", "audience", "language") if meta.get(k)})


def load_plain(text: str, fallback_title: str) -> LoadedDocument:
    """Plain text, its sections found by their typography (``plain_headings``); the first line,
    when it is underlined or framed as a heading of the first level, is the title (a numbered first
    line, "一、总则", is a section)."""
    lines = delimited_tables(text).strip().splitlines()
    b = _SectionBuilder()
    levels: dict[str, int] = {}
    title = ""
    for line, style in zip(lines, heading_styles(lines)):
        if is_rule(line):
            continue
        if style is None:
            b.buf.append(line)
            continue
        level = levels.setdefault(style, len(levels) + 1)
        heading = heading_text(line, style)
        if level == 1 and style.startswith(("under", "over")) and not title and not b.sections \
                and not "".join(b.buf).strip():
            title = heading
        b.heading(level, heading)
    b.flush()
    return LoadedDocument(title=title or fallback_title, sections=b.sections)


#: a cell boundary of a table typed in plain text: a tab, or a slash with a space on one side at
#: least (so "2024/05/01" and "1/3" stay one cell)
_CELL_BREAK = re.compile(r"\t+|\s+[/／]\s*|\s*[/／]\s+")
#: the cells of a line whose columns are aligned with spaces, as plain-text exports write tables: runs
#: of words apart by at most one space (ASCII or ideographic); two or more set columns apart
_SPACED_CELL = re.compile(r"[^\s\u3000]+(?:[ \u3000][^\s\u3000]+)*")
_RULE_CELL = re.compile(r"[-=─━—_]+")
#: a typed table has this many columns at least, and this many lines
_MIN_COLUMNS, _MIN_LINES = 3, 2


def delimited_tables(text: str) -> str:
    """Plain text with its typed tables (lines of cells split by tabs or " / ", all with the same
    number of cells, or columns aligned with spaces under a header) rewritten as Markdown tables, the
    first line as header: their rows are then read cell by cell with the column names, as the tables
    of every other format are."""
    lines = text.split("\n")
    cells = [[c.strip() for c in _CELL_BREAK.split(line.strip())] if line.strip() else [] for line in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        rows, used = _aligned_rows(lines, i)
        if len(rows) < _MIN_LINES:
            rows = _delimited_rows(cells, i)
            used = len(rows)
        if len(rows) >= _MIN_LINES:
            out += _markdown_table(rows)
            i += used
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


#: a header cell of a table a PDF extraction stacked one cell per line: short, no figure, no punctuation
_STACKED_HEADER = re.compile(r"[^\d\s。，、；：:,.;!?！？|]{2,12}")
#: a value cell of such a table: a figure and its unit, or a short note after it ("10 分（一次扣完）")
_STACKED_VALUE = re.compile(r"[\d０-９][\d０-９,.，]*\s*(?:[^\s。；;|]{0,14}|[^\s。；;|][^。；;|]{0,14}[^\s。；;|])")
#: …or a figure after a few words that say how it applies ("直接扣到 0 分", "一次记满 12 分"): never a row's label,
#: which a figure ends a table at only when it is one alone
_STACKED_WORDED_VALUE = re.compile(r"[\u4e00-\u9fff]{1,4}\s*[\d０-９][\d０-９,.]*\s*[^\s。；;|，,]{0,4}")
#: a stacked table has this many rows at least
_MIN_STACKED_ROWS = 3
#: a cell wider than its column wraps onto this many more lines at most
_MAX_WRAPPED_LINES = 2
#: a label line that wraps onto the next is this long at least (a cell as wide as its column)
_MIN_WRAPPED_CHARS = 20
#: the rest of a value cell wrapped onto the next line is this short ("内删除" after "12 分，内容须在 24 小时")
_MAX_VALUE_TAIL = 8


def stacked_tables(text: str, carried: list[str] | None = None) -> tuple[str, list[str] | None]:
    """Text with each two-column table that PDF extraction stacked one cell per line (a header of two
    short lines, then a label line and a value line per row: "违规行为 / 每次扣分 / 迟到 / 1 分 / …")
    rewritten as a Markdown table: read as lines, a value ("4 分") stands alone, apart from what it is
    the value of. A cell wider than its column comes out over two or three lines, and is read as one.

    ``carried``: the header of a table the page before ended in; rows the page opens with are that table's
    rows, under its header. Returned with the text: the header of the table this page ends in, if any."""
    lines = text.split("\n")
    out: list[str] = []
    ending: list[str] | None = None
    i = 0
    if carried:
        rows, i = _stacked_rows(lines, 0, carried)
        if len(rows) > 1:
            out += _markdown_table(rows)
            ending = carried if not any(line.strip() for line in lines[i:]) else None
        else:
            i = 0
    while i < len(lines):
        header = [line.strip() for line in lines[i:i + 2]]
        rows, end = (_stacked_rows(lines, i + 2, header) if len(header) == 2
                     and all(_STACKED_HEADER.fullmatch(cell) for cell in header) else ([], i))
        if len(rows) - 1 >= _MIN_STACKED_ROWS:  # the header and its rows
            out += _markdown_table(rows)
            i = end
            ending = header if not any(line.strip() for line in lines[i:]) else None
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out), ending


def _is_value(line: str) -> bool:
    return bool(_STACKED_VALUE.fullmatch(line) or _STACKED_WORDED_VALUE.fullmatch(line))


def _stacked_rows(lines: list[str], j: int, header: list[str]) -> tuple[list[list[str]], int]:
    """``header`` and the (label, value) rows stacked from line ``j`` on, with the line after the last row. A
    label may wrap over more lines, each no value, before its value; a value with a note may wrap onto one short
    line that no value follows (the next label is followed by its value)."""
    rows = [header]
    widths: list[int] = []  # each label's first line: a wrapped one is as wide as the widest
    stripped = [line.strip() for line in lines]
    while j < len(lines):
        label_end = next((k for k in range(j, min(j + 1 + _MAX_WRAPPED_LINES, len(lines)))
                          if k + 1 < len(lines) and _is_value(stripped[k + 1])), None)
        if label_end is None:
            break
        label = stripped[j:label_end + 1]
        # a label wraps only where its line ran as wide as the column: a heading before another table is shorter
        widest = max(widths, default=0)
        if len(label) > 1 and any(len(piece) < max(_MIN_WRAPPED_CHARS, WRAPPED_SHARE * widest) for piece in label[:-1]):
            break
        widths.append(len(label[0]))
        if not all(label) or any("|" in piece or _is_value(piece) for piece in label):
            break
        value, j = [stripped[label_end + 1]], label_end + 2
        tail = stripped[j] if j < len(lines) else ""
        # a note cut off mid-phrase ("12 分，内容须在 24 小时"), not one closed ("8 分（直接清零）")
        if (re.search(r"[，,]", value[0]) and not re.search(r"[）)」。；;!?！？]$", value[0]) and tail and len(tail) <= _MAX_VALUE_TAIL and not _is_value(tail)
                and not (j + 1 < len(lines) and _is_value(stripped[j + 1]))):
            value.append(tail)
            j += 1
        rows.append([reduce(joined_across_wrap, label), reduce(joined_across_wrap, value)])
    return rows, j


def _markdown_table(rows: list[list[str]]) -> list[str]:
    """The lines of a Markdown table whose header is ``rows[0]``: how every plain-text table found is handed on."""
    return [" | ".join(rows[0]), _SEPARATOR, *(" | ".join(row) for row in rows[1:])]


def _delimited_rows(cells: list[list[str]], i: int) -> list[list[str]]:
    """The lines from ``i`` on with as many cells (split by tabs or slashes) as line ``i``."""
    width, j = len(cells[i]), i
    while j < len(cells) and width >= _MIN_COLUMNS and len(cells[j]) == width and all(cells[j]):
        j += 1
    return cells[i:j]


def _aligned_rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    """The rows of a table whose header, line ``i``, sets its columns apart with runs of spaces: each
    following line's words fall into the column whose header starts where they start, by display
    width (a Chinese character is two columns), so a cell set off by one space ("豆浆机/榨汁机 40元")
    is still a cell of its own; with the number of lines they take (a rule under the header is
    dropped). No rows when line ``i`` is no such header."""
    header = lines[i]
    cells = list(_SPACED_CELL.finditer(header))
    if "\t" in header or _CELL_BREAK.search(header.strip()) or len(cells) < _MIN_COLUMNS:
        return [], 0
    starts = [_columns(header[:m.start()]) for m in cells]
    rows = [[m.group() for m in cells]]
    used = 1
    for line in lines[i + 1:]:
        row = _aligned_row(line, starts)
        if row is None or not all(row):
            break
        used += 1
        if not all(_RULE_CELL.fullmatch(cell) for cell in row):  # the rule under a header ("------    -------")
            rows.append(row)
    return rows, used


def _aligned_row(line: str, starts: list[int]) -> list[str] | None:
    """The cells of ``line`` under columns starting at ``starts`` (display columns, one of slack);
    None when a word starts left of the first column."""
    row = [""] * len(starts)
    for word in re.finditer(r"[^\s\u3000]+", line):
        at = _columns(line[:word.start()])
        column = max((n for n, start in enumerate(starts) if at >= start - 1), default=None)
        if column is None:
            return None
        row[column] = f"{row[column]} {word.group()}".strip()
    return row


def _columns(text: str) -> int:
    """The display width of ``text``: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------- html
def _inline_text(el) -> str:
    """A block's text as a browser shows it: inline tags (<strong>, <a>) add no space of their own
    ("<strong>找到链接</strong>：打开" stays one phrase), runs of whitespace become one space."""
    return " ".join(el.get_text().split())


def load_html(text: str, fallback_title: str) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    drop_hidden(soup)
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    root = soup.body or soup
    b = _SectionBuilder()

    blocks = root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd"])
    for el in blocks:
        if el.find_parent(["p", "li", "tr", "pre", "blockquote", "dd"]) is not None and el.name != "tr":
            continue  # nested block: its text is already part of the enclosing one
        if el.name.startswith("h") and len(el.name) == 2:
            b.flush()
            level, heading = int(el.name[1]), el.get_text(" ", strip=True)
            if not heading:
                continue
            if level == 1 and not title:
                title = heading
            b.heading(level, heading)
        elif el.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
            if cells:
                b.terms += _table_terms("|" + "|".join(cells) + "|")
                b.buf.append(" | ".join(cells))
                if len(cells) > 1 and el.find("td") is None:
                    b.buf.append(_SEPARATOR)  # a row of <th> is the header, whatever it holds ("第 1 次")
        else:
            b.terms += [w.get_text(strip=True) for w in el.find_all(["strong", "b"]) if 2 <= len(w.get_text(strip=True)) <= 24]
            t = _inline_text(el)
            if t:
                b.buf.append(t)
    b.flush()
    sections = b.sections
    if not sections:  # no block elements at all: fall back to the plain text
        t = root.get_text("\n", strip=True)
        sections = [Section([], t)] if t else []
    return LoadedDocument(title=title or fallback_title, sections=sections, terms=_dedupe(b.terms))


# --------------------------------------------------------------------------- pdf
def load_pdf(data: bytes, fallback_title: str) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoadError("encrypted PDF")
        pages = [(p.extract_text() or "").strip() for p in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except LoadError:
        raise
    except (PdfReadError, Exception) as exc:  # pypdf raises many types on broken files
        raise LoadError(f"corrupt or unreadable PDF: {type(exc).__name__}: {exc}") from exc
    sections: list[Section] = []
    carried: list[str] | None = None  # a table runs on from one page to the next under the first page's header
    for page in pages:
        if page:
            text, carried = stacked_tables(join_wrapped_lines(page), carried)
            sections.append(Section([], text))
    if not sections:
        raise LoadError("PDF has no extractable text (scanned image?)")
    return LoadedDocument(title=str(info_title).strip() or fallback_title, sections=sections)


# --------------------------------------------------------------------------- docx
def load_docx(data: bytes, fallback_title: str) -> LoadedDocument:
    import docx
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip/xml errors on broken files
        raise LoadError(f"corrupt or unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    title = (document.core_properties.title or "").strip()
    b = _SectionBuilder()

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = _dedupe([c.text.strip() for c in row.cells if c.text.strip()])
                if cells:
                    b.terms += _table_terms("|" + "|".join(cells) + "|")
                    b.buf.append(" | ".join(cells))
            continue
        assert isinstance(block, Paragraph)
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        level = _docx_heading_level(style)
        if level is not None:
            b.flush()
            if level == 0:
                title = title or text
                continue
            if level == 1 and not title:
                title = text
            b.heading(level, text)
        else:
            b.terms += [r.text.strip() for r in block.runs if r.bold and 2 <= len(r.text.strip()) <= 24]
            b.buf.append(text)
    b.flush()
    return LoadedDocument(title=title or fallback_title, sections=b.sections, terms=_dedupe(b.terms))


def _docx_heading_level(style: str) -> int | None:
    if style == "Title":
        return 0
    m = re.match(r"(?:Heading|标题)\s*(\d)", style)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- entry point
def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


#: the ending of a document's sidecar (its metadata, not a document itself)
SIDECAR_SUFFIX = ".meta.yaml"


def sidecar_path(path: Path) -> Path | None:
    """``FILE.ext.meta.yaml`` (preferred) or ``FILE.meta.yaml`` next to the file."""
    for candidate in (path.with_name(path.name + SIDECAR_SUFFIX), path.with_name(path.stem + SIDECAR_SUFFIX)):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> dict:
    side = sidecar_path(path)
    if side is None:
        return {}
    try:
        meta = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LoadError(f"invalid sidecar {side.name}: {exc}") from exc
    if not isinstance(meta, dict):
        raise LoadError(f"sidecar {side.name} is not a mapping")
    return meta


def load_bytes(data: bytes, name: str) -> LoadedDocument:
    """Parse ``data`` according to the suffix of ``name``."""
    suffix = Path(name).suffix.lower()
    stem = Path(name).stem
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if not data.strip():
        raise LoadError("empty file")
    if suffix == ".pdf":
        doc = load_pdf(data, stem)
    elif suffix == ".docx":
        doc = load_docx(data, stem)
    else:
        text = decode_text(data, name)
        if suffix in (".md", ".markdown"):
            doc = load_markdown(text, stem)
        elif suffix in (".html", ".htm"):
            doc = load_html(text, stem)
        elif re.search(r"^#{1,6} \S", text, re.M):
            doc = load_markdown(text, stem)  # plain text written with markdown headings: keep its structure
        else:
            doc = load_plain(text, stem)
    doc.sections = [Section([clean_text(h) for h in sec.heading_path], cleaned) for sec in doc.sections
                    if (cleaned := clean_text(sec.text).strip())]
    if not doc.sections:
        raise LoadError("no text content")
    doc.title = clean_text(doc.title).strip() or stem
    doc.title_from_name = doc.title == stem
    return doc


def load_file(path: Path, max_mb: float = 25.0) -> LoadedDocument:
    """Load one file plus its sidecar metadata; raise :class:`LoadError` on anything unusable."""
    if not path.is_file():
        raise LoadError("not a file")
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise LoadError(f"file is {size / 1024 / 1024:.1f} MB, over the KOC_MAX_FILE_MB limit of {max_mb:g} MB")
    doc = load_bytes(path.read_bytes(), path.name)
    side = read_sidecar(path)
    for key in METADATA_KEYS:
        if side.get(key):
            setattr(doc, key, str(side[key]))
    if side.get("title"):
        doc.title_from_name = False
    if side.get("terms"):
        doc.terms = _dedupe(doc.terms + [str(t) for t in side["terms"]])
    if not doc.language:
        doc.language = detect_language(doc.title + "\n" + doc.full_text)
    return doc
