"""What kind of answer a question asks for, and whether a piece of text holds one.

Answerability is decided from the question, not only from how similar the evidence looks: a
question that asks for a fee, a rate, a year or a duration is answered only by a sentence that
states one. Neighbouring sentences about the same subject ("the trip exists", "the period exists")
are near misses that must be refused, and no similarity threshold tells them apart; the answer type
does. Patterns are generic question words in Chinese (简/繁) and English, nothing about a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from base.language import CJK_RE, detect_language, quiet_posseg, to_simplified
from assistant.numbers import number_word, numeral

_ZH_NUM = "[零〇一二两三四五六七八九十百千万]"
_NUM = rf"(?:\d+(?:[.,]\d+)*|{_ZH_NUM}+|半|几)"

#: measure words that count things ("几篇", "多少个"): a question with one asks how many, not how much
_COUNTERS = "个位名条篇次笔件单人瓶盒套种类项级档片罐袋包杯克张场款家间所座本期倍"
#: those before which a lone 一 states no count: mostly an article ("推出一款新品", "是一家新锐品牌");
#: before the others it still counts ("每月一次", "限领一件")
_NO_COUNT_AFTER_ONE = "片罐袋包杯克张场款家间所座本期"
#: measure words no other unit stands for, mostly of a thing's make ("几股线", "几层", "几格", "喷多少下"): a count asked in
#: one is answered only by a count written in it; 度 (degrees) is also written ℃. A programme's counts (几道题, 几节课,
#: 几份奖励) are left out: the handbooks write them in a sibling unit as often (16 题, 3 课时)
_OWN_MEASURES = "股层圈根格粒颗枚串副双卷团下"
#: what "几" comes after when it tells a few rather than asks how many ("买了几盒", "买过几根")
TOLD_BEFORE_A_FEW = "了过"
_DEGREES = "度|℃|°c"

#: the units a length or a weight is stated in, for questions that ask one by its dimension ("有多高",
#: "how far") rather than by a unit: a figure in another unit (a price, a year, a count) is not it
LENGTH_UNITS = ("米|公里|千米|厘米|公分|毫米|英尺|英寸|英里|海里|光年|m|km|cm|mm|met(?:er|re)s?|kilomet(?:er|re)s?|light[- ]years?|"
                "centimet(?:er|re)s?|millimet(?:er|re)s?|feet|foot|ft|inch(?:es)?|miles?")
WEIGHT_UNITS = "克|千克|公斤|吨|斤|磅|g|kg|grams?|kilo(?:gram)?s?|tons?|tonnes?|pounds?|lbs?"
#: the units of what a product's specifications measure: power, volume, battery charge, pressure, loudness,
#: light and voltage (a figure in none of them, "2 L" for a wattage, is another specification)
POWER_UNITS = "千瓦|瓦|kw|w|kilowatts?|watts?"
VOLUME_UNITS = "毫升|公升|升|ml|l|millilit(?:er|re)s?|lit(?:er|re)s?"
CHARGE_UNITS = "毫安时|毫安|mah"
PRESSURE_UNITS = "兆帕|千帕|帕|大气压|bar|mpa|kpa|pa|psi"
NOISE_UNITS = "分贝|db|decibels?"
LIGHT_UNITS = "流明|lm|lumens?"
VOLTAGE_UNITS = "伏特|伏|v|volts?"

#: a quantity asked by what it measures ("有多高", "功率多大", "what's the wattage", "how many lumens"), with
#: the units a figure of it is written in; the first that matches names it ("battery capacity" is charge, not
#: volume). "多长" and "how long" are left out: a term or a grace period is as long as a trail, and only the
#: noun tells which
_VALUE_ASKED = r"(?:是|有|为|大概|大约|约)?(?:多少|多大|几)"
_MEASURES_ASKED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"电池容量{_VALUE_ASKED}|多少毫安|\bmah\b|\bbattery (?:capacity|size)\b", re.I), CHARGE_UNITS),
    (re.compile(r"多高|多远|多宽|多深|多厚|身高|海拔|\bhow (?:tall|high|far(?! (?:in advance|ahead|before|back))|wide|deep|thick)\b|"
                # a length asked in its unit ("这根跳绳能调到多少公分")
                r"(?:多少|几)\s*(?:厘米|公分|毫米|公里|千米)|\bheight\b|"
                # a figure asked in its unit ("…, in centimetres?")
                r"\bin (?:cm|mm|km|centimet(?:er|re)s|millimet(?:er|re)s|met(?:er|re)s|kilomet(?:er|re)s|inches)\s*(?:[?,.;]|$)", re.I), LENGTH_UNITS),
    (re.compile(r"多重|体重|重量|\bhow heavy\b|\bhow much does [^?]* weigh\b|"
                # "carries the most weight" weighs importance, not mass
                r"(?<!most )(?<!more )(?<!less )(?<!greatest )(?<!biggest )(?<!same )\bweight\b|"
                r"\bin (?:grams|kilograms|kilos|kg)\s*(?:[?,.;]|$)", re.I), WEIGHT_UNITS),
    (re.compile(rf"功率{_VALUE_ASKED}|多大功率|多少瓦|几瓦|\bwattage\b|\b(?:how many|in) watts\b|\bpower (?:rating|draw|consumption)\b", re.I),
     POWER_UNITS),
    # a capacity is asked in its unit: a venue's holds people, a magazine rounds ("容量为101发")
    (re.compile(r"(?:多少|几)\s*(?:公升|毫升|升)|\b(?:how many|in) (?:lit(?:er|re)s|millilit(?:er|re)s|ml)\b", re.I), VOLUME_UNITS),
    (re.compile(rf"(?:泵压|气压|水压){_VALUE_ASKED}|多少\s*bar|几个大气压|\bin bars?\b|\bhow many bars?\b|"
                r"\bwhat(?:'s| is) the (?:pump |water |air )?pressure\b", re.I), PRESSURE_UNITS),
    (re.compile(rf"(?:噪音|噪声){_VALUE_ASKED}|多少分贝|\bdecibels?\b|\bnoise level\b|\bhow (?:loud|noisy)\b", re.I), NOISE_UNITS),
    (re.compile(rf"亮度{_VALUE_ASKED}|多亮|多少流明|\blumens?\b|\bbrightness\b|\bhow bright\b", re.I), LIGHT_UNITS),
    (re.compile(rf"电压{_VALUE_ASKED}|多少伏|\bvoltage\b|\bvolts\b", re.I), VOLTAGE_UNITS),
)
#: every unit class a measure is asked in
MEASURE_UNITS = tuple(units for _, units in _MEASURES_ASKED)


def unit_forms(unit: str) -> list[str]:
    """The written forms of a unit class: its ``|``-separated words, or each of its characters."""
    return unit.split("|") if "|" in unit else list(unit)


#: the Chinese forms of those units: "高约四十米" states a length in words as "高约 40 米" does in figures
_CJK_MEASURES = "|".join(form for unit in MEASURE_UNITS for form in unit_forms(unit) if CJK_RE.match(form))


def asked_measure(question: str) -> str:
    """The units of the quantity a question asks by what it measures (``_MEASURES_ASKED``), "" for none."""
    simple = to_simplified(question)
    return next((units for pattern, units in _MEASURES_ASKED if pattern.search(simple)), "")

#: (type, question pattern) in priority order: the first that matches names the type
_QUESTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # the number or address is what is asked, not a thing mentioned ("collect fans' phone numbers",
    # "if I email the institute, how soon …")
    ("phone", re.compile(r"电话|热线|座机|手机号[^，。,？?]{0,6}(?:多少|是什么|是几)|"
                         r"\b(?:what|which)(?:'s| is| are)? (?:the |your |an? |their )?(?:[a-z']+ ){0,3}(?:phone|telephone|hotline)\b|"
                         r"\bnumber to call\b|\bhotline\b", re.I)),
    ("email", re.compile(r"邮箱|电邮|邮件地址|\be-?mail address\b|"
                         r"\b(?:what|which)(?:'s| is)? (?:the |your |an? |their )?(?:[a-z']+ ){0,3}e-?mail\b", re.I)),
    # a place something happens or goes ("年度旅行去哪里？", "在哪个城市举办", "where is it held"); where to find a
    # page or send a form ("在哪里看", "去哪里申请") asks a step, which any sentence may state
    ("place", re.compile(r"(?:会|要|将|一般|通常)?去哪(?:里|儿)?[？?]?\s*$|在哪(?:里|儿)?(?:举行|举办|开展|办|开会|集合)|"
                         r"哪(?:个|座)(?:城市|省份|省|国家|地方)|地点在哪|"
                         r"\bwhere (?:is|are|was|were|will) [^?]{0,40}\b(?:held|hosted|located|take place)\b|"
                         r"\bwhere (?:do|does|did|will) [^?]{0,40}\b(?:travel|take place)\b|\bwhich (?:city|country|province)\b", re.I)),
    ("percentage", re.compile(r"百分之几|百分之多少|百分比|几成|多少%|多少个点|比例(?:具体|大概|大约|到底)?是多少|比例多少|比率|几个点|率(?:具体|大概|大约|到底|一般)?(?:是|为)?多少|what percent|"
                              # a share asked as such: "占多少比例", "占比", "按多少税率"
                              r"多少比例|什么比例|(?:占比|比重)(?:是|为|大概|大约)?(?:多少|几)|多少[^，。？?\s]{0,3}率|"
                              r"what (?:[a-z-]+ ){0,2}percentage|what share|how many percent|what(?:'s| is)? (?:the |your |my )?(?:[a-z-]+ ){0,3}rate\b(?! card)|what commission (?:do|does|will|would|can)\b|at what rate|"
                              # a discount is a share of the price: "打几折", "what discount", "is it 10% off?"
                              r"几折|折扣(?:是)?多少|多少折扣|what discount|how (?:big|much) (?:of )?(?:a |the )?discount|"
                              r"\d+(?:\.\d+)?\s*[%％]\s*(?:off)?\s*[吗嗎]?\s*[?？]", re.I)),
    ("amount", re.compile(r"多少钱|几块钱|多少元|多少块|价格是多少|价格多少|什么价|售价|费用是多少|费用多少|收费|多少费用|"
                          r"罚款多少|罚多少|要交多少|花多少|营收|营业额|估值|收入是多少|(?<=金额)(?:是|为)?多少|多少金额|"
                          r"\b(?:minimum|maximum|min|max) (?:amount|payout|sum|balance|spend|order value)\b|"
                          r"\b(?:minimum|min)\b(?! (?:number|age)\b)[^?,]{0,24}\b(?:pay|paid|payout|withdraw|cash out)\b|\b(?:revenue|turnover|valuation)\b|how much (?:does|do|is|are|will|would|money)(?![^?]*\bweigh)|what(?:'s| is| does) (?:the )?"
                          r"(?:price|cost|fee)|how much .*(?:cost|pay|charge|fee|earn)|what .* cost", re.I)),
    # a time of day ("几点到几点在线", "what time does it open"); "有几点", "哪几点" and "几点建议" count points
    ("time", re.compile(r"(?<![哪有])几点(?:钟)?(?![建要注原内规事方意])|几时到几时|"
                        r"\bwhat time (?:does|do|is|are|will|should|can|of day)\b|\bat what time\b|\bwhat hours\b|\bopening hours\b", re.I)),
    ("year", re.compile(r"哪一年|哪年|几几年|什么年份|何年|(?:what|which) year|in what year", re.I)),
    # a day of the month or of the week ("几号", "exact dates"): "每年 10 月" names the month only
    ("calendar_day", re.compile(r"哪天|哪一天|几号|几月几|具体日期|什么日期|哪个日期|"
                                r"(?:what|which) (?:exact |specific |precise )?(?:dates?|day)\b|\b(?:exact|specific|precise) dates?\b",
                                re.I)),
    ("day", re.compile(r"几月份|几月|什么日子|生日|哪个月|(?:what|which) month|birthday", re.I)),
    ("date", re.compile(r"什么时候|何时|"
                        r"(?:what|which) (?:date|day|month)|"
                        # "when" asks only where it opens the question or a clause ("…, and when does it close?", "since
                        # when", "tell me when"); inside one it sets a condition ("what do I earn when a fan buys…")
                        r"(?:^|[,;:?.!]\s*|\b(?:and|or|but|since|until|till|by|from|me|us|know|ask)\s+)when\b|"
                        r"\bwhat (?:are|is|were|was) (?:the )?(?:[\w'-]+ ){0,4}(?:dates?|deadline)\b", re.I)),
    # "多久能再试一次" asks how long to wait before trying again: a duration
    ("frequency", re.compile(r"多久[^再]{0,6}一次|多长时间[^再]{0,6}一次|每隔多久|频率|how often", re.I)),
    # "那几天" / "这几个月" point at days the asker has in mind: no question
    ("duration", re.compile(r"多久|多长时间|(?<![那这])几(?:天|个月|周|年|个小时|小时|分钟)(?!级)|期限|有效期|保质期|"
                            # "多少天", "多少个小时", "几个工作日": a count of time units is a length of time
                            r"(?<![那这])(?:多少\s*个?|几个)\s*(?:天|周|星期|月|年|小时|钟头|分钟|秒|工作日)(?!级|份)|"
                            r"how long(?![^?]*\b(?:centimet\w*|millimet\w*|met(?:er|re)s?|inch(?:es)?|feet|foot|cm|mm|km|kilomet\w*|miles?)\b)|how soon|how quickly|多快|how many (?:days|weeks|months|years|hours|minutes)|shelf[- ]life|"
                            r"validity period|(?:is|are) (?:it|they|\w+) valid for", re.I)),
    ("age", re.compile(r"几岁|多少岁|多大年纪|年龄(?:是|有)?多大|年龄(?:是)?多少|年龄(?:限制|要求|门槛|上限|下限)|"
                       r"how old|what age|(?:minimum|maximum|min|max) age|age (?:limit|requirement)", re.I)),
    ("number", re.compile(rf"多少|(?<![哪这那])几[{_COUNTERS}分]|(?<![哪这那{TOLD_BEFORE_A_FEW}])几[{_OWN_MEASURES}度]|几\s*$|多大|多高|多重|多长|多远|多宽|多深|how many|how much|"
                          r"what number|\b(?:maximum|minimum|max|min|total|average|exact) number of\b|what(?:'s| is) the number of\b|how old|how big|how large|how long|how tall|how wide|how deep|how far|how heavy", re.I)),
)

_TYPE_PATTERNS = dict(_QUESTION_TYPES)
#: nouns that only ever name a sum of money (a commission may be a rate, a fee is a sum)
_MONEY = re.compile(r"稿费|稿酬|报酬|奖金|补贴|津贴|押金|运费|红包|手续费|服务费|罚金|工资|薪水|薪资|费用|现金")
#: what a sale or a product pays the asker ("what commission do I get on …", "how much extra do books pay on
#: …"), as opposed to what someone pays for it ("how much do customers pay for shipping?")
_A_SALE_PAYS = re.compile(r"\bwhat commission (?:do|does|will|would|can)\b|"
                          r"\bhow much (?:extra |more )?(?:do|does|will|would) (?!(?:an? |the )?(?:i|we|you|they|customers?|fans?|buyers?) pay\b)"
                          r"[^?]*(?<!to )\b(?:pay|earn|make)\b(?! (?:an?|the|me|us|you|him|her|them|kocs?)\b)", re.I)
#: "多少" asking how much, not how many of a counted thing ("多少天", "多少个", "多少%")
_HOW_MUCH = re.compile(rf"多少(?![天日周月年{_COUNTERS}%％])")

#: list questions: every item must be gathered, and more than one sentence may be needed
_LIST = re.compile(r"哪几|哪些|哪[两二三四五六七八九十]|分别|有什么|有哪|几类|几种|几个部分|几样|几件事|都有|包括什么|包含什么|"
                   r"(?:which|what) (?:two|three|four|five|\w+ things)\b(?!-)|what are (?:the|all)|\blist\b|\ball the\b|"
                   # "what kinds of models are there?" asks for each kind; "what kind of battery" for one thing
                   r"\b(?:which|what) (?:kinds|types|sorts|categories) of\b", re.I)

#: a list of a stated number of things ("具体是哪三款", "which three times of day"): the answer names them
#: ("which two-year programmes" asks no number of things)
_COUNTED_LIST = re.compile(r"哪([两二三四五六七八九十])|\b(?:which|what|what are the) (two|three|four|five|six|seven)\b(?![-\w])", re.I)
#: a sentence that names several things: "A、B", a lead and its items ("…：A；B"), "A, B and C"
_ENUMERATION = re.compile(r"[\u4e00-\u9fff\w」”)]\s*、\s*\S|[：:][^；;]+[；;]\s*\S|\w[^,.;]*,\s*\w[^,.;]*,?\s+(?:and|or)\s+\w")
#: two things are named as a pair ("华北板块与华南板块", "A and B")
_PAIR = re.compile(r"\S\s*(?:和|与|及|以及|跟|或|同)\s*\S|\w\s+(?:and|or)\s+\w", re.I)


#: the classifiers kinds are counted by, in a list question and in the title that announces the list
_KIND_CLASSIFIERS = "(种|类|项|条|步|个|点|部分|方面|阶段|环节)"
#: the classifier a list question counts its kinds by ("分哪几种" → 种, "有哪几类" → 类, "哪三个步骤" → 个)
_LIST_CLASSIFIER = re.compile(r"(?:哪几|哪些|几|哪[两二三四五六七八九十])\s*" + _KIND_CLASSIFIERS)
#: a title that announces how many kinds its section lists ("活动分两种", "三类常见问题", "4 个步骤")
_ANNOUNCED_COUNT = re.compile(r"(?:[两二三四五六七八九十]|\d{1,2})\s*" + _KIND_CLASSIFIERS)


#: an English list question asking for kinds ("what kinds of…", "which types…"): a title counting kinds answers it
_EN_ASKS_KINDS = re.compile(r"\b(?:kinds|types|sorts|categories)\b", re.I)
#: the classifiers of kinds in a title ("两种", "三类")
_KINDS = ("种", "类")
#: "the four levels": how many things an English list question asks for
EN_LIST_COUNT = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def announces_the_list(question: str, title: str) -> bool:
    """A section title announces the kinds a list question asks for: it counts them with the question's
    own classifier ("会员活动有哪几种？" and the title "活动分两种"). Its section holds the items, whatever
    words they are written in. An English question names no classifier: the title counts as many things
    as it asks for ("the three forms" and "三类合作形式"), or counts kinds when it asks what kinds there are."""
    counts = list(_ANNOUNCED_COUNT.finditer(to_simplified(title)))
    if detect_language(question) == "en":
        wanted = EN_LIST_COUNT.search(question)
        size = number_word(wanted.group(1)) if wanted else None
        kinds = bool(_EN_ASKS_KINDS.search(question))
        return any((size is not None and _count_of(m) == size) or (size is None and kinds and m.group(1) in _KINDS)
                   for m in counts)
    asked = _LIST_CLASSIFIER.search(to_simplified(question))
    return bool(asked) and any(m.group(1) == asked.group(1) for m in counts)


def _count_of(announced: re.Match[str]) -> int | None:
    """The number a title's count says ("四种" → 4, "3 类" → 3)."""
    return numeral(announced.group(0)[:announced.start(1) - announced.start(0)].strip())


