"""Lexical matching shared by the offline responder and the answer guard.

Chinese has no spaces, so text is compared as character bigrams plus jieba words after
OpenCC t2s (简繁 alike); English as lower-cased words. A small en→zh glossary of generic programme
terms helps an English question find its sentences in Chinese handbooks; what a particular corpus
calls its tiers, products and campaigns is never typed here: term weights come from the corpus
(IDF, ``evidence_scorer``) and cross-lingual matching from the sentence vectors.
"""

from __future__ import annotations

import re
from typing import Callable

from base.language import CJK_RE, quiet_jieba, to_simplified
from knowledge.sentences import clean_line, split_sentences  # noqa: F401  (re-exported: callers quote these)
from knowledge.text import parse_zh_number

_EN_WORD = re.compile(r"[a-z][a-z0-9+-]*|\d+(?:[.,]\d+)*")
EN_STOP = frozenset("""a an the is are was were be been to of in on for and or with do does did i my me you your
what how when why which who can could would should will it its this that these those at by from as if so
about get much many any there their they we our us not no yes please tell".""".split())
ZH_STOP = frozenset("的 了 吗 呢 吧 啊 是 在 有 和 与 及 我 你 您 他 她 它 们 这 那 个 么 什么 怎么 如何 多少 哪些 一下 可以 能 会 要 就 都 也 还 请 问 "
                    "主要 具体 大概 到底 请问 一共 总共".split())
#: a term's weight in 0..1 (the corpus IDF, see ``assistant.evidence_scorer``)
TermWeight = Callable[[str], float]
#: characters that make a bigram uninformative ("的创", "是谁", "么升")
STOP_CHARS = frozenset("的了吗呢吧啊是在有和与及我你您他她它们这那个么什怎如何多少哪些一下可以能会要就都也还请问谁几上到把被给让对从为呀哦嘛")

#: the platforms every programme in China is run on, by the names English speakers give them (their own
#: pinyin or brand names) → how Chinese writes them: where a KOC posts and sells is programme vocabulary
PLATFORMS: dict[str, tuple[str, ...]] = {
    "xiaohongshu": ("小红书",), "rednote": ("小红书",), "douyin": ("抖音",), "kuaishou": ("快手",), "wechat": ("微信",),
    "wecom": ("企业微信",), "weibo": ("微博",), "bilibili": ("b站", "哔哩哔哩"), "zhihu": ("知乎",), "taobao": ("淘宝",),
    "tmall": ("天猫",), "jingdong": ("京东",), "pinduoduo": ("拼多多",), "dianping": ("大众点评", "点评"),
    "meituan": ("美团",), "alipay": ("支付宝",),
}

#: the shopping festivals of Chinese e-commerce, as a question names them (either language) → how
#: handbooks write them (as the festival or as its date, spaces removed); a rule for "the 618 sale" is
#: not one for every day
SALE_EVENTS: dict[str, tuple[str, ...]] = {
    r"(?<!\d)618(?!\d)|6\.18": ("618", "6.18", "6月18", "六一八"),
    r"双11|双十一|(?<!\d)11\.11(?!\d)|double\s*11|double eleven|singles'? day": ("双11", "双十一", "11.11", "11月11"),
    r"双12|双十二|(?<!\d)12\.12(?!\d)|double\s*12": ("双12", "双十二", "12.12", "12月12"),
}
#: what handbooks call the big sales together ("大促期间…"): a rule for them is the rule for each festival
BIG_SALE = "大促"

