"""Finding an expected fact in an answer, strictly: the one matcher every metric uses.

Scores are only worth reading if a match means the fact is there. So citation markers ``[n]``
are removed before matching (``冻结[15]天`` does not state 15), a number matches only as a
whole number (3 is not in 30, 3.5 or 2,000; 2,000 and 2000 are the same number; a ``¥`` before
or a ``%`` after it is fine), and text is compared case-insensitively after 繁→简, so a zh-TW
answer matches a zh-CN alternative. Chinese numerals are not converted: the figure must be
written the way the handbooks write it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from base.language import to_simplified

#: ``[1]``, ``[1][2]``, ``[1, 2]``, ``[1、3]``: the citation markers of an answer.
CITATION_RE = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\]")
#: A thousands separator: a comma between a digit and exactly three digits.
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
#: A whole number token: not preceded by a digit or decimal point, decimals included.
_NUMBER_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])")
#: A fact alternative that is only a number (optionally ¥ before, % after): matched by value.
_PURE_NUMBER_RE = re.compile(r"^[¥￥]?\s*(\d[\d,]*(?:\.\d+)?)\s*([%％]?)$")
_PERCENT_AFTER_RE = re.compile(r"^\s*[%％]")


def citation_numbers(answer: str) -> list[int]:
    """Every ``n`` cited in ``answer``, in order of appearance (repeats kept)."""
    return [int(n) for group in CITATION_RE.findall(answer) for n in re.split(r"\s*[,，、]\s*", group)]


def strip_citations(text: str) -> str:
    """The text without its ``[n]`` markers (so a marker's digits never count as a stated number)."""
    return CITATION_RE.sub("", text)


def normalize(text: str) -> str:
    """Markers removed, 繁→简, case folded, thousands separators and runs of blanks collapsed."""
    text = to_simplified(strip_citations(text)).casefold()
    text = _THOUSANDS_RE.sub("", text)
    return re.sub(r"\s+", " ", text)


def _value(token: str) -> Decimal | None:
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def numbers_in(text: str) -> list[tuple[Decimal, bool]]:
    """The numbers written in ``text`` (after ``normalize``) with whether a % follows each."""
    found = []
    for m in _NUMBER_RE.finditer(text):
        value = _value(m.group())
        if value is not None:
            found.append((value, bool(_PERCENT_AFTER_RE.match(text[m.end():m.end() + 3]))))
    return found


def contains_number(text: str, value: Decimal, percent: bool = False) -> bool:
    """True when ``text`` (already normalized) states ``value`` as a whole number (with % if asked)."""
    return any(v == value and (is_pct or not percent) for v, is_pct in numbers_in(text))


def _word_end(alt: str) -> str:
    """The end of an English alternative: the word ends there, or takes a plural ending first
    ("refund" is stated by "minus refunds"); a word shorter than three letters must end there
    ("no" is not in "nos")."""
    last = re.findall(r"[a-z]+$", alt)
    plural = r"(?:e?s)?" if last and len(last[0]) >= 3 else ""
    return plural + r"(?![a-z])"


def _boundary_pattern(alt: str) -> re.Pattern[str]:
    """``alt`` as a regex that cannot start or end inside a longer number or ASCII word."""
    before = r"(?<![\d.])" if alt[0].isdigit() else r"(?<![a-z])" if alt[0].isascii() and alt[0].isalpha() else ""
    after = r"(?!\d|\.\d)" if alt[-1].isdigit() else _word_end(alt) if alt[-1].isascii() and alt[-1].isalpha() else ""
    return re.compile(before + re.escape(alt) + after)


def contains_alternative(text: str, alternative: str) -> bool:
    """Whether normalized ``text`` states ``alternative`` (a number by value, other text as a bounded substring)."""
    pure = _PURE_NUMBER_RE.match(alternative.strip())
    if pure:
        value = _value(pure.group(1))
        if value is not None:
            return contains_number(text, value, percent=bool(pure.group(2)))
    alt = normalize(alternative).strip()
    return bool(alt) and _boundary_pattern(alt).search(text) is not None


def group_present(text: str, group: list[str]) -> bool:
    """One fact group is stated when any of its alternatives is (``text`` already normalized)."""
    return any(contains_alternative(text, alt) for alt in group)


def contains_any(text: str, needles: list[str]) -> list[str]:
    """The ``needles`` present in ``text``: plain, case-insensitive substrings after 繁→简 (for
    forbidden words and leak markers, where any occurrence counts, even inside a longer word)."""
    hay = to_simplified(text).casefold()
    return [n for n in needles if n and to_simplified(n).casefold() in hay]


def span_in(text: str, span: str) -> bool:
    """SQuAD containment: ``span`` in ``text`` after markers are removed, 繁→简 and all whitespace dropped."""
    needle = _squash(span)
    return bool(needle) and needle in _squash(strip_citations(text))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(text)).casefold()
