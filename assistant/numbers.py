"""Reading quantities and months out of questions: 三件 / 3 units / 两瓶, 上个月 / March / 2026-03.

Tools need exact arguments, and a small model got one of them wrong when asked to extract
them (models.md), so arguments are parsed here, deterministically, in zh and en.
"""

from __future__ import annotations

import re
from datetime import date

from base.language import to_simplified
from knowledge.text import parse_zh_number

_EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "a": 1, "an": 1,
               "a couple of": 2, "a dozen": 12, "dozen": 12}
#: the English number words, longest first ("a dozen" before "a")
_EN_NUMBER_WORDS = "|".join(sorted((re.escape(k) for k in _EN_NUMBERS), key=len, reverse=True))


_EN_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_EN_MONTHS.update({k[:3]: v for k, v in list(_EN_MONTHS.items())})
_EN_MONTHS["sept"] = 9


def number_word(word: str) -> int | None:
    """The number an English number word names ("four" → 4), None for another word."""
    return _EN_NUMBERS.get(word.lower())


ZH_NUM = "[零〇一二两兩三四五六七八九十百千万萬]+"


def numeral(figure: str) -> int | None:
    """A whole number written in figures or in Chinese numerals ("12", "十二"); None for anything else."""
    return int(figure) if figure.isdigit() else parse_zh_number(figure)


#: the measure words a count of goods takes ("3 瓶", "一台", "两顶"), simplified: the one list every check
#: that reads a count of things builds on (a sale's quantity here, a counted name, a part counting a thing)
GOODS_MEASURES = "个件台盏只把张套双瓶盒袋罐支顶包份管组箱条片桶枚颗粒"
#: a sale's quantity is also counted in orders ("3 单")
CLASSIFIERS = "|".join(("单子", "单", *GOODS_MEASURES))
EN_UNITS = r"units?|pieces?|pcs|bottles?|tubes?|boxes?|sets?|jars?|packs?|orders?|items?"
#: "3 more bottles", "three more sales of …": a count of further sales
_MORE = r"(?:more\s+|extra\s+|additional\s+)?"
_SALES_OF = r"sales?\s+of\b"


#: a word of a product's name between a count and its unit ("5 gift boxes", "two travel mugs"): not a stretch of
#: time, money or a share, which a count before it measures instead ("30 days of orders")
_NAME_WORD = r"(?!(?:days?|weeks?|months?|years?|hours?|minutes?|yuan|rmb|percent|times?|more|extra|of)\b)[a-z][a-z-]*"


def extract_quantity(text: str) -> int | None:
    """How many items a "selling N of X" question is about (None when no count is given)."""
    m = re.search(rf"(\d+|{ZH_NUM})\s*(?:{CLASSIFIERS})", to_simplified(text))
    if m:
        return numeral(m.group(1))
    lowered = text.lower()
    m = re.search(rf"\b(\d+)\s*(?:x\s*)?{_MORE}(?:{_NAME_WORD}\s+){{0,2}}(?:{EN_UNITS}|{_SALES_OF}|of\b)", lowered) or re.search(
        r"\b(?:sell|selling|sold)\s+(\d+)\b", lowered)
    if m:
        return int(m.group(1))
    m = re.search(rf"\b({_EN_NUMBER_WORDS})\s+{_MORE}(?:{_NAME_WORD}\s+){{0,2}}(?:{EN_UNITS}|{_SALES_OF}|of\b)", lowered) or re.search(
        rf"\b(?:sell|selling|sold)\s+({_EN_NUMBER_WORDS})\b", lowered)
    if m:
        return _EN_NUMBERS[m.group(1)]
    return None


def count_before(text: str, name: str) -> int | None:
    """A bare count written right before ``name`` in ``text`` ("the commission on 5 Sea Mist
    Toner", "three Night Creams"): how many of the named thing, when no unit word says so."""
    lowered = to_simplified(text).lower()
    at = lowered.find(name.lower())
    if at <= 0:
        return None
    # 2026 is a year, not a count; "3 more <name>" and "3 more sales of <name>" count it too
    m = re.search(rf"(?:^|[^\w.])(\d{{1,3}}|{_EN_NUMBER_WORDS})\s*(?:x\s*)?(?:more\s+)?(?:(?:sales|units|orders) of\s+)?(?:the\s+)?$",
                  lowered[:at])
    if not m:
        return None
    raw = m.group(1)
    return int(raw) if raw.isdigit() else _EN_NUMBERS[raw]


def _shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def extract_month(text: str, today: date | None = None) -> str | None:
    """A ``YYYY-MM`` month the question refers to, or None when it names none."""
    today = today or date.today()
    lowered = text.lower()
    m = re.search(r"(20\d\d)\s*[-/年.]\s*(\d{1,2})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    if re.search(r"上个月|上個月|上月|last month|previous month", lowered):
        y, mo = _shift(today.year, today.month, -1)
        return f"{y:04d}-{mo:02d}"
    if re.search(r"这个月|這個月|本月|当月|當月|this month|current month|so far this month", lowered):
        return f"{today.year:04d}-{today.month:02d}"
    m = re.search(rf"(\d{{1,2}}|{ZH_NUM})\s*月(?:份)?", text)
    if m:
        month = numeral(m.group(1))
        if month and 1 <= month <= 12:
            year = today.year if month <= today.month else today.year - 1
            return f"{year:04d}-{month:02d}"
    names = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
    m = re.search(rf"\b(?:in|for|during|of)\s+({names})\b", lowered) or re.search(
        rf"\b({names})\s+(?:20\d\d)?\s*(?:earnings|income|commission|rank)", lowered)
    if m:
        month = _EN_MONTHS[m.group(1)]
        year = today.year if month <= today.month else today.year - 1
        return f"{year:04d}-{month:02d}"
    return None