#: English words of any KOC / affiliate programme → the Chinese terms handbooks use for them, so an
#: English question finds its sentences in Chinese handbooks even without the embedding model.
#: Only programme vocabulary belongs here: names of a brand's tiers, products or campaigns come from
#: its knowledge base (dictionary, profile), never from code.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "tier": ("等级", "级"), "tiers": ("等级",), "level": ("等级",), "promoted": ("晋级", "升级"), "promotion": ("晋级", "升级"),
    "promote": ("晋级", "升级"), "commission": ("佣金",), "rate": ("比例", "佣金率"), "refund": ("退款",),
    "refunded": ("退款",), "settle": ("结算",), "settlement": ("结算",), "paid": ("结算", "发放", "打款"), "payout": ("结算", "打款"),
    "trial": ("试用", "测评"), "trials": ("试用", "测评"), "review": ("测评", "笔记"), "competition": ("比赛",),
    "contest": ("比赛",), "prize": ("奖",), "prizes": ("奖",), "reward": ("奖励", "奖金", "奖品"), "rewards": ("奖励", "奖金", "奖品"),
    "blacklist": ("拉黑",), "blacklisted": ("拉黑",), "eliminated": ("淘汰",), "price": ("价格", "¥"),
    "founder": ("创始人",), "founded": ("创立",), "brand": ("品牌",), "post": ("笔记",), "posts": ("笔记",),
    "fans": ("粉丝",), "followers": ("粉丝",), "group": ("社群", "群"), "community": ("社群",),
    "multiplier": ("系数", "倍"), "freeze": ("冻结",), "frozen": ("冻结",), "coupon": ("优惠券", "优惠码"),
    "link": ("链接",), "code": ("码",), "codes": ("码",), "hashtag": ("话题", "标签", "#"), "hashtags": ("话题", "标签", "#"),
    "banned": ("禁用", "禁止"), "distributor": ("分销",), "distributors": ("分销",),
    "onboarding": ("新人", "入门"), "sales": ("销售",), "selling": ("销售", "卖"), "days": ("天",),
    "settled": ("结算",), "pending": ("冻结", "待结算"), "wallet": ("钱包",), "month": ("月",), "monthly": ("每月",),
    "reversed": ("冲回", "扣回", "撤销"), "clawback": ("扣回",), "deducted": ("扣",), "score": ("分",),
    "ingredients": ("成分",), "ingredient": ("成分",), "recruit": ("招募",), "recruited": ("招募",),
    "suspended": ("暂停",), "paused": ("暂停",), "certificate": ("证书",), "order": ("订单",), "orders": ("订单",),
    "customer": ("顾客", "客户"), "customers": ("顾客", "客户"), "return": ("退货", "退款"), "returns": ("退货", "退款"),
    "threshold": ("门槛",), "thresholds": ("门槛",), "penalty": ("处罚", "扣"), "fee": ("费",), "fees": ("费",),
    "shipping": ("运费", "邮费", "包邮"), "free-shipping": ("包邮", "免运费"), "postage": ("运费", "邮费"),
    "appeal": ("申诉",), "warranty": ("保修",), "invoice": ("发票",), "tax": ("税",), "discount": ("折",),
    "livestream": ("直播",), "live-stream": ("直播",), "replay": ("回放",), "sample": ("样品", "样机", "试用"),
    "credit": ("信用",), "deposit": ("押金",), "withdraw": ("提现",), "withdrawal": ("提现",),
    "campaign": ("活动",), "campaigns": ("活动",), "event": ("活动",), "events": ("活动",),
    "slot": ("名额",), "slots": ("名额",), "spot": ("名额",), "spots": ("名额",), "quota": ("名额",),
    "deadline": ("截止", "到期"), "extension": ("延期",),
    "disclosure": ("声明", "标注", "披露"), "stream": ("直播",), "streams": ("直播",), "streaming": ("直播",),
    "filing": ("报备",), "subsidy": ("补贴",), "allowance": ("补贴", "津贴"), "grace": ("宽限",), "bonus": ("奖励", "奖金"),
    "register": ("登记", "注册"), "registered": ("登记", "注册"), "registration": ("登记", "注册"),
    "cancel": ("取消",), "cancellation": ("取消",), "overdue": ("逾期",), "compensation": ("赔偿",),
    "damaged": ("损坏",), "broken": ("损坏",),
    # a campaign's daily check-in, who signs up for it, and a day missed in it
    "check-in": ("打卡", "签到"), "check-ins": ("打卡", "签到"), "sign": ("报名",), "sign-up": ("报名",),
    "signup": ("报名",), "join": ("加入", "报名"), "missed": ("漏", "缺"), "people": ("人数", "名额"),
    "participants": ("人数", "参加"),
    "pirated": ("盗版",), "bundle": ("套餐", "套装"), "amount": ("金额",), "minimum": ("最低", "至少", "不足", "起付"),
    "base": ("基数",), "rounded": ("四舍五入", "取整"), "rounding": ("四舍五入", "取整"),
    # a tier or an account judged against the rules ("how often is my tier reviewed?"); "review" alone is a post
    "reviewed": ("评估", "评定", "考核"), "evaluated": ("评估", "评定", "考核"), "re-evaluated": ("评估", "评定", "考核"),
    "assessed": ("评估", "评定", "考核"), "assessment": ("考核", "评估", "评定"), "evaluation": ("评估", "评定", "考核"),
    **PLATFORMS,
}


