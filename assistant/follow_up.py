"""Follow-up questions: recognised by their cues, answered with the topic they continue.

"那金卡呢？", "它多少钱？", "what about the kids' one?" or a bare product name only make sense
with the question before them. A short question is not a follow-up for being short ("怎么升级到下一个
等级？" after a commission question is a new question), so only cues count: a pronoun or demonstrative,
the "那…呢" / "what about" ellipsis, or a question that is nothing but a name the knowledge base
knows. The search then carries the previous question's topic (its subject words, or its entity
when a pronoun stands for it), never its whole wording.
"""

from __future__ import annotations

import re
from typing import Collection, Mapping

from base.language import CJK_RE, to_simplified
from assistant.answer_focus import EN_ASKING, focus_nouns, subject_words
from assistant.text_match import EN_STOP, ZH_STOP, en_words, translations, zh_words

#: pronouns and demonstratives that point back ("这个月" / "this month" point at the calendar, not back)
_ZH_POINTER = re.compile(r"(它们|它|这款|那款|这个|那个|这些|那些|这种|那种|这位|该产品|该等级|上面|刚才|前面说的|同样|这么|这样)"
                         r"(?!月|周|星期|年|季度|问题)")
_EN_POINTER = re.compile(r"\b(it|its|they|them|their|this one|that one|those|these|the same|"
                         r"this|that)\b(?!\s+(?:month|week|year|quarter))", re.I)
#: a pointer whatever the question's length: "one" standing for a thing named before ("the next one",
#: "the cheaper one") or a pronoun the question ends on ("how much commission do I get for that?")
_EN_STANDS_FOR = re.compile(r"\b(?:the|this|that|which|another|other)\s+(?:[\w-]+\s+)?one\b(?!\s+(?:of|thing)\b)|"
                            r"\b(?:it|that|this|them|those|these)\s*[?.!]*\s*$", re.I)
#: a Chinese yes/no question: with no noun of its own ("用完要洗干净吗？") it asks about the topic before
_ZH_YES_NO = re.compile(r"(吗|么|吧)[？?]?\s*$|是不是|能不能|要不要|可不可以|会不会|用不用")
#: "one" standing for the noun phrase asked about before ("the 30-day one", "the cheaper ones")
_ONE = re.compile(r"\bones?\b", re.I)
#: ellipsis: "那…呢", "…呢？" with no question word, "what about / how about / and …?"
_ZH_ELLIPSIS = re.compile(r"^(那|那么|那如果|如果是|换成|还有)|呢[？?]?\s*$")
_EN_ELLIPSIS = re.compile(r"^\s*(what about|how about|and (?:for|what about|if)?|same for|and\b)|"
                          # "how many should I start with?": a count of the things named before
                          r"^\s*how many\s+(?:should|do|does|did|can|could|will|would|must|are|is)\b", re.I)
#: words that ask, not say what about: dropped from the topic carried over
_ASKING = frozenset("多少 几 什么 怎么 怎样 如何 哪些 哪个 哪 是否 能否 可以 需要 要 有 没有 吗 呢 是 请问 么 算 样".split())
#: the cue words a follow-up's core is read without; 那 stays as a demonstrative ("那一级", "那款"), not
#: to leave "一级" (the first tier) behind
_STRIP = re.compile(r"^(那么|那(?![一个些种款位级档类件])|还有|换成|如果是)|呢?[？?。!！\s]*$")


def is_follow_up(question: str, names: Collection[str] = ()) -> bool:
    """The question leans on the one before: a pointer, an ellipsis cue, or only a known name."""
    q = to_simplified(question).strip()
    if _ZH_ELLIPSIS.search(q) or _EN_ELLIPSIS.search(q):
        return True
    if _points_back(q):
        # "how much is it?" — a long English sentence with "that" is its own question, unless "that"
        # plainly stands for a thing ("…for that?", "the next one")
        return bool(_ZH_POINTER.search(q)) or len(en_words(q)) <= 6 or bool(_EN_STANDS_FOR.search(q))
    if _without_subject(q) or _asks_only(q):
        return True
    bare = _STRIP.sub("", q).strip()
    return bool(bare) and any(bare.lower() == to_simplified(n).lower() for n in names)


