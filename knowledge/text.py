"""Text normalisation for indexing (width, whitespace) and reading Chinese numerals.

Script conversion and language detection live in ``base.language``.
Chinese numerals are read here (三 → 3, 二十五 → 25): BM25 and the assistant's argument
parsing must agree on them.
"""

from __future__ import annotations

import re
import unicodedata


def normalize(text: str) -> str:
    """NFKC (full-width → half-width letters/digits), whitespace collapsed, stripped."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}


def parse_zh_number(text: str) -> int | None:
    """三 → 3, 十二 → 12, 二十五 → 25, 一百零五 → 105, 两 → 2; None when it is not a numeral."""
    if not text or any(ch not in _ZH_DIGITS and ch not in _ZH_UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            unit = _ZH_UNITS[ch]
            if unit == 10000:
                total = (total + section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
    return total + section + (digit or 0)


# ------------------------------------------------------------------------------ table lines
# Tables reach chunking and quoting as the loaders leave them: "| a | b |" lines from Markdown,
# "a | b" lines from .docx and .html. The chunker (which repeats a header in a chunk that starts
# mid-table) and the sentence reader (which quotes a row with its header) must agree on these.

def table_cells(line: str) -> list[str]:
    """The cells of a table line, stripped, without the outer pipes."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def is_table_row(line: str) -> bool:
    """A line of a table (its separator line included when it has outer pipes)."""
    stripped = line.strip()
    return stripped.startswith("|") or stripped.count(" | ") >= 1


def is_separator_row(line: str) -> bool:
    """The ``|---|:--:|`` line under a Markdown table's header."""
    cells = table_cells(line)
    return any(cells) and all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells)


def is_header_row(line: str, following: str) -> bool:
    """The first row of a table is its header when the separator follows it, or (tables from .docx
    have no separator) when it holds no digit: a row of names, not of values."""
    return is_separator_row(following) or not any(re.search(r"\d", c) for c in table_cells(line))
