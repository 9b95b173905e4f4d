"""Lexical matching shared by the offline responder and the answer guard.

Chinese has no spaces, so text is compared as character bigrams plus jieba words after
OpenCC t2s (简繁 alike); English as lower-cased words. A small en→zh glossary of programme
terms lets an English question find its sentences in Chinese handbooks without a model.
"""

from __future__ import annotations

import re
from functools import lru_cache

from base.language import CJK_RE, to_simplified
from knowledge.text import parse_zh_number

SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+|\n+")
_EN_WORD = re.compile(r"[a-z][a-z0-9+-]*|\d+(?:[.,]\d+)*")
EN_STOP = frozenset("""a an the is are was were be been to of in on for and or with do does did i my me you your
what how when why which who can could would should will it its this that these those at by from as if so
about get much many any there their they we our us not no yes please tell".""".split())
ZH_STOP = frozenset("的 了 吗 呢 吧 啊 是 在 有 和 与 及 我 你 您 他 她 它 们 这 那 个 么 什么 怎么 如何 多少 哪些 一下 可以 能 会 要 就 都 也 还 请 问".split())
#: characters that make a bigram uninformative ("的创", "是谁", "么升")
STOP_CHARS = frozenset("的了吗呢吧啊是在有和与及我你您他她它们这那个么什怎如何多少哪些一下可以能会要就都也还请问谁几上到把被给让对从为呀哦嘛")

#: English programme words → the Chinese terms the handbooks use (for cross-lingual matching)
GLOSSARY: dict[str, tuple[str, ...]] = {
    "tier": ("等级", "级"), "tiers": ("等级",), "level": ("等级",), "promoted": ("晋级", "升级"), "promotion": ("晋级", "升级"),
    "promote": ("晋级", "升级"), "commission": ("佣金",), "rate": ("比例", "佣金率"), "refund": ("退款",),
    "refunded": ("退款",), "settle": ("结算",), "settlement": ("结算",), "paid": ("结算", "发放"), "payout": ("结算",),
    "trial": ("试用", "测评"), "trials": ("试用", "测评"), "review": ("测评", "笔记"), "competition": ("比赛",),
    "contest": ("比赛",), "prize": ("奖",), "prizes": ("奖",), "reward": ("奖励",), "rewards": ("奖励",),
    "blacklist": ("拉黑",), "blacklisted": ("拉黑",), "eliminated": ("筛选", "淘汰"), "removed": ("取消", "筛选"),
    "sunscreen": ("防晒",), "gift": ("礼盒",), "price": ("价格", "¥"), "founder": ("创始人",), "founded": ("创立", "诞生"),
    "brand": ("品牌",), "post": ("笔记",), "posts": ("笔记",), "fans": ("粉丝",), "group": ("社群", "群"),
    "multiplier": ("系数", "倍", "×"), "freeze": ("冻结",), "frozen": ("冻结",), "coupon": ("优惠券", "优惠码"),
    "link": ("链接",), "words": ("词",), "banned": ("禁用", "极限词"), "distributor": ("分销",),
    "bloom": ("绽放",), "starlight": ("星光",), "lighthouse": ("灯塔",), "sprout": ("新芽",),
    "onboarding": ("新人", "入门"), "sales": ("销售",), "interactions": ("互动",), "other": ("其他",),
    "brands": ("品牌",), "selling": ("销售", "卖"), "days": ("天",), "baby": ("婴儿", "宝宝"),
    "settleable": ("可结算",), "settled": ("结算",), "pending": ("冻结", "待结算"), "wallet": ("钱包",),
    "wechat": ("微信",), "month": ("月",), "monthly": ("每月",), "posts": ("笔记",), "members": ("人",),
    "reversed": ("冲回", "扣回", "撤销"), "clawback": ("扣回",), "deducted": ("扣",), "score": ("分",),
    "ingredients": ("成分",), "ingredient": ("成分",), "oat": ("燕麦",), "repair": ("修护",), "cream": ("霜",),
    "eczema": ("湿疹",), "treats": ("治疗",), "treat": ("治疗",), "lotion": ("润肤乳",), "recruited": ("发展", "招募", "下级"),
    "distributors": ("分销",),
    "suspended": ("暂停",), "paused": ("暂停",), "certificate": ("证书",), "envelope": ("红包",),
}