def _names_in(text: str, names: Collection[str]) -> list[str]:
    """The names ``text`` uses, longest first, compared without blanks: a table row's "3C 数码" is
    the asker's "3C数码"."""
    t = _squeezed(text)
    found: list[str] = []
    for n in sorted(names, key=len, reverse=True):
        key = _squeezed(n)
        if key and key in t and not any(key in f for f in found):
            found.append(key)
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(text).lower())


def _topic_words(text: str) -> list[str]:
    """The subject words of a question, without its asking words, in the order the question says them:
    the carried-over query must not depend on a set's order (it changed with Python's hash seed, and
    with it which evidence a follow-up found)."""
    lowered = to_simplified(text).lower()
    words = [w for w in zh_words(text) if w not in _ASKING and w not in ZH_STOP]
    words += [w for w in en_words(text) if w not in EN_STOP and w not in EN_ASKING and w not in {"what", "how"}]
    return sorted(dict.fromkeys(words), key=lambda w: (lowered.find(w.lower()), w))


def follow_up_query(question: str, previous: str, names: Collection[str] = (),
                    entities: Collection[str] = (), thing: list[str] | None = None) -> str:
    """What to search for: the question alone, or — for a follow-up — the question plus the topic
    of ``previous``: its subject words when the follow-up names a new entity ("那银卡呢？" after
    "金卡的佣金倍数是多少？" → 银卡 + 佣金 倍数), its entity and subject words when it names none
    ("佣金比例呢？"), and only its entity when a pronoun stands for it ("它适合孩子用吗？").

    ``entities`` (products, tiers) are the names that replace one another; other names the knowledge
    base knows ("佣金比例") are subject words. Without entities every name counts as one. ``thing``:
    the words that named what ``previous`` is about (``thing_words`` of it when None)."""
    if not previous or not is_follow_up(question, names):
        return question
    kinds = entities or names
    own = _names_in(question, kinds)
    prev_entities = _names_in(previous, kinds)
    topic = [w for w in _topic_words(previous)
             if not any(w.lower() in n or n in w.lower() for n in prev_entities) and w not in question]
    named_anew = _names_a_new_thing(question)
    new_thing = bool(own) or named_anew
    things = [w for w in (thing_words(previous) if thing is None else thing) if w in topic]
    if named_anew and not own and not prev_entities:
        # an English follow-up replaces a thing before that has no entity name to drop it by ("the
        # toaster"): what was asked of it goes on, the words that named it do not
        topic = [w for w in topic if w not in things]
    elif not new_thing and _points_back(question):
        # a pronoun stands for the thing, not for what was asked of it ("它的零售价" after "X 的佣金比例");
        # "the 30-day one" stands for the whole of what was asked, changed in one respect
        if prev_entities or not _ONE.search(question):
            topic = prev_entities or things or topic
    elif not new_thing:
        topic = prev_entities + topic
    core = _STRIP.sub("", question.strip()) or question
    return f"{core} {_as_written(topic, previous)}".strip()


def _as_written(words: list[str], text: str) -> str:
    """The carried words joined as ``text`` wrote them: Chinese words it wrote side by side stay one
    name ("保温水壶", not "保温 水壶", which no table row is named by); others are spaced."""
    simple = to_simplified(text).lower()
    out = ""
    end = -1
    for word in words:
        at = simple.find(word.lower(), max(end, 0))
        glued = out and at == end and CJK_RE.match(word) and CJK_RE.search(out[-1])
        out += word if glued else (" " + word if out else word)
        end = at + len(word) if at >= 0 else -1
    return out


#: the words of an English ellipsis cue ("what about", "and for", "same for")
_EN_CUE_WORDS = frozenset("what how about and for same".split())


def _names_a_new_thing(question: str) -> bool:
    """An English follow-up that names a thing of its own, its first word no programme vocabulary
    ("How about the dehumidifier?" after two questions about other products' commission, "and the Gold
    tier?"): the thing before is replaced, whether or not the entity list knows the English name.
    "What about the commission rate?" or "and the refund window?" name an attribute of the thing
    before, and keep it."""
    if CJK_RE.search(question) or _points_back(question):
        return False
    words = [w for w in _topic_words(question) if w not in _EN_CUE_WORDS]
    return bool(words) and not translations(words[0])  # "the Gold tier", "the dehumidifier": named by its first word


