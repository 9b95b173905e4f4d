"""The act an English "how long" question times, and whether the Chinese evidence times that act.

"How many days does a parcel take to arrive?" over a handbook whose only durations are the freeze
periods "签收后 20 天" shares the question's whole scene (an order, its delivery, days) and answers
nothing: those days count *from* the parcel's arrival, they do not say how long it takes to arrive.
Chinese questions are checked by their own words (``answer_focus.asked_act``); an English one names
its act in a verb ("to ship", "until the money reaches…", "can I retake…") or, with "take", in its
subject ("how long does delivery take"). Only the acts of a parcel or a payment on its way, an appeal,
a retake and an account closed are looked for: generic programme vocabulary, each with the ways
Chinese handbooks write it. An act not in this table is left to the sentence vectors.
"""

from __future__ import annotations

import re

from base.language import to_simplified
from assistant.answer_type import states_value

#: the programme acts a duration is asked of, by English word → how Chinese handbooks write them
_ACTS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("arrive", "arrives", "arrived", "arrival", "reach", "reaches", "delivery", "deliver", "delivered"):
        ("到货", "送达", "到达", "到账", "寄到", "送到", "收到", "签收", "配送"),
    ("ship", "ships", "shipped", "dispatch", "dispatched", "shipping"): ("发货", "发出", "寄出", "寄回", "寄送", "补发", "发往"),
    ("appeal", "appeals", "appealed"): ("申诉", "复核"),
    ("retake", "resit", "retry"): ("补考", "重考", "再考", "再次", "重新"),
    ("close", "closed", "closes", "terminate", "terminated"): ("注销", "关闭", "清退", "终止", "封号"),
    ("unfreeze", "unfreezes", "unfrozen", "thaw", "thaws"): ("冻结", "解冻", "可结算"),
}
_FORMS = {word: forms for words, forms in _ACTS.items() for word in words}

#: the duration asked, and what follows it up to the end of its clause
_HOW_LONG = re.compile(r"\b(?:how\s+(?:long|soon|quickly|many\s+(?:more\s+)?(?:working\s+)?(?:days|hours|weeks|months|minutes))|"
                       r"within\s+how\s+long|for\s+how\s+long)\b([^?.;!]*)", re.I)
#: a start the span counts from ("after the customer orders", "once it arrives"): what follows is no act timed
_FROM = re.compile(r"\b(?:after|once|since|from)\b.*", re.I)
#: a Chinese act written as the start of a span ("签收后 20 天", "到账起"): the days count from it
_AS_A_START = r"\s*(?:以后|之后|后|起)"
_CLAUSES = re.compile(r"[。；;！!？?\n]")


def timed_act(question: str) -> tuple[str, tuple[str, ...]]:
    """The act an English duration question asks the length of, with its Chinese forms, or ("", ())
    when the question asks no duration or times an act this table has no words for."""
    match = _HOW_LONG.search(question)
    if not match:
        return "", ()
    rest = _FROM.sub("", match.group(1))
    for word in re.findall(r"[a-z]+", rest.lower()):
        if word in _FORMS:
            return word, _FORMS[word]
    return "", ()


def times_it(forms: tuple[str, ...], evidence: str) -> bool:
    """Some clause of ``evidence`` states a duration and writes the act in it other than as the span's
    start: "结算后 3 个工作日内到账" times the payment's arrival, "签收后 20 天" only counts from it."""
    for clause in _CLAUSES.split(to_simplified(evidence)):
        if not states_value("duration", clause):
            continue
        if any(re.search(re.escape(form) + f"(?!{_AS_A_START})", clause) for form in forms):
            return True
    return False