#: what Chinese calls the wording of a text: an asker's word for it names any of them
_WORDING = ("字眼", "用词", "用语", "词汇", "词语", "措辞", "字词")
#: the words for moving between tiers, by move: up, down, staying
_TIER_MOVES = (("升级", "晋级", "升阶", "升档"), ("降级", "降阶", "降档", "掉级"), ("保级", "保阶", "保档"))
#: Chinese words of programme talk that handbooks and askers use interchangeably (generic only)
ZH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "提成": ("佣金",), "佣金": ("提成",), "分润": ("佣金",), "试用": ("测评",),
    "测评": ("试用",), "退货": ("退款",), "退款": ("退货",), "到账": ("结算",), "发钱": ("结算",), "提现": ("结算", "打款"), "条件": ("门槛",),
    "门槛": ("条件",), "退": ("退款",), "卖": ("销售",), "牌子": ("品牌",), "天": ("日", "号"), "多长": ("天", "个月"),
    "多久": ("天", "个月"), "多少钱": ("价格", "¥"), "钱": ("¥", "元"), "奖励": ("奖金", "奖品"), "倍数": ("系数",),
    "系数": ("倍数",), "新人": ("新手",), "新手": ("新人",),
    # a grown-up is written 成年人 or 成人 in a rule, 大人 by an asker; paying is what a rule charges (收费, 另收)
    "大人": ("成年人", "成人", "家长"), "成年人": ("成人", "大人"), "成人": ("成年人", "大人"),
    "付钱": ("收费", "付费", "费用"),
    # a child of one's own is a child to a rule on children ("我闺女 10 岁" and "12 周岁以下的孩子")
    **dict.fromkeys(("闺女", "女儿", "儿子", "小孩", "娃", "小朋友"), ("孩子", "儿童", "子女")),
    "孩子": ("儿童", "子女", "小孩"),
    # what a tier brings is its perks: askers say 福利 or 待遇, handbooks 权益
    "福利": ("权益", "待遇"), "待遇": ("权益", "福利"), "权益": ("福利", "待遇"),
    # "什么时候才算数": when it counts, as the handbooks write "核销后才算", "计入"
    "算数": ("才算", "算作", "计入", "有效"),
    # a tier is a 级, a 阶 or a 档: moving up, down or staying is said with any of them
    **{word: tuple(other for other in forms if other != word) for forms in _TIER_MOVES for word in forms},
    # a deadline is written as the span it closes ("通知后 5 天内", "月底之前")
    **dict.fromkeys(("期限", "时限"), ("天内", "日内", "以内", "之内", "之前")),
    # a cap: "有没有封顶" is answered by a rule's 上限 or its 最高 sum
    "封顶": ("上限", "最高", "最多"), "上限": ("封顶", "最高"),
    # a difference asked about: handbooks compare ("对比总表") or name the differences ("差异")
    "区别": ("差异", "不同", "对比", "差别"), "差别": ("区别", "差异", "不同"), "差异": ("区别", "不同", "差别"),
    # a shopping festival is one of the big sales a handbook's "大促期间" rule is written for
    **dict.fromkeys(("双十一", "双11", "双十二", "双12", "618"), (BIG_SALE,)),
    # the amount commission is reckoned on: askers call it 基数, handbooks name it 计佣金额 (or 计佣基数)
    "基数": ("计佣金额",), "计佣金额": ("基数",),
    # what shipping costs is called: 运费, 快递费, 邮费
    "运费": ("快递费", "邮费"), "快递费": ("运费", "邮费"), "邮费": ("运费", "快递费"),
    # words for "wording": a question about 字眼 is answered by a list of 用语 or of 违禁词
    **{word: (*(other for other in _WORDING if other != word), "词") for word in _WORDING},
}


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
    return {w for w in quiet_jieba().lcut(s) if CJK_RE.search(w) and w not in ZH_STOP}


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