def asked_list_size(question: str) -> int:
    """How many things a question asks for by name ("哪三款" → 3, "which two" → 2); 0 for none."""
    match = _COUNTED_LIST.search(to_simplified(question))
    if not match:
        return 0
    word = (match.group(1) or match.group(2)).lower()
    return 2 if word in ("两", "二", "two") else 3


def enumerates(text: str, size: int = 3) -> bool:
    """``text`` names ``size`` or more things in one sentence (a list, not one thing and its
    number); two may be named as a pair."""
    simple = to_simplified(text)
    return bool(_ENUMERATION.search(simple)) or (size == 2 and bool(_PAIR.search(simple)))


#: what states a value of each type in the evidence
_EVIDENCE: dict[str, re.Pattern[str]] = {
    # a phone number is a run of at least seven digits (blanks and dashes allowed), not any figure
    "phone": re.compile(r"(?<!\d)\+?\d(?:[\s-]?\d){6,}(?!\d)"),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # a street address, or in English a capitalised name after in / at; a place name ("大理", "杭州市") is found
    # by its part of speech (``states_value``): a kind of place ("各个城市", "线下门店") names none
    "place": re.compile(r"[\u4e00-\u9fff]{2,}(?:路|街|大道)\s*\d+\s*号|\b(?:in|at) (?!The\b|A\b)[A-Z][a-z]+|[\u4e00-\u9fff]\s*[A-Z][a-z]{3,}"),
    # a change of a share is counted in points ("下调 2 个百分点")
    "percentage": re.compile(rf"\d+(?:\.\d+)?\s*[%％]|百分之|百分点|{_NUM}\s*成\b|{_NUM}\s*折|percent", re.I),
    "amount": re.compile(r"[¥￥$€£]\s*\d|(?:人民币|rmb|cny|usd)\s*\d|\d[\d,.]*\s*[万亿千百]*\s*(?:元|块|美元|港元|rmb|yuan|cny|usd|dollars?)|"
                         # a sum stated by the price it is reckoned from: "按原价 6 折购入", "按标价赔偿", "半价"
                         r"(?:按|以|照)[^，。；,;\s]{0,6}?(?:零售价|原价|售价|定价|标价|吊牌价)|半价|"
                         # …or a charge stated as a share or a multiple of another sum: "收取订金总额的 30% 作为违约费",
                         # "按每日押金的 2 倍收取", "15% of the booking is charged as a fee"
                         r"收取[^，。；,;]{0,12}?的\s*\d+(?:\.\d+)?\s*(?:[%％]|倍)|"
                         r"的\s*\d+(?:\.\d+)?\s*(?:[%％]|倍)\s*(?:收取|作为[^，。；,;]{0,6}?费)|"
                         r"\b(?:charges?|charged|fee of)\s+\d+(?:\.\d+)?\s*(?:%|percent)\s+of\b|"
                         r"\d+(?:\.\d+)?\s*(?:%|percent)\s+of\s+[^.;]{0,40}?\b(?:is|are)\s+charged\b|"
                         r"免费|不收|无需支付|free of charge"
                         r"|\bfree\b|no fee", re.I),
    # a year in digits, or a reign/era year written in Chinese numerals ("乾隆十八年", "光绪元年"), or the year a story
    # has reached ("同年 10 月", "次年"); one or two years alone ("总结一年的工作", "满两年") are a span of time
    "year": re.compile(rf"\d{{3,4}}\s*年|\b(?:1[89]|20)\d{{2}}\b|[\u4e00-\u9fff](?:元|(?![一两]年){_ZH_NUM}{{1,4}})年|"
                       r"(?<![\u4e00-\u9fff])(?:同|次|翌|隔)年"),
    "date": re.compile(rf"\d{{4}}\s*[-/年.]\s*\d{{1,2}}|{_NUM}\s*[月日号]|每[月周年天]|周[一二三四五六日天]|星期|"
                       rf"(?:1[89]|20)\d{{2}}\s*年|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
                       rf"\d+(?:st|nd|rd|th)\b|每|之后|以后|之前|以前|当天|次日|当月|下个?月|after|before|within|by the|"
                       r"[\u4e00-\u9fff](?:朝|时代|时期|年间|世纪|年代|初年|末年)", re.I),
    "calendar_day": re.compile(rf"\d{{4}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}|(?<![\d.])\d{{1,2}}/\d{{1,2}}(?![\d/])|{_NUM}\s*[日号]|周[一二三四五六日天]|星期|礼拜|"
                               rf"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+"
                               rf"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d+(?:st|nd|rd|th)\b|"
                               r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|当天|当日|次日|隔天|第二天|前一天|每天|每日|工作日", re.I),
    "day": re.compile(rf"\d{{4}}\s*[-/年.]\s*\d{{1,2}}|{_NUM}\s*[月日号]|周[一二三四五六日天]|星期|"
                      rf"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d+(?:st|nd|rd|th)\b|当天|次日|当月|下个?月", re.I),
    # a year ("2019 年") is a date, not a duration
    "duration": re.compile(rf"(?<![\d.])(?!(?:1[89]|20)\d{{2}}\s*年){_NUM}\s*(?:多|余|来)?\s*(?:个)?\s*(?:天|日|周|星期|个月|月|年|小时|分钟|秒|工作日)|"
                           r"\d+\s*(?:days?|weeks?|months?|years?|hours?|minutes?)|长期|永久|终身|不限|"
                           # no wait at all is a length of time too ("当天审核", "reviewed the same day")
                           r"当天|当日|次日|隔天|立即|立刻|马上|即时|实时|\b(?:immediately|instantly|same day|next day|right away)\b", re.I),
    # an age: "18 岁", "16 周岁", "years old", "adults" (a bare count of anything else is no age)
    "age": re.compile(rf"{_NUM}\s*(?:周)?岁|\d+\s*(?:years? old|\+)|aged? \d+|\d+ (?:or|and) (?:over|older)|"
                      r"成年|未成年|\b(?:adults?|minors?|under-?age)\b", re.I),
    # ("几点到场" in a list of what a form asks is no time of day)
    "time": re.compile(rf"\d{{1,2}}\s*[:：]\s*\d{{2}}|(?!几){_NUM}\s*点|上午|下午|晚上|早上|中午|凌晨|深夜|夜间|白天|全天|24\s*小时|"
                       r"\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:noon|midnight|morning|afternoon|evening|around the clock)\b", re.I),
    # "每个月", "每两周", "一个月 2 次", "季度一次", "twice a month"
    "frequency": re.compile(rf"每(?:隔)?\s*(?:{_NUM}\s*)?个?\s*(?:天|日|周|星期|月|季度|季|年|小时|分钟)|实时|随时|"
                            rf"(?:天|日|周|星期|月|季度|季|年)(?:度|内|里)?\s*(?:最多|至少|只|可以|能|会|要)?[^，。；,;]{{0,8}}?{_NUM}\s*次|"
                            r"\b(?:daily|weekly|monthly|quarterly|yearly|annually|hourly|every|once|twice)\b|"
                            r"\btimes? (?:a|per|each) (?:day|week|month|quarter|year)\b", re.I),
    "number": re.compile(rf"\d|(?:{_ZH_NUM}{{2,}}|(?!一){_ZH_NUM}|一(?!\s*[{_NO_COUNT_AFTER_ONE}]))\s*[{_COUNTERS}岁]|{_ZH_NUM}+\s*(?:{_CJK_MEASURES})|多个|若干|\b(?:one|two|three|four|five|"
                         rf"six|seven|eight|nine|ten)\b", re.I),
}


@dataclass(frozen=True)
class QuestionShape:
    """What a question asks for: the type of its answer (or "" when any sentence may answer) and
    whether it asks for a list of items."""

    answer_type: str
    is_list: bool

    @property
    def needs_value(self) -> bool:
        """A value of ``answer_type`` must be stated by the evidence, or the question is not covered."""
        return bool(self.answer_type)


#: "几" after "了" or "过" in a clause before the one that asks ("朋友买了几盒，算我的单吗？", "买过几根…，够申请吗？"):
#: a few, not how many
_A_FEW = re.compile(rf"([{TOLD_BEFORE_A_FEW}])几(?=\S*[，,；;]\s*\S)")
#: "好几" and "没几" say "quite a few" and "hardly any" ("好几个月都没扣完"): a quantity told, never one asked
_TOLD_FEW = re.compile(r"(?<=[好没])几")
#: a few things asked for ("举几个例子", "推荐几款", "列几条"): a request for items, not a count of them
_SOME_EXAMPLES = re.compile(r"(?<=举|列|荐|享)(?:我|一下)?几(?=个|条|款|种|篇|句)|几(?:个|条)(?=例子|案例|示例|范例|样例)")


#: how much one figure differs from another ("how much lower", "多多少"): any figure answers, a sum or a share
_DIFFERENCE = re.compile(r"\bhow much (?:lower|higher|less|more|bigger|smaller|longer|shorter|cheaper|greater|fewer)\b", re.I)
#: "when" or "什么时候" asking in what case something is the right choice or counts ("when does a swap make sense?",
#: "什么时候适合用置换"): a condition, not a date
_WHEN_SUITED = re.compile(r"\bwhen (?:does|do|is|are|should|would|can)\b[^?]{0,40}\b(?:make sense|worth|suit(?:able|s)?|"
                          r"appropriate|recommended|advisable|a good (?:idea|fit|choice)|better|best|ideal|preferable)\b|"
                          r"什么时候(?:最)?(?:适合|适用|应该用|该用|建议用|值得)|什么情况下|"
                          # "什么时候才算": the event after which something counts ("到店完成后才计"), not a date
                          r"什么时候才(?:算|计)", re.I)


#: an opening "when…" clause that a question word follows after its comma sets the scene of that question
_WHEN_CLAUSE = re.compile(r"^\s*when\b[^?,;]{0,80},\s*(?=(?:which|what|how|who|where|can|could|do|does|is|are|should|will|may)\b)",
                          re.I)


#: a yes/no question whether something is reckoned as a share at all, not what the share is
_WHETHER_A_SHARE = re.compile(r"(?:百分比|比例)[^，,。？?\d%]{0,3}[吗么嘛]|\b(?:is|are) (?:it|they|that) (?:a )?percentage\b", re.I)


def question_shape(question: str) -> QuestionShape:
    """The answer type and list-ness of a question (Traditional script is read as Simplified)."""
    q = to_simplified(question)
    if _YES_NO.search(q):  # a yes/no question that tells what happened ("买了几盒") asks no count
        q = _A_FEW.sub(r"\1一些", q)
    q, examples = _SOME_EXAMPLES.subn("一些", q)  # "举几个例子" asks for examples, not for their number
    q = _TOLD_FEW.sub("些", q)
    q = _WHEN_CLAUSE.sub("", q)  # "When I post about X, which words…": the scene, not a date asked
    # "when does a swap make sense?" asks the case it suits, not a date: the type is what else it asks, if anything
    suited = bool(_WHEN_SUITED.search(q))
    answer_type = next((name for name, pattern in _QUESTION_TYPES if pattern.search(q) and not (suited and name == "date")), "")
    if not answer_type and asked_measure(q):  # "what's the wattage of …" asks a figure with no question word for it
        answer_type = "number"
    if answer_type == "number" and _MONEY.search(q) and _HOW_MUCH.search(q):
        answer_type = "amount"  # "有交通补贴吗？补多少？": how much of a sum of money is a sum, not any figure
    if answer_type in ("amount", "percentage") and _A_SALE_PAYS.search(q):
        answer_type = "number"  # what a sale pays is a rate or a sum: "0 元" and "15%" both answer it
    if answer_type in ("amount", "percentage") and _DIFFERENCE.search(q):
        answer_type = "number"  # "how much lower should the rate be?": "2 至 3 个百分点" and "¥5" both answer it
    if answer_type == "percentage" and _WHETHER_A_SHARE.search(q):
        answer_type = ""  # "也是按售价的百分比吗？": whether the pay is a share; a fixed sum answers it as well
    return QuestionShape(answer_type=answer_type, is_list=bool(examples) or bool(_LIST.search(q)))


def asks_at(question: str, answer_type: str | None = None) -> int | None:
    """Where the question word of the question's answer type starts ("…浓度是|百分之几"), or None;
    ``answer_type`` when the caller already knows it (``question_shape``)."""
    q = to_simplified(question)
    pattern = _TYPE_PATTERNS.get(question_shape(q).answer_type if answer_type is None else answer_type)
    match = pattern.search(q) if pattern is not None else None
    return match.start() if match else None


#: a time stated in figures or by name ("每月 22 日前", "签收后 7 天", "2025 年", "周三", "the 5th"): what a
#: "when" question prefers over a sentence that only says how often something happens ("当月不发放", "每月上限")
_DATED = re.compile(rf"{_NUM}\s*(?:个)?\s*(?:月|日|号|天|周|年|小时|分钟|秒|工作日)|周[一二三四五六日天]|星期[一二三四五六日天]|"
                    rf"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d+(?:st|nd|rd|th)\b|"
                    r"\d+\s*(?:days?|weeks?|months?|years?|hours?|minutes?|seconds?)|当天|当日|次日", re.I)


def states_a_time(text: str) -> bool:
    """``text`` names a time in figures or by name, not only a frequency or a relation."""
    return bool(_DATED.search(to_simplified(text)))


#: words jieba's dictionary tags as place names that name a kind of place, not one ("活动在各个城市轮流办")
_KINDS_OF_PLACE = frozenset("城市 地区 国家 全国 各地 当地 本地 外地 国内 国外 境内 境外 市区 郊区 地方 区域 省份 异地 同城 各省 全省 全市".split())


#: where a place is said to be ("位于…", "生存于…的…", "在…举办"): the name after it may be one jieba takes for a person's
_AT_A_PLACE = frozenset("于 在 到 去 往 自 的".split())


def _names_a_place(text: str) -> bool:
    """``text`` names a place: a word jieba's dictionary tags as a place name ("大理", "云南"), not a kind of place,
    or a name right after a word that places something ("生存于…的阿根廷"), or a Latin-script place name."""
    tokens = quiet_posseg().lcut(text)
    for before, token in zip([None, *tokens], tokens):
        if token.flag == "ns" and token.word not in _KINDS_OF_PLACE:
            return True
        if token.flag in ("nr", "nrt") and before is not None and before.word in _AT_A_PLACE:
            return True
    return False


def states_value(answer_type: str, text: str) -> bool:
    """``text`` states a value of the type: a percentage for "what rate", a sum for "how much",
    a count of days for "how long". Wider types accept narrower values (a date answers "when",
    a year too; any number answers "how many")."""
    if not answer_type:
        return True
    t = to_simplified(text)
    accepted = {"year": ("year",), "calendar_day": ("calendar_day",), "day": ("day",), "date": ("date", "year", "duration", "time"), "duration": ("duration",), "frequency": ("frequency", "duration"),
                "percentage": ("percentage",), "amount": ("amount",), "number": ("number",), "age": ("age",),
                "phone": ("phone",), "email": ("email",), "time": ("time",), "place": ("place",)}[answer_type]
    # the tagger only when the patterns find nothing: it is the slow part, run for every candidate sentence
    return any(_EVIDENCE[kind].search(t) for kind in accepted) or (answer_type == "place" and _names_a_place(t))


#: units written as words in either language ("毫克", "mg"), each with the English count nouns that ask
#: in it ("how many milligrams"); a class is its ``|``-separated written forms
_WORD_UNITS: dict[str, tuple[str, ...]] = {
    "分|points?": ("points",), "片|pieces?|slices?": ("pieces", "slices"), "罐|tins?|cans?": ("tins", "cans"),
    "袋|包|bags?|packs?": ("bags", "packs"), "杯|cups?": ("cups",), "毫克|mg|milligrams?": ("milligrams", "mg"),
    "毫升|ml|millilit(?:er|re)s?": ("milliliters", "millilitres", "ml"),
    "公斤|千克|kg|kilo(?:gram)?s?": ("kilograms", "kilos", "kg"), "克|g|grams?": ("grams", "g"),
    "千卡|大卡|卡路里|kcal|calories?": ("calories", "kcal"), "页|pages?": ("pages",),
    # the length of a title or a name, counted in characters ("标题 20 字以内", "最多可以用几个字")
    "字|characters?|chars?": ("characters", "chars"),
    # an account's or a stream's audience, counted as people too ("粉丝数达到 1000", "500 名粉丝", "在线观众 200 人")
    "粉丝|观众|人|位|名|followers?|fans?|viewers?|subscribers?|watchers?": ("followers", "fans", "viewers", "subscribers",
                                                                        "watchers"),
}
#: the unit classes written as words (measures and counted things), not as one classifier character
WORD_UNIT_CLASSES = tuple(_WORD_UNITS)
#: units that count the same things: a count asked in one is answered by a count in any of its class
#: (a class is one classifier character each, or ``|``-separated written forms: ``unit_forms``)
UNIT_CLASSES = ("人位名", "篇条", "单笔", "件", "瓶", "盒", "套", "次", "款种类项", "家间", "所", "座", "本", "张",
                "场", "期", "岁", "倍", *_OWN_MEASURES, _DEGREES, *_WORD_UNITS)
#: English count nouns ("how many posts") and the class of units a count of them is written in
EN_COUNT_UNITS = {
    # guests and attendees are counted as people too
    **dict.fromkeys(("people", "persons", "members", "participants", "employees", "kocs", "mentees", "students", "guests",
                     "attendees", "visitors", "trainees"),
                    "人|位|名|people|persons?|members?|participants?|employees?|kocs?|mentees?|students?|guests?|"
                    "attendees?|visitors?|trainees?"),
    # the places a batch or an event has, as people or after the word for places ("名额 300 人", "名额：银卡 2 个")
    **dict.fromkeys(("places", "spots", "slots", "seats"), "名额|人|位|名|places?|spots?|slots?|seats?"),
    **dict.fromkeys(("posts", "notes", "articles"), "篇|条|posts?|notes?|articles?"),
    "orders": "单|笔|orders?", "times": "次|times?", "bottles": "瓶|bottles?", "boxes": "盒|box(?:es)?",
    **dict.fromkeys(("stores", "shops"), "家|间|stores?|shops?"),
    **{noun: unit for unit, nouns in _WORD_UNITS.items() for noun in nouns},
}


#: the units a length of time is written in, shortest first, as one unit class each (``unit_forms``),
#: with the words that ask a length in that unit ("几年", "how many weeks")
_TIME_UNITS = (("秒|seconds?", ("秒", "seconds")), ("分钟|minutes?", ("分钟", "minutes")),
               ("小时|钟头|hours?", ("小时", "钟头", "hours")), ("天|日|工作日|days?", ("天", "日", "工作日", "days")),
               ("周|星期|weeks?", ("周", "星期", "weeks")), ("个月|月|months?", ("月", "months")),
               ("年|years?", ("年", "years")))
#: "有多长" of a thing asks its length, of a term its length in time (冻结期多长): a figure in either unit answers it,
#: one in neither (15 磅, 89 元) is another of the thing's figures; "多长时间" asks a duration
LENGTH_OR_TIME_UNITS = "|".join((LENGTH_UNITS, *(forms for forms, _ in _TIME_UNITS)))
_ASKS_HOW_LONG = re.compile(r"多长(?!时间)")


def asks_how_long(question: str) -> bool:
    """The question asks "多长" with no word saying it means time."""
    return bool(_ASKS_HOW_LONG.search(to_simplified(question)))


_ASKS_IN_TIME_UNIT = re.compile(r"(?:几|多少)\s*个?\s*(年|月|周|星期|天|日|工作日|小时|钟头|分钟|秒)|"
                                r"\bhow many (years|months|weeks|days|hours|minutes|seconds)\b", re.I)


def asked_time_unit(question: str) -> str:
    """The units a duration asked in a unit may be stated in: the asked one and its neighbours
    (a few years is 24 个月, a few days may be 48 小时), never one far off ("几年" is not answered by
    "14 天" or "5 秒": that is another period of the same text). "" when no unit is asked."""
    match = _ASKS_IN_TIME_UNIT.search(_TOLD_FEW.sub("些", to_simplified(question)))
    if not match:
        return ""
    asked = (match.group(1) or match.group(2)).lower()
    at = next(i for i, (_, words) in enumerate(_TIME_UNITS) if asked in words)
    return "|".join(forms for forms, _ in _TIME_UNITS[max(0, at - 1): at + 2])


#: a money figure the question states itself ("才五十多块", "an order of ¥35"): a sum to weigh against a
#: rule or a calculation to explain, never a ledger to look up
STATED_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:元|块|rmb|yuan|cny)|[¥￥]\s*\d|[一二两三四五六七八九十百千万]+多?\s*(?:元|块(?!儿))", re.I)
#: a yes/no question ("能提现吗", "…, does it count?"; an English one opens a clause with its verb)
_YES_NO = re.compile(r"[吗么嘛][？?]?\s*$|是否|能不能|会不会|算不算|"
                     r"(?:^|[,;，；]\s*)(?:does|do|is|are|will|can|would|could|should|am i|was|were)\b", re.I)