#: Chinese words the handbooks use interchangeably with the asker's
ZH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "升级": ("晋级",), "晋级": ("升级",), "提成": ("佣金",), "佣金": ("提成",), "试用": ("测评",), "测评": ("试用",),
    "退货": ("退款",), "退款": ("退货",), "到账": ("结算",), "发钱": ("结算",), "权益": ("解锁", "名额", "奖励"),
    "奖品": ("奖金", "优惠券"), "条件": ("门槛",), "门槛": ("条件",), "退": ("退款",), "卖": ("销售",),
    "牌子": ("品牌",), "天": ("日", "号"), "多长": ("天", "个月"), "多久": ("天", "个月"), "多少钱": ("价格", "¥"), "钱": ("¥", "元"),
    "防晒系数": ("SPF",), "主要成分": ("核心成分",), "主要": ("核心",), "成分": ("核心成分",), "奖励": ("奖金", "奖品"), "学会": ("熟悉", "学习"), "部分": ("包含", "要素"), "后果": ("取消", "不予"), "倍数": ("系数",), "系数": ("倍数",), "标签": ("#",),
}


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def split_sentences(text: str) -> list[str]:
    """Sentences (Chinese 。！？； and English .!?; line breaks end one too), markdown decoration removed.

    Table rows are read with their header ("tier: Bloom · posts: 5 · …"), because a bare row of
    numbers is useless as a quoted answer.
    """
    out: list[str] = []
    header: list[str] | None = None
    lines = text.split("\n")
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("|") or stripped.count(" | ") >= 1:
            cells = [c.strip().replace("**", "") for c in stripped.strip("|").split("|")]
            if _is_separator(cells):
                continue
            following = lines[number + 1].strip() if number + 1 < len(lines) else ""
            if header is None and (_is_separator([c.strip() for c in following.strip("|").split("|")])
                                   or not any(re.search(r"\d", c) for c in cells)):
                header = cells  # above the |---| line, or (tables from .docx have none) a row of names only
                continue
            if header is None:  # the chunk starts mid-table: its header is in the chunk before
                out.append(" · ".join(c for c in cells if c))
                continue
            pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells) if c]
            out.append(" · ".join(pairs))
            continue
        header = None
        for raw in SENTENCE_END.split(line):
            s = clean_line(raw or "")
            if s:
                out.append(s)
    return out


def _is_separator(cells: list[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells) and any(cells)


def clean_line(line: str) -> str:
    s = re.sub(r"^\s*(#{1,6}\s*|[-*+]\s+|\d+[.)]\s+|>\s*)", "", line)
    s = s.replace("**", "").replace("__", "").replace("`", "")
    if s.strip().startswith("|"):
        cells = [c.strip() for c in s.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) or not c for c in cells):
            return ""
        s = " · ".join(c for c in cells if c)
    return s.strip()


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK runs of ``text`` (Simplified)."""
    grams: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff]+", to_simplified(text)):
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            grams.add(run)
    return grams


def en_words(text: str) -> set[str]:
    return {w for w in _EN_WORD.findall(text.lower()) if w not in EN_STOP and len(w) > 1}


def zh_words(text: str) -> set[str]:
    s = to_simplified(text)
    if not CJK_RE.search(s):
        return set()
    return {w for w in _jieba().lcut(s) if CJK_RE.search(w) and w not in ZH_STOP}


def _digit_forms(term: str) -> tuple[str, ...]:
    """"前三天" → "3 天", "3天": handbooks write counts as digits with a space, askers as Chinese numerals."""
    m = re.fullmatch(r"[前第头]?([一两二三四五六七八九十])([天名个笔条周月人])", term)
    if not m:
        return ()
    n = parse_zh_number(m.group(1))
    return (f"{n} {m.group(2)}", f"{n}{m.group(2)}")


_LEADING_PARTICLES = "只刚先都就才又一"


def _sub_forms(term: str) -> tuple[str, ...]:
    """Shorter forms a handbook may use: "一部分" → "部分", "只退" → "退" (→ "退款")."""
    forms: list[str] = []
    if len(term) >= 2 and term[0] in _LEADING_PARTICLES:
        rest = term[1:]
        forms += [rest, *ZH_SYNONYMS.get(rest, ())]
    return tuple(f for f in forms if f and f not in STOP_CHARS)


def query_terms(question: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Term groups of a question: (Chinese groups, English groups). A group is a term plus its
    synonyms / glossary translations and counts once, found when any member occurs."""
    # jieba words only: bigrams across word boundaries ("客只", "卖别") are noise that dilutes the score
    zh = {w for w in zh_words(question) if len(w) >= 3 or not set(w) <= STOP_CHARS}
    zh_groups = [(t, *ZH_SYNONYMS.get(t, ()), *_digit_forms(t), *_sub_forms(t)) for t in sorted(zh)]
    en_groups = []
    if re.search(r"\bhow much (is|are|does|do)\b", question.lower()):
        en_groups.append(("price", "价格", "¥"))  # "how much is X" asks for its price
    for w in sorted(en_words(question)):
        translations = GLOSSARY.get(w, ()) or (GLOSSARY.get(w[:-1], ()) if w.endswith("s") else ())
        en_groups.append((w, *translations))
    return zh_groups, en_groups