#: an English question's closing phrase after a preposition names what it asks about ("…rate on the
#: toaster?", "…CPM for partner videos?")
_EN_THING = re.compile(r"\b(?:on|for|of|about|with|in|from)\s+(?:(?:the|a|an|my|your|our|this|that)\s+)?"
                       r"([^?.!,;]+?)\s*[?.!]*\s*$", re.I)


def thing_words(question: str) -> list[str]:
    """The words that name what a question asks about, as opposed to what it asks of it: in Chinese
    the words before its first 的 ("烤面包机的佣金比例" → 烤面包机), in English those after its closing
    preposition ("the commission rate on the toaster" → toaster); [] when neither marks it."""
    simple = to_simplified(question)
    if CJK_RE.search(simple):
        head, of, _ = simple.partition("的")
        return _topic_words(head) if of else []
    match = _EN_THING.search(simple)
    return _topic_words(match.group(1)) if match else []


def _points_back(question: str) -> bool:
    """A pronoun or demonstrative stands for something named before."""
    q = to_simplified(question)
    return bool(_ZH_POINTER.search(q) or (not CJK_RE.search(q) and (_EN_POINTER.search(q) or _EN_STANDS_FOR.search(q))))


def _without_subject(question: str) -> bool:
    """A Chinese yes/no question that names nothing ("用完要洗干净吗？", "可以退吗？"): Chinese leaves out
    the subject the conversation already has, so the question is about the topic before it."""
    return bool(CJK_RE.search(question)) and bool(_ZH_YES_NO.search(question)) and not focus_nouns(question)


#: a question that asks for a value and nothing else ("要多久？", "多少钱？", "how long?")
_ZH_ASKS_VALUE = re.compile(r"多久|多少|多长|多大|几|什么时候|哪天|何时")
_EN_ASKS_VALUE = re.compile(r"^\s*(?:how|when|what)\b", re.I)
#: the units a bare English value question counts in ("how many days?"): asking, not a subject
_EN_UNITS = frozenset("day days week weeks month months year years hour hours minute minutes".split())


def _asks_only(question: str) -> bool:
    """A question made only of asking for a value ("要多久？", "最多几次？", "How many days?"): the thing
    it measures is the one the conversation is about, left out as Chinese leaves out a subject."""
    if CJK_RE.search(question):
        return bool(_ZH_ASKS_VALUE.search(question)) and not subject_words(question)
    words = {w for w in en_words(question) if w not in EN_ASKING and w not in _EN_UNITS}
    return bool(_EN_ASKS_VALUE.search(question)) and not words - {"how", "when", "what"}


def conversation_query(question: str, earlier: list[str], names: Collection[str] = (),
                       entities: Collection[str] = ()) -> str:
    """``follow_up_query`` against the earlier questions read as a chain: "它适合孩子用吗？" after
    "X多少钱？" and "佣金比例呢？" still stands for X, which only the first of them names."""
    previous, thing = "", None
    for asked in earlier:
        query = follow_up_query(asked, previous, names, entities, thing)
        thing = _thing_after(asked, previous, thing)
        previous = query
    return follow_up_query(question, previous, names, entities, thing)


def _thing_after(asked: str, previous: str, thing: list[str] | None) -> list[str] | None:
    """What the conversation is about once ``asked`` is answered: the thing it names ("How about the
    dehumidifier?" → dehumidifier), the thing before when it only follows up on it ("它多少钱？"), else
    None (read from its query, ``thing_words``)."""
    if not previous or not is_follow_up(asked):
        return None
    if _names_a_new_thing(asked):
        return [w for w in _topic_words(_STRIP.sub("", asked)) if w not in _EN_CUE_WORDS]
    return thing


def conversation_root(question: str, earlier: list[str], names: Collection[str] = ()) -> str:
    """For a follow-up, the last earlier question that was not one itself ("这个月我赚了多少？" for
    "那上个月呢？"), else the conversation's first: whose records or which rule the follow-up is about is
    said there; "" for a question that is no follow-up."""
    if not earlier or not is_follow_up(question, names):
        return ""
    # the conversation's first question has nothing before it, whatever cue it carries ("这款面霜…")
    return next((q for q in reversed(earlier) if not is_follow_up(q, names)), earlier[0])