#: a verb of handing money over and the money it hands ("交税", "缴费", "付款", "领券"): askers say the act,
#: handbooks name the thing (个人所得税, 服务费, 打款, 优惠券)
_MONEY_ACT = re.compile(r"[交缴纳扣报付收领发给退]([税费款钱券])|买(票)")  # 发票 is an invoice, 买票 a ticket


def object_forms(term: str) -> tuple[str, ...]:
    """"交税" → "税": the thing a two-character act of paying hands over. A programme word with synonyms
    of its own ("发钱" → 结算) is matched by them, not by any money ("零钱")."""
    m = _MONEY_ACT.fullmatch(term)
    return (m.group(1) or m.group(2),) if m and term not in ZH_SYNONYMS else ()


#: words that say whether or when something happens ("会", "能", "要"), which jieba may join to the verb after
AUXILIARIES = "会能要可该得将"
#: a pair seen this rarely in jieba's dictionary is its guess at one word, not a word ("会扣" 3; "会员" 1196)
GUESSED_BELOW = 50


def dictionary_count(word: str) -> int:
    """How often jieba's dictionary saw ``word`` (0 for a word it only guesses when cutting)."""
    dictionary = quiet_jieba().dt
    dictionary.check_initialized()  # its word counts are read on first use
    return dictionary.FREQ.get(word) or 0


#: complements that tell how an act ends ("停掉", "用完", "卖光"), not which act it is (好 is left out: 爱好 and 友好
#: are words of their own)
RESULTATIVES = "掉完光"


def verb_forms(term: str) -> tuple[str, ...]:
    """"会扣" → "扣": a modal jieba joined to its verb ("退货会扣我多少"); handbooks write the verb without it.
    A real word that begins so (会员, 要求) is left alone. "停掉" → "停": the act without how it ends, which a
    handbook writes in a word of its own ("暂停")."""
    if len(term) != 2 or term[1] in STOP_CHARS:
        return ()
    if term[1] in RESULTATIVES and term[0] not in AUXILIARIES:
        return (term[0],)
    if term[0] not in AUXILIARIES:
        return ()
    return (term[1],) if dictionary_count(term) < GUESSED_BELOW else ()


def _head_forms(term: str) -> tuple[str, ...]:
    """A long Chinese compound also matches its head, the last two characters ("主要成分" → "成分",
    "佣金比例" → "比例"): handbooks qualify the same noun differently than askers do."""
    if len(term) >= 4 and CJK_RE.match(term[-2:]) and not set(term[-2:]) <= STOP_CHARS:
        return (term[-2:],)
    return ()


def translations(word: str) -> tuple[str, ...]:
    """The glossary's Chinese for an English word, or for its singular ("tiers" → 等级); () for none."""
    return GLOSSARY.get(word, ()) or (GLOSSARY.get(word[:-1], ()) if word.endswith("s") else ())


def glossary_terms(text: str) -> list[str]:
    """The glossary's Chinese for every English word of ``text``, in the order the text says them
    ("free-shipping threshold" → 包邮, 免运费, 门槛)."""
    return list(dict.fromkeys(term for word in _EN_WORD.findall(text.lower()) for term in translations(word)))


#: a count asked in a unit ("一期最多招多少人", "考几次"): handbooks name the count by the unit and 数 (人数, 次数)
_COUNT_ASKED = re.compile(r"(?:多少|几)个?\s*([人次天篇单])")