#: a bound on an amount: "满 100 元", "不足 100 元", "低于 39 元", "100 元以上", "¥200 起"
_BOUND = re.compile(rf"(?:满|不足|不满|低于|高于|超过|不低于|不超过|未达|达到|少于|多于)\s*[¥￥]?\s*{_NUM}|"
                    rf"{_NUM}\s*(?:元|块)?\s*(?:以上|以下|以内|起)|\b(?:at least|minimum|under|below|over|above)\s*[¥￥]?\d", re.I)


#: a floor a sum must reach ("实付 8,000 元以上", "满 99 元", "over ¥500"): the condition a rule sets, not what it pays
_FLOOR = re.compile(rf"(?:满|高于|超过|不低于|达到|多于)\s*[¥￥]?\s*{_NUM}\s*[万千]?\s*[\u4e00-\u9fff]?|"
                    rf"[¥￥]?\s*{_NUM}\s*[万千]?\s*[\u4e00-\u9fff]?\s*(?:及)?以上|"
                    r"\b(?:at least|over|above|more than)\s*[¥￥$]?\s*\d[\d,.]*", re.I)
#: a question after such a floor ("满多少才能提现", "最低要卖多少", "how much do I need to sell"): the floor is its answer
_ASKS_FLOOR = re.compile(r"满多少|多少\S{0,3}(?:以上|起)|最低|最少|至少|门槛|起步|起提|达到多少|超过多少|不低于|多少\S{0,10}才|"
                         r"\bminimum\b|\bat least\b|\bthreshold\b|\bneed to (?:sell|reach|earn|spend|hit|make)\b|"
                         r"\bto (?:qualify|reach|unlock)\b|\bbefore\b", re.I)


