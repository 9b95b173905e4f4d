"""Whether the evidence says a thing is sold on its own, when a Chinese question asks it.

"开业礼包里送的那把折扇挺好看，单独买要多少钱？" names a thing the handbooks know only as one item
of a gift pack: the sentence naming it says what comes in the pack, not that the fan is for sale,
and the nearest price in the chunk is another thing's (a ticket, a seat). A thing
the handbooks do sell is named beside its price, its code or a word of selling ("单独出售", "不另售",
"可在 App 购买"); one named only without any of these has no sale stated, so the question is unanswered.
In a table row, the price and the code are the row's own thing's: a part named in its description ("20 毫米宽；含一枚
加长扣") is sold with it, not on its own, unless its own cell says so.
"""

from __future__ import annotations

import re
from typing import Iterable

from base.language import to_simplified
from assistant.numbers import GOODS_MEASURES
from knowledge.sentences import ROW_JOIN, row_cells, split_sentences

#: asking whether a thing may be bought, or is sold, apart from what it comes with
_ASKS_ALONE = re.compile(r"(?:单独|单|另外|另)(?:买|购买|购|卖|出售|售卖|售|下单|订购)")
#: the words before the asking ones that are no part of the thing's name (when, whether, may)
_LEAD_IN = re.compile(r"(?:平时|平常|日常|现在|之后|以后|也|还|都|能不能|可不可以|能否|是否|可以|能|会不会|有没有)+$")
#: a thing pointed at in the clause before ("那把折扇挺好看"): a demonstrative, a measure word, the name
_POINTED_AT = re.compile(rf"[那这](?:[{GOODS_MEASURES}款盏块根本])?([\u4e00-\u9fff]{{2,10}}?)"
                         r"(?:挺|很|真|太|特别|蛮|好像|看着|看起来|也|还|的|[，,。？?！!]|$)")
#: …or in the clause that asks, at its end ("礼包里那块杯垫能单独买吗")
_POINTED_AT_END = re.compile(rf"[那这](?:[{GOODS_MEASURES}款盏块根本])?([\u4e00-\u9fff]{{2,12}})$")
#: a thing's sale stated beside it: a price (not a count in 块, "2 块杯垫"), a code, a word of selling
_SALE_STATED = re.compile(r"\d\s*(?:元|块钱|块(?![\u4e00-\u9fff]))|[¥￥]|价|售|卖|购买|买|下单|单独|另购|加购|[A-Z]{2,}-[A-Z0-9]")
_CLAUSE = re.compile(r"[，,；;。？?！!]")


def thing_asked_alone(question: str) -> str:
    """The thing a Chinese question asks whether it is sold on its own ("开业礼包能不能单独买" → 开业礼包), "" for none:
    the name before the asking words in their clause, or, when that clause names nothing, the thing the clause
    before points at ("那把折扇挺好看，单独买要多少钱")."""
    simple = to_simplified(question)
    match = _ASKS_ALONE.search(simple)
    if not match:
        return ""
    before = simple[:match.start()]
    clauses = _CLAUSE.split(before)
    # "礼包里那块杯垫", "这款礼盒里的杯子": the name pointed at, or the name after the last 的
    own = _LEAD_IN.sub("", clauses[-1]).rstrip("的")
    pointed = _POINTED_AT_END.search(own)
    own = (pointed.group(1) if pointed else own).rsplit("的", 1)[-1]
    if len(own) >= 2:
        return own[-8:]
    for clause in reversed(clauses[:-1]):
        pointed = _POINTED_AT.search(clause)
        if pointed:
            return pointed.group(1)
    return ""


def sale_unstated(question: str, evidence: Iterable[str]) -> bool:
    """The question asks whether a thing is sold on its own, and every sentence of the evidence (the passages
    found) that names it states no price, code or sale of it: the handbooks name it in a kit or a rule, never
    as something sold. Evidence that never names the thing is left to the other checks."""
    thing = thing_asked_alone(question)
    if len(thing) < 2:
        return False
    naming = [s for text in evidence for line in to_simplified(text).splitlines()
              for s in ([line] if ROW_JOIN in line else split_sentences(line)) if thing in s]  # a row read whole
    return bool(naming) and not any(_states_its_sale(s, thing) for s in naming)


#: the cells that say what a table row is (its code, its name): the row's price is theirs
_NAMING_CELLS = 2


def _states_its_sale(sentence: str, thing: str) -> bool:
    """``sentence`` states a price, a code or a sale of ``thing``: anywhere in it, or in a table row that names the
    thing among the cells that say what the row is, or in the thing's own cell (its column or its value)."""
    cells = row_cells(sentence)
    if not cells:
        return bool(_SALE_STATED.search(sentence))
    own = [(at, f"{name}: {value}") for at, (name, value) in enumerate(cells) if thing in name or thing in value]
    if any(at < _NAMING_CELLS for at, _ in own):
        return bool(_SALE_STATED.search(sentence))
    return any(_SALE_STATED.search(cell) for _, cell in own)
