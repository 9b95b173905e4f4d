"""Reading a KOC's writing request: what they want (topics, titles, posts, an outline, or their
draft checked), how many, for which platform, about what, and for whom.

Deterministic and brand-neutral: the product comes from the catalogue or the knowledge base's
own terms, never from a list here. ``None`` means the question is not a request this module
understands, and the ordinary handbook answer takes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal, Sequence

from base.language import to_simplified
from assistant.numbers import numeral

Kind = Literal["check", "claim", "titles", "outline", "posts", "topics"]

CHECK = re.compile(r"((帮我|帮忙|麻烦)?(检查|看看|查查|审核|审一下|把关)(一下)?.{0,12}(笔记|文案|帖子|草稿|稿子|内容|贴文|标题|视频|口播)|"
                   r"(帮我|帮忙|麻烦|请)(检查|看看|查查|审核|审一下|把关)(一下)?(这段|这条|这篇)?[:：]|"  # "帮我检查一下：<draft>"
                   r"能不能发|合规吗|违规吗|有没有违规|有没有问题|有没有.{0,4}极限词|(?:能|可以)发吗|"
                   # "这句话能发吗：<draft>", "这样写行吗：<draft>"
                   r"(?:这句话|这段话|这句|这段|这条|这样写|这么写|这样说|这么说).{0,4}(?:能发|可以发|能用|可以用|行|可以|没问题)吗|"
                   r"check (my|this)|review (my|this)|is (this|my) (post|draft|caption) ok)", re.I)
_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("titles", re.compile(r"标题|title|起个名", re.I)),
    ("outline", re.compile(r"大纲|脚本|outline|script", re.I)),
    ("posts", re.compile(r"文案|贴文|口播|帖子|posts?\b|copy\b|caption|messages?\b|blurbs?\b|write-?ups?\b", re.I)),
    ("topics", re.compile(r"选题|topics?\b|ideas?\b|点子|题目|角度", re.I)),
)
#: an explicit ask to write ("帮我…", "写5个", "想3个", "give me"); a question about the rules has none. An
#: English ask is an imperative: its verb opens a clause or follows the words that put a request ("please",
#: "can you", "help me"); the same word elsewhere is a noun or the asker's own act ("the trial draft", "a
#: write-up I was sent")
_WANTS = re.compile(r"帮我|给我|帮忙|麻烦|请帮|请给|草拟|(?:写|想|出|起|来|拟|列)\s*(?:\d|[一二两三四五六七八九十几]\s*[个条篇段则句套组份]|[个条篇段则句份])|"
                    r"(?:^|[.!?;:,]\s*|\b(?:please|pls|kindly|help me|let's|let us|and|then|also|just|now|me to|"
                    r"you(?:\s+(?:can|could|would|will|to))?)\s+)(?:give me|write|suggest|draft|brainstorm|come up with)\b",
                    re.I)
#: …but the asker as the writer ("can I write…", "我可以写…吗") asks what the rules allow
_ASKER_WRITES = re.compile(r"\b(?:can|may|should|could|must|do) i (?:(?:not|never|also|still|ever|always|only) )?"
                           r"(?:write|post|use|publish|put|say|mention|add|copy|suggest|recommend|claim|tell|show|describe|call)\b|"
                           r"我(?:可以|能|需要|必须|要不要)", re.I)
_PLATFORMS = (("xiaohongshu", re.compile(r"小红书|xiaohongshu|\bred\b|rednote", re.I)),
              ("douyin", re.compile(r"抖音|douyin|tiktok|短视频|视频", re.I)),
              ("wechat", re.compile(r"朋友圈|微信|群|wechat|moments", re.I)))
_COUNT = re.compile(r"(\d{1,2}|[一二两三四五六七八九十]{1,2})\s*(?:个|条|篇|则|句|段|款|组|套)")
_EN_COUNT = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I)
#: a number of things an English follow-up asks for ("five more ideas"), not "one" standing for a thing
_EN_COUNTED = re.compile(r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+(?:more\s+)?[a-z]+s\b", re.I)
#: one piece of writing asked for with an article ("write a short message", "draft a caption")
_EN_ONE = re.compile(r"\b(?:a|an)\s+(?:[a-z-]+\s+){0,3}(?:message|post|caption|title|script|outline|blurb|write-?up|topic|idea)\b",
                     re.I)
_EN = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split())}
_DEFAULT_COUNT: dict[Kind, int] = {"titles": 5, "topics": 5, "posts": 3, "outline": 1, "check": 1}
_AUDIENCE = re.compile(r"(?:面向|针对|推荐给|适合)([^，,。？?！!\s]{2,16})")
_SUBJECT = re.compile(r"(?:给(?!我)|为|推|介绍|关于|把)\s*([^，,。？?！!\s]{2,16}?)\s*(?:想|写|出|起|来|做|拟|推荐|的|，|,|。|$)")
_EN_SUBJECT = re.compile(r"\b(?:for|recommending|promoting|introducing|about|on) (?:the |our |my )?([a-z][a-z0-9 '-]{2,40}?)"
                         r"(?:[,.?!]| under| on | to | for |$)", re.I)
MAX_COUNT = 12


@dataclass(frozen=True)
class ContentRequest:
    kind: Kind
    count: int
    platform: str
    subject: str = ""
    audience: str = ""
    draft: str = ""


#: "做一个…简报": the count of the brief itself, not of the items it holds
_ONE_BRIEF = re.compile(r"[一1]\s*[个份][^，。？?,]{0,16}?(?:简报|方案|策划)|\ba (?:\w+ ){0,4}?brief\b", re.I)


def _count(text: str, kind: Kind) -> int:
    text = _ONE_BRIEF.sub(" ", text)
    m = _COUNT.search(text)
    if m:
        n = numeral(m.group(1))
    elif (e := _EN_COUNT.search(text)) is not None:
        n = int(e.group(1)) if e.group(1).isdigit() else _EN[e.group(1).lower()]
    else:
        n = 1 if _EN_ONE.search(text) else _DEFAULT_COUNT[kind]
    return max(1, min(MAX_COUNT, n or _DEFAULT_COUNT[kind]))


#: the quotation marks a draft may be set in, each with the mark that closes it
_CLOSING = {"“": "”", "「": "」", '"': '"'}


def _draft(question: str) -> str:
    """The text after the first colon, quote or line break: the draft to check. A draft set in quotation marks
    ends at the closing one ("我想写「…」，这么写行吗？": what follows is the question, not the draft)."""
    m = re.search(r"[:：\n“\"「]\s*(.+)$", question, flags=re.S)
    if not m:
        return ""
    draft, closing = m.group(1), _CLOSING.get(question[m.start()])
    if closing and closing in draft:
        draft = draft[:draft.index(closing)]
    return draft.strip().strip("”\"」")


#: "may I say / write …?": the words the asker wants to use are a claim to check like a draft
_MAY_SAY = re.compile(r"(可以|能不能|可不可以|能否|允许|是否可以)\s*(说|写|用|称|宣传|提|标|讲)|"
                      r"(说|写|称|宣传|讲|标)[^，。？?]{1,40}(可以吗|行吗|能吗|可以不|合规吗|违规吗|算违规吗)|"
                      r"\b(?:can|may|could|should) i (?:say|write|claim|call|describe|use the (?:word|phrase|term)|mention)\b", re.I)
_QUOTED_CLAIM = re.compile(r"[「“\"‘']([^」”\"’']{2,40})[」”\"’']")
_THAT_CLAIM = re.compile(r"\b(?:say|write|claim|mention|post)s? that (.+?)"
                         r"(?: (?:in|on) (?:my|the|a|our) (?:post|video|caption|note|live|story)\b.*)?[?？.!]*$", re.I)
_ZH_CLAIM = re.compile(r"(?:说|写|称|宣传|讲)(?:成|为)?(.{2,40}?)(?:可以吗|行吗|能吗|可以不|合规吗|违规吗|算违规吗|吗)")


def platform_of(question: str) -> str:
    """The platform a question names (小红书 when it names none)."""
    return named_platform(question) or "xiaohongshu"


def named_platform(question: str) -> str:
    """The platform a question names, "" when it names none."""
    s = to_simplified(question)
    return next((key for key, rx in _PLATFORMS if rx.search(s)), "")


def _named_subject(text: str, known_terms: Sequence[str]) -> str:
    """The longest term of the knowledge base the request names, a platform or the kind of writing aside
    ("小红书选题", "抖音标题" name where to post and what to write, not what about)."""
    lowered = text.lower()
    return next((t for t in sorted(known_terms, key=len, reverse=True)
                 if len(t) >= 2 and to_simplified(t).lower() in lowered and not named_platform(t)
                 and not any(rx.search(t) for _, rx in _KINDS)), "")


def continued_request(asked: ContentRequest, follow_up: str, known_terms: Sequence[str] = ()) -> ContentRequest:
    """The writing request a follow-up continues ("换成抖音的呢？", "what about five for Douyin?"): the
    earlier request, with the platform, the number of items or the subject the follow-up names."""
    s = to_simplified(follow_up)
    subject = _named_subject(s, known_terms)
    counted = _COUNT.search(s) or _EN_COUNTED.search(follow_up)
    return replace(asked, platform=named_platform(follow_up) or asked.platform, subject=subject or asked.subject,
                   count=_count(s, asked.kind) if counted else asked.count)


def claim_in(question: str) -> str:
    """The words a "may I say / write …?" question wants to use ("药用级配方", "the serum cures
    eczema"), or "" when the question asks no such thing."""
    s = to_simplified(question)
    if not _MAY_SAY.search(s):
        return ""
    for pattern in (_QUOTED_CLAIM, _THAT_CLAIM, _ZH_CLAIM):
        if m := pattern.search(s):
            return m.group(1).strip()
    return ""


def claim_continued(follow_up: str, earlier: str) -> str:
    """The words a follow-up quotes after a "may I say …?" question ("那“敏感肌可用”呢？" after
    "可以写“医用级”吗？"): the same question of other words; "" otherwise."""
    if not claim_in(earlier) or claim_in(follow_up):
        return ""
    m = _QUOTED_CLAIM.search(to_simplified(follow_up))
    return m.group(1).strip() if m else ""


#: a length the rules allow ("标题最多能写几个字", "写 20 个字以内"): "写" and a count, of characters, not of pieces
_LENGTH = re.compile(r"写\s*(?:\d+|[一二两三四五六七八九十百几]+)\s*个?\s*字")


#: "帮我把佣金算出来", "麻烦查一下", "给我算个总数": help asked with a figure or a lookup, not with writing (which says 写 or 拟)
_RECKONS = re.compile(r"(?:帮我|帮忙|麻烦|请|给我)[^，。？?！!]{0,16}?(?:算|计算|估算|核算|查)|"
                      r"[出算]个?(?:总数|总额|总金额|数字|结果|金额)")  # "给我出个总数", "算个总数": a figure to work out
_WRITING_VERB = re.compile(r"写(?![了着的明得过])|拟")  # "帖子里写了…", "管理员写得很明白" tell what a post says
#: the asker telling what they plan to write ("打算给新买的保温杯写篇开箱，多久才能发？"), asking no one for help: the
#: question is what the rules allow
_ASKER_PLANS = re.compile(r"(?:打算|准备|计划)[^，。？?！!]{0,12}?写|"
                          r"(?:在|往)[^，。？?！!]{1,8}?[里中上]写")  # "想在笔记里写个数字": what goes into one's own post
_ASKS_FOR_HELP = re.compile(r"帮|请|给我|麻烦|草拟|替我")


def asks_to_write(question: str) -> bool:
    """The question asks the assistant to write something, not whether the asker may, nor to work out a figure
    under a rule it read in a post ("按帖子里的标准帮我把佣金算出来")."""
    s = _LENGTH.sub("", to_simplified(question))
    if _RECKONS.search(s) and not _WRITING_VERB.search(s):
        return False
    if _ASKER_PLANS.search(s) and not _ASKS_FOR_HELP.search(s):
        return False
    return bool(_WANTS.search(s)) and not _ASKER_WRITES.search(s)


def is_post_check(question: str) -> bool:
    """The question asks to check a draft it contains."""
    return bool(CHECK.search(to_simplified(question))) and len(_draft(question)) >= 4


def parse_request(question: str, known_terms: Sequence[str] = ()) -> ContentRequest | None:
    """The writing request in ``question``; None when it is not one (a question about the rules)."""
    s = to_simplified(question)
    platform = platform_of(question)
    if is_post_check(question):
        return ContentRequest(kind="check", count=1, platform=platform, draft=_draft(question))
    kind = next((k for k, rx in _KINDS if rx.search(s)), None)
    if kind is None or not asks_to_write(question):
        return None
    subject = _named_subject(s, known_terms)
    if not subject:
        m = _SUBJECT.search(s) or _EN_SUBJECT.search(question)
        subject = m.group(1).strip() if m and not named_platform(m.group(1)) else ""
    audience = (m.group(1).split("的")[-1] if (m := _AUDIENCE.search(s)) else "")
    return ContentRequest(kind=kind, count=_count(s, kind), platform=platform, subject=subject, audience=audience)