def _group_found(group: tuple[str, ...], s: str, words: set[str], cjk: bool, english: bool) -> bool:
    if not english:
        return any(t in s for t in group)
    word, *translations = group
    return word in words or (word.endswith("s") and word[:-1] in words) or (cjk and any(t in s for t in translations))


def term_groups_in(question_terms: tuple[list[tuple[str, ...]], list[tuple[str, ...]]], sentence: str) -> set[int]:
    """Indexes (Chinese groups first, then English) of the question's term groups the sentence contains."""
    zh_groups, en_groups = question_terms
    s = to_simplified(sentence).lower()
    cjk = bool(CJK_RE.search(s))
    words = en_words(s)
    found = {i for i, g in enumerate(zh_groups) if cjk and _group_found(g, s, words, cjk, False)}
    found |= {len(zh_groups) + i for i, g in enumerate(en_groups) if _group_found(g, s, words, cjk, True)}
    return found


def weighted_share(question_terms: tuple[list[tuple[str, ...]], list[tuple[str, ...]]], indexes: set[int]) -> float:
    """Weight of the given term groups over the weight of all the question's groups (0..1)."""
    groups = list(question_terms[0]) + list(question_terms[1])
    total = sum(_weight(g[0]) for g in groups)
    return sum(_weight(groups[i][0]) for i in indexes) / total if total else 0.0


def overlap_score(question_terms: tuple[list[tuple[str, ...]], list[tuple[str, ...]]], sentence: str) -> float:
    """Share of the question's term groups found in the sentence (0..1); longer terms weigh more."""
    zh_groups, en_groups = question_terms
    s = to_simplified(sentence).lower()
    cjk = bool(CJK_RE.search(s))
    if not cjk:
        zh_groups = []  # Chinese terms can't match an English sentence; don't dilute
    words = en_words(s)
    total = found = 0.0
    for group in zh_groups:
        total += _weight(group[0])
        if any(t in s for t in group):
            found += _weight(group[0])
    for word, *translations in en_groups:
        total += _weight(word)
        if word in words or (word.endswith("s") and word[:-1] in words) or (cjk and any(t in s for t in translations)):
            found += _weight(word)
    return found / total if total else 0.0


#: words nearly every chunk contains: finding them is no evidence of an answer
UBIQUITOUS = frozenset({"暖岛", "koc", "nuandao", "品牌", "brand"})


def _weight(term: str) -> float:
    if term in UBIQUITOUS:
        return 0.3
    return 2.0 if term.isascii() else float(len(term))


def cross_support(sentence: str, evidence: str) -> float:
    """Support of an English sentence by Chinese evidence: the share of its translatable words
    (glossary terms, numbers) whose translation occurs in the evidence; needs two matches."""
    ev = to_simplified(evidence).lower()
    known = matched = 0
    for w in en_words(sentence):
        translations = GLOSSARY.get(w, ()) or (GLOSSARY.get(w[:-1], ()) if w.endswith("s") else ())
        if w[0].isdigit():
            known += 1
            matched += w.replace(",", "") in ev.replace(",", "")
        elif translations:
            known += 1
            matched += any(t in ev for t in translations)
    return matched / known if known and matched >= 2 else 0.0


def support(sentence: str, evidence: str) -> float:
    """How much of a generated sentence the evidence contains (0..1), for the guard."""
    sent_grams = bigrams(sentence)
    sent_words = en_words(sentence)
    if not sent_grams and not sent_words:
        return 1.0
    ev = to_simplified(evidence).lower()
    ev_grams = bigrams(evidence)
    ev_words = en_words(ev)
    hits = len(sent_grams & ev_grams) + len(sent_words & ev_words)
    return hits / (len(sent_grams) + len(sent_words))
