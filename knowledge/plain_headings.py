"""Headings of a plain-text handbook, read from its typography.

A ``.txt`` handbook has no markup, but its writer still marks sections: a title underlined (or
framed) with a drawn line of ``=`` or ``-``, a label alone in 【】, a numbered line "一、…", "（二）…",
"第三章 …" or "2.1 …". Without its heading a chunk loses what it is about: the results of one case
study read like those of any other, and a question naming the case never finds them.

Levels follow the order in which styles first appear (as reStructuredText does): the first style
seen is level 1, the next new one level 2, and so on, since plain-text writers pick their styles
freely but keep them consistent within a document.
"""

from __future__ import annotations

import re
from typing import Sequence

#: a line drawn with one repeated character, under or around a heading (or a mere divider)
_RULE = re.compile(r"^\s*([=\-~*#_+─━═])\1{2,}\s*$")
#: numbered and labelled heading lines, by style
_NUMBERED = (
    ("bracket", re.compile(r"^【[^】]{1,30}】$")),
    ("chapter", re.compile(r"^第[一二三四五六七八九十百零〇\d]{1,4}[章节部篇](?:分)?(?:\s|：|:|$)")),
    ("zh-number", re.compile(r"^[一二三四五六七八九十]{1,3}[、．]\s*\S")),
    ("zh-number-paren", re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]\s*\S")),
    ("decimal", re.compile(r"^\d{1,2}(?:\.\d{1,2})+\s+\S")),
)
#: a heading is a short line that does not end like a sentence or a lead-in
MAX_HEADING_CHARS = 40
_NOT_A_HEADING_END = tuple("。；;！!？?，,：:、")


def is_rule(line: str) -> bool:
    """A drawn line (``=====``, ``-----``, ``─────``): decoration, not text."""
    return bool(_RULE.match(line))


def heading_style(lines: Sequence[str], i: int) -> str | None:
    """The style of line ``i`` when it is a heading (e.g. ``"under="``, ``"over="``, ``"bracket"``),
    None for body text and drawn lines."""
    line = lines[i].strip()
    if not line or is_rule(line) or not _heading_shaped(line):
        return None
    below = lines[i + 1] if i + 1 < len(lines) else ""
    if match := _RULE.match(below):
        above = _RULE.match(lines[i - 1]) if i else None
        char = match.group(1)
        return f"over{char}" if above and above.group(1) == char else f"under{char}"
    return next((style for style, pattern in _NUMBERED if pattern.match(line)), None)


def heading_styles(lines: Sequence[str]) -> list[str | None]:
    """``heading_style`` of every line, except that a numbered or labelled line is a heading only when
    text follows it before the next line of its own style: "一、满 99 元包邮" then "二、首单立减 10 元" is a
    list, whose items are text to keep, not sections without a word in them."""
    styles = [heading_style(lines, i) for i in range(len(lines))]
    numbered = {style for style, _ in _NUMBERED}
    for i, style in enumerate(styles):
        if style not in numbered:
            continue
        following = next((j for j in range(i + 1, len(lines)) if lines[j].strip() and not is_rule(lines[j])), None)
        if following is None or styles[following] == style:
            styles[i] = None
    return styles


def heading_text(line: str, style: str) -> str:
    """The heading as a heading path shows it (a 【label】 without its brackets)."""
    line = line.strip()
    return line[1:-1].strip() if style == "bracket" else line


def _heading_shaped(line: str) -> bool:
    return (len(line) <= MAX_HEADING_CHARS and not line.endswith(_NOT_A_HEADING_END)
            and " | " not in line and not line.startswith(("-", "*", "•", "·")))
