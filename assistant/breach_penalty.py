"""What breaking a rule costs, for a question asking whether something is allowed.

"可以拍小朋友爬上展台吗？" is answered by the rule that forbids it ("展台上不拍孩子攀爬"), but the asker
also needs what doing it anyway costs, and that is kept elsewhere: a penalty table in another handbook
("情形: 拍摄孩子攀爬展台 · 扣分: 6 分"). The table is not searched for; it is read from the knowledge base's
table rows (``KnowledgeBase.table_rows``): a row with a penalty column whose breach is the rule the answer
quotes, told by the characters they share, since both are the handbooks' own words for one act.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from base.language import quiet_posseg, to_simplified
from assistant.text_match import bigrams
from knowledge.sentences import row_cells

#: a question asking whether an act is allowed, or what doing it leads to
_ASKS_IF_ALLOWED = re.compile(r"可不可以|能不能|能否|允许|行不行|行吗|[能可]以?[^，,。？?！!；;]{0,30}?吗|没事吧|没问题吧|"
                              r"(?:可以|行|没关系)吧|"
                              r"有问题吗|有没有问题|会怎样|会怎么样|会咋样|什么后果|啥后果|"
                              r"\b(?:can|may|could)\s+(?:i|we)\b|\bis\s+it\s+(?:ok|okay|fine|alright|allowed)\b|"
                              r"\b(?:am\s+i|i'?m|i\s+am|are\s+we|we'?re|are\s+kocs?)\s+allowed\b|"
                              r"\bany\s+problem\b|\bwhat\s+happens\s+if\b", re.I)
#: the column of a table that says what a breach costs
_PENALTY_COLUMN = re.compile(r"扣|记.{0,2}分|分值|罚|处分|处理|后果")
#: a penalty cell: points, or what happens to the account
_PENALTY_CELL = re.compile(r"\d|清退|冻结|警告|暂停|取消|除名|扣到")
#: the alternatives one breach row lists ("不标合作，或者漏了话题标签"), split keeping what joins them
_ALTERNATIVES_KEPT = re.compile(r"\s*(或者|或是|以及|或|[，,；;、：:])\s*")
#: how much of one of a row's breaches the quoted rule must write, in its characters' pairs
MIN_SHARED = 0.6
#: a breach this short is matched by too many rules
MIN_PAIRS = 3


def asks_if_allowed(question: str) -> bool:
    """The question asks whether the asker may do something, or what doing it leads to."""
    return bool(_ASKS_IF_ALLOWED.search(to_simplified(question)))


def penalty_rows(rows: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (chunk id, row) pairs of ``rows`` that state what a breach costs: a later column named for a
    penalty whose cell holds points or what happens to the account."""
    return [(chunk_id, row) for chunk_id, row in rows
            if any(_PENALTY_COLUMN.search(name) and _PENALTY_CELL.search(cell) for name, cell in row_cells(row)[1:])]


def _pairs(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in ``text``, simplified (``bigrams`` without a lone character's run)."""
    return {gram for gram in bigrams(text) if len(gram) == 2}


def _head_verb(part: str) -> str:
    """The verb ``part`` opens with ("冒充" in "冒充客服"), "" when it opens with anything else."""
    words = [t for t in quiet_posseg().lcut(to_simplified(part)) if t.word.strip()]
    return words[0].word if words and words[0].flag == "v" and len(words[0].word) >= 2 else ""


def _shared(breach: str, rule: str, asked: str, spread: Counter[str]) -> float:
    """How much of the best of a row's breaches the ``rule`` line writes: the share of its character pairs, each
    weighed down by the number of breaches that write it (``spread``). An alternative joined by a bare 或 to one
    that opens with a verb is an object of that verb ("冒充客服或植物顾问": impersonating either): it is matched only
    where the rule or the question (``asked``) writes the verb, or a rule naming the role alone would match."""
    pieces = _ALTERNATIVES_KEPT.split(breach)
    rule_pairs = _pairs(rule)
    best, head = 0.0, ""
    for at in range(0, len(pieces), 2):
        part = pieces[at]
        joined_by = pieces[at - 1] if at else ""
        head = head if joined_by == "或" else _head_verb(part)
        if joined_by == "或" and head and head not in rule and head not in asked:
            continue
        pairs = _pairs(part)
        if len(pairs) >= MIN_PAIRS:
            weight = {pair: 1 / max(spread[pair], 1) for pair in pairs}
            best = max(best, sum(weight[pair] for pair in pairs & rule_pairs) / sum(weight.values()))
    return best


def breach_row(question: str, quoted: Sequence[str], rows: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The penalty row for the breach the ``quoted`` rules describe, as (chunk id, row); None when the question
    does not ask whether something is allowed, or no row's breach is written in one of them (``MIN_SHARED``).
    The question's own words are not matched: a hashtag or a programme name it shares with a row says nothing
    of the breach. A tie goes to no row: the rule does not say which breach it is."""
    if not asks_if_allowed(question):
        return None
    rules = [to_simplified(line) for line in quoted if _pairs(line)]
    asked = to_simplified(question)
    penalties = penalty_rows(rows)
    # words several breaches share ("新品试用" in selling a trial item and in posting it late) tell none of them
    spread = Counter(pair for breach in {row_cells(row)[0][1] for _, row in penalties} for pair in _pairs(breach))
    scored = sorted(((max(_shared(row_cells(row)[0][1], rule, asked, spread) for rule in rules), chunk_id, row)
                     for chunk_id, row in penalties) if rules else (), reverse=True)
    if not scored or scored[0][0] < MIN_SHARED or any(share == scored[0][0] and row_cells(row)[0] != row_cells(scored[0][2])[0]
                                                      for share, _, row in scored[1:]):
        return None
    return scored[0][1], scored[0][2]