#: a question after what is paid out or handed over ("能拿多少奖励", "返多少", "how much do I get")
_ASKS_PAYOUT = re.compile(r"(?:拿|得|获得|领|赚|收到|返|发|给|奖)(?:到|了)?\s*(?:多少|几)|"
                          r"多少\s*(?:钱|奖励|奖金|佣金|补贴|津贴|返利|返现|报酬|稿费)|"
                          r"\bhow much\b.{0,30}\b(?:get|earn|receive|paid|reward|bonus)\b", re.I)


def paid_sums_of(question: str, answer_type: str) -> Callable[[str], str]:
    """What of a text may answer a question after what is paid out: for "能拿多少奖励" the text without the
    floors its rules set ("采购满 30 件或 8,000 元以上的，按采购规则另行奖励" pays no stated sum); for a question
    after a floor, or after anything else, the whole text."""
    simple = to_simplified(question)
    if answer_type not in ("amount", "number") or not _ASKS_PAYOUT.search(simple) or _ASKS_FLOOR.search(simple):
        return lambda text: text
    return lambda text: _FLOOR.sub(" ", to_simplified(text))


#: a question after the most there may be ("每周最多领几次", "上限是多少", "is there a maximum", "a weekly
#: limit"); the top tier or the highest level is a thing, not a bound, and so is the top a ladder is climbed to
#: ("从入门到最高按顺序列一下")
_ASKS_MAXIMUM = re.compile(r"最多|上限|封顶|最大|最长|最久|(?<![到至])最高(?![级档等点峰])|\bmaximum\b|\bat most\b|\bcap\b|\bmax\b|"
                           # "up to how many"; "from the first level up to the top" spans a range
                           r"\bup to (?:how|what|[¥￥$]?\d)|"
                           r"\blimit\b", re.I)