def query_terms(question: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Term groups of a question: (Chinese groups, English groups). A group is a term plus its
    synonyms / glossary translations and counts once, found when any member occurs."""
    # jieba words only: bigrams across word boundaries ("客只", "卖别") are noise that dilutes the score
    zh = {w for w in zh_words(question) if len(w) >= 3 or not set(w) <= STOP_CHARS}
    # a programme word jieba cuts in two ("发钱" → 发 / 钱) is still the asker's word: it stands for its pieces
    simple = to_simplified(question)
    for word in (w for w in ZH_SYNONYMS if len(w) >= 2 and w in simple and w not in zh):
        pieces = {t for t in zh if t in word}
        if pieces and all(len(t) < len(word) for t in pieces):
            zh = (zh - pieces) | {word}
    counted = {m.group(1) for m in _COUNT_ASKED.finditer(simple)}
    zh_groups = [(t, *ZH_SYNONYMS.get(t, ()), *_digit_forms(t), *_sub_forms(t), *_head_forms(t), *object_forms(t),
                  *(f"{t[-1]}数",) * (t[-1:] in counted))
                 for t in sorted(zh)]
    en_groups = []
    if re.search(r"\bhow much (is|are|does|do)\b", question.lower()):
        en_groups.append(("price", "价格", "¥"))  # "how much is X" asks for its price
    festivals = sale_events_named(question)
    in_festival = {w for name, _ in festivals for w in en_words(name)}
    for w in sorted(en_words(question) - in_festival):
        en_groups.append((w, *translations(w)))
    # a shopping festival is one term however it is written ("Double 11", "双十一", "双 11"): its words apart
    # ("double", "11") are in no Chinese section on it
    for name, forms in festivals:  # a rule for the big sales ("大促期间") is the rule for each of them
        group = tuple(dict.fromkeys((name, *forms, *_spaced(forms), BIG_SALE)))
        if CJK_RE.search(name):
            zh_groups = [g for g in zh_groups if g[0] not in name] + [group]
        else:
            en_groups.append(group)
    return zh_groups, en_groups


def sale_events_named(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The shopping festivals a question names, each as (the words naming it, how handbooks write it)."""
    asked = to_simplified(question).lower()
    return [(match.group(0), forms) for pattern, forms in SALE_EVENTS.items()
            if (match := re.search(pattern, asked))]


def _spaced(forms: tuple[str, ...]) -> tuple[str, ...]:
    """"双11" as handbooks also set it, a space between the word and the figure ("双 11", "11 月 11")."""
    return tuple(spaced for form in forms
                 if (spaced := re.sub(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])", " ", form)) != form)


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


def weighted_share(question_terms: tuple[list[tuple[str, ...]], list[tuple[str, ...]]], indexes: set[int],
                   weight: "TermWeight | None" = None) -> float:
    """Weight of the given term groups over the weight of all the question's groups (0..1)."""
    groups = list(question_terms[0]) + list(question_terms[1])
    total = sum(_weight(g[0], weight) for g in groups)
    return sum(_weight(groups[i][0], weight) for i in indexes) / total if total else 0.0


def overlap_score(question_terms: tuple[list[tuple[str, ...]], list[tuple[str, ...]]], sentence: str,
                  weight: "TermWeight | None" = None) -> float:
    """Share of the question's term groups found in the sentence (0..1); longer terms weigh more."""
    zh_groups, en_groups = question_terms
    s = to_simplified(sentence).lower()
    cjk = bool(CJK_RE.search(s))
    if not cjk and weight is None:
        zh_groups = []  # lexical-only ranking: Chinese terms can't match an English sentence; don't dilute
        # (with corpus weights the similarity of sentence vectors carries such a sentence instead)
    words = en_words(s)
    total = found = 0.0
    for group in zh_groups:
        total += _weight(group[0], weight)
        if any(t in s for t in group):
            found += _weight(group[0], weight)
    for word, *translations in en_groups:
        total += _weight(word, weight)
        if word in words or (word.endswith("s") and word[:-1] in words) or (cjk and any(t in s for t in translations)):
            found += _weight(word, weight)
    return found / total if total else 0.0


def _weight(term: str, weight: "TermWeight | None" = None) -> float:
    """A term's weight: its corpus IDF when the knowledge base gives one (a word in every chunk,
    such as the brand's own name, weighs almost nothing), else its length."""
    if weight is not None:
        return 0.05 + weight(term)
    return 2.0 if term.isascii() else float(len(term))


def cross_support(sentence: str, evidence: str) -> float:
    """Support of an English sentence by Chinese evidence: the share of its translatable words
    (glossary terms, numbers) whose translation occurs in the evidence; needs two matches."""
    ev = to_simplified(evidence).lower()
    known = matched = 0
    for w in en_words(sentence):
        chinese = translations(w)
        if w[0].isdigit():
            known += 1
            matched += w.replace(",", "") in ev.replace(",", "")
        elif chinese:
            known += 1
            matched += any(t in ev for t in chinese)
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
