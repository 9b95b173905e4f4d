"""Checks that a generated sentence says what its chunk says, beyond sharing words and numbers.

The guard's first test is whether the chunk supports a sentence (shared bigrams, every number
present somewhere in the chunk). That lets three errors through that a small model does make:
- a changed quantity: "佣金冻结 10 天" against "冻结 15 天 … 每月 10 日结算": 10 is in the chunk,
  but not as a number of days;
- a reversed rule: "可以私下销售其他品牌" against "不可以私下销售其他品牌": every word is supported;
- a threshold moved to another row of a table: "金卡需要 15 篇笔记" when 15 is the 银卡 row's.
Each check compares the sentence with the chunk's own sentences and rows, so it is corpus-neutral.
"""

from __future__ import annotations

import re

from base.language import to_simplified
from assistant.text_match import bigrams, split_sentences
from knowledge.sentences import row_key

_QUANTITY = re.compile(
    r"(?P<cur>[¥￥$])?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|％|个工作日|工作日|个月|个小时|小时|分钟|天|日|号|周|年|元|块|"
    r"篇|次|人|名|笔|单|件|瓶|个|倍|分|days?|weeks?|months?|years?|hours?|minutes?|percent)?", re.I)
_UNIT_CLASS = {"个工作日": "workday", "工作日": "workday", "个月": "month", "months": "month", "month": "month",
               "个小时": "hour", "小时": "hour", "hours": "hour", "hour": "hour", "分钟": "minute", "minutes": "minute",
               "minute": "minute", "天": "day", "days": "day", "day": "day", "周": "week", "weeks": "week", "week": "week",
               "年": "year", "years": "year", "year": "year", "%": "%", "％": "%", "percent": "%", "元": "¥", "块": "¥",
               "号": "date", "篇": "篇", "次": "次", "人": "人", "名": "名", "笔": "笔", "单": "单", "件": "件", "瓶": "瓶",
               "个": "个", "倍": "倍", "分": "分"}
_NEGATION = re.compile(r"不|没有|没|无需|无|禁止|严禁|未|别|勿|\bnot\b|\bno\b|\bnever\b|n't|cannot|\bwithout\b", re.I)


def quantities(text: str) -> set[tuple[str, str]]:
    """(value, unit class) of every number that carries a unit: "¥1,500" → ("1500", "¥"),
    "15 天" → ("15", "day"), "每月 10 日" → ("10", "date") but "7 日内" → ("7", "day")."""
    out: set[tuple[str, str]] = set()
    t = to_simplified(text)
    for m in _QUANTITY.finditer(t):
        value = m.group("num").replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        unit = (m.group("unit") or "").lower()
        if m.group("cur"):
            out.add((value, "¥"))
            continue
        if unit == "日":
            before = t[max(0, m.start() - 2):m.start()]
            unit_class = "date" if "月" in before else "day"
        else:
            unit_class = _UNIT_CLASS.get(unit, "")
        if unit_class:
            out.add((value, unit_class))
    return out


def changed_quantity(sentence: str, chunk: str) -> str:
    """A quantity of the sentence whose number the chunk never gives with that unit ("10 天" when
    the chunk has "15 天" and "10 日" as a date); "" when every quantity is the chunk's."""
    have = quantities(chunk)
    for value, unit in sorted(quantities(sentence)):
        if (value, unit) in have:
            continue
        if unit == "date" and (value, "day") in have:
            continue  # "10 号" for the chunk's "10 日"
        if any(u == unit for _, u in have):
            return f"{value} {unit}"  # the chunk states this kind of quantity, with another number
    return ""


def _polarity(text: str) -> int:
    return len(_NEGATION.findall(to_simplified(text))) % 2


def reversed_rule(sentence: str, chunk: str, min_share: float = 0.6) -> bool:
    """The sentence restates one of the chunk's sentences with the opposite polarity: most of its
    words match, but one of them is negated and the other is not ("可以…" vs "不可以…")."""
    body = _NEGATION.sub("", to_simplified(sentence))
    grams = bigrams(body)
    if len(grams) < 4:
        return False
    best, best_share = "", 0.0
    for candidate in split_sentences(chunk):
        other = bigrams(_NEGATION.sub("", to_simplified(candidate)))
        if not other:
            continue
        share = len(grams & other) / len(grams)
        if share > best_share:
            best, best_share = candidate, share
    return best_share >= min_share and _polarity(sentence) != _polarity(best)


def _rows(chunk: str) -> list[tuple[str, str]]:
    """(row key, row text) of every table row of the chunk ("等级: 银卡 · 笔记: 15 · …" → 银卡)."""
    return [(to_simplified(key), sentence) for sentence in split_sentences(chunk) if (key := row_key(sentence))]


def moved_threshold(sentence: str, chunk: str) -> str:
    """A number the sentence gives for one table row while the chunk gives it only in other rows
    ("金卡需要 15 篇" when 15 is in the 银卡 row); "" when none."""
    rows = _rows(chunk)
    if len(rows) < 2:
        return ""
    s = to_simplified(sentence)
    named = [key for key, _ in rows if key in s]
    named = [k for k in named if not any(k != other and k in other for other in named)]
    if len(set(named)) != 1:
        return ""
    key = named[0]
    own = " ".join(text for k, text in rows if k == key)
    own_values = {v for v, _ in quantities(own)} | set(re.findall(r"\d[\d,]*(?:\.\d+)?", own.replace(",", "")))
    for value, _ in quantities(sentence):
        others = [text for k, text in rows if k != key and value in text.replace(",", "")]
        if others and value not in own_values:
            return value
    return ""


def contradiction(sentence: str, chunk: str) -> str:
    """Why the chunk contradicts the sentence (a changed quantity, a reversed rule, a moved
    threshold), or "" when it does not."""
    if changed := changed_quantity(sentence, chunk):
        return f"changes a quantity ({changed})"
    if moved := moved_threshold(sentence, chunk):
        return f"moves a threshold to another row ({moved})"
    if reversed_rule(sentence, chunk):
        return "reverses the rule it cites"
    return ""