#: a text that sets a most: a cap, a ceiling, what happens past a figure ("超过 300 件的部分不计佣")
_STATES_MAXIMUM = re.compile(r"最多|上限|封顶|最高|最大|最长|最久|最晚|不超过|不得超过|不能超过|不可超过|不高于|以内|以下|超过|超出|为限|"
                             r"\bat most\b|\bup to\b|\bmaximum\b|\bno more than\b|\bcap(?:ped|s)?\b|\blimit(?:ed|s)?\b|"
                             r"\bexceed|\bover\b|≤", re.I)


#: "哪一个脚趾最大", "which tier pays the most": the thing that is most of all is asked, not a bound ("which
#: bonuses can I claim at most 3 times" still asks one)
_WHICH_IS_MOST = re.compile(r"哪[一个种位些家款类项]*[^，,。；;？?]{0,12}?最[大多高长久重]\s*(?=[，,。；;？?]|$)|\bwhich\b[^?,;]{0,40}\b(?:the )?(?<!\bat )(?:most|largest|biggest|highest|longest)\b",
                            re.I)


def asks_maximum(question: str) -> bool:
    """The question asks the most there may be of something."""
    simple = to_simplified(question)
    return bool(_ASKS_MAXIMUM.search(simple)) and not _WHICH_IS_MOST.search(simple)