#: a tier named by its place above the one the conversation is about ("那下一级呢？", "And the next tier?")
_NEXT_TIER = re.compile(r"下一(?:个)?(?:等级|级|档)|下个等级|高一级|\bnext (?:tier|level)\b|\b(?:tier|level) above\b", re.I)


def rungs(ladder: Mapping[str, str]) -> list[str]:
    """The tier keys of a ladder (tier name → key, lowest tier first), lowest first, each once."""
    return list(dict.fromkeys(ladder.values()))


def names_next_tier(question: str) -> bool:
    """The question speaks of the tier above ("下一级", "下一級", "the next tier")."""
    return bool(_NEXT_TIER.search(to_simplified(question)))


def with_next_tier(question: str, earlier: list[str], ladder: Mapping[str, str]) -> str:
    """The question with "下一级" / "the next tier" written as the name of the tier above the one the
    conversation last named, in the question's language ("那下一级呢？" after a question about the second
    tier → "那<third tier>呢？"). ``ladder`` maps each tier name to its key, lowest tier first (the
    policy's order). Unchanged when no earlier question names a tier, or that tier is the top one."""
    if not ladder or not earlier or not _NEXT_TIER.search(to_simplified(question)):
        return question
    named = ""
    for asked in earlier:  # each earlier "next tier" read against the tier named before it
        named = _tier_named(_above(asked, named, ladder), ladder) or named
    return _above(question, named, ladder)


def _above(question: str, named: str, ladder: Mapping[str, str]) -> str:
    """The question with its "next tier" cue written as the name of the tier above ``named`` (a tier
    key), in the question's language; unchanged without a cue, a tier named, or a tier above it."""
    keys = rungs(ladder)
    simplified = to_simplified(question)  # "下一級" is the cue too; a span found there is the question's own
    cue = _NEXT_TIER.search(simplified)
    if not named or cue is None or keys.index(named) + 1 >= len(keys) or len(simplified) != len(question):
        return question
    above = keys[keys.index(named) + 1]
    chinese = bool(CJK_RE.search(question))
    names = [n for n, key in ladder.items() if key == above and bool(CJK_RE.search(n)) == chinese]
    if not names:
        return question
    name = max(names, key=len)
    return question[:cue.start()] + (name if chinese else f"{name} {_tier_noun(cue.group(0))}") + question[cue.end():]


#: a tier named by its place at an end of the ladder ("最高等级", "the top tier"; "入门等级", "the entry level")
_END_TIER = re.compile(r"(?P<top>最高(?:的)?(?:等级|级别|一级|一档)|顶级等级|\b(?:top|highest) (?:tier|level)\b)|"
                       r"(?P<bottom>最低(?:的)?(?:等级|级别|一级|一档)|起始等级|入门等级|"
                       r"\b(?:lowest|entry|starting|bottom) (?:tier|level)\b)", re.I)


def with_end_tier(question: str, ladder: Mapping[str, str]) -> str:
    """The question with the tier "最高等级" / "the top tier" (or the lowest) names written after its cue:
    "升到最高等级（<top tier>）有什么奖励？". The handbooks name their tiers and say "the top one" rarely,
    so the name is what finds the top tier's rows. A name in the question's script when the ladder has one."""
    keys = rungs(ladder)
    simplified = to_simplified(question)  # a span found there is the question's own
    found = _END_TIER.search(simplified)
    if len(keys) < 2 or not found or len(simplified) != len(question):
        return question
    key = keys[-1] if found.group("top") else keys[0]
    chinese = bool(CJK_RE.search(question))
    names = [n for n, k in ladder.items() if k == key]
    same_script = [n for n in names if bool(CJK_RE.search(n)) == chinese]
    name = max(same_script or names, key=len)
    bracketed = f"（{name}）" if chinese else f" ({name})"
    return question[:found.end()] + bracketed + question[found.end():]


def _tier_noun(cue: str) -> str:
    """The noun of an English cue ("next level" → level, "tier above" → tier): "the next tier" is "the
    Gold tier"."""
    words = cue.split()
    return words[1] if words[0].lower() == "next" else words[0]


def _tier_named(text: str, ladder: Mapping[str, str]) -> str:
    """The key of the tier ``text`` names (its longest name found), "" for none."""
    found = _names_in(text, ladder)
    return next((key for name, key in ladder.items() if found and _squeezed(name) == found[0]), "")
