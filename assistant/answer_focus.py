"""The question's focus must be in the evidence, or the question is not covered.

A near miss shares most of its words with a handbook sentence and differs in the one word that
matters: "这个品牌的口红有哪些色号？" over a catalogue without lipstick, "嘉善南站…" over a passage about
嘉兴南站, a founder's birthday over the founder's story. Similarity and the answer type do not tell
these apart; the focus does. The focus of a question is its nouns (jieba part-of-speech tags), and
a focus noun is *missing* when neither it nor a synonym occurs in the chunks the evidence sentences
come from and the knowledge base does not know it (not every one of its character bigrams occurs
in the corpus: a paraphrase the asker chose, such as 後果 or 思路, is still made of words the
handbooks use; a product, a person or a thing they never mention, such as 发票 in 开发票, is not).

- A missing *name* (a person-like name, jieba ``nr*``) is never answered from other evidence.
- A missing common noun refuses only when the evidence is also semantically far from the
  question (``FOCUS_SEMANTIC``): a well-matched sentence may answer in other words; and never
  when the question asks whether something is allowed and the evidence states a rule that allows
  or forbids it ("可以私下帮粉丝代购别家的保养品吗？" is answered by "不得私下销售其他品牌的产品").
- A missing word that names *what is asked* (the kind after 什么, what a yes/no question asks about)
  refuses however close the evidence is: the evidence is close because it names the thing asked
  about, and says nothing of the asked aspect.

Nothing here names a corpus: the corpus statistics come from the knowledge base's own lexical
index (``EvidenceScorer.known``), the word classes from jieba.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any, Callable, Iterable, Sequence

from base.language import CJK_RE, detect_language, quiet_posseg, to_mainland_words, to_simplified
from assistant.answer_type import (COUNTED_THINGS, EN_COUNT_UNITS, LENGTH_OR_TIME_UNITS, TOLD_BEFORE_A_FEW, UNIT_CLASSES,
                                   WORD_UNIT_CLASSES,
                                   asked_measure, asks_at, asks_how_long, states_value, unit_forms)
from assistant.countries import countries_named, languages_named
from assistant.numbers import GOODS_MEASURES, numeral
from assistant.product_specs import specs_asked, states_spec
from assistant.text_match import (BIG_SALE, EN_STOP, GLOSSARY, GUESSED_BELOW, PLATFORMS, RESULTATIVES, ZH_STOP,
                                 ZH_SYNONYMS, dictionary_count, object_forms, sale_events_named, translations, verb_forms)
from assistant.timed_act import timed_act, times_it
from knowledge.sentences import ROW_JOIN, row_cells, split_sentences
from knowledge.text import parse_zh_number

#: best evidence similarity (0..1, ``EvidenceScorer.semantic``) under which a missing common noun
#: refuses; calibrated on the sample set's hard negatives and cmrc2018 dev (never a held-out set)
FOCUS_SEMANTIC = 0.5
_NAME_TAGS = ("nr", "nrt", "nrfg")
_NOUN_TAGS = ("n", "nz", "ns", "nt", "vn", "j", "t", *_NAME_TAGS)
#: nouns a question uses to ask, not to say what about (generic Chinese, no corpus in it)
GENERIC_NOUNS = frozenset(
    "后果 东西 地方 情况 问题 办法 方式 方法 路子 法子 原因 时候 事情 部分 内容 作用 特点 意思 结果 方面 哪些地方 "
    "现在 今年 明天 今天 目前 当时 后来 以后 之后 之前 以前 时间 最近 平时 一般 具体 大概 一共 总共 "
    # which time of a recurring thing is meant ("下次考核"), told relative to now, not a thing to look up
    "下次 上次 这次 那次 本次 此次 下回 上回 这回 "
    # "那段时间": jieba's dictionary reads 段时间 as a person's name (段 is a surname)
    "段时间 "
    # the form the answer should take ("举几个例子"), not a thing the handbooks must name
    "例子".split())
#: words that qualify the kind a question asks for rather than name it ("什么具体要求", "什么额外规定")
_QUALIFIERS = frozenset("硬性 具体 主要 额外 其他 其它 特别 特殊 基本 必要 相关 详细 明确 统一 官方".split())
#: words for people by their role that jieba's dictionary tags as a person's name (nr): a customer or an
#: adviser is no one in particular, so a question about one is neither about another KOC nor a name the
#: handbooks must write (they may say 粉丝 or 用户). Found by looking up common role nouns in the dictionary.
ROLE_NOUNS = frozenset("顾客 顾问 达人 宝宝".split())
#: "may I …?" questions, and the rule sentences that answer them (generic modal words)
_ASKS_PERMISSION = re.compile(r"可以.{0,30}吗|可不可以|能不能|能否|允许|是否可以|行不行|我们?能.{0,40}?吗|\b(?:can|may) i\b|allowed", re.I)
#: a bare 可以 is no rule: "混合肌、油皮都可以用" describes a product and does not answer "孕妇可以用吗"
_STATES_RULE = re.compile(r"不得|禁止|严禁|不能|不可|不允许|不准|违者|must not|not allowed|cannot|may not", re.I)
_COUNTS = re.compile(r"[\d一二两三四五六七八九十百千万几]|^大?半个?(?:年|月|天|周|小时)$")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")


_posseg = quiet_posseg


def focus_nouns(question: str) -> list[tuple[str, bool]]:
    """The question's focus nouns as (word, is a name), Simplified, in order, without repeats."""
    out: dict[str, bool] = {}
    previous = ""
    tokens = [t for t in _with_bound_suffixes(_posseg().lcut(to_mainland_words(question))) if t[0].strip()]  # 影片: 视频
    for at, (word, tag) in enumerate(tokens):
        before, previous = previous, word
        if _classifier_glued(word, tag, before):
            word = word[1:]  # "40包某某": the count's classifier, then the name ("那张贴": a bare noun, none)
        if len(word) < 2 or not _CJK.match(word) or not tag.startswith(_NOUN_TAGS):
            continue
        if word in GENERIC_NOUNS or _qualifies(tokens, at) or word in ZH_STOP or _COUNTS.search(word) or _glued_adverb(word) \
                or _glued_modal(word, before) or _glued_approximation(word, before) or _the_one_asking(tokens, at) \
                or _a_time_told(tokens, at) or _glued_conjunction(word, tag) or _approaching_the_asker(tokens, at) \
                or _negated_degree(word, before) or _verb_before_someone(tokens, at) or _someone_in_the_story(tokens, at) \
                or _members_of_a_group(tokens, at) or _directional_complement(word, tokens, at):
            continue
        out.setdefault(word, _persons_name(word, tag))
    for name in _lettered_names(question):
        out.setdefault(name, True)
    return list(out.items())


#: a part asks something: a question word, a yes/no particle, or an English question opening
ASKS = re.compile(r"吗|呢|什么|怎么|怎样|如何|多少|多久|多长|几|哪|谁|是否|能否|可否|有没有|是不是|要不要|会不会|能不能|可不可以|"
                  r"^\s*(?:what|how|when|where|who|which|why|is|are|do|does|did|can|could|will|should|may)\b", re.I)
#: …and in a clause, what else asks of a time or a measure ("多久过期", "何时", "还算不算")
_ASKS_TOO = re.compile(r"多大|多高|多远|何时|算不算")
#: what ends a clause
_CLAUSE_END = frozenset("，,。；;？?！!")