#: a question after the mark that passes a test ("多少分算通过", "要拿几分才算过", "what score do I need to pass")
_ASKS_PASS_MARK = re.compile(r"(?:多少|几)\s*分(?!钟)[^\s，,。；;？?！!]{0,3}?(?:通过|及格|合格|过关|算过|过(?![期后了]))|(?:及格|合格|通过)(?:线|分数线|分数|分)\S{0,2}?(?:多少|几)|"
                             r"\bpass(?:ing)? (?:mark|score|line|grade|threshold)\b|\bscore\b[^?]{0,30}\bto pass\b", re.I)
#: a mark and, in its clause, that it passes ("80 分及格", "答对 12 题算通过", "及格线为 60 分", "pass with 80%")
_A_SCORE = rf"{_NUM}\s*(?:分(?!钟)|题|道|%|points?|marks?|questions?)"
_PASSES = r"及格|通过|合格|过关|算过|达标|\bpass"
_STATES_PASS = re.compile(rf"{_A_SCORE}[^，,。；;]{{0,8}}?(?:{_PASSES})|(?:{_PASSES})[^，,。；;]{{0,8}}?{_A_SCORE}", re.I)


def asks_pass_mark(question: str) -> bool:
    """The question asks what mark passes a test."""
    return bool(_ASKS_PASS_MARK.search(to_simplified(question)))


def states_pass_mark(text: str) -> bool:
    """``text`` states a mark and that it passes: "信用分不低于 9 分" is a requirement of another score, no pass mark."""
    return bool(_STATES_PASS.search(to_simplified(text)))


#: a text that says there is no ceiling ("上不封顶", "no cap"): the answer to "is there a maximum?"
_NO_MAXIMUM = re.compile(r"不设上限|没有上限|无上限|不封顶|没有限制|无限制|不限|\bno (?:upper )?(?:limit|cap|maximum)\b|\bunlimited\b",
                         re.I)
#: a figure, in digits or in Chinese numerals; 一 only as a count ("最多一次"), not in "下一个月" or "统一"
_FIGURE = re.compile(r"\d|[二两三四五六七八九十百千万]|(?<![下上第同另唯统单之])一\s*[次件篇条张份人位名单笔个]")


#: the number of a count, in figures, Chinese numerals or an English word ("12", "十二", "twelve")
_COUNT_NUMBER = rf"(?:{_NUM}|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)"


def states_maximum(text: str, unit: str = "") -> bool:
    """``text`` sets an upper bound: a figure under a ceiling word ("每月最多 5 次", "超过 300 件的部分"),
    or says there is none. Evidence that only sets a floor ("不少于 50 人", "200 人及以上") says nothing
    of a maximum, and a ceiling word without a figure ("超出套餐额度的用量另行计费") caps something it
    does not state; the band one occasion holds ("每场 6 到 12 位") has its top for a maximum. Given the
    ``unit`` the maximum is asked in (people), a ceiling on a count of other
    things ("每人最多建 2 个群" beside "群成员不少于 50 人") caps something else."""
    t = to_simplified(text)
    if _NO_MAXIMUM.search(t):
        return True
    if not unit or unit == COUNTED_THINGS:
        return bool(_STATES_MAXIMUM.search(t) and _FIGURE.search(t) and states_count(unit, t))
    # the ceiling must be on the count asked: "到场 6 人及以上的…，每月最多 3 场" caps sessions, not guests; a count
    # "within" which something happens ("点击后 10 天内下单") is a ceiling on it
    count = (rf"{_COUNT_NUMBER}\s*[万千百十]*\s*(?:个|位|名)?\s*"
             rf"(?:{'|'.join(unit_forms(unit))})(?![a-z])")
    # …or the top of the band one occasion holds: "每场 6 到 12 位参加者" takes 12 at most (a band recommended,
    # "一名运营管理 30 至 50 名成员", bounds nothing)
    span = rf"[每一](?:场|次|期|组|团|班|节|批)\s*{_COUNT_NUMBER}\s*(?:到|至|~|～|-|–)\s*{count}"
    return bool(re.search(rf"(?:{_STATES_MAXIMUM.pattern})[^，,。；;]{{0,8}}?{count}|{count}\s*之?内|{count}[^，,。；;]{{0,4}}?"
                          rf"(?:以内|以下|为限|封顶|上限|at most|max(?:imum)?)|{span}", t, re.I))