def _a_time_told(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """A time word in a clause that asks nothing tells when something happened ("就去年冬天在门店做过一次调校，
    这样能申请吗？"): it is the asker's story, not what the handbooks must name; asked about ("去年的营收是多少") it is."""
    return tokens[at][1].startswith("t") and _in_a_clause_asking_nothing(tokens, at)


def _in_a_clause_asking_nothing(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """The clause around ``at`` (between clause ends) asks nothing: it tells."""
    start = next((i + 1 for i in range(at - 1, -1, -1) if tokens[i][0] in _CLAUSE_END), 0)
    end = next((i for i in range(at + 1, len(tokens)) if tokens[i][0] in _CLAUSE_END), len(tokens))
    clause = "".join(word for word, _ in tokens[start:end])
    return not ASKS.search(clause) and not _ASKS_TOO.search(clause)


#: people the asker knows, named by how ("我表姐去店里办了…", "给她老公买了…"): in the asker's story, who bought is no
#: topic (a rule is written for the purchase, whoever makes it); the router reads their figures as another's data
RELATIONS = ("朋友 闺蜜 同事 室友 同学 家人 亲戚 表姐 表妹 表哥 表弟 堂哥 堂姐 姐姐 妹妹 哥哥 弟弟 姐妹 兄弟 老公 老婆 妻子 丈夫 "
             "爱人 男朋友 女朋友 男友 女友 妈妈 爸爸 爸妈 父母 婆婆 公公 岳母 丈母娘 邻居 同乡 发小").split()


def _someone_in_the_story(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """A person named by how the asker knows them, in a clause that asks nothing ("我表姐去店里办了年卡，这单我能
    拿多少？"): the story, like a time told; asked about ("同事能不能也报名") they are the question's business."""
    return tokens[at][0] in RELATIONS and _in_a_clause_asking_nothing(tokens, at)


#: the verbs by which someone in the asker's story comes to them ("有家店的老板找我", "一个粉丝私信我")
_APPROACHES = re.compile(r"^(?:来|又|也|都|就)?(?:找|问|联系|私信|咨询|留言|加|约)(?:到|了)?我")


def _approaching_the_asker(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """A noun naming whoever approached the asker, in a clause that asks nothing ("一家幼儿园的园长找我，想一次订 40 个…，
    有佣金吗？"): who they are is the story; the rule is written for the order they place."""
    after = at + 1
    while after < len(tokens) and (tokens[after][1].startswith("n") or tokens[after][0] == "的"):  # "幼儿园的园长找我"
        after += 1
    return bool(_APPROACHES.match("".join(word for word, _ in tokens[after:after + 3]))) \
        and _in_a_clause_asking_nothing(tokens, at)


#: conjunctions jieba glues to the verb after them and takes for a name ("寄出去和寄回来" cut 和寄)
_CONJUNCTIONS = frozenset("和与跟及或同")


def _glued_conjunction(word: str, tag: str) -> bool:
    """A two-character "name" no dictionary holds, opening with a conjunction: the conjunction and a verb."""
    return tag in _NAME_TAGS and len(word) == 2 and word[0] in _CONJUNCTIONS and not dictionary_count(word)


#: degree adverbs a negation makes "not very" of ("拉链不太行了", "不大好"): jieba reads 太行 as the mountains
_DEGREES = frozenset("太大很怎")


def _negated_degree(word: str, before: str) -> bool:
    """"不太行": a negation, a degree adverb and an adjective, not a noun."""
    return before in _NEGATIONS and len(word) == 2 and word[0] in _DEGREES


#: the modals and the people a verb jieba tags as a noun stands between when it is the act ("能建议她…", "要提醒他…")
_MODALS_BEFORE = frozenset("能 可以 要 会 想 该 应该 得 需要".split())
_PRONOUNS = frozenset("他 她 他们 她们 顾客 粉丝 对方".split())


def _verb_before_someone(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """A word after a modal and before the person it is done to is a verb ("我能建议她换成年卡吗": 建议 is what
    the asker would do, the question is whether the card can be changed)."""
    return (0 < at < len(tokens) - 1 and tokens[at - 1][0] in _MODALS_BEFORE and tokens[at + 1][0] in _PRONOUNS)


#: what points at or counts a thing before its classifier ("那张", "一件", "3 个")
_POINTS_OR_COUNTS = re.compile(r"(?:[这那哪每几一两]|\d)$")


def _classifier_glued(word: str, tag: str, before: str) -> bool:
    """jieba joined a classifier to the noun after it and took the pair for a name ("那张贴撕了" cut 那 / 张贴,
    "订 40 包某某" cut 40 / 包某某): after a pointer or a count, such a "name" opening with a classifier is that
    classifier and a bare noun, or the name after it (a common noun so cut, "那/盒子", stays one)."""
    return tag in _NAME_TAGS and bool(_POINTS_OR_COUNTS.search(before)) and word[0] in GOODS_MEASURES


def _members_of_a_group(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """The word at ``at`` names who a chat group gathers ("某某群里能发几条"): the group is what is asked about, and
    the handbooks' rule for groups is the answer, whoever is in it."""
    return at + 1 < len(tokens) and tokens[at + 1][0] in ("群", "群里")


def _qualifies(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """The word at ``at`` qualifies the noun after it ("哪些硬性条件"): that noun is the focus. Alone it is one
    ("回报给官方")."""
    return tokens[at][0] in _QUALIFIERS and at + 1 < len(tokens) and tokens[at + 1][1].startswith(_NOUN_TAGS)


#: one-character heads that make a kind of charge or rate out of the word before them (场地 + 费 → 场地费,
#: 退货 + 率 → 退货率), which jieba leaves apart when it does not know the compound; a rate is of an act too
_BOUND_SUFFIXES = {"费": ("n", "s", "vn"), "率": ("n", "s", "vn", "v")}


def _with_bound_suffixes(tokens: Iterable[Any]) -> list[tuple[str, str]]:
    """(word, tag) pairs with a charge or rate suffix joined back to the word before it: "聚会的场地费" asks
    about a fee of the venue, which evidence about the gathering's subsidy does not state, and "退货率" about
    the rate of returns, not of repurchases."""
    out: list[tuple[str, str]] = []
    for token in tokens:
        word, tag = token.word, token.flag
        if len(word) == 2 and word[0] in _BOUND_SUFFIXES and word[1] in _GLUED_MODALS and not dictionary_count(word):
            # "聚会的场地费能报销吗": jieba's guess 费能 (tagged a name) is the suffix with the modal after it glued on
            if out and len(out[-1][0]) >= 2 and _CJK.match(out[-1][0]):
                out[-1] = (out[-1][0] + word[0], "n")
            out.append((word[1], "v"))
            continue
        if word in _BOUND_SUFFIXES and out and len(out[-1][0]) >= 2 and out[-1][1].startswith(_BOUND_SUFFIXES[word]) \
                and _CJK.match(out[-1][0]):
            out[-1] = (out[-1][0] + word, "n")
            continue
        out.append((word, tag))
    return out


#: characters that place a thing somewhere ("镇内", "在X上") rather than name a place or a thing
_LOCATIVES = frozenset("上下里中内外前后旁边间")


def names_a_place(word: str) -> bool:
    """``word`` is a place's name (jieba's ``ns``: 浙江省, 苏州), not a word for places (城市, 省份). A question
    that names one asks about that place: "浙江有几家门店" is not answered by the count for the whole country,
    however close the sentence stating it reads."""
    tags = [t.flag for t in _posseg().lcut(word)]
    # a word ending in a locative ("镇内", "省外") places something in a place it does not name; a word
    # jieba only guessed (no dictionary entry) is tagged a place as readily as two names run together
    return (tags == ["ns"] and word not in _PLACES and word not in GENERIC_NOUNS and word[-1] not in _LOCATIVES
            and dictionary_count(word) > 0)


#: locatives that end a thing's place, not a person's name: jieba reads "物料包里" as 物料 + a name 包里
_PLACING = frozenset("里上内")


#: a while pointed at ("那阵子", "这会儿"), which jieba may tag as a person's name
_A_WHILE = re.compile(r"^[这那][阵会段](?:子|儿|时间)?$")


def _persons_name(word: str, tag: str) -> bool:
    """A word jieba tags as a person's name that is no role noun it tags so (顾客, 顾问), nor a place in a thing
    ("包里"), nor a while ("那阵子")."""
    return tag in _NAME_TAGS and word not in ROLE_NOUNS and word[-1] not in _PLACING and not _A_WHILE.match(word)


def names_a_person(text: str) -> bool:
    """``text`` names someone: a word of two characters or more that is a person's name."""
    return any(len(t.word) >= 2 and _persons_name(t.word, t.flag) for t in _posseg().lcut(to_simplified(text)))


def heads_a_compound(word: str, question: str) -> bool:
    """jieba tags the first half of some compound nouns as a person's name ("益智/玩具", a product line):
    a name followed at once by a common noun (no 的, no verb, no time between them) modifies that noun,
    so the compound names a thing, not a person whose figures are asked for."""
    tokens = _posseg().lcut(to_simplified(question))
    for token, after in zip(tokens, tokens[1:]):
        if token.word == word and token.flag in _NAME_TAGS:
            return after.flag in ("n", "nz", "vn") and len(after.word) >= 2
    return False


#: words a question asks with whatever it is about: modal and aspect verbs, and the asking phrases jieba
#: reads as nouns or verbs ("多长时间", "怎么办"); generic Chinese, no corpus in it
ASKING_ONLY = frozenset("要 需要 能 可以 会 得 是 有 算 到 能到 开始 结束 时候 时间 多长时间 多长 怎么办 一般 大概 最多 最少 最低 最高 "
                        "最晚 最早".split())
_SUBJECT_TAGS = ("n", "v", "a", "i", "l", "j", "eng")
#: verbs that put a thing to a use the next verb names ("拿来湿敷", "用来送礼"): no action of their own
LIGHT_VERBS = frozenset("拿来 拿去 用来 用作 用于 当作 当成".split())


def subject_words(question: str) -> list[str]:
    """The words of a Chinese question that say what it is about (nouns, verbs, adjectives, idioms of
    two characters or more, and verbs of one: 赚), without the words it only asks with: "要多久？" and
    "最多几次？" have none, "不及格怎么办？" has 不及格."""
    return list(dict.fromkeys(
        t.word for t in _posseg().lcut(to_mainland_words(question))
        if (len(t.word) >= 2 or t.flag == "v") and t.flag.startswith(_SUBJECT_TAGS) and t.word not in ASKING_ONLY
        and t.word not in GENERIC_NOUNS and t.word not in ZH_STOP and not _COUNTS.search(t.word)))


#: the complements that tell which way an act goes ("送得过去", "拿回去"), which jieba may read as time words (过去)
_DIRECTIONS = frozenset("过去 过来 回去 回来 出去 出来 进去 进来 上去 上来 下去 下来 起来".split())


def _directional_complement(word: str, tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """``word`` says which way the act before it goes: after 得 or 不 ("送得过去吗", "送不过去") or right
    after a verb ("寄过去"), 过去 is no past to look up but whether the parcel gets there."""
    if word not in _DIRECTIONS or not at:
        return False
    before, tag = tokens[at - 1]
    return before in ("得", "不") or tag.startswith("v")


#: adverbs that open the verb phrase after a noun ("多少钱才给", "名额就没了")
_OPENING_ADVERBS = frozenset("才就都也还又再只却便")
#: adverbs of order and time that jieba may join to the one-character verb after them ("先点", "又点", "刚买")
_LEADING_ADVERBS = frozenset("先又再也都还刚已")


#: words that negate the verb after them ("没交", "不发"), and the modal verbs that may follow it ("会", "能")
_NEGATIONS = frozenset("没 不 未 别 没有".split())
_GLUED_MODALS = frozenset("会能要")


def _glued_modal(word: str, before: str) -> bool:
    """A two-character word right after a negation that is a one-character verb with the modal after it
    glued on: "没交会怎么样" read as 没 + 交会 (a dictionary word, "junction") is 没交 + 会."""
    return before in _NEGATIONS and len(word) == 2 and word[-1] in _GLUED_MODALS


#: verbs of asking: whoever does them in a question passes on someone else's question ("粉丝问…，我可以回答能吗")
_ASKING_VERBS = frozenset("问 问我 咨询 询问 打听 想问 来问".split())
#: the ways a question reaches a KOC, between the one who asks and the asking ("学员私信问我…")
_ASKED_THROUGH = frozenset("私信 留言 评论 私聊 在群里".split())


def _the_one_asking(tokens: Sequence[tuple[str, str]], at: int) -> bool:
    """The noun at ``at`` names who asks a question the asker passes on ("粉丝问普拉提能不能…", "学员私信问我…"):
    a fan or a customer is no topic the handbooks must name, the question they asked is."""
    after = [word for word, _ in tokens[at + 1:at + 3]]
    if after and after[0] in _ASKED_THROUGH:
        after = after[1:]
    return bool(after) and after[0] in _ASKING_VERBS


#: the characters that make a figure approximate when they follow it ("三十来块", "五十余人"): "about"
_APPROXIMATING = frozenset("来余")


def _glued_approximation(word: str, before: str) -> bool:
    """A word jieba made of an approximating character and the measure after it, right after a figure:
    "三十来块" read as 三十 + 来块 is about thirty yuan, a sum the asker states, not a thing to look up."""
    return len(word) == 2 and word[0] in _APPROXIMATING and bool(before) and bool(_COUNTS.search(before[-1]))


def _glued_adverb(word: str) -> bool:
    """A word jieba guessed (none in its dictionary, often as a person's name: 钱 is a surname) that
    is a dictionary word with the adverb or the modal after it glued on: "要交多少钱才给发货" read as 钱才,
    "这笔单能按…算吗" as 单能. Or a one-character verb with the adverb before it: "粉丝先点过别人的链接" read as
    先点, a pair the dictionary has seen only a few times (先生, 都市, 还款 are words of their own)."""
    if not dictionary_count(word) and word[-1] in _OPENING_ADVERBS | _GLUED_MODALS and dictionary_count(word[:-1]):
        return True
    return len(word) == 2 and word[0] in _LEADING_ADVERBS and dictionary_count(word) < GUESSED_BELOW


#: one Latin letter glued to one Chinese character ("B站", "A股", "C位"): a name jieba cuts in two
_LETTERED = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][\u4e00-\u9fff]")


def _lettered_names(question: str) -> list[str]:
    """Names of one Latin letter and one Chinese character that jieba leaves as a letter and a
    character of their own: the character is no word's part, so the pair is one name."""
    simple = to_simplified(question)
    alone = {t.word for t in _posseg().lcut(simple) if len(t.word) == 1}
    return [m.group() for m in _LETTERED.finditer(simple)
            if m.group()[1] in alone and m.group()[1] not in ZH_STOP and m.group()[1] not in _NOT_NAMING]


#: characters after a letter that place a thing ("在X上", "A里") or describe its shape or grade ("T形",
#: "U型", "A级") rather than name it
_NOT_NAMING = _LOCATIVES | frozenset("时" "形型字号级类")


#: English words a question asks with, not about (generic English, no corpus in it)
EN_ASKING = frozenset("""happens happen exactly receive get gets need needs much many long big often quickly soon
still also just really actually every each time times first last next new like kind sort way ways thing things
someone something anyone anything give gives make makes go goes going know tell say says said there here one two
three does doing done""".split())
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def english_focus(question: str) -> list[tuple[str, bool]]:
    """The content words of an English question as (word, is a name): a capitalised word that does
    not start the question is taken for a name ("Vietnam", "Douyin")."""
    out: dict[str, bool] = {}
    for i, match in enumerate(_EN_WORD.finditer(question)):
        word = match.group().strip("'-")
        low = word.lower().removesuffix("'s")
        if len(low) < 3 or low in EN_STOP or low in EN_ASKING or low in GLOSSARY or "'" in low:  # "I'm", "don't"
            continue
        out.setdefault(low, i > 0 and word[0].isupper())
    return list(out.items())


def _in_english(word: str, text: str, known: Callable[[str], bool]) -> bool:
    forms = {word, word.rstrip("s"), word.removesuffix("es"), word + "s"}  # plural and inflected forms
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("ies", "y"), ("ied", "y")):
        if word.endswith(suffix):
            forms.add(word[: -len(suffix)] + repl)
    return any(re.search(rf"\b{re.escape(f)}\b", text) or known(f) for f in forms if len(f) >= 3)


#: the count of a unit ("次数", "人数", "天数"): written as a figure in that unit ("每季度最多 2 次")
_COUNT_OF_UNIT = re.compile(rf"^([次人天单篇位名{GOODS_MEASURES}])数$")


def _in_text(word: str, text: str) -> bool:
    """``word`` or a form the handbooks write it in: a synonym, the money an act of paying hands over
    (交税 → 税), the verb a modal was joined to ("会扣" in "退货会扣我多少佣金？" → 扣), a count in the unit
    a count word names ("改绑有次数限制吗" and "每季度最多 2 次")."""
    return word in text or any(s in text for s in (*ZH_SYNONYMS.get(word, ()), *object_forms(word), *verb_forms(word))) \
        or bool((unit := _COUNT_OF_UNIT.match(word)) and re.search(rf"[\d{_ZH_NUMERALS}]\s*{unit.group(1)}", text))


def missing_focus(question: str, evidence: Iterable[str], known: Callable[[str], bool] | None,
                  semantic: float | None, quoted: Iterable[str] | None = None, subjects: Iterable[str] = (),
                  restated: bool = False, render: Callable[[str], tuple[str, ...]] | None = None) -> list[str]:
    """Focus nouns of ``question`` that the evidence chunks do not contain and the corpus never
    uses (``known``), which the evidence cannot stand in for. Empty when the focus is present (or
    there is no corpus to know words by). ``semantic`` None (no calibrated sentence vectors: how
    close the evidence is cannot be told) leaves only missing names. ``subjects``: the first cells of
    table rows the question names by meaning, not by words (``_without_other_rows``). ``restated``: the
    evidence writes the question itself (a FAQ's own question), so the act it asks about is the one answered.
    ``render``: the corpus's own words for an English word (``evidence_scorer.CorpusRenderings``)."""
    if known is None:
        return []
    evidence = list(evidence)
    text = _with_names_closed_up(to_simplified(" ".join(evidence)))
    variants = named_variants(question, text, known)
    if detect_language(question) == "en":
        return list(dict.fromkeys(variants + _missing_english(question, text, known, subjects, render)))
    # the rule that answers a "may I" question must be one the answer quotes: a rule elsewhere in the
    # chunk is about something else (an account that may not be transferred, asked about a subscription)
    rules = text if quoted is None else to_simplified(" ".join(quoted))
    rule_answers = bool(_ASKS_PERMISSION.search(to_simplified(question))) and bool(_STATES_RULE.search(rules))
    missing: list[str] = variants
    for word, is_name in focus_nouns(question):
        if (_in_text(word, text) or known(word) or (not is_name and _misread(word, question, text))
                or _told_by_age(word, question, text) or _unit_of_a_count(word, question)):
            continue
        if is_name or names_a_place(word) or (semantic is not None and semantic < FOCUS_SEMANTIC and not rule_answers):
            missing.append(word)
    if semantic is not None and not rule_answers:
        far = semantic < FOCUS_SEMANTIC
        missing += [word for word in _unstated_asked_words(question, text, known, far, restated) if word not in missing]
    missing += [kind for kind in asked_named_kinds(question) if not names_one(kind, places_besides(question, text, kind))
                and kind not in missing]
    missing += [word for word in condition_words(question) if word not in missing and not _in_text(word, text)
                and not _misread(word, question, text, known)]
    missing += [event for event in missing_sale_events(question, text) if event not in missing]
    # "会被降级或者封号吗": a sentence quoted that answers one of two alternatives answers the question (the other
    # written elsewhere in the chunk, "带朋友" in a rule on something else, does not)
    either = _alternatives(question) if missing else {}
    return [word for word in missing if word not in either or not _in_text(either[word], rules)]


#: an age told before the person it describes ("带 9 岁的儿子"): whoever that is, a rule by age is the rule for them
_AGED = re.compile(r"[\d一二两三四五六七八九十]+\s*周?岁(?:大)?的?\s*$")


def _told_by_age(word: str, question: str, text: str) -> bool:
    """The asker describes a person by age ("9 岁的儿子", "三岁的孩子") and the evidence states a rule by age
    ("14 岁以下须由成年人陪同"): the rule says whether it holds for them, whatever it calls them."""
    simple = to_simplified(question)
    at = simple.find(word)
    return at > 0 and bool(_AGED.search(simple[:at])) and "岁" in text


#: the words that offer alternatives ("降级或者封号", "换货或退款")
_OR = frozenset("或 或者 或是".split())


def _alternatives(question: str) -> dict[str, str]:
    """Each word a question offers as one of two alternatives, mapped to the other one ("降级或者封号": 降级 ↔ 封号)."""
    words = [t.word for t in _posseg().lcut(to_simplified(question)) if t.word.strip()]
    pairs: dict[str, str] = {}
    for at in range(1, len(words) - 1):
        before, after = words[at - 1], words[at + 1]
        if words[at] in _OR and _CJK.match(before) and _CJK.match(after) and len(before) >= 2 and len(after) >= 2:
            pairs.setdefault(before, after)
            pairs.setdefault(after, before)
    return pairs


#: a space a writer puts between a Latin letter and a Chinese character of one name ("B 站", "A 类")
_SPACED_NAME = re.compile(r"(?<=[A-Za-z])[ \t]+(?=[\u4e00-\u9fff])")


def _with_names_closed_up(text: str) -> str:
    """``text`` and, after it, its copy with the space inside a lettered name closed ("B 站" → "B站"), so a
    question that writes the name without it (or a glossary word for it) finds it."""
    closed = _SPACED_NAME.sub("", text)
    return text if closed == text else f"{text}\n{closed}"


#: a question after what is still to come: the next shop, a new studio, where one is about to open
_ASKS_WHAT_IS_PLANNED = re.compile(r"新开(?![通户票单])|下一家|下一[个座间]开的|下一[个座间]?(?:城市|门店|分店|网点|场馆)|"
                                   r"\b(?:next|new|upcoming|planned)\s+(?:store|shop|studio|branch|location|city|site|venue)s?\b|"
                                   r"\b(?:open|opening)\s+next\b", re.I)
#: …and a text that speaks of one: a plan, a date to come, something new or next (not a programme called a 计划)
_STATES_A_PLAN = re.compile(r"即将|将于|将在|(?:计划|规划|准备)(?:在|于|明年|今年|年内|开)|筹备|新开|新增|下一[家个站座间批]|明年|"
                            r"年内|开业|"
                            r"\b(?:will open|opening|planned|upcoming|next year|coming soon)\b", re.I)


#: a venue to be opened, asked where or when ("又要开新的展厅了，开在哪", "有没有打算来这边开店？什么时候"); the
#: asker's own plan asks no place or time ("我打算在家开个小店，可以吗")
_OPENS_A_VENUE = re.compile(r"开新[\u4e00-\u9fff]{0,4}?(?:店|馆|铺|中心)|"
                            r"(?:打算|计划|准备|考虑)(?:来|去|到|在)?[\u4e00-\u9fff]{0,4}?开[\u4e00-\u9fff]{0,4}?(?:店|馆|铺|中心)|"
                            # "明年要多签几家合作场地": venues to be added in a year to come
                            r"(?:明年|今年下半年|下半年)(?:还)?要(?:多|新)?(?:开|签|建|增加|新增)[\u4e00-\u9fff]{0,6}?(?:店|馆|铺|中心|场|点)")
_ASKS_WHERE_OR_WHEN = re.compile(r"哪|什么时候|几时|何时")


def asks_what_is_unplanned(question: str, evidence: Iterable[str]) -> bool:
    """The question asks about something still to come ("听说要新开门店了，开在哪个城市？", "where is the next
    store opening?") and the evidence speaks of no plan: the places that are open answer another question."""
    simple = to_simplified(question)
    to_come = bool(_ASKS_WHAT_IS_PLANNED.search(simple)) or (
        bool(_OPENS_A_VENUE.search(simple)) and bool(_ASKS_WHERE_OR_WHEN.search(simple)))
    return to_come and not any(_STATES_A_PLAN.search(to_simplified(text)) for text in evidence)


def scene_apart(question: str, evidence: Iterable[str]) -> bool:
    """The scene of a yes/no question ("我出国旅行的那段时间，群里的优惠券还会照常发吗？") and the thing it asks
    about are stated only in different passages: one rule speaks of the scene, another of the thing,
    and none of what the thing does in that scene. Each passage read alone (a heading and its text)."""
    scene = condition_words(question)
    if not scene:
        return False
    asked = [word for word, _ in focus_nouns(question) if word not in scene and not any(word in w or w in word for w in scene)]
    passages = [to_simplified(text) for text in evidence]
    with_scene = [p for p in passages if any(_in_text(word, p) for word in scene)]
    if not asked or not with_scene:
        return False
    return not any(_in_text(word, p) for p in with_scene for word in asked)


#: a clause that sets the scene a question asks about: a condition or a period ("如果…", "…期间", "…的时候")
_CONDITION = re.compile(r"如果|要是|假如|假设|万一|期间|那段时间|这段时间|的时候|时候|"
                        # a stretch of time named as the scene ("驻场免费住的那 3 晚", "休假那几天")
                        r"[那这]\s*(?:\d+|[一两二三四五六七八九十几]+)\s*(?:个)?\s*(?:晚|天|日|周|星期|个月|月)")


#: a clause that ends by judging how well something went ("卖得很好", "涨粉特别快")
_JUDGED = re.compile(r"(?:挺|很|特别|非常|超|蛮|比较|相当|太)[\u4e00-\u9fff]{1,2}(?:的|了|啊)?$")
#: a negated act of one character ("没够", "不满", "未达"): falling short of a bar, which a rule words as its own
#: threshold (未达到, 不足), not a scene
_FALLS_SHORT = re.compile(r"^[没不未][\u4e00-\u9fff]$")


def condition_words(question: str) -> list[str]:
    """The nouns and verbs of the scene a yes/no question is asked in ("我出国旅行的那段时间，群里的优惠券还会
    照常发吗？" → 出国, 旅行): a rule that never names the scene is the general rule, not the answer for it, however
    close the rest of the question reads to it."""
    simple = to_simplified(question)
    # the scene is told in the yes/no question's own sentence: a question asked before it ("每年什么时候恢复？我是
    # 9 月入会的，也一样吗？") is another part, whatever its words
    last = re.split(r"[？?]", simple.rstrip("？? \n"))[-1]
    # asked with 吗, or by a modal and its negation ("那段时间发的笔记，还算不算篇数？")
    if not _YES_NO_END.search(simple) and not _WHETHER_A_NOT_A.search(last + "？"):
        return []
    clauses = [c for c in re.split(r"[，,；;]", last) if c.strip()]
    words: list[str] = []
    for clause in clauses[:-1]:
        # "这两个月卖得很好": how well something went is a result told, not a scene the rule must name
        if _CONDITION.search(clause) and not _JUDGED.search(clause.strip()):
            words += [t.word for t in _posseg().lcut(_CONDITION.sub("，", clause)) if len(t.word) >= 2 and _CJK.match(t.word)
                      and t.flag.startswith(("v", "n")) and t.word not in GENERIC_NOUNS and t.word not in ZH_STOP
                      and t.word not in ASKING_ONLY and not _FALLS_SHORT.match(t.word)]
    return list(dict.fromkeys(words))


_ZH_NUMERALS = "零〇一二两三四五六七八九十百"
#: a numeral telling one member of a named family from another ("远峰四代", "晴川7B线"), letters after it
_NUMERAL = rf"([0-9]+|[{_ZH_NUMERALS}]+)([a-z]{{0,2}})"
_VARIANT = re.compile(rf"(?<![0-9{_ZH_NUMERALS}])" + _NUMERAL)
#: spaces inside a run of Chinese and figures ("名称: 远峰 四代"), which a name is written with or without
_INNER_SPACE = re.compile(r"(?<=[\u3400-\u9fff0-9])[ \t]+(?=[\u3400-\u9fff0-9])")
#: measure words a name may follow where it is counted ("1 台远峰二代"): it still stands as a name there
_NAME_COUNTED_BY = frozenset(GOODS_MEASURES + "款")  # "两款远峰四代": a model counted among models
_NAME_TAGS_OF_PART = ("nr", "ns", "nt", "nz", "j", "eng")


def named_variants(question: str, text: str, known: Callable[[str], bool]) -> list[str]:
    """Names the question gives a thing with a numeral the evidence gives its sibling instead: "远峰六代"
    over handbooks selling 远峰二代 and 远峰四代 is a model they do not have, and every figure in the
    evidence (price, weight, power) belongs to another one; so is "东湖3号口" over a passage about 东湖5号口.

    Only a family name counts before the numeral: two characters jieba reads as one name or does not know
    ("远峰", "晴川"), not a quantity's context ("每月3次", "买了3件"); the sibling must stand as a name in
    the evidence (opening a sentence, a cell or a quotation, or counted: "1 台远峰二代"); and neither the
    evidence nor the corpus may write the question's own name."""
    asked = _INNER_SPACE.sub("", to_simplified(question).lower())
    written = _INNER_SPACE.sub("", text.lower())
    found: list[str] = []
    for match in _VARIANT.finditer(asked):
        start, end = match.span()
        family, after = asked[max(0, start - 2):start], re.match(r"[\u3400-\u9fff]+", asked[end:])
        numbered = start > 2 and asked[start - 3] in "0123456789" + _ZH_NUMERALS  # "9号线一期": a numbered thing's part
        if after is None or len(family) < 2 or numbered or not _CJK.match(family) or not _family_name(family):
            continue
        family_members = list(re.finditer(re.escape(family) + _NUMERAL + re.escape(after.group()[0]), written))
        own = _numeral(match.group(1))
        siblings = [s for s in family_members if _numeral(s.group(1)) != own and _stands_as_name(written, s.start())]
        if not siblings or any(_numeral(s.group(1)) == own for s in family_members):  # "4代" is the 四代 there
            continue
        tail = after.group()
        shared = max(len(os.path.commonprefix([tail, written[s.end() - 1:]])) for s in siblings)
        name = family + match.group() + tail[:shared]
        if name not in written and not known(name):
            found.append(name)
    return list(dict.fromkeys(found))


def _family_name(word: str) -> bool:
    tokens = _posseg().lcut(word)
    return len(tokens) == 1 and (not dictionary_count(word) or tokens[0].flag.startswith(_NAME_TAGS_OF_PART))


def _numeral(raw: str) -> int | str:
    return int(raw) if raw.isdigit() else (parse_zh_number(raw) or raw)


def _stands_as_name(text: str, at: int) -> bool:
    return at == 0 or not CJK_RE.match(text[at - 1]) or text[at - 1] in _NAME_COUNTED_BY


#: kinds whose members go by proper names (a bank, a courier, a city): "哪家银行" is answered by a bank's
#: name, never by a sentence that speaks of banks ("佣金打到你绑定的银行卡"). Organisations, then places.
#: ("哪个公司" is left out: a company goes by names of every shape, "东日本旅客铁道", and is too often
#: named without an ending to tell)
_ORGANISATIONS = ("银行", "快递公司", "快递", "物流公司", "物流", "工厂", "厂家", "酒店", "医院", "大学", "学校")
_PLACES = ("城市", "省份", "省", "国家")
#: where inside a city a thing happens: named by an address or a venue's name, not by the city
_VENUES = ("场地", "地点", "会场", "场馆", "地址")
_ASKS_NAMED = re.compile(r"哪(?:一|几)?(?:家|个|座|所|间|些)?\s*(" + "|".join(_ORGANISATIONS + _PLACES + _VENUES) + ")")
#: an address ("滨江路 88 号", "3 楼 302 室") or a venue's name by its ending ("星河会展中心", "湖畔酒店")
_ADDRESS = re.compile(r"[\u4e00-\u9fff](?:路|街|大道|巷|弄)\s*\d+\s*号|\d+\s*(?:楼|层|室)")
_VENUE_ENDINGS = ("中心", "大厦", "酒店", "宾馆", "会议室", "体育馆", "剧院", "广场", "园区", "展馆", "礼堂")
#: a company asked by its trade ("哪家印刷公司", "哪家代工企业"): answered by a company's name too; a bare
#: "哪家公司" is not typed, as a company is often named without any ending ("与哪家公司合作" → 搜狐)
_ASKS_TRADE_COMPANY = re.compile(r"哪一?家\s*([\u4e00-\u9fff]{1,4}?(?:公司|企业))")
#: what a name of an organisation ends with ("招商银行", "某某贸易有限公司")
_ORGANISATION_ENDINGS = ("银行", "公司", "集团", "工厂", "厂", "快递", "物流", "速运", "酒店", "医院", "大学", "学院", "学校")


#: the same kinds as an English question asks for them ("which bank", "what city"), one describing word
#: allowed between ("which Chinese city"), each with the Chinese kind whose names it is answered by
_EN_NAMED_KINDS = {"banks?": "银行", "couriers?|courier compan(?:y|ies)|express compan(?:y|ies)": "快递",
                   "logistics compan(?:y|ies)": "物流", "factor(?:y|ies)|manufacturers?": "工厂", "hotels?": "酒店",
                   "hospitals?": "医院", "universit(?:y|ies)": "大学", "schools?": "学校", "cit(?:y|ies)": "城市",
                   "provinces?": "省份", "countr(?:y|ies)": "国家"}
_EN_ASKS_NAMED = re.compile(r"\b(?:which|what)\s+(?:[a-z-]+\s+)?(" + "|".join(f"(?:{k})" for k in _EN_NAMED_KINDS) + r")\b",
                            re.I)
#: the kind a question asks for when it asks who holds a role ("who's the author of…", "who leads the camp?")
PERSON = "人名"
_EN_HOLDER_ROLES = (r"(?:author|writer|founder|co-?founder|teacher|instructor|trainer|lecturer|coach|tutor|mentor|host|"
                    r"presenter|manager|leader|head|director|editor|designer|illustrator|creator|owner|ceo|chair(?:man|woman)?|"
                    r"president)s?")
_EN_ASKS_PERSON = re.compile(rf"\bwho(?:'s| is| was| are| were)\s+(?:[a-z-]+\s+){{0,3}}?{_EN_HOLDER_ROLES}\b|"
                             r"\bwho\s+(?:wrote|writes|founded|illustrated|designed|created|teaches|taught)\b|"
                             rf"\b(?:name of|named?)\s+(?:the|their|its|our|your)\s+(?:[a-z'-]+\s+){{0,2}}?{_EN_HOLDER_ROLES}\b|"
                             rf"\b{_EN_HOLDER_ROLES}'s name\b", re.I)


def asked_named_kinds(question: str) -> list[str]:
    """The kinds a question asks a member of by name ("由哪家银行代发" → 银行, "which factory makes…" →
    工厂), as the Chinese kind: names are checked in Chinese evidence."""
    simple = to_simplified(question)
    kinds = _ASKS_NAMED.findall(simple) + _ASKS_TRADE_COMPANY.findall(simple)
    for asked in _EN_ASKS_NAMED.findall(question):
        kinds += [kind for forms, kind in _EN_NAMED_KINDS.items() if re.fullmatch(forms, asked.lower())]
    if _EN_ASKS_PERSON.search(question):
        kinds.append(PERSON)  # Chinese questions ask a role's holder through ``asked_holders``
    return list(dict.fromkeys(kinds))


#: what a question sets aside before asking for another ("除了成都和杭州，下一家开在哪个城市", "besides A and B, which…")
_EXCEPTED = re.compile(r"除(?:了)?([^，,。；;？?]{1,40}?)(?:以外|之外|外)?\s*[，,]|"
                       r"\b(?:besides|apart from|other than|except(?: for)?)\s+([^,;?]{1,80}?)\s*,", re.I)
_LISTED = re.compile(r"\s*(?:、|，|,|和|及|与|跟|或|以及|\band\b|\bor\b)\s*", re.I)


def places_besides(question: str, text: str, kind: str) -> str:
    """For a kind of place, ``text`` without the names the question sets aside or writes itself, each with what it
    heads ("成都玉林店" is a store in 成都): "除了成都、杭州，某某下一家店开在哪个城市" is not answered by a passage naming
    only 成都 and 杭州, the places it already knows, nor by 某某 (a brand name jieba tags as a place). Other kinds
    are left to the whole text: a venue may be named after its city."""
    if kind not in _PLACES:
        return text
    simple = to_simplified(question)
    names = [name.strip() for match in _EXCEPTED.finditer(simple)
             for name in _LISTED.split(match.group(1) or match.group(2) or "") if len(name.strip()) >= 2]
    names += [t.word for t in _posseg().lcut(simple) if t.flag == "ns" and len(t.word) >= 2]
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(re.escape(name) + r"[\u4e00-\u9fff]{0,6}", " ", text, flags=re.I)
    return text


def names_one(kind: str, text: str) -> bool:
    """``text`` names a member of ``kind``: a place name for a place; an address or a venue's name for a venue
    (a city is where, not which hall); for an organisation a name
    jieba tags as one (招商银行; not its ``nz``, which it gives 普通, 英语 and 洗发水 as much as 丰田), a
    word ending the way such names end that is more than the
    ending itself ("某某有限公司", not "公司" or "快递")."""
    if kind == PERSON:
        return names_a_person(text)
    if kind in _VENUES:
        return bool(_ADDRESS.search(text)) or any(
            t.word.endswith(_VENUE_ENDINGS) and len(t.word) > 3 for t in _posseg().lcut(text))
    named = False  # the word before is a name's first part: "上海石化 总厂", "顺丰 快递" are names cut in two
    for token in _posseg().lcut(text):
        word, tag = token.word, token.flag
        if kind in _PLACES:
            if tag == "ns" and word not in _PLACES and word not in GENERIC_NOUNS:
                return True
        elif tag == "nt" or any(word.endswith(e) and (len(word) > len(e) + 1 or named) for e in _ORGANISATION_ENDINGS):
            return True
        named = tag in _NAME_PARTS or (tag == "nz" and _rare(word))
    return False


#: tags of a proper name's first part (a place, a person, an abbreviation, a foreign word) before the
#: word that ends an organisation's name ("上海石化" + "总厂"); jieba's ``nz`` counts only for a rare word:
#: it tags 普通 (as in 普通快递) ``nz`` as it does 顺丰
_NAME_PARTS = frozenset(("ns", "nr", "nrt", "nrfg", "j", "nt", "eng"))
_COMMON_WORD = 1000  # jieba's dictionary count above which a word is common usage


def _rare(word: str) -> bool:
    return dictionary_count(word) < _COMMON_WORD


#: characters that join words rather than start or end one: a bigram with one is no word of the text
_PARTICLES = frozenset("的了着过是在和与及或也都就还又吗呢吧啊把被给让向从对为")


#: units a count is written in, which jieba may join to the next character ("60 分会怎样" → 分会, a branch)
_COUNT_UNITS = "分天日月年元块次个岁人名件瓶盒套篇条单笔张周号"
_COUNT_BEFORE = re.compile(r"(?:\d|[零一二两三四五六七八九十百千])\s*$")


def _unit_of_a_count(word: str, question: str) -> bool:
    """``word`` begins with the unit of a count written just before it ("低于60分会怎样": 分 belongs to 60):
    jieba's reading of the unit and the next word as one noun is no thing the question names."""
    simple = to_simplified(question)
    at = simple.find(word)
    return word[:1] in _COUNT_UNITS and at > 0 and bool(_COUNT_BEFORE.search(simple[:at]))


def _misread(word: str, question: str, text: str, known: Callable[[str], bool] | None = None) -> bool:
    """A word jieba only guessed (none in its dictionary) that the evidence cuts elsewhere: its
    characters are all there and one of them is there with its neighbour in the question ("除氯率" read
    as 除 + 氯率, the evidence saying 除氯工艺 and 去除率). Its characters belong to other words, which
    the evidence has; a guessed word standing alone ("杯测") stays a word to find. Given what the corpus
    ``known``s, an edge the handbooks use elsewhere counts too ("退点触" + 笔, the handbooks selling a 点触笔)."""
    if dictionary_count(word) or not all(ch in text for ch in word):
        return False
    simple = to_simplified(question)
    at = simple.find(word)
    if at < 0:
        return False
    edges = [simple[at - 1:at + 1] if at else "", simple[at + len(word) - 1:at + len(word) + 1]]
    return any(len(e) == 2 and _CJK.match(e) and not set(e) & _PARTICLES and (e in text or (known is not None and known(e)))
               for e in edges)


def _unstated_asked_words(question: str, text: str, known: Callable[[str], bool], far: bool,
                          restated: bool = False) -> list[str]:
    """The words naming what is asked that neither the evidence nor the corpus uses. The evidence's
    similarity cannot excuse them: a sentence naming the member card is close to a question about
    the card's material whether it states the material or not. A kind may be worded differently
    (科目 asked, 科 written), so one of its characters in the evidence is enough; what a yes/no question
    asks about may not (开发票 shares every character with 开发 and 票据).

    A kind the corpus uses elsewhere is excused: its value rarely names it (什么职务 is answered by
    议员); a product's attribute (``CATALOGUE_KINDS``: 材质, 产地) is not, since a catalogue that gives one
    names it beside the value, and the thing named without it is only the thing. So is a role whose holder is asked (统帅是谁, 作者是谁: "由某某率领", "某某著") only when
    the evidence names someone: a passage naming no one names no holder (带入门课的老师叫什么).

    The action a yes/no question asks about is excused so only when the evidence reads like an
    answer (not ``far``): a rule about an action names it, so far evidence without it is a rule
    about something else, whatever the rest of the handbooks say. When the evidence states none of
    the words a yes/no question asks about, the nouns among them are not excused either: a verb may
    be paraphrased ("转让" answered by "仅限本人使用"), but an option asked by its noun (a colour, a
    name printed on a gift) that the evidence never mentions is one the handbooks do not offer."""
    asked = asked_kinds(question)
    # the row of a table the question names is where its kind must be: the kind in another row (the
    # material of another product) says the handbooks state it for that one, not for the one asked;
    # so is a character of it (面料 in another tent's row, 材料 asked of this one)
    own = _without_other_rows(question, text) if asked else text
    unnamed = [w for w in asked if _kind_unnamed(w, question, text, own)]
    holders = set(asked_holders(question))
    nobody = bool(holders) and not names_a_person(text)
    kinds = [w for w in unnamed if not known(w) or w in CATALOGUE_KINDS or (nobody and w in holders)]
    kinds += [w for w in holders if nobody and w not in kinds]  # a role the evidence names but no one holding it
    kinds += [w for w in asked if _in_text(w, text) and own != text and not _in_text(w, own)]
    whether = [] if restated else _asked_whether_words(question)  # a restated question's act is the one answered
    actions = [w for w, _ in whether if not _in_text(w, text) and (far or not known(w))
               and not _misread(w, question, text, known)]
    if whether and not any(_in_text(w, text) for w, _ in whether):
        actions += [w for w, noun in whether if noun and w not in actions]
    return list(dict.fromkeys(kinds + actions))


def _kind_unnamed(kind: str, question: str, text: str, own: str) -> bool:
    """The evidence names the asked kind neither as the question does nor by a character of it (科目 asked, 科
    written); where a thing comes from, asked without the word ("是哪里产的"), only in the words for it: 产 and 地
    are in any catalogue (产品, 地址)."""
    if _in_text(kind, text):
        return False
    if kind == _ORIGIN and _ASKS_ORIGIN.search(to_simplified(question)):
        return not any(form in own for form in _ORIGIN_FORMS)
    return not any(ch in own for ch in kind)


#: the columns that name a table's rows ("名称: 雪绒 信封式棉睡袋"), whose first word is the name a
#: question uses ("雪绒睡袋"), the rest describing it
_NAME_COLUMNS = frozenset("名称 名字 品名 产品 商品 型号 款式 name product model item".split())


def _row_names(row: str, titles_only: bool = False) -> list[str]:
    """The cells a question may name a table row by: every cell (``titles_only``: the first, the row's
    subject, and the name cells), and the first word of a name cell."""
    names: list[str] = []
    for i, (column, cell) in enumerate(row_cells(row)):
        is_name = column.lower() in _NAME_COLUMNS or _NAMING_COLUMN.search(column) is not None
        if not titles_only or i == 0 or is_name:
            names.append(cell)
        first = cell.split()[0] if " " in cell else ""
        if is_name and not any(ch.isdigit() for ch in first):
            names.append(first)
        if is_name:
            # a name quoted inside its description ("「晨光」全铝台灯") is what a question calls the row by
            names += [*_name_kind(cell), *_QUOTED_NAME.findall(cell)]
    return names


def names_in_its_rule(row: str, names: Iterable[str]) -> bool:
    """One of ``names`` is written in a cell of ``row`` that is none of its titles (its subject, a name column):
    the row's rule speaks of it ("项目: 引荐奖励 · 规则: …升到银卡，你得 50 元" names 银卡), unlike a row that is only
    named so (its price is its own, not that of a service the question asks about)."""
    titles = set(_row_names(row, titles_only=True))
    cells = [to_simplified(cell).lower() for _column, cell in row_cells(row) if cell not in titles]
    return any(name in cell for cell in cells for name in names)


#: a name quoted in a cell
_QUOTED_NAME = re.compile(r"[「『“]([^」』”]{2,12})[」』”]")
#: a column of names by its header's ending (商品名, 产品名称, 书名)
_NAMING_COLUMN = re.compile(r"名称?$")
#: a product's kind at the end of its name is as long as this at least ("除湿机" in "迷你除湿机")
_KIND_CHARS = 3


@lru_cache(maxsize=4096)
def _name_kind(name: str) -> tuple[str, ...]:
    """The kind a Chinese name ends on, which names every row of that kind ("除湿机" for "静音 除湿机"
    and "迷你除湿机"): its last words, shorter than the name and at least ``_KIND_CHARS`` long."""
    tail = to_simplified(name.split()[-1]) if name.strip() else ""
    words = [t.word for t in _posseg().lcut(tail) if t.word.strip()]
    kinds = ("".join(words[i:]) for i in range(len(words)))
    return tuple(kind for kind in kinds if _KIND_CHARS <= len(kind) < len(name.replace(" ", "")) and _CJK.match(kind))


def names_row(question: str, row: str, partly: bool = False) -> bool:
    """The question names this table row by its subject or its name ("雪绒睡袋多重？" and the row
    "SKU: … · 名称: 雪绒 信封式棉睡袋 · …"); a value it shares with the row (a price, "每月") is no name.
    ``partly``: by the name's first two characters too ("绘本" for the row "产品线: 绘本图书")."""
    return bool(row_names_in(question, row, partly))


def row_names_in(question: str, row: str, partly: bool = True) -> list[str]:
    """The words by which the question names a table row (``names_row``): a name of it the question
    writes, or with ``partly`` that name's first two characters."""
    simple = to_simplified(question).lower()
    names = [to_simplified(name).lower() for name in _row_names(row, titles_only=True) if len(name) >= 2]
    return list(dict.fromkeys(name if name in simple else name[:2] for name in names
                              if name in simple or (partly and name[:2] in simple)))


def row_name_spans(question: str, row: str) -> list[tuple[int, int]]:
    """Where the (Simplified, lower-cased) question writes a name of a table row or the longest beginning
    of one, two characters at least ("会员卡" of "会员卡续费", "文具" of "文具礼盒"), as (start, end)."""
    simple = to_simplified(question).lower()
    spans: list[tuple[int, int]] = []
    for name in (to_simplified(n).lower() for n in _row_names(row, titles_only=True)):
        for size in range(len(name), 1, -1):
            at = simple.find(name[:size])
            if at >= 0:
                spans.append((at, at + size))
                break
    return spans


def _without_other_rows(question: str, text: str, subjects: Iterable[str] = ()) -> str:
    """``text`` without the table rows about other subjects than a row the question names (by any of
    its cells: "木质拼图" names the row "代码: X-01 · 名称: 木质拼图 · …", or by meaning: ``subjects``,
    the first cells of the rows an English question singled out), nor the prose that writes another
    row's own name and none of the named ones ("小车套装不含电池" beside the lamp kit's row); ``text``
    itself when the question names no row."""
    simple = to_simplified(question).lower()
    chosen = {to_simplified(subject).lower() for subject in subjects}
    sentences = split_sentences(text)
    rows = {s for s in sentences if ROW_JOIN in s}
    names = {cell.lower() for s in rows for cell in _row_names(s)
             if len(cell) >= 2 and (cell.lower() in simple or cell.lower() in chosen)}
    if not names:
        return text
    # a table laid the other way names the subject in a column ("权益: … · 月亮级: 可开群"): that row states
    # the value for it
    named = {s for s in rows if any(cell.lower() in names for cell in _row_names(s))
             or any(column.lower() in names for column, _ in row_cells(s)[1:])}
    own_names = {n.lower() for s in named for n in _row_names(s, titles_only=True) if len(n) >= 2}
    others = {n.lower() for s in rows - named for n in _row_names(s, titles_only=True) if len(n) >= 3} - own_names
    mine = names | own_names

    def of_another(sentence: str) -> bool:
        lowered = to_simplified(sentence).lower()
        return any(n in lowered for n in others) and not any(n in lowered for n in mine)
    return " ".join(s for s in sentences if (s not in rows and not of_another(s)) or s in named)


def _written_span(part: str, word: str, text: str) -> str:
    """The longest run of ``part`` around ``word`` that ``text`` writes: where jieba cuts a part off the thing it
    belongs to ("台灯罩" into 台灯 and 罩), the evidence's "不含台灯罩" names the shade, not the lamp."""
    at = part.find(word)
    if at < 0 or word not in text:
        return word
    start, end = at, at + len(word)
    while end < len(part) and _CJK.match(part[end]) and part[start:end + 1] in text:
        end += 1
    while start > 0 and _CJK.match(part[start - 1]) and part[start - 1:end] in text:
        start -= 1
    return part[start:end]


#: a note in brackets after a name ("露营灯（含两节电池）"): what comes with the thing, not its name
_NOTE_IN_NAME = re.compile(r"（[^（）]*）|\([^()]*\)")


def valued_inside_other_rows(part: str, text: str) -> bool:
    """The thing a part asks a value of ("单独买灯泡要多少钱") is written in the evidence only inside the cells
    of table rows named otherwise ("名称: 青竹台灯 · 规格: 三档调光；不含灯泡 · 售价: 159 元", or in a note after
    a row's name, "露营灯（含两节电池）"): each row's figure is its own thing's, and no sentence outside the
    table speaks of the one asked. A part that names a row asks that row's figure."""
    simple, text = to_simplified(part), to_simplified(text)
    sentences = split_sentences(text)
    rows = [s for s in sentences if ROW_JOIN in s]
    if not rows or any(row_names_in(simple, row) for row in rows):
        return False
    prose = " ".join(s for s in sentences if ROW_JOIN not in s)
    for word, is_name in focus_nouns(simple):
        thing = _written_span(simple, word, text)
        if is_name or len(thing) < 2 or thing in prose:
            continue
        holding = [row for row in rows if thing in row]
        if holding and not any(thing in _NOTE_IN_NAME.sub("", name) for row in holding
                               for name in _row_names(row, titles_only=True)) \
                and not any(thing in column for row in holding for column, _ in row_cells(row)):
            return True
    return False


#: words that name a price or a fee itself, not a thing priced ("它的价格是多少", "…的费用")
_PRICE_WORDS = ("价格", "价钱", "售价", "零售价", "单价", "定价", "原价", "费用", "收费", "金额", "钱", "价", "费")


#: a demonstrative and its classifier before a noun ("那个", "这款")
_DEMONSTRATIVE = re.compile(r"^[这那哪][个款种件套只台条张盏]?")


def priced_only_as_its_owner(part: str, text: str) -> bool:
    """A part asks the price of a thing that belongs to another ("某台灯的替换灯罩一个多少钱"): the thing is what
    follows the last 的 before the question words, as far as the evidence writes it. When the evidence speaks of
    it only in sentences that state no sum, and names no table row or column by it, the figure beside it is its
    owner's price (the lamp's row), not its own."""
    simple, text = to_simplified(part), to_simplified(text)
    at = asks_at(simple, "amount")
    owner_end = simple.rfind("的", 0, at) if at is not None else -1
    if owner_end < 1:
        return False
    asked = _DEMONSTRATIVE.sub("", simple[owner_end + 1:at])  # "…的那个套装": the set, pointed at
    thing = next((asked[:end] for end in range(len(asked), 1, -1) if _CJK.match(asked[:end]) and asked[:end] in text), "")
    if len(thing) < 2 or thing.startswith(_PRICE_WORDS) or thing.endswith(_PRICE_WORDS):
        return False
    sentences = split_sentences(text)
    for sentence in sentences:
        if thing not in sentence:
            continue
        if ROW_JOIN in sentence and (any(thing in name for name in _row_names(sentence, titles_only=True))
                                     or any(thing in column for column, _ in row_cells(sentence))):
            return False
        if states_value("amount", sentence):
            return False
    return True


#: "什么 / 哪种 / 哪几种 + noun" asks for a value of the noun's kind ("是什么材质" asks a material); "哪些 + noun" is
#: left out: a list of what the noun names answers it without the noun ("有哪些功效" by "可以止痛、用于治疗…")
_ASKS_KIND = re.compile(r"什么|哪种|哪类|哪一种|哪几种|哪几类|"
                        # "多少瓦的功率", "几个点的税率": the noun after a count in a unit is what the count measures
                        # (not after a figure it approximates: "二十几块的夜灯" names the thing bought)
                        r"(?<![\d零一二两三四五六七八九十百])(?:多少|几)\s*个?\s*[\u4e00-\u9fff]{1,2}的")
#: "哪些 + noun", which ``_ASKS_KIND`` leaves out: which values of the noun there are ("有哪些颜色")
_ASKS_WHICH_VALUES = re.compile(r"哪些\s*([\u4e00-\u9fff]{2})")
#: where a thing is made, asked without naming the kind ("是哪里产的", "产自哪个国家")
_ASKS_ORIGIN = re.compile(r"(?:哪里|哪儿|哪个国家|哪国|什么地方)(?:生)?产的|产自(?:哪|什么地方)")
_ORIGIN = "产地"
#: how a catalogue says where a thing comes from
_ORIGIN_FORMS = (_ORIGIN, "产自", "产于", "原产", "产区", "出产", "源自")
#: a yes/no question about an action or a thing ("可以转让吗", "需要寄回吗", "有有效期吗"): what it asks
#: about stands between the modal and the question particle
_MODAL_WORDS = "可以|可不可以|能不能|能否|是否可以|能|需要|要不要|必须|有没有|有"
_MODALS = f"(?:{_MODAL_WORDS})"
_YES_NO_END = re.compile(r"[吗么嘛][？?]?\s*$")
_WHETHER = re.compile(_MODALS + r"(.{1,30}?)(?:吗|行不行)")
#: the same within one clause: the question is asked in the clause that ends it, after any scene
_WHETHER_IN_CLAUSE = re.compile(_MODALS + r"([^，,；;。]{1,30}?)(?:吗|行不行)")
#: the same question asked without 吗: by a modal and its negation ("能不能同时用两张券？", "还算不算篇数？"; not
#: "有没有", which asks whether a thing exists, often worded otherwise), or by a clause that asks whether what
#: it says is allowed ("中途提前结束可以吗？")
_WHETHER_A_NOT_A = re.compile(r"(?:能不能|可不可以|要不要|算不算|会不会)([^，,；;。？?！!]{1,30}?)(?:呢|啊)?\s*(?:[？?]|$)")
_WHETHER_ALLOWED = re.compile(r"([^，,；;。？?！!]{2,30}?)(?:可以|行)吗")
#: "有没有" ending what is asked ("…底下有没有排水孔？", "还有没有别的颜色？"): whether the thing exists is the question
WHETHER_EXISTS = re.compile(r"有没有([^，,；;。？?！!]{1,30}?)(?:呢|啊)?\s*[？?]?\s*$")


#: "这场活动的负责人是谁", "带新人的老师叫什么": who holds a role; the noun before 是谁 or 叫什么 names the role
_ASKS_HOLDER = re.compile(r"的([\u4e00-\u9fff]{2,4}?)(?:分别)?(?:是谁|叫什么)")


def asked_holders(question: str) -> list[str]:
    """The roles whose holder a Chinese question asks for ("活动的负责人是谁" → 负责人, "带新人的老师叫什么名字"
    → 老师)."""
    out: list[str] = []
    for match in _ASKS_HOLDER.finditer(to_simplified(question)):
        tokens = [t for t in _posseg().lcut(match.group(1)) if t.word.strip()]
        if len(tokens) == 1 and _is_attribute(tokens[0].word, tokens[0].flag):
            out.append(tokens[0].word)
    return out


def asked_kinds(question: str) -> list[str]:
    """The nouns right after 什么 in a Chinese question ("会员卡是什么材质的" → 材质, "有什么具体要求" → 要求)
    or after a count in a unit ("台灯是多少瓦的功率" → 功率), or 产地 for where a thing is made ("是哪里产的"),
    and the roles whose holder it asks for (``asked_holders``)."""
    simple = to_simplified(question)
    out = asked_holders(question)
    if _ASKS_ORIGIN.search(simple):
        out.append(_ORIGIN)  # "羊绒是哪里产的" asks where it comes from, as "产地是哪里" does
    # "有哪些颜色" asks a catalogue attribute's values: a list of them comes under its name, unlike "哪些功效"
    out += [m.group(1) for m in _ASKS_WHICH_VALUES.finditer(simple) if m.group(1) in CATALOGUE_KINDS]
    for match in _ASKS_KIND.finditer(simple):
        tokens = [t for t in _posseg().lcut(simple[match.end():]) if t.word.strip()]
        if tokens and tokens[0].word in _QUALIFIERS and len(tokens) > 1:
            tokens = tokens[1:]  # "什么具体要求": the requirement is the kind, 具体 only qualifies it
        if tokens and _CJK.match(tokens[0].word) and _is_attribute(tokens[0].word, tokens[0].flag):
            out.append(tokens[0].word)
    return out


#: a question after what a thing holds ("礼包里面会有哪些东西", "套装包含什么"): the thing is before the asking words
_ASKS_CONTENTS = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:(?:里面|里头|里|当中|之中|内)(?:会|都|还|一般)?(?:有|装着?)|"
                            r"(?:会|都|还|一般)?(?:包含|包括|装着?|内含))(?:哪些|什么)")
#: marks that join the items of a list ("宣传海报、试吃礼盒，以及 50 张券")
_ITEM_BEFORE = re.compile(r"(?:、|以及|及|和)$")
_ITEM_AFTER = re.compile(r"^(?:、|，以及|，及|,|和|及)")


def contents_unstated(question: str, evidence: Iterable[str]) -> bool:
    """The question asks what a thing holds and the evidence (the passages found, not only the picked
    sentences) names that thing only as one item of a list ("总部寄出宣传海报、试吃礼盒，以及 50 张券" for
    "试吃礼盒里有哪些东西"): a list it is in says what comes with it, not what is in it. Evidence that
    never names the thing is left to the other checks."""
    match = _ASKS_CONTENTS.search(to_simplified(question))
    if not match:
        return False
    thing = match.group(1).rsplit("的", 1)[-1]
    if len(thing) < 2:
        return False
    spots = [(text, m.start()) for text in map(to_simplified, evidence) for m in re.finditer(re.escape(thing), text)]
    return bool(spots) and all(_ITEM_BEFORE.search(text[:at]) or _ITEM_AFTER.search(text[at + len(thing):])
                               for text, at in spots)


#: a question after which ones a counted lot is ("那 12 支彩铅具体都是哪些颜色", "那 3 本画册是哪几本"): the count, the
#: thing counted
_LOT_NUMBER = r"(\d+|[一二两三四五六七八九十百]+)"
_LOT_MEASURE = rf"[{GOODS_MEASURES}本册款种克篇]"
_LOT_COUNT = rf"{_LOT_NUMBER}\s*{_LOT_MEASURE}"
_ASKS_WHICH_OF_COUNTED = re.compile(_LOT_COUNT + r"\s*([\u4e00-\u9fff]{1,8}?)(?:具体|都|分别|到底|各)*(?:是|有)?"
                                    r"(?:哪一款|哪款|哪些|哪几|哪[两二三四五六七八九十]|哪一种|哪种|哪个|哪本|"
                                    # …or what they are called ("那 4 款模板分别叫什么名字")
                                    r"叫什么|叫啥|什么名字|的名字|的名称)")
#: a name of an item written out: a title, a quoted name, or items listed one after another
_NAMES_ITEMS = re.compile(r"《[^》]+》|「[^」]+」|“[^”]+”|[\u4e00-\u9fff]\s*、\s*[\u4e00-\u9fff]")


def _counts_of(lot: str, sentence: str) -> set[int | None]:
    """The counts ``sentence`` gives of ``lot``, before or after it ("3 款当季贴纸", "彩铅 12 支"), by its last two
    characters: "那 6 款免费模板" is counted as "6 款模板"."""
    name = re.escape(lot[-2:])
    return {numeral(m.group(1) or m.group(2))
            for m in re.finditer(rf"{_LOT_COUNT}[\u4e00-\u9fff]{{0,3}}?{name}|{name}\s*{_LOT_COUNT}", sentence)}


def counted_items_unnamed(question: str, evidence: Iterable[str]) -> bool:
    """The question asks which ones a lot it counts are ("礼盒里那 12 支彩铅具体都是哪些颜色？") and the evidence
    gives that lot as a count ("画板 1 块 + 彩铅 12 支"), in no sentence that names items: the count is stated, the
    items are not. Evidence that never counts the lot so is left to the other checks."""
    match = _ASKS_WHICH_OF_COUNTED.search(to_simplified(question))
    if not match:
        return False
    count, lot = numeral(match.group(1)), match.group(2)
    asked = to_simplified(question)

    def without_holders(sentence: str) -> str:
        """A quoted name that holds the lot's own word is where the lot is kept ("「资料包 → 模板」里的 4 款模板"), and
        one the question writes is what holds the lot ("「晨光」礼盒里那 4 支笔"): neither is one of its items."""
        return re.sub(r"[「“《]([^」”》]*)[」”》]",
                      lambda m: " " if lot in m.group(1) or "→" in m.group(1) or m.group(1) in asked else m.group(0), sentence)

    # the lot as the question names it, or counted as many by its last two characters ("4 款模板" for "4 款免费模板"); a
    # one-character lot ("四种香") is in too many sentences to be found by its name alone
    counted = [(s, counts) for text in evidence for s in split_sentences(to_simplified(text))
               for counts in (_counts_of(lot, s),) if (len(lot) > 1 and lot in s) or count in counts]
    # a sentence counting the lot's kind otherwise ("5 款贴纸套装" for "那 3 款贴纸") is about another lot, and one listing
    # the lot's kind among others ("贴纸、胶带、印章"), or a kind named after it ("城市包、旅行包" for "20 个城市"), names
    # kinds, not the lot's items
    naming = [s for s, counts in counted if not (counts and count not in counts)
              and not re.search(rf"[、和及]\s*{re.escape(lot)}|{re.escape(lot)}[\u4e00-\u9fff]?\s*、", s)
              and _NAMES_ITEMS.search(without_holders(s))]
    return any(count in counts for _, counts in counted) and not naming


def asked_whether(question: str) -> list[str]:
    """The verbs and nouns a Chinese yes/no question asks about: whether one may, must or has to do
    something, or whether a thing exists ("积分可以转让给别人吗" → 转让, "有有效期吗" → 有效期)."""
    return [word for word, _ in _asked_whether_words(question)]


def _asked_whether_words(question: str) -> list[tuple[str, bool]]:
    """``asked_whether``'s words, each with whether it is a noun."""
    simple = to_simplified(question)
    # the clause that asks ("我在别家接了广告，这样还能报名吗": 能 … 吗), not a scene told before it
    match = (_WHETHER_IN_CLAUSE.search(simple) or _WHETHER.search(simple) or _WHETHER_A_NOT_A.search(simple)
             or _WHETHER_ALLOWED.search(simple) or WHETHER_EXISTS.search(simple))
    if not match:
        return []
    return _act_words(match.group(1))


#: what "有…要求吗" asks whether there is: a rule on the things named before it, which the rule states without the word
_RULE_WORDS = frozenset("要求 规定 限制 讲究".split())


def _unreduplicated(word: str) -> str:
    """A verb said twice for a try ("试试", "看看") is the verb once: the handbooks write 试, not 试试."""
    return word[0] if len(word) == 2 and word[0] == word[1] else word


def _act_words(text: str) -> list[tuple[str, bool]]:
    """The verbs and nouns of what follows a modal ("用来付蛋糕定金" → 蛋糕, 定金), each with whether it is a
    noun: two characters at least, no generic noun, stop word or light verb (用来, 拿来), nor a word said to
    someone ("建议她换成…")."""
    tokens = [t for t in _posseg().lcut(text) if t.word.strip()]
    return [(_unreduplicated(t.word) if t.flag.startswith("v") else t.word, t.flag.startswith("n"))
            for at, t in enumerate(tokens)
            if len(t.word) >= 2 and _CJK.match(t.word) and t.flag.startswith(("v", "n"))
            and t.word not in GENERIC_NOUNS and t.word not in ZH_STOP and t.word not in LIGHT_VERBS
            and t.word not in _RULE_WORDS
            and not _glued_approximation(t.word, tokens[at - 1].word if at else "")
            # "建议她…", "提醒他…": what the asker would say to someone, the act asked about follows
            and not (at + 1 < len(tokens) and tokens[at + 1].word in _PRONOUNS)]


#: the clause of a yes/no question that asks something of its subject: a modal (or 会, 要) and what follows, to 吗
_ASKS_OF_SUBJECT = re.compile(f"(?:{_MODAL_WORDS}|会|要)" r"([^，,；;。？?！!]{1,30}?)(?:吗|行不行)")
#: a count asked of what the subject may do ("可以重考几次", "能申请多少次"): the act between the modal and the count
_ASKS_COUNT_OF_SUBJECT = re.compile(f"(?:{_MODAL_WORDS})" r"([^，,；;。？?！!几多]{1,30}?)(?:几|多少)\s*次")
#: a comparison inside that clause ("跟余额一样", "像上个月那样"): what the subject is likened to, not what it does
_LIKENED_TO = re.compile(r"(?:跟|和|与|同|像)[^，,；;。？?！!]{1,10}?(?:一样|那样|似的)")


def _asking_modal(simple: str) -> re.Match[str] | None:
    """The first modal that asks (``_ASKS_OF_SUBJECT``), not one that opens a longer word (会员, 要求, 有效);
    one glued to the word before it (jieba may read "积分会转" as 积分 + 会 or as 分会) still asks."""
    starts: dict[int, int] = {}
    at = 0
    for token in _posseg().lcut(simple):
        starts[at] = len(token.word)
        at += len(token.word)
    match = _ASKS_OF_SUBJECT.search(simple)
    while match and starts.get(match.start(), 0) > match.start(1) - match.start():
        match = _ASKS_OF_SUBJECT.search(simple, match.start() + 1)
    return match


def subject_apart(question: str, evidence: Iterable[str]) -> bool:
    """A Chinese yes/no question's subject (every noun before its modal: "代金券能拿来付蛋糕定金吗" → 代金券)
    and what it asks of it (the verbs and nouns after: 蛋糕, 定金) are named only in different passages: one
    rule speaks of the subject, another of the act, and none of the subject doing it; quoting both answers
    a question the handbooks never asked. Each passage read alone. So for a count asked of what the subject
    may do ("口语课的测验没过的话，可以重考几次？"), whose subject may be told in the clause before."""
    simple = to_simplified(question)
    match = _asking_modal(simple) if _YES_NO_END.search(simple) else None
    # "…小测没过的话，可以重考几次？": a count asked of what the subject may do; the subject is the whole sentence's
    counting = None if match else _ASKS_COUNT_OF_SUBJECT.search(simple)
    if counting:
        match = counting
    if not match:
        return False
    stops = "？?！!。" if counting else "，,；;。？?！!"
    clause_start = max(simple.rfind(mark, 0, match.start()) for mark in stops) + 1
    subject = [word for word, _ in focus_nouns(simple[clause_start:match.start()]) if word not in ROLE_NOUNS]
    asked = [word for word, _ in _act_words(_LIKENED_TO.sub("，", match.group(1))) if word not in subject]
    if not subject or not asked:
        return False
    passages = [to_simplified(text) for text in evidence]
    with_subject = {i for i, p in enumerate(passages) if all(_in_text(word, p) for word in subject)}
    with_asked = {i for i, p in enumerate(passages) if any(_in_text(word, p) for word in asked)}
    return bool(with_subject) and bool(with_asked) and not with_subject & with_asked


_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def required_names(question: str) -> list[str]:
    """The names the evidence must write as the question does, Simplified: a Chinese name an English
    question writes out ("the 松风 blend"), the names a Chinese question's focus holds."""
    if detect_language(question) == "en":
        return list(dict.fromkeys(_CJK_RUN.findall(to_simplified(question))))
    return [word for word, is_name in focus_nouns(question) if is_name]


_LONE_CREDIT = re.compile(r"(?<![\u4e00-\u9fff])[著编绘图文](?![\u4e00-\u9fff])")
#: what a product's attribute is called in Chinese catalogues, for an English question that asks it ("What
#: material…", "at what altitude…"): a catalogue row that states none of these does not state it. Generic
#: product vocabulary, no brand in it
ATTRIBUTES_IN_CHINESE: dict[str, tuple[str | re.Pattern[str], ...]] = {
    "material": ("材质", "材料", "面料", "成分"), "fabric": ("面料", "材质"), "altitude": ("海拔",), "elevation": ("海拔",),
    # whole words only: a lone "V" is in GMV and 升 in 升级
    "colour": ("色", "颜色"), "color": ("色", "颜色"), "battery": ("电池",), "wattage": ("功率", "瓦"), "voltage": ("电压", "伏"),
    "capacity": ("容量", "毫升", "ml"), "warranty": ("保修", "质保"), "ingredient": ("成分",), "wholesale": ("批发",),
    # a credit's lone character stands apart from the words around it ("李雷 著", "文/李雷 图/韩梅"): 绘 is also
    # in 绘本, 编 in 编号, 著 in 显著
    "author": ("作者", "编著", "编写", "撰写", "绘制", "创作", _LONE_CREDIT), "origin": ("产地", "原产"),
}
#: measures an English question asks of a product, by their name or by "how <adjective>" ("How hot does the
#: lamp get?"), and how a Chinese catalogue states them. Not catalogue kinds for Chinese questions: "多重" is
#: answered by "净含量 180 g", which names no 重量
MEASURES_IN_CHINESE: dict[str, tuple[str, ...]] = {
    "temperature": ("温度", "℃", "°C", "摄氏"), "thickness": ("厚",), "weight": ("重量", "净重", "克", "公斤", "kg"),
    "height": ("高度", "株高", "身高", "cm", "厘米"),
}
_HOW_ADJECTIVE = {"hot": "temperature", "warm": "temperature", "cold": "temperature", "thick": "thickness",
                  "heavy": "weight", "tall": "height"}


#: groups of people a rule may be written for ("do students get a discount?"), in English → how Chinese handbooks
#: name them: a rule that names none of them is the rule for everyone, not one for that group. Words that are
#: also adjectives ("senior", "minor") count in the plural only
PEOPLE_GROUPS: dict[str, tuple[str, ...]] = {
    "student": ("学生", "在校", "学员"), "teacher": ("教师", "老师"), "seniors": ("老人", "老年", "长者"),
    "elderly": ("老人", "老年", "长者"), "pensioner": ("老人", "退休"), "retiree": ("退休", "老人"),
    "kid": ("儿童", "孩子", "小孩", "宝宝", "未成年", "周岁"), "child": ("儿童", "孩子", "小孩", "宝宝", "未成年", "周岁"),
    "children": ("儿童", "孩子", "小孩", "宝宝", "未成年", "周岁"), "teenager": ("青少年", "未成年", "周岁"),
    "minors": ("未成年", "周岁"), "employee": ("员工", "职工"), "nurse": ("护士", "医护"), "doctor": ("医生", "医护"),
    "veteran": ("军人", "退役"), "soldier": ("军人",), "pregnant": ("孕妇", "孕期", "怀孕"), "foreigner": ("外籍", "外国"),
}


#: a year an English question asks about other than the rules' own ("going to be cut next year?", "revenue last
#: year"), and how Chinese text names it: rules written for every year say nothing of a change next year
OTHER_YEARS: dict[str, tuple[str, ...]] = {
    "next year": ("明年", "下一年", "来年", "次年", "下年"), "last year": ("去年", "上一年", "上年", "前一年"),
}


def other_years(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The other years an English question asks about (``OTHER_YEARS``), each with its Chinese forms."""
    lowered = question.lower()
    return [(year, forms) for year, forms in OTHER_YEARS.items() if re.search(rf"\b{year}\b", lowered)]


def people_groups(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The groups of people an English question names (``PEOPLE_GROUPS``), each with its Chinese forms; the
    asker's own ("for my own kids") are family, no group a rule is written for."""
    question = re.sub(r"\b(?:my|our|his|her|their)\s+(?:own\s+)?\S+", " ", question, flags=re.I)
    words = [w.lower().removesuffix("'s").rstrip("'") for w in _EN_WORD.findall(question)]
    found = {word: forms for w in words for word in (w, w.removesuffix("s"))
             if (forms := PEOPLE_GROUPS.get(word)) and (word == w or not word.endswith("s"))}
    return list(found.items())


#: the Chinese names of a product's attributes (材质, 电压, 产地): a catalogue that states one writes its name, or a
#: character of it, beside the value; a work's credit is not one (a lone 著 names the author)
CATALOGUE_KINDS = frozenset(form for attribute, forms in ATTRIBUTES_IN_CHINESE.items() if attribute != "author"
                            for form in forms if isinstance(form, str) and len(form) >= 2 and CJK_RE.match(form))


def _names_form(form: str | re.Pattern[str], text: str) -> bool:
    """``text`` writes an attribute's Chinese name (``ATTRIBUTES_IN_CHINESE``): a word, or a pattern."""
    return bool(form.search(text)) if isinstance(form, re.Pattern) else form in text


#: an English question asking which of several things it is ("Which helmet has…")
_ASKS_WHICH = re.compile(r"\s*which\b", re.I)


def _missing_english(question: str, text: str, known: Callable[[str], bool], subjects: Iterable[str] = (),
                     render: Callable[[str], tuple[str, ...]] | None = None) -> list[str]:
    """The same check for an English question, possible only over English evidence (over Chinese
    text an English word is never "in" it; the sentence vectors judge those), and for names only:
    without a part-of-speech tagger an English verb ("reaching") cannot be told from a noun."""
    if detect_language(text) != "en":
        # a Chinese name an English question writes out ("the 松风 tea blend") is what it asks about:
        # evidence that never names it is about something else; so is an acronym (CPM, LTV), which
        # Chinese prose writes in the same Latin letters (ROI, GMV) and never paraphrases: evidence
        # about CPE says nothing of CPM, even where the handbooks use CPM elsewhere
        names = [name for name in required_names(question) if name not in text]
        words = set(_EN_WORD.findall(text.lower()))
        # "which factory…" is answered by a factory's name, over Chinese text as over English
        kinds = [kind for kind in asked_named_kinds(question) if not names_one(kind, places_besides(question, text, kind))]
        # a term stated only in another row of a table (the R值 of another product) is not stated for
        # the row the question names
        own = _without_other_rows(question, text, subjects)
        own_words = set(_EN_WORD.findall(own.lower()))
        # …but "which helmet has a built-in LED?" picks out its row by the acronym: the row that writes it answers
        picks_by_it = bool(_ASKS_WHICH.match(question))
        missing = (names + [a for a in (*acronyms(question), *letter_terms(question), *technical_names(question))
                            if a.lower() not in words or (a.lower() not in own_words and not picks_by_it)] + kinds
                   + [w for w in english_asked(question) if (forms := _attribute_forms(w))
                      and not any(_names_form(form, own) for form in forms)]
                   # "how much protein…", "is it dishwasher-safe": a spec no row or sentence of the evidence writes
                   + [w for w in specs_asked(question) if not states_spec(w, own)]
                   # "is there a fee…": a thing whose being there is asked, in the glossary's Chinese, is named where
                   # it is stated (a bound, "is there a minimum spend", is the floor's or the ceiling's check)
                   + [w for w in existence_asked(question) if (forms := translations(w))
                      and not any(form in own for form in forms)]
                   + [named for named, forms in (*people_groups(question), *other_years(question), *countries_named(question),
                                                 *languages_named(question))
                      if not any(form in own for form in forms)]
                   # a thing asked that neither table nor glossary has a word for ("what strap width…") is looked for
                   # in the words the handbooks write for it
                   + [w for w in _rendered_asks(question, words, render) if not any(form in own for form in render(w))]
                   + _unstated_phrases(question, words, own, render)
                   # "how many days does a parcel take to arrive": the evidence must time that act, not count from it
                   + [act for act, forms in [timed_act(question)] if forms and not times_it(forms, text)])
    else:
        lowered = text.lower()
        asked = set(english_asked(question))
        missing = [word for word, is_name in english_focus(question)
                   if (is_name or word in asked) and not _in_english(word, lowered, known)]
    # platforms and shopping festivals are checked in either language of evidence
    return missing + missing_platforms(question, text, known) + missing_sale_events(question, text)


def _attribute_forms(word: str) -> tuple[str | re.Pattern[str], ...]:
    """How Chinese catalogues write the attribute or measure an English word asks ("material" → 材质…), () for none."""
    return ATTRIBUTES_IN_CHINESE.get(word.rstrip("s")) or MEASURES_IN_CHINESE.get(word) or ()


def _rendered_asks(question: str, written: set[str], render: Callable[[str], tuple[str, ...]] | None) -> list[str]:
    """The things an English question asks about by name (``_EN_ASKED_THING``) whose Chinese only the corpus can
    tell (``render``): no attribute table or glossary has them, the handbooks do not write them in English, and
    they name a thing, not the kind of value asked nor an act ("included", "charging"). Those the corpus has no
    near word for are left to the sentence vectors."""
    if render is None:
        return []
    asked = dict.fromkeys(word.lower() for match in _EN_ASKED_THING.finditer(question)
                          for word in match.groups() if word)
    # "how many hours of training": the thing measured, a noun though it ends in -ing; "will you pay for my
    # flight and meals": the costs asked to be paid
    measured = dict.fromkeys([*(match.group(1).lower() for match in _EN_AMOUNT_OF.finditer(question)),
                              *_costs_covered(question)])
    asked.update(measured)
    return [w for w in asked if _left_to_the_corpus(w) and (w in measured or not w.endswith(("ed", "ing")))
            and w not in written and w.rstrip("s") not in written and render(w)]


def _left_to_the_corpus(word: str) -> bool:
    """``word`` may name a thing whose Chinese only the corpus can tell: no stop or asking word, no kind of value
    asked, not a glossary's nor an attribute table's word (their own checks have those)."""
    return (word not in EN_STOP and word not in EN_ASKING and word not in _VALUE_NOUNS and len(word) >= 3
            and not translations(word) and not _attribute_forms(word))


#: a thing asked of a product by the phrase naming it: what it comes with or in, has, or needs replacing ("come with a
#: padded carry case", "a replacement set of brush heads", "come in other sizes", "have a wall bracket"); the phrase
#: ends at a preposition, a clause word, a verb of the clause or the end of its clause
_EN_HEADED = re.compile(r"\b(?:(?:comes?|came)\s+(?:with|in)\s+(?:(?:a|an|any|the|other|another|some)\s+)*|"
                        r"ha(?:s|ve)\s+(?:a|an|any)\s+|replacement\s+(?:(?:set|pair)\s+of\s+)?)"
                        r"((?:[a-z][a-z-]*\s+){0,2}?[a-z][a-z-]*?)"
                        r"(?=\s+(?:like|that|which|for|to|so|i|we|you|as|when|if|in|on|of|with|from|or|and|by|at|"
                        r"cost|costs|is|are|be|do|does|work|works|last|lasts|fit|fits)\b|\s*[?.,!;]|\s*$)",
                        re.I)


#: words that end such a phrase naming how long or when, not a thing ("the lens replacement period")
_SPAN_NOUNS = frozenset("period periods window windows term terms deadline".split())


#: …and a thing asked to be laid on ("is breakfast provided", "are the materials included")
_EN_PROVIDED = re.compile(r"\b(?:is|are)\s+(?:(?:a|an|the|any)\s+)?((?:[a-z][a-z-]*\s+){0,2}?[a-z][a-z-]*)"
                          r"\s+(?:provided|included|supplied|served)\b", re.I)


def _phrases_asked(question: str) -> list[list[str]]:
    """The words of each phrase ``_EN_HEADED`` or ``_EN_PROVIDED`` finds, the thing it names (its last word) last; a
    phrase ending in an acronym ("a built-in USB hub" names the hub; "has a built-in NFC") is left to the acronym check."""
    return [match.group(1).lower().split() for pattern in (_EN_HEADED, _EN_PROVIDED) for match in pattern.finditer(question)
            if not re.search(r"\b[A-Z]{2,}$", match.group(1))]


def _unstated_phrases(question: str, written: set[str], own: str, render: Callable[[str], tuple[str, ...]] | None) -> list[str]:
    """The thing of each phrase ``_phrases_asked`` finds that the evidence never names: none of the phrase's words is
    written there, in English or in the corpus's own word for it (``render``): "a free fitting session" is named by 安装
    though "session" is not, "a padded carry case" by nothing in a row that states only weight and size. A thing the
    corpus has no near word for at all ("a replacement filter") is one the handbooks never mention: asked of a product,
    what it comes with, has or needs replacing is named where it is stated. A word a glossary or an attribute table has
    is left to their checks."""
    if render is None:
        return []
    missing: list[str] = []
    for words in _phrases_asked(question):
        head = words[-1]
        if not _left_to_the_corpus(head) or head in _SPAN_NOUNS or head.endswith(("ed", "ing")):
            continue
        named = any(w in written or w.rstrip("s") in written or any(form in own for form in render(w))
                    for w in words if w not in EN_STOP and len(w) >= 3)
        if not named and head not in missing:
            missing.append(head)
    return missing


def missing_sale_events(question: str, text: str) -> list[str]:
    """The shopping festivals a question names ("618", "双12", "Singles' Day") that the evidence never
    names, as the festival or as its date ("6 月 18 日"): the handbooks' rule for that sale is not stated."""
    written = re.sub(r"\s+", "", to_simplified(text).lower())
    # a rule for the big sales ("大促期间") is the rule for each of them
    return [name for name, forms in sale_events_named(question) if not any(form in written for form in (*forms, BIG_SALE))]


def missing_platforms(question: str, text: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """The platforms an English question names ("on Douyin") that the evidence names in neither language:
    "which sold more, Xiaohongshu or Douyin?" is not answered by evidence about sales alone. A platform
    naming the kind of a thing the evidence speaks of is not missing (``_platform_kind``)."""
    asked = set(_EN_WORD.findall(question.lower()))
    lowered = text.lower()
    return [name for name, written in PLATFORMS.items()
            if name in asked and not re.search(rf"\b{name}\b", lowered) and not any(form in lowered for form in written)
            and not _platform_kind(name, written, question, lowered, known) and not _paid_elsewhere(name, question, lowered)]


#: where a programme pays out to: the wallets a question may name, and how handbooks write those and a bank card
_PAYOUT_WALLETS = frozenset(("wechat", "alipay"))
_PAYOUT_WRITTEN = ("微信", "支付宝", "银行卡", "储蓄卡", "借记卡", "银行账户")
#: a question about the money being paid or withdrawn to somewhere
_ASKS_PAID_TO = re.compile(r"\b(?:paid|pay|payout|payouts|withdraw|withdrawn|withdrawal|transfer(?:red)?|cash(?:ed)? out)\b", re.I)


def _paid_elsewhere(name: str, question: str, text: str) -> bool:
    """"Could my earnings go to WeChat instead?" over a rule that pays to 支付宝 or a 储蓄卡: the rule names
    where the money may go, and so answers for the wallet it leaves out."""
    return (name in _PAYOUT_WALLETS and bool(_ASKS_PAID_TO.search(question))
            and any(form in text for form in _PAYOUT_WRITTEN if form not in PLATFORMS[name]))


def _platform_kind(name: str, written: tuple[str, ...], question: str, text: str,
                   known: Callable[[str], bool] | None) -> bool:
    """"How do I register my WeChat group?": the platform says what kind of group, and the evidence speaks
    of groups (群) that the handbooks call by the platform's name elsewhere (微信群): theirs are that
    platform's groups, whether or not the sentence at hand says so."""
    after = re.search(rf"\b{name}\s+([a-z][a-z-]+)", question.lower())
    if known is None or after is None:
        return False
    return any(thing in text and any(known(form + thing) for form in written) for thing in translations(after.group(1)))


#: three or more capitals, as an acronym is written in any language ("CPM", "LTV", "SPF50", "KOCs")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{3,}(?=s?[0-9+]*(?![A-Za-z]))")
#: generic acronyms that Chinese prose writes in words (常见问题, 人民币, 增值税, 美国, 最有价值球员), so an
#: English question's acronym is no sign that Chinese evidence lacks the thing (generic English, no corpus)
_WRITTEN_OUT = frozenset("FAQ RMB CNY USD EUR HKD GBP JPY VAT CEO CFO COO CTO USA PRC ROC NATO ASAP FYI MVP".split())
#: the roles of any recommendation programme, which a brand's handbooks may call by a name of their
#: own (its "体验官" or "推荐官" are its KOCs): an asker's word for the role, not a term to find
_PROGRAMME_ROLES = frozenset("KOC KOL KOS".split())


#: a measure or grade named by a capital letter ("R-value", "A-grade"), not at a sentence's start
#: ("E-commerce…"): Chinese prose keeps the letter ("R值", "A级", "T恤"), so evidence without it
#: does not state that measure
_LETTER_TERM = re.compile(r"(?<=[A-Za-z0-9,]\s)([A-Z])-[a-z]{3,}\b")


def letter_terms(question: str) -> list[str]:
    """The letters of the letter-named terms an English question asks about, in order."""
    return list(dict.fromkeys(_LETTER_TERM.findall(question)))


def acronyms(question: str) -> list[str]:
    """The acronyms an English question names, in order, without repeats; a question written in
    capitals throughout has none (its words are not acronyms)."""
    if question.upper() == question:
        return []
    found = [a for a in _ACRONYM.findall(question) if a not in _WRITTEN_OUT and a not in _PROGRAMME_ROLES]
    return list(dict.fromkeys(found))


#: a technical name written in mixed case ("CarPlay", "iPad", "Wi-Fi", a standard like "FoamSAFE"): Chinese
#: catalogues write it in Latin too
_MIXED_CASE = re.compile(r"(?<![A-Za-z])(?:[A-Za-z][a-z]*[A-Z][a-z][A-Za-z]*|[A-Z][a-z]-[A-Z][a-z]+|"
                         r"[A-Za-z][a-z]+[A-Z]{2,}[a-z]*)(?![A-Za-z])")


def technical_names(question: str) -> list[str]:
    """The mixed-case technical names an English question names (``_MIXED_CASE``), as acronyms are: evidence
    about one that never writes it says nothing of it. A platform's name (WeChat) is the platform check's."""
    return list(dict.fromkeys(n for n in _MIXED_CASE.findall(question)
                              if n.lower().replace("-", "") not in PLATFORMS and not translations(n.lower())))


#: "what / which <noun>", "<someone>'s <noun>", "have a <noun>", "is there a <noun>", "come with / include a <noun>":
#: the noun names what an English question asks (what kind, whose thing, whether it exists or is in the box)
#: "is there any special gift": the words that qualify what there is say nothing of what it is ("an extra fee" says
#: it is on top of another: what it adds is the question)
_EN_EXISTS = (r"\b(?:have|has|is there|are there|comes? with|includes?)\s+(?:a|an|any)\s+"
              r"(?:(?:special|particular|specific|one-time|one-off|kind of|sort of|type of)\s+)*"
              r"([a-z][a-z-]+)")
_EN_ASKED = re.compile(r"\b(?:what|which)\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?([a-z][a-z-]+)|'s\s+([a-z][a-z-]+)|"
                       + _EN_EXISTS, re.I)
#: the thing an English question asks about by name: "what <thing>", "what kind of <thing>", "the brand's <thing>"
#: (a possessive, not "it's" / "what's"), "is there a <thing>"; "which <kind>" is answered by naming its members,
#: which need not write the kind
_EN_ASKED_THING = re.compile(r"\bwhat\s+(?:(?:kinds?|types?|sorts?)\s+of\s+)?([a-z][a-z-]+)|"
                             r"\b(?!(?:it|what|that|there|here|who|he|she|where|how|when|let)'s)[a-z]+'s\s+([a-z][a-z-]+)|"
                             + _EN_EXISTS, re.I)
#: an amount asked of a thing in a unit of time or a count of sittings ("how many hours of host training do I get"): the
#: thing, the last word before the verb or preposition that ends its phrase
_EN_AMOUNT_OF = re.compile(r"\bhow\s+(?:many|much)\s+(?:more\s+)?(?:minutes?|hours?|days?|weeks?|sessions?|lessons?|classes)\s+"
                           r"of\s+(?:(?:the|a|an|my|your|our)\s+)?(?:[a-z-]+\s+)??([a-z][a-z-]+)"
                           r"(?=\s+(?:do|does|did|is|are|will|would|can|could|should|must|i|we|you|before|after|for|in|at|"
                           r"per|on|to|with|from)\b|\s*[?.,!]|\s*$)", re.I)
#: a cost asked to be paid by the brand ("will you pay for my flight and meals?"): what follows the verb, asked as
#: a verb after its subject (not "cover" a noun, "the cover image"), to the end of its clause or a condition
_EN_COVERS = re.compile(r"\b(?:will|would|do|does|did|can|could|should|to)\s+(?:[a-z]+\s+){0,2}?"
                        r"(?:cover|pay\s+for|pay(?=\s+my\b)|reimburse)\s+([a-z][a-z\s-]{0,40}?)"
                        r"(?=\s+(?:if|when|for|during|while|after|before|on|in|at|too|as\s+well)\b|\s*[?.,!;]|\s*$)", re.I)
_DETERMINERS = frozenset("my the a an your our their any his her its".split())


def _costs_covered(question: str) -> list[str]:
    """The head noun of each cost an English question asks the brand to pay ("pay for my flight and meals" →
    flight, meals)."""
    out: list[str] = []
    for match in _EN_COVERS.finditer(question):
        for part in re.split(r"\s+(?:and|or)\s+|,\s*", match.group(1)):
            words = [w for w in part.lower().split() if w not in _DETERMINERS]
            if words:
                out.append(words[-1])
    return out


#: nouns that name the kind of value asked ("what date", "what size"), not a thing: the answer type's check
#: reads the value, in whatever words it is written
_VALUE_NOUNS = frozenset("""date dates day days time times week weeks month months year years number numbers size sizes
amount amounts price prices cost costs rate rates percentage percentages share figure figures total sum score scores
discount discounts limit limits cap minimum maximum kind kinds type types sort way ways part parts level levels""".split())


def existence_asked(question: str) -> list[str]:
    """The things an English question asks whether there are ("is there a fee for…" → fee), bounds aside
    ("is there a minimum spend": the word says which bound, not what there is)."""
    return [word.lower() for word in re.findall(_EN_EXISTS, question, re.I)
            if word.lower() not in EN_STOP and not _BOUND_WORDS.match(word)]


#: words that name a bound rather than a thing ("a minimum spend", "a maximum number", "an upper limit")
_BOUND_WORDS = re.compile(r"^(?:min|max)(?:imum)?$|^(?:upper|lower|limit|cap|ceiling|floor|threshold)$", re.I)


def english_asked(question: str) -> list[str]:
    """The nouns naming what an English question asks ("What material…" → material, "the brand's
    factory" → factory, "have a cap" → cap); without a tagger, asking words and stop words are not."""
    out: list[str] = []
    for match in _EN_ASKED.finditer(question):
        word = next(g for g in match.groups() if g).lower()
        if word not in EN_STOP and word not in EN_ASKING and len(word) >= 3:
            out.append(word)
    out += [_HOW_ADJECTIVE[m.lower()] for m in re.findall(rf"\bhow\s+({'|'.join(_HOW_ADJECTIVE)})\b", question, re.I)]
    if re.search(r"\bmade (?:of|from|out of)\b", question, re.I):
        out.append("material")  # "what is the frame made of?" asks its material
    return out


#: words between the asked attribute and the question word ("浓度*是*百分之几", "价格*大概*多少")
_ASK_FILLER = frozenset("是 的 为 有 要 大概 一般 大约 一共 总共 到底 具体 确切 需要 得 能 可以 会 约 都 "
                        # the paying of the thing asked ("关税要付多少", "手续费收多少"): what is paid is the attribute
                        "付 交 缴 花 收".split())
_ATTRIBUTE_TAGS = ("n", "nz", "vn", "eng")


def asked_attribute(question: str, asks_at: int) -> tuple[str, ...]:
    """The nouns a Chinese question asks the value of: the run of nouns right before its question
    word, the head last ("果酸浓度是多少" → 果酸, 浓度; "SPF 是多少" → spf), or () when no
    noun stands there. A value in the evidence answers the question only when it is stated of them."""
    simple = to_simplified(question)
    if simple[asks_at:asks_at + 1] in _BOUND_SUFFIXES:
        asks_at += 1  # "退货率是多少": the asking words begin with the rate they ask ("率是多少")
    tokens = [(w, tag) for w, tag in _with_bound_suffixes(_posseg().lcut(simple[:asks_at])) if w.strip()]
    while tokens and tokens[-1][0] in _ASK_FILLER:
        tokens.pop()
    run: list[str] = []
    while tokens and _is_attribute(tokens[-1][0].lower(), tokens[-1][1]):
        run.insert(0, tokens.pop()[0].lower())
    return tuple(run)


def measure_after_count(question: str) -> str:
    """The noun a Chinese question counts its answer in, right after its count word ("每项占多少分值" →
    分值, "有几个名额" → 名额): the asker's name for the measure, which the handbooks may name otherwise
    (权重, 配额), "" when none. A stated value of the asked type answers it whatever the measure is called."""
    tokens = [t for t in _posseg().lcut(to_simplified(question)) if t.word.strip()]
    for i, token in enumerate(tokens[:-1]):
        if token.word in ("多少", "几个", "几") and _is_attribute(tokens[i + 1].word, tokens[i + 1].flag):
            return tokens[i + 1].word
    return ""


def _is_attribute(word: str, tag: str) -> bool:
    """A noun that can name what is measured; a Chinese word jieba only guessed ("能领", "单算": two
    words run together) is none."""
    if len(word) < 2 or not tag.startswith(_ATTRIBUTE_TAGS) or word in GENERIC_NOUNS or word in ZH_STOP:
        return False
    joined = word[-1] in _BOUND_SUFFIXES and bool(dictionary_count(word[:-1]))  # 退货率: 退货 + a rate
    return word.isascii() or bool(dictionary_count(word)) or joined


#: the suffixes that make a measure of a quality (高度, 容量, 分值, 比率): measures of one thing share them
_MEASURE_SUFFIXES = "度量值率"


def states_attribute(attribute: tuple[str, ...], text: str) -> bool:
    """``text`` names one of the attribute's nouns (or a synonym), or one character of its head noun:
    writers vary the word (总长 / 全长, 投资金额 / 总投资) but rarely all of it. In a head of three
    characters or more the last one is a suffix its kind shares (退货率 and 复购率, 场地费 and 运费):
    a character before it must be there; so in a head of two that ends in a measure's suffix (密度 and 高度,
    容量 and 重量). True without one."""
    if not attribute:
        return True
    t = to_simplified(text).lower()
    head = attribute[-1]
    telling = head[:-1] if len(head) >= 3 or (len(head) == 2 and head[-1] in _MEASURE_SUFFIXES) else head
    return any(_in_text(word, t) for word in attribute) or (not head.isascii() and any(ch in t for ch in telling))


#: words between an act and the question word that tell how long or how often, not which act ("一直开着能亮多久")
_HOW_AN_ACT_RUNS = frozenset("连续 持续 一直 正常 平均 通常 差不多 最多 最少 最长 最短 一次 每次".split())
#: acts too general to tell one of a row's durations from another: "能用多久" asks whatever running time it states
_GENERAL_ACTS = frozenset("用 使用 做 有 是 到 要 花 需 等 弄 搞 算 坚持 维持 保持".split())
#: complements that tell how an act ends ("充满", "修好"), beside ``text_match.RESULTATIVES``
_ENDINGS = RESULTATIVES + "满好"


def asked_act(question: str, asks_at: int) -> str:
    """The act whose length of time a Chinese question asks ("电池充满一次要多久" → 充, "能点多少个小时" → 点), by
    the character that names it, or "" when the words before the question word name none, or only an act any
    running time answers ("能用多久"). A product's row states several durations, each of its own act."""
    tokens = [(w, tag) for w, tag in _posseg().lcut(to_simplified(question)[:asks_at]) if w.strip()]
    while tokens and (tokens[-1][0] in _ASK_FILLER or tokens[-1][0] in _HOW_AN_ACT_RUNS):
        tokens.pop()
    if not tokens:
        return ""
    word, tag = tokens[-1]
    forms = verb_forms(word)
    act = forms[0] if forms else (word if tag.startswith(("v", "a")) else "")
    if len(act) == 2 and act[1] in _ENDINGS:
        act = act[0]
    return "" if not CJK_RE.match(act) or act in _GENERAL_ACTS else act


def times_the_act(act: str, sentence: str) -> bool:
    """A table row that names ``act`` (``asked_act``) states how long it takes: one of its durations is
    written in a clause, under a column (notes in brackets aside: "续航（含充电仓）" times the playing) or in a
    row about that act ("服务: 上门调音 · 时长: 约 90 分钟"). A torch's row that names its charging port and gives
    its modes' hours ("Type-C 充电，强光约 3 小时") says nothing of how long it charges. A row that never
    names the act, prose, and a question asking no act are left to the other checks."""
    cells = row_cells(sentence)
    if not act or not cells or act not in sentence:
        return True
    names = " ".join(_row_names(sentence, titles_only=True))
    for column, cell in cells:
        column = _NOTE_IN_NAME.sub("", column)
        for clause in re.split(r"[，,；;、。]", cell):
            if states_value("duration", clause) and (act in column or act in clause or act in names):
                return True
    return False


#: the sizes a measure word may carry ("几小包", "多少大箱")
_SIZED = frozenset("小大")
#: the words that ask for a count; jieba keeps some of them with their unit ("几篇", "几位")
_COUNT_WORD = re.compile(r"^(?:多少|几)(?:个|位|名)?")


def asked_unit(question: str) -> str:
    """The unit class (``UNIT_CLASSES``) a count question counts in ("新人群里有多少人" → 人位名, "how many
    milligrams" → 毫克|mg|…), ``COUNTED_THINGS`` for "多少个 / 几个 / how many" and a noun that is no
    unit, or "" when it names none: "多少人口" asks the attribute 人口 (one word to jieba). A count of
    something else in the evidence is a neighbouring figure, not the answer."""
    dimension = asked_measure(question)
    if dimension:
        return dimension
    if asks_how_long(question):
        return LENGTH_OR_TIME_UNITS
    if detect_language(question) == "en":
        match = _EN_HOW_MANY.search(question)
        words = re.split(r"[\s-]+", match.group(1).lower()) if match else []
        if words and _CJK.match(words[0]):  # a Chinese word counted ("how many 体验官", "how many 信用分")
            return EN_COUNT_UNITS["people"] if words[0].endswith(tuple(_PERSON_ENDINGS)) else _unit_class(words[0][-1])
        return next((EN_COUNT_UNITS[w] for w in words if w in EN_COUNT_UNITS), COUNTED_THINGS if words else "")
    tokens = [t.word for t in _posseg().lcut(to_simplified(question)) if t.word.strip()]
    things = ""
    classes: list[str] = []
    for i, word in enumerate(tokens):
        match = _COUNT_WORD.match(word)
        if not match or (i and tokens[i - 1].endswith("哪")):  # "哪几类" asks which, a list
            continue
        if i and word.startswith("几") and tokens[i - 1].endswith(tuple(TOLD_BEFORE_A_FEW)):  # "买过几根…" tells a few
            continue
        unit = word[match.end():]
        if not unit:  # "几位" counts people; "多少" and "几个" are followed by what they count
            unit = word[-1] if word.endswith(("位", "名")) else (tokens[i + 1] if i + 1 < len(tokens) else "")
        if not word[match.end():] and i + 2 < len(tokens) and tokens[i + 2] in _MEASURES and not _COUNTS.search(tokens[i + 1]):
            unit = tokens[i + 2]  # "多少信用分": jieba cuts the counted noun before its measure word
        if not _unit_class(unit) and unit[:1] in _SIZED and _unit_class(unit[1:]):
            unit = unit[1:]  # "几小包": a measure word with its size before it is that measure
        found = _unit_class(unit)
        if found:
            classes.append(found)
            # "几张有效订单": a classifier borrowed for a noun named by its own unit (订单 by 单) counts in either
            named = next((_unit_class(w[-1]) for w in tokens[i + 1:i + 3]
                          if len(w) >= 2 and not _unit_class(w) and _unit_class(w[-1])), "")
            if named and named != found:
                classes.append(named)
        elif unit == "个" or word.endswith("个"):  # "多少个 KOC", "几个": things, whatever they are
            things = COUNTED_THINGS
    # "要卖满几单、写几篇笔记" asks two counts: a row stating either one in its unit answers a part
    return "|".join(dict.fromkeys(form for cls in classes for form in unit_forms(cls))) if len(set(classes)) > 1 \
        else (classes[0] if classes else things)


#: the Chinese forms of the measure words
_MEASURES = frozenset(form for cls in WORD_UNIT_CLASSES for form in unit_forms(cls) if CJK_RE.match(form))


#: what "how many" counts: up to four words, since the count noun that names the unit ("how many credit
#: points") may come after the words that qualify it ("how many Xiaohongshu or Douyin followers", "how many of my posts")
#: the words after "how many", a hyphened compound as its words ("how many follow-up posts")
_EN_HOW_MANY = re.compile(r"\b(?:how many|number of)\s+([a-z\u4e00-\u9fff]+(?:[\s-]+[a-z]+){0,3})", re.I)
#: the last character of a Chinese word for a person by role (推广员, 体验官, 讲师, 创作者, 会员): an English question
#: counting them ("how many 体验官 are there") counts people
_PERSON_ENDINGS = "员官师者人长"


def _unit_class(unit: str) -> str:
    """The class of ``UNIT_CLASSES`` a unit word belongs to: one classifier character of a class
    of characters, or one written form of a ``|``-separated class."""
    return next((cls for cls in UNIT_CLASSES if unit and unit in unit_forms(cls)), "")