def weighs_a_figure(question: str) -> bool:
    """The question states a sum of its own and asks yes or no ("这期佣金才五十多块，能提现吗？"): what
    answers it is the rule's bound on that sum, whatever else the rule says."""
    simple = to_simplified(question)
    return bool(STATED_MONEY.search(simple)) and bool(_YES_NO.search(simple))


def states_bound(text: str) -> bool:
    """``text`` sets a bound on an amount (a minimum, a cap, a threshold)."""
    return bool(_BOUND.search(to_simplified(text)))


#: "one" that counts nothing: the same one, the first, each one ("同一位", "第一个月", "每一位")
_NO_COUNT = re.compile(r"[同第每唯]一(?=\s*[个位名件次篇条])")
#: "one" as an article ("是一个新锐品牌", "有一家门店"), which counts nothing
_ARTICLE = re.compile(r"(?<=[是有为])一[个家款种位名]")
#: the unit of a count that names no measure ("招了多少个推广员", "how many KOCs"): things, counted
COUNTED_THINGS = "things"


#: words that stand where a count would and give none ("各若干袋", "少量几张", "一些名额"): the handbook
#: names the unit and leaves the number open
_VAGUE_QUANTITY = r"(?:若干|一些|少许|少量|适量|不定量)"


def states_vague_count(unit: str, text: str) -> bool:
    """``text`` gives a count in one of ``unit``'s forms as a vague quantity ("内容: 各若干袋"): what is
    asked in that unit is left open, whatever other counts the sentence states (a box of 10 pieces
    does not say how many of each flavour). False when no unit (or only things) is asked."""
    if not unit or unit == COUNTED_THINGS:
        return False
    forms = "|".join(re.escape(form) for form in unit_forms(unit))
    return bool(re.search(rf"{_VAGUE_QUANTITY}\s*(?:个|位|名)?\s*(?:{forms})(?![a-z])", to_simplified(text), re.I))


def states_count(unit: str, text: str) -> bool:
    """``text`` states a count in one of ``unit``'s forms (a class of ``UNIT_CLASSES`` or
    ``EN_COUNT_UNITS``), or a head count ("社群人数: 80") for people; True when no unit is asked.
    Things counted (``COUNTED_THINGS``) are not counted by a sum of money, a share or a date:
    "零售价 199 元", "退货率 7%" and "2023 年 5 月" answer other questions."""
    if not unit:
        return True
    if unit == COUNTED_THINGS:
        t = to_simplified(text)
        for kind in ("amount", "percentage", "year", "day"):
            t = _EVIDENCE[kind].sub(" ", t)
        t = _ARTICLE.sub(" ", t)
        return bool(_EVIDENCE["number"].search(t))
    forms = unit_forms(unit)
    t = _NO_COUNT.sub(" ", to_simplified(text))
    return bool(re.search(rf"{_COUNT_NUMBER}\s*[万亿千百十]*(?:多|余|来)?\s*"
                          rf"(?:个|位|名)?\s*(?:{'|'.join(forms)})(?![a-z])", t, re.I)) or (
        "人" in forms and bool(re.search(r"人数[^。；]{0,8}\d", t))) or (
        "粉丝" in forms and bool(re.search(r"粉丝数?[^。；]{0,8}\d", t))) or (
        "名额" in forms and bool(re.search(r"名额[^。；]{0,16}\d", t)))
