"""The intent router: which path a question takes, decided in code, never by the chat model.

Order of decisions (first match wins):
1. security: asking for the system prompt / tokens, "ignore your rules", or another KOC's data;
2. keyword rules in zh/en for each personal tool (with arguments parsed by ``numbers``/``catalog``),
   the HQ tools, content requests and small talk;
3. embedding similarity to labelled example questions (``router_examples``).

Every route carries a confidence. ``Route.unsure`` (confidence below ``UNSURE_BELOW``) is the
only situation in which the agent may take a chat model's own tool choice instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import numpy as np

from tools.catalog import ProductRef, mentioned_product
from tools.lc_tools import TOOL_NAMES_HQ, TOOL_NAMES_KOC
from knowledge.embeddings import embed_queries
from base.language import detect_language, to_simplified
from assistant.answer_focus import RELATIONS, focus_nouns, heads_a_compound
from assistant.answer_type import STATED_MONEY, asked_list_size, question_shape
from assistant.content_request import asks_to_write, is_post_check
from assistant.follow_up import names_next_tier, rungs
from assistant.offline import question_parts, reports_a_rule
from assistant.numbers import GOODS_MEASURES, ZH_NUM, count_before, extract_month, extract_quantity, number_word, numeral
from assistant.router_examples import EXAMPLES
from assistant.security import KOC_ID_RE, koc_ids_in

Intent = Literal["rules", "content", "tool", "hq_tool", "smalltalk", "cross_koc", "secret", "internal"]

KOC_TOOLS = TOOL_NAMES_KOC
#: the tools only an HQ session has (``tools.lc_tools`` names them; the router follows)
HQ_TOOLS = tuple(name for name in TOOL_NAMES_HQ if name not in TOOL_NAMES_KOC)
#: the lookups of the asker's own records: never the answer to a question about the rules
RECORD_LOOKUPS = ("get_my_earnings", "get_my_tier_progress", "get_my_competition_rank", "get_my_trials")
UNSURE_BELOW = 0.6
#: below this a similarity match to a personal lookup (earnings, tier, rank, trials) is not trusted at all
UNSURE_FOR_A_LOOKUP = 0.4

#: the asker in person: 我们 / 咱们 speak for a team or a brand, whose records are not a KOC's ledger
_PERSONAL = r"(我(?!们)|俺|本人|咱(?!们)|\bi\b|\bi'm\b|\bi've\b|\bmy\b|\bme\b|\bmine\b)"
#: "我想知道… / I'd like to know…" frames a question; its 我 says who asks, not whose records
_ASKING_FRAME = (r"(我(?:想|很想|想要)?(?:知道|了解|问问?|请教|咨询)(?:一下)?|我(?:有个|有一个)问题|"
                 r"\bi(?:'d| would)? (?:want|like|love) to (?:know|ask|understand)\b|\bi wonder\b)")
#: what is usual, advisable or how a scheme is made up ("一般给多少", "应该设几级", "由哪几部分组成"):
#: a question about programmes in general, which the handbooks answer, never a ledger
_NORM = (r"(一般|通常|普遍|合适|应该|应当|该怎么|该如何|比较好|建议|行业|由哪|组成|怎么设|设多少|设几|"
         r"\b(?:typically|usually|normally|in general|on average|should (?:we|i|a brand|brands))\b)")
_MONEY = r"(赚|收入|收益|佣金|提成|分成|分润|抽成|返佣|钱|earn|income|commission|money|made|make|payout)"
_HOW_MUCH = (r"(多少|几|总共|合计|查一下|查查|看看|看一下|明细|how much|what (are|were|is|was) my|show|total|so far|check|"
             r"what did i|have i (earned|made))")
#: the words for money earned; 钱, money and make alone may be any sum, a price or a cost as well
_EARNED = r"(赚|收入|收益|佣金|提成|分成|分润|抽成|返佣|earn|income|commission|payout|\bmade\b)"
#: a price or a cost ("出厂价多少钱", "what does a frame cost"): what a thing sells or is made for
_PRICE = r"(价|成本|\bcosts?\b|\bpric(?:e|es|ed)\b|\bretails?\b)"
_NOT_EARNINGS = r"(to earn the|earn an? |earn the|红包|奖励|奖品|reward|prize|bonus|must|需要达到|才能)"
#: "if / what if": a hypothetical asks what the rules would do, not what the asker's records say
_HYPOTHETICAL = r"(要是|如果|假如|假设|万一|\bif\b|what if|suppose|\bwhen (?:a|an|someone|somebody|anyone|one of my)\b)"
#: an external distributor's rate: a kind every programme of this sort has (the policy's ``external``)
_EXTERNAL = r"(外部分销|分销商|外部经销|external distributors?|outside distributors?)"
#: quoted labels ("小程序“我的收益”里…") name a screen, they do not make a question personal
_QUOTED = r"(“[^”]{0,20}”|「[^」]{0,20}」|‘[^’]{0,20}’|\"[^\"]{0,20}\"|《[^》]{0,40}》)"  # 《…》: a title, "I" in it no asker
_RULE_WORDS = r"(哪几种|几种|what kinds?|which kinds?|what types?|怎么算|怎么计算|如何计算|怎么处理|如何处理|怎么办|规则|为什么|为啥|什么时候|何时|会怎样|会不会|how is|how are|how does|when (is|are|do|will)|why|what happens|rule)"
_SELL = r"(卖|销售|售出|出单|sell|selling|sold)"
_TIER = r"(升级|晋级|下一级|下一个等级|等级|级别|tier|promot(?!ional)|level)"  # the brand's own tier names are added per router
#: a past participle, regular or one of the common irregular ones ("be given away", "get paid")
_PARTICIPLE = (r"(?:[a-z]+ed|given|taken|paid|sent|sold|made|kept|held|done|shown|written|seen|frozen|split|set|cut|"
               r"put|lost|won|spent|bought|told|chosen|drawn)\b")
#: a progress lookup names the gap itself; "how do I get promoted" asks for the rule
_GAP = (r"(还差|还缺|差多少|差几|缺什么|缺多少|离.{0,8}(还|多远|差)|进度|还需要|还要多少|\bmissing\b|how far(?! ahead| in advance| before| back)|my progress|"
        r"how close|am i close|do i still need|still need|"
        r"\bhow many more\b[^?？]{0,30}\b(?:until|till|before|to (?:reach|get|hit|make))\b|还要(?:卖|出)?几单|再(?:卖|出)几单)")
#: what any tier asks, or what would happen to a tier: the rule, unless the question names the gap
_TIER_RULE = (r"(条件|要求|标准|门槛|规则|怎么算|怎么定|如何|降级|会不会|requirements?|criteria|conditions?|rules?|"
              rf"decided|calculated|\blose\b|drop|\bhow (?:is|are)\b[^?？]{{0,30}}{_PARTICIPLE}|"
              # what a tier is given ("how many slots do I get at my tier", "the rate for my level"): its row
              r"\b(?:at|for|on|in|with) my (?:current |present )?(?:tier|level)\b|"
              # what a tier gives ("我这个等级有什么权益", "what perks does my tier unlock"): the table of benefits
              r"权益|福利|特权|好处|benefits?|perks?|privileges?|unlocks?|"
              # the tier an activity requires ("直播最低要什么等级", "what tier do I need to go live"): the rule's
              r"(?:要|需要|得)(?:是|达到|到)?(?:什么|哪个|哪一?)(?:等级|级别)|(?:什么|哪个)(?:等级|级别)(?:才|就)(?:能|可以)|"
              r"\bminimum (?:tier|level)\b|\bwhat (?:tier|level) do i need\b|\b(?:tier|level) (?:is )?(?:required|needed)\b)")
#: an English question asks for the asker's standing when it asks what their tier is ("what's my current
#: tier?", "which level am I on?"); "my tier" in a question about what it is given, how it is reviewed or
#: what keeps it asks a rule of that tier
_EN_STANDING = (r"(?:\b(?:what|which)(?:'s| is)|\bshow(?: me)?|\btell me|\bcheck) my (?:current |present )?(?:tier|level)"
                r"(?: now| right now| at the moment| currently| today)?\s*[?.!]*\s*$|"
                r"\b(?:what|which) (?:tier|level) am i\b")
_PROGRESS = rf"({_GAP}|距离|什么等级|哪个等级|几级|{_EN_STANDING}|才能升)"
#: how much a sale brings the asker, said without a word for money ("能拿多少", "what would that pay")
_HOW_MUCH_PAID = r"(拿多少|得多少|有多少|多少钱|\bhow much\b|\bwhat would (?:that|it|they|this) (?:pay|bring)\b)"
#: what a count of goods would pay, said with the goods as the subject ("what would 3 more X pay?")
_WHAT_GOODS_PAY = r"\bwhat (?:would|will|do|does) .{1,60}?\b(?:pay|bring in|bring)\b(?! (?:for|if)\b)"
#: the asker's own next or last payout is a record in the ledger, whatever question word asks for it
_MY_PAYOUT = (r"(\bmy (?:next|last|upcoming|previous) (?:payout|settlement|payment)\b|"
              r"我的?(?:下一次|下次|上一次|上次)(?:结算|发放|到账|打款))")
#: whether money was paid ("发了吗", "结算了没有", "has it been paid yet"): of a named month's commission, the
#: asker's record says (settled or still pending); of commission in general ("每个月发吗"), a rule
_PAID_YET = (r"((?:发|结算|结|打款|打|到账|付|支付|转)(?:给我)?(?:了|过)|没有?(?:发|结算|打款|到账)|"
             r"\b(?:has|have|was|were|is|are) [^?？]{0,40}\b(?:been )?(?:paid|settled|sent|transferred)\b|\byet\b)")
#: the asker's own refunds ("我这个月有退款吗", "did any of my orders get refunded"): the earnings record counts them
_REFUNDED = r"(退款|退货|退单|被退|\brefund(?:s|ed)?\b|\breturned\b)"
_ANY_OF_THEM = r"(有没有|有[^，,。？?]{0,8}[吗么]|几笔|多少笔|几单|多少单|\bany\b|\bhow many\b|\bhow much\b|\bdid\b|\bwere\b|\bwas\b)"
_MY_ORDERS = r"(我的订单|我的单|\bmy (?:orders|sales)\b)"
#: what a tier brings its holder: perks, benefits, privileges ("我现在这个等级有什么福利", "what do I get at my level")
_PERKS = (r"(福利|权益|待遇|特权|好处|能享受|可以享受|有什么用|\bperks?\b|\bbenefits?\b|\bprivileges?\b|\bentitled\b|"
          r"\bwhat do i get\b|\bwhat does [^?？]{0,20}\b(?:give|offer)\b)")
#: another tier than the asker's own ("下一级", "the next level"): a rule about that tier, not about the asker's
_OTHER_TIER = r"(下一|下个|更高|上一|升到|升级|晋级|\bnext\b|\bhigher\b|\btop\b|\bpromot)"
#: the asker's own tier as a question names it ("我现在这个等级", "my current level"), to be replaced by its name
_MY_TIER_ZH = re.compile(r"我(?:现在|目前|当前)?(?:的|所在的?)?(?:这个|这一|这)?(?:等级|级别)")
_MY_TIER_EN = re.compile(r"\bmy (?:current |present |own )?(?:tier|level)\b", re.I)
#: the asker's own commission multiplier ("我现在的佣金系数", "my multiplier"): the tier lookup states it;
#: whether a sale is multiplied ("这个也乘等级倍率吗") is a rule
_MY_MULTIPLIER = (r"(我(?:现在|目前|当前)?的?(?:佣金|等级)?(?:系数|倍率|加成)|"
                  r"\bmy (?:current |present )?(?:commission |tier |level )?multiplier\b)")
#: the asker's multiplier asked for in one clause ("我的系数是多少", "what's my multiplier"); in a clause of its own
#: it is what another part's figure is multiplied by ("…per order, and is it multiplied by my tier multiplier?")
_ASKS_MY_MULTIPLIER = (rf"((?:多少|几|什么|\bwhat\b|\bhow much\b)[^,，;；?？]*{_MY_MULTIPLIER}|"
                       rf"{_MY_MULTIPLIER}[^,，;；?？]*(?:多少|几|什么|\bwhat\b|\bhow much\b))")
#: how many orders the asker sold in a month ("这个月我卖了几单", "how many orders have I sold"): the earnings record counts them
_ORDERS_SOLD = (r"((?:卖|出|成交|下)了?(?:多少|几)(?:单|笔)|(?:多少|几)(?:单|笔)(?:订单)?了|"
                r"\bhow many (?:orders|sales)\b[^?？]{0,30}\b(?:have|did|had) i\b)")
#: the asker's own place in a contest ("my current rank", "我现在的名次"): what it wins is in the lookup
_MY_PLACE = r"(\bmy (?:current |present )?(?:rank|place|position|ranking)\b|我(?:现在|目前)?的?(?:排名|名次))"
#: "how much can I earn": what the programme pays in general, not what the asker's ledger holds
_POTENTIAL = (r"(能赚|能拿|能挣|能得|能有|可以赚|可以拿|可以挣|可以得|可以有|会赚|会拿|可能赚|(?:会|将)(?:涨|增加|多|变|提高)|"
              r"\b(?:can|could|would|will|might) (?:i|one|a koc|you) (?:earn|make|get)\b)")
#: what one sale pays ("how much commission do I get on a yoga mat?", "每台有多少提成"): a rate or an estimate
_PER_ITEM = (rf"(\b(?:on|for|per|from)\s+(?:a|an|each|every|one|1)\b|每(?:一)?[{GOODS_MEASURES}单笔]|"
             # "per order", "per sale": a bare "per" before anything but a stretch of time ("per month")
             r"\bper (?!(?:month|week|day|year|quarter|period|cycle)s?\b)[a-z]+)")
#: a record already made ("did I", "赚了", "so far"): the ledger, whatever the question counts in
_RECORDED = r"(\bdid i\b|\bhave i\b|\bi've\b|\bso far\b|(?:赚|拿|挣|收|得|到账|入账)了|到目前|截至|累计|一共|总共|合计)"
#: a customer's doing ("买家要退货…", "if a customer returns it"): a scenario for the rules, not a record
_CUSTOMER = r"(顾客|买家|客户|粉丝|\b(?:a|the) (?:customer|buyer|fan)s?\b)"
#: a threshold ("what's the lowest amount sent out", "收益要够多少才转账"): a rule's figure, not the asker's record
_THRESHOLD = (r"(\bminimum\b|\bmaximum\b|\bat least\b|\bat most\b|\bthreshold\b|\bcap\b|最低|最少|最多|起付|门槛|上限|"
              r"封顶|满多少|多少才|\b(?:smallest|largest|lowest|highest|least|most) (?:amount|sum|payout|balance)\b)")
#: what the rules require of the asker ("which date must I sign it by", "必须…吗"): a rule, not a record
_OBLIGATION = (r"(\b(?:do|would|will|did) i (?:need|have) to\b|\bmust i\b|\bam i (?:required|supposed|expected) to\b|"
               r"\bi (?:must|have to|need to)\b|必须|是否需要|需不需要|要不要|得在)")
#: a question asking how long or how often ("how many days do I get to post…"), or at what rate
#: ("我的佣金比例是多少"), asks for a rule; a personal record holds amounts, ranks, statuses and due
#: dates, not periods or rates
_RULE_ANSWERS = ("duration", "frequency", "age", "percentage")
#: how a process treats a record ("does my commission get taxed?", "how do my reviews get approved?",
#: "审核"): the rule it follows; "did it get approved" and "has it been" ask the record's state
_PROCESS = (rf"(\b(?:do|does|is|are|will|would|can)\b[^?？]{{0,40}}\b(?:get|gets|be)\s+{_PARTICIPLE}|"
            # how a record is treated, asked as its state ("is my commission taxed?")
            r"\b(?:is|are) (?:my|the|our) [^?？]{0,30}\b(?:taxed|capped|rounded|counted|calculated|withheld)\b|"
            r"审核|审批|怎么审|批准)")
#: where to look a record up ("where do I see my earnings", "在哪里能看到我的收益"): the page that shows it
_WHERE_TO_SEE = (r"(\bwhere (?:do|can|should|would|will) i (?:see|find|check|view|look|track)\b|"
                 r"(?:在哪|哪里|哪儿|什么地方)(?:里|儿)?(?:能|可以|去)?(?:看|查|找))")
#: how to do something with a record ("how do I withdraw my earnings?"): the steps are a rule; asking how
#: to see it ("how can I check my earnings?") still asks for the record
_HOW_TO_ACT = (r"(\bhow (?:do|can|should) i (?!see\b|check\b|view\b|know\b|find out\b|look\b|tell\b)|"
               r"(?:要|该|应该|得)(?:怎么|怎样|如何)(?!查|看|知道|这么|那么)[\u4e00-\u9fff]|"
               # whom to turn to about a record ("who do I contact?", "找谁"): the rule names them
               r"\bwho (?:do|can|should) i (?:contact|ask|talk to|reach|email|write to|complain to)\b|"
               r"\bwho(?:m)? (?:to|should i) (?:contact|ask|talk to)\b|(?:找谁|联系谁|问谁|向谁|跟谁|和谁)(?:反映|申诉|投诉|说|联系|问)?)")
#: what an event would take from the asker's pay or add to it ("退了会少多少", "迟交会扣多少钱", "要扣多少税",
#: "升级以后能多拿多少", "how much more", "what fee"): the rule's figure; the ledger holds what was earned, not
#: what an event would change ("上个月被扣了多少" asks the record, and no modal precedes it)
_WOULD_CHANGE = (r"((?:会|要|得|将)(?:被)?(?:扣|少|减|罚|收|交)|能?多(?:拿|赚|得|挣)|扣[^，,。？?]{0,4}税|手续费|"
                 r"\bhow much more\b|\b(?:would|will) i (?:lose|pay|be charged)\b|\bdeduct(?:ed|ion)?\b|\bfees?\b|"
                 r"\bpenalt(?:y|ies)\b|\bfined?\b)")
_HOW_TO = r"(怎么|怎样|如何|how (?:do|can|should|would) i\b|what (?:do|should|must) i (?:need to |have to )?do\b)"
#: ("standing" only in a contest: "is my account in good standing?" asks no rank)
_RANK = (r"(排名|排第|第几|名次|排在|\brank|ranking|standing in (?:the |this |my )?(?:\w+ )?(?:contest|competition)|"
         r"position|where am i|what place)")
_RANK_RULES = (r"(奖品|奖励|奖金|什么奖|prize|reward|what do (?:i|you|we|winners?) get|\bwin\b|能拿到?什么|能得到?什么|怎么排|怎么算|如何计算|怎么计算|算出来|规则|要求|条件|才能|需要|"
               r"how (is|are) .*(rank|calculated|decided)|rules?|need to|required|requirements?)")
#: how many of something the asker may take ("这个月能申请几个试用", "how many trials can I apply for"): the
#: allowance is a rule; the record lists what was taken
_ALLOWANCE = r"((?:能|可以)(?:申请|领|拿|借)(?:几|多少)|\bhow many [^?？]{0,30}\b(?:can|may) i\b)"
#: how much of a period is left to the asker ("还剩几天交稿", "how many days are left"): their record's due
#: date, whereas "how long do I have to post it" asks the rule's period
_TIME_LEFT = r"(还剩|还有几天|还有多久|剩下|剩余|\bleft\b|\bremaining\b|\bstill have\b)"
_TRIALS = r"(试用(?!期)|测评|体验品|评测|\btrials?\b|review due)"  # 试用期: a product's trial period
#: "我的" counts only before the trial itself ("我的测评"): "寄给我的运费" is not about the asker's trials
_TRIAL_PERSONAL = (r"(哪些|什么时候|到期|状态|几个|截止|还有|do i have|status|due|my trials?|my reviews?|"
                   r"我的.{0,4}(?:试用|测评|体验品|评测))")
#: what a rule says about a record rather than the record itself: what a word in it means ("冻结是什么意思"),
#: what it is reckoned by ("按什么算"), what must be done with it ("试用品要寄回去吗"; "还有要交的…吗" asks
#: what is still due), where it goes or how it is written ("测评发在哪个平台", "写多少字": no record holds
#: that), tax taken from it, or when a period of it turns over ("when does the ranking reset")
_ABOUT_A_RECORD = (r"(什么意思|啥意思|是指什么|指的是什么|\bwhat does [^?？]{1,40}\bmean\b|\bwhat is meant by\b|"
                   r"按什么|依据什么|根据什么|怎么算|怎么计算|如何计算|\bbased on\b|"
                   r"\bhow (?:is|are) [^?？]{0,30}\b(?:calculated|counted|decided|worked out)\b|"
                   r"(?<!还有)(?<!还)需?要[^？?，,]{1,10}吗|扣税|个税|\btax(?:ed|es)?\b|"
                   r"(?:发|交|提交|上传|投|打|转|汇|到账)(?:在|到)哪|哪个平台|什么平台|多少字|字数|怎么写|写什么|"
                   r"\b(?:which|what) platforms?\b|\bhow many words\b|\bhow (?:do|should) i write\b|"
                   r"\bwhere (?:do|should|must|can) i (?:post|publish|submit|send|upload)\b|"
                   r"\bwhen (?:does|do|will) [^?？]{0,40}\b(?:reset|restart|expire|renew|roll over)\b)")
#: "may I do this with my …?" ("可以累积到下个月吗", "can I carry … over") asks what the rules allow, not
#: for the asker's records, unless it asks to see them ("可以帮我查一下…吗", "can I see …")
_MAY_I = (r"(可以.{0,20}吗|能[^？?，,不了的]{1,8}吗|能不能|可不可以|能否|是否可以|允许|\b(?:can|may|could) i\b|\bam i allowed\b|"
          # what may be done with one's things or by one's people ("can my sample be given away?", "can my
          # husband run my account?")
          r"\b(?:can|may|could) (?:my|our) )")
_SEE = r"(查|看|列出|告诉我|显示|\b(?:see|seen|check|view|look up|look at|show|shown|list|tell me)\b)"
_SEARCH = r"(搜索|搜一下|搜一搜|查找|查询|查一下|查查|找一下|找找|search|look up|find).{0,12}(商品|产品|product)"
#: KOCs about to lose something, asked by HQ ("哪些KOC有被淘汰的风险", "which KOCs are at risk")
_AT_RISK = (r"(风险|危险|快被淘汰|要被淘汰|可能被淘汰|快被拉黑|逾期|没交|未交|考核不达标|考核不合格|"
            r"\bat[- ]risk\b|\bin danger\b|\boverdue\b|\babout to (?:be )?(?:lose|lost|suspended|blacklisted|eliminated)\b|"
            r"\bfailing\b)")
#: the best sellers of a month, asked by HQ ("销售额最高的5个KOC", "top sellers this month")
_TOP_SELLERS = (r"(销售额最高|销售额前|卖得最好|卖得最多|业绩最好|业绩最高|销量最高|销量最好|排名前|前\s*\d+\s*名|"
                r"\btop[- ]?(?:sellers?|selling|performers?|performing|earners?|\d+)\b|\bbest[- ](?:sellers?|selling|performers?|performing)\b|"
                r"\b(?:highest|most) (?:net )?sales\b|\bsold the most\b)")
_NEAR_PROMO = r"(快|接近|即将|临近|马上|差一点|close|near|almost|about to|nearly)"
_WHICH = r"(哪些|哪几|谁|几个|多少个|多少位|which|who|list|how many|列出|名单)"
_OTHERS = (r"(别人|别的koc|其他koc|其他人|其它人|其他达人|所有koc|所有人|每个koc|大家的|全部koc|everyone|"
           r"other kocs?|another koc|someone else|somebody else|all kocs?|each koc|every koc|"
           r"\b(?:list of|all) (?:the )?(?:\w+ ){0,2}kocs\b|\bkocs\b.{0,12}\btheir\b|koc(?:的)?名单|达人名单)")
#: which KOCs are in some state now ("which KOCs are about to be removed", "哪些KOC快被淘汰了"): a list of
#: people, whereas which KOCs *may* do something ("哪些KOC可以参加比赛") is a rule
_WHICH_KOCS = r"(\b(?:which|what) kocs\b|哪些koc|哪几个koc|哪几位koc|哪些达人|哪些推广员)"
_STATE_NOW = (r"(about to|are being|will be|have been|were|right now|currently|this month|at the moment|"
              r"快要|快被|即将|马上|正在|已经|现在|目前|本月|这个月|被)")
_ELIGIBLE = r"(可以|能|需要|才能|eligible|\bcan\b|\bmay\b|allowed|qualify|need to|must)"
_OTHERS_DATA = r"(收入|佣金|赚|收益|排名|数据|销售|名单|earn|income|commission|data|rank|sales|token|\bnames?\b)"
#: whoever holds a place in a ranking ("排名第一的是谁", "who is in first place", "前十名的销售额") is another
#: KOC: a ranking names people only by their place in it
_PLACE = r"(排名第[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+名|前[一二三四五六七八九十\d]+名|冠军|榜首)"
#: what identifies a person: asked of the places in a ranking ("前五名的编号和金额"), it asks who holds them,
#: whatever the programme calls its KOCs
_WHO_ID = r"(谁|哪位|哪些人|名字|名单|叫什么|编号|昵称|联系方式|手机号|微信号|\bids?\b)"
_WHO_RANKS = (rf"{_WHO_ID}.{{0,20}}{_PLACE}|{_PLACE}.{{0,12}}{_WHO_ID}|{_PLACE}的?(koc|达人|是谁|叫|卖|赚|销售|收入|佣金)|"
              r"(谁|哪位).{0,6}(卖|赚)得?最多|"
              r"\bwho(?:'s| is| was| are| were)? (?:currently |now )?(?:ranked |placed |in |at )?(?:the )?"
              r"(?:first|top|number one|no\.? ?1|#\d+|leading|1st|2nd|3rd|second|third)\b"
              # …as a place, not as the first word of a name ("who was First Presbyterian Church leased to")
              r"(?=\s*(?:place|position|spot|on\b|in\b|among|this|last|now|right now|kocs?\b|sellers?|earners?|"
              r"performers?|[?？.,!]|$))|"
              r"\b(?:top|first) (?:\d+|two|three|four|five|ten)\b.{0,50}\b(?:ids?|names?|nicknames?|phone numbers?|contacts?)\b|"
              r"\bwho (?:sold|earned|made|sells|earns) the most\b|\b(?:top|best)[- ](?:selling|earning|ranked|performing) kocs?\b")
#: a person's figures, in Chinese (each check below adds the words of its own phrasing)
_FIGURES = "赚|收入|佣金|提成|收益|销售额|业绩|排名|分润"
#: another person's figures by pronoun or by pointing at them ("她上个月的佣金有多少", "她上个月拿了多少佣金", "那个人的提成是多少",
#: "what has he earned")
_HE_OR_SHE = r"(?<!其)(?:她|他)(?!们)"  # one person: not 其他, not 他们
_A_TIME_TOLD = r"(?:这个月|本月|上个月|这周|今年)?"
_THIRD_PERSON_DATA = (rf"(?:{_HE_OR_SHE}|(?:那|这)(?:个人|位)|对方){_A_TIME_TOLD}[拿领得]?.{{0,3}}(?:{_FIGURES}|卖|记录|明细|账单|账户)|"
                      # what they got, by what they got it from ("她上个月比赛拿了多少"), and what is left in their wallet
                      rf"{_HE_OR_SHE}{_A_TIME_TOLD}.{{0,4}}(?:拿了|赚了|挣了|领了)(?:多少|几)|"
                      rf"{_HE_OR_SHE}.{{0,10}}余额(?:还有|还剩|剩|有|是)?多少|"
                      rf"{_HE_OR_SHE}(?:这个月|本月|上个月|现在|目前)?的?(?:钱包|账户|账号)?的?余额|"
                      r"\b(?:she|he)\b.{0,12}\b(?:earned|earns|sold|sells|made)\b|"
                      r"\b(?:her|his)\b (?:earnings|sales|commission|income|rank|ranking|payout)")
#: someone the asker knows: a friend's, a relative's or a downline's figures are another KOC's data
_RELATION = (r"(" + "|".join(sorted(RELATIONS, key=len, reverse=True)) + "|"
             r"上级|下级|上线|下线|徒弟|师傅|队员|团队成员|推荐人|邀请人|(?:推荐|邀请|介绍)我的(?:那个|那位)?人|"
             r"(?:我们|我的|我们的)(?:群主|团队|小组|战队)|\b(?:friends?|sisters?|brothers?|wife|husband|"
             r"mom|mother|dad|father|colleagues?|co-?workers?|roommates?|cousins?|downlines?|uplines?|referrer)\b|"
             r"\bthe kocs? (?:who|that|i)\b)")
#: what reaches a person: their phone, WeChat, address or ID (a KOC's promo code is public: customers use it)
_CONTACT = r"手机号|电话号码|微信号|住址|家庭地址|身份证号?|联系方式"
_RELATION_DATA = (rf"{_RELATION}.{{0,14}}({_FIGURES}|{_CONTACT}|卖了|明细|"
                  r"\b(?:earn|earned|earns|made|sold|sales|commission|income)\b)|"
                  # "how much commission did the KOC who referred me make?": the figure asked first, the person after
                  rf"\b(?:commission|earnings|income|sales)\b.{{0,12}}\b(?:did|does|has|have)\b.{{0,4}}{_RELATION}.{{0,30}}\b(?:make|earn|get|receive)\b|"
                  rf"\b(?:commission|earnings|sales|income|rank|ranking|account|data)\b.{{0,20}}\bof\b.{{0,12}}{_RELATION}")
#: …unless the figure asked is the asker's own, from what the person did ("徒弟卖的单我有没有提成"): a rule
_OWN_FROM_RELATION = rf"{_RELATION}.{{0,14}}我(?:的|也|还|都)?(?:有没有|有|能|会|可以|拿|得)?[^，。？?,他她]{{0,3}}?({_FIGURES})"
#: someone the asker knows and their account or standing ("我朋友是什么等级", "my sister's account"): theirs to
#: see, unless the question asks what the rules allow ("我老公可以帮我代运营账号吗", "还能重新报名吗")
_RELATION_ACCOUNT = (rf"{_RELATION}.{{0,14}}(账号|账户|等级|级别|\b(?:account|rank|tier)\b)|"
                     rf"\b(?:account|rank|tier|level)\b.{{0,16}}\b(?:my|our) {_RELATION}")
#: a member's contact details asked for ("所有推广员的手机号", "the phone number of the top seller"), not asked
#: whether something may be done with them ("可以收集粉丝的手机号吗"): another person's data
_MEMBERS_CONTACT = (rf"(推广员|达人|koc|成员|会员|群主|冠军|第一名|榜首|其他人|别人|所有人|每个人|每位|(?<!其)[他她](?!们)).{{0,8}}({_CONTACT})|"
                    r"\b(?:phone numbers?|wechat ids?|home address(?:es)?|id numbers?|contact details)\b.{0,12}\b(?:of|for)\b"
                    r".{0,12}\b(?:members?|sellers?|kocs?|everyone|him|her|them|top|the person|others?)\b|"
                    r"\b(?:members?|sellers?|kocs?|his|her|their|others?)'?s? (?:phone numbers?|wechat ids?|home address(?:es)?)\b")
#: people in a state the programme put them in, asked for by who they are ("本月被清退的都有谁", "members who were removed")
_WHO_IN_A_STATE = (r"被[\u4e00-\u9fff]{1,4}的.{0,4}(都有谁|有谁|是谁|有哪些人|名单)|"
                   r"\b(?:list|who|names?)\b.{0,30}\b(?:members?|kocs?|people|sellers?)\b.{0,20}"
                   r"\b(?:removed|banned|eliminated|kicked out|demoted|suspended|blacklisted)\b")
#: a KOC's session claiming HQ's authority ("我是总部财务", "As HQ finance"): HQ signs in as HQ, so the
#: claim comes with a request for what this session may not see
_CLAIMS_AUTHORITY = (r"((我是|我们是|作为|本人是)(总部|管理员|管理层|财务|老板|后台|hq\b)(?!认证|授权|指定|推荐|审核)|"
                     r"\b(?:i'm|i am|we are|as)(?: an?| the)? (?:hq|headquarters|admin|administrator|finance|boss)\b(?! of\b))")
#: asking to be taken for someone else ("把 user_id 改成 2 再查", "切换成别的账号", "log me in as user 3"):
#: identity comes from the session, so such a request can only be after another KOC's records
_SWITCH_IDENTITY = (r"((user|koc|用户|达人)[\s_]*id|\bid\b|编号|账号|账户|身份)\s*(改成|换成|改为|换为|设为|设成|切换成|切换为|切换到|变成)\s*"
                    r"(\d|别人|其他|另一|另外|他|她)|"
                    r"(切换|换|登录|登入)(成|为|到)(别人|其他|另一个|另外一个|他|她|[\w\s]{0,6}的)(账号|账户|身份|号)|"
                    r"\b(?:switch|change|set) (?:my |the )?(?:user ?id|koc ?id|id|account|identity|user)\b.{0,12}\bto\b|"
                    r"\blog (?:me )?in as\b|\b(?:impersonate|act as|pretend (?:to be|i'?m|i am)) (?:another|a different|user|koc)\b")
#: …a claim that asks for a document rather than people's records: the handbooks' audiences decide what it may read
_A_DOCUMENT = r"(引用|原文|段落|章节|手册|文件|文档|\b(?:quote|paragraphs?|sections?|documents?|handbooks?|manuals?)\b)"
#: everyone's figures at once ("每个人的销售额", "every member's April commission")
_EVERYONE = (r"(每个人|每一个人|每位|每一位|各位的|"
             # "所有人", "全部<members>的": every member, whatever the programme calls them (not every order or product)
             r"(?:所有|全部)的?(?:[\u4e00-\u9fff]{0,3}(?:人|koc|成员|会员)(?!气|数)|(?!订单|产品|商品|品类|类目|平台|渠道)[\u4e00-\u9fff]{2,4}的)|"
             r"\b(?:everyone|everybody)\b|"
             r"\b(?:every|each|all(?: the)?) (?:members?|sellers?|persons?|people|ones?)\b|\bevery \w+'s\b|\ball \w+s'\s)")
_EVERYONE_DATA = (r"(收入|佣金|收益|销售额|业绩|打款|结算记录|金额|\b(?:earnings|commissions?|payouts?|income|sales|amounts?)\b)")
#: …unless the question asks how the figure is set, which is one rule for all ("每个人的佣金比例一样吗")
_SAME_FOR_ALL = (r"(怎么|如何|规则|比例|标准|上限|下限|最多|最少|能|可不可以|可以|需要|是否|一样|相同|一般|通常|算|计入|包括|包含|"
                 r"\b(?:how|rate|rules?|can|may|limit|cap|maximum|minimum|same|allowed|usually|typically)\b)")
#: how a figure is set for others, which is the rule for everyone ("别人的佣金比例和我一样吗", "what do other KOCs
#: usually earn"), not what one of them holds
_HOW_IT_IS_SET = r"(一样|相同|比例|规则|标准|一般|通常|\b(?:same|rate|rules?|usually|typically|normally)\b)"
#: someone else seeing the asker's records ("其他人能看到我的收入吗", "who can see my earnings?"): a privacy rule
_OTHERS_SEE = (r"((别人|其他人|其他[\u4e00-\u9fff]{1,4}|群主|管理员|粉丝|上级|谁)(能|可以|会)(看到|看见|查到|知道)|"
               r"\bwho (?:can|could|else can) (?:see|view|access)\b|\b(?:visible|shown) to\b)")
#: a person by their place at the top ("佣金最高的那位", "业绩前三的人", "the person ranked second")
_TOP_PERSON = (r"((最高|最多|最好|第一|前[一二三四五六七八九十\d]+)的?(那位|那个人|那几位|那几个人|几位|人们?)|"
               r"\bthe (?:person|member|one|seller|koc) (?:who (?:is|was) )?ranked\b|"
               r"\branked (?:first|second|third|\d+(?:st|nd|rd|th))\b|"
               r"\btop (?:sellers?|earners?|performers?)\b.{0,30}\b(?:their|amounts?|earnings|earned)\b)")
#: figures asked of a person by name ("张伟的收益明细")
_NAMED_DATA = rf"[^，。？?,、]{{0,6}}?({_FIGURES}|{_CONTACT}|明细|账号|账户|'s (?:earnings|sales|commission|income|rank))"
#: what a name set off in quotation marks got ("「小雨手帐」上个月拿了多少佣金"): a record of that person's, even where the
#: name is one the handbooks print (a page's author); a product's name is followed by what it pays, not by what it got
_QUOTED_NAME_EARNED = re.compile(r"[「『“\"]([^」』”\"，。？?]{1,12})[」』”\"][^，。？?,]{0,8}?(?:拿了|赚了|挣了|拿到|赚到)")
#: …unless 我 owns them and nothing joins the two people ("顾客退货了我的佣金会被扣吗"; not "王芳和我的佣金")
_OWN_FIGURES = rf"[^，。？?,、和跟与及比]{{0,6}}?我的?({_FIGURES})"
#: …unless the person is a customer buying through the asker ("我朋友用我的链接买了两瓶")
_BUYS = r"(买|下单|购买|付款|\b(?:buy|bought|buys|purchas\w*|ordered|orders?)\b)"
_SECRET = (r"(system prompt|系统提示|提示词|系统指令|初始指令|开发者指令|你的指令|your instructions|your prompt|"
           r"hidden prompt|\btokens?\b|令牌|api[ _-]?key|密钥|密码|password|secret|bearer)")
#: a KOC asking for HQ's internal information by name (its costs, budgets, internal lists and rules,
#: changes not yet announced): HQ-only whatever an open page happens to say nearby
_INTERNAL = (r"(\b(?:internal|confidential|unannounced|unpublished|non-public)\b|"
             r"内部(?:定|规定|决定|消息|数据|资料|文件|文档|成本|毛利|利润|预算|价格|名单|标准|计划|方案|折扣|手册|指南|员工|人员|上限|设定)|"
             # "内部已经决定要调整": a decision HQ has taken and not announced, however the adverbs run
             r"内部(?:已经|已|早就|早已|都|也)(?:定|决定|确定|敲定)|"
             # "内部的" + what HQ keeps ("内部的筛选手册"); "党内部的一个组织" describes, it asks nothing internal
             r"内部的.{0,10}(?:规定|消息|数据|资料|文件|文档|成本|毛利|利润|预算|价格|名单|标准|计划|方案|折扣|手册|指南)|"
             r"机密|保密(?:资料|信息|文件)|未公开的|还没有?公布|尚未公布|"
             # HQ's own money (its budget, costs, margins) is HQ's business, however it is asked
             r"总部.{0,12}(?:预算|成本|毛利|利润)|\b(?:hq|headquarters)(?:'s)?\s+(?:\w+\s+){0,2}(?:budgets?|costs?|margins?|profits?)\b|"
             # plans HQ has not announced, asked in English ("a codenamed project", "what are you planning to…")
             r"\bcode-?named\b|\bcode ?names?\b|\b(?:are you|is hq|is the brand|are they) (?:planning|going) to\b)")
_INJECTION = (r"((忽略|无视|忘记|忘掉|不要管|跳过).{0,20}(规则|指令|设定|限制|要求|提示)|"
              r"(ignore|disregard|forget|override|bypass).{0,30}(instructions|rules|prompt|above|previous|guardrails)|"
              r"developer mode|jailbreak|dan mode|你现在是|you are now)")
_CONTENT = (r"(选题|标题|文案|写一|写个|帮我写|起个|起一个|拟一|草拟|脚本|话术|海报|topics?\b|titles?\b|caption|"
            r"\bwrite\b|\bdraft\b|ideas|brief|slogan)")
_ASKS_A_RULE = (r"(必须|哪几|哪些|规定|要求|不能|能不能|可不可以|可以.{0,20}吗|需要.{0,12}吗|允许|是否|审核|\bcan i\b|allowed|\bmust\b|"
                r"rules?\b|should (?:i|my|the|a|an|we)\b|what should|(?:have|need) to\b|do i need|can't|cannot|banned|"
                r"forbidden|off-limits|(?:okay|ok|fine) to\b|required|mandatory|approv|"
                # what a handbook or a training advises ("what title length does the training recommend")
                r"\b(?:does|do|did) (?:the|our|your) [a-z -]{0,30}?(?:recommend|suggest|advise|say)\b|\brecommended\b|"
                r"\baccording to\b)")
_WHERE = r"(哪里|哪儿|什么位置|什么地方|\bwhere\b)"
#: a question put to the assistant itself ("你叫什么名字", "are you a bot"): small talk whatever it names
_TO_THE_ASSISTANT = r"(你|您|\byou\b)"
#: what the asker means to do in the programme ("我想申请休眠", "I want to quit"): a request the handbooks
#: answer with how, however short and however much it reads like a greeting
_WANTS_TO = r"((我|我们)(想|要|打算|准备)|想要)[\u4e00-\u9fff]{2,}|\bi(?:'d| would)? (?:want|like|need|plan) to \w+"
#: who, what or where something is: a question about the world, not a greeting
_ASKS_ABOUT = r"(谁|什么|哪|\bwho\b|\bwhat\b|\bwhere\b)"
#: a question put to the handbooks ends with a question mark or opens with a question word; a
#: writing request is an imperative ("写…", "give me…", "draft…")
_QUESTION_FORM = (r"([?？]\s*$|吗|呢|^\s*(?:what|how|when|where|who|which|why|is|are|do|does|did|can|could|will|should|"
                  r"may|must)\b)")
_GENERAL_HOW = r"(怎么|怎样|如何|什么是|是什么|有什么|哪些|为什么|多久|什么时候|how (do|does|can|is|are|long)|what (is|are|does|happens)|when|why)"
_SMALLTALK = re.compile(
    r"^(你好|您好|嗨|哈喽|hi|hello|hey|谢谢|谢谢你|多谢|感谢|thanks|thank you|thx|你是谁|你是什么|who are you|"
    r"你能做什么|你会什么|what can you do|早上好|晚上好|早安|午安|晚安|good morning|good evening|good night|再见|bye|ok|好的|嗯)[\s!！。.?？~]*$")


@dataclass
class Route:
    """Where a question goes. ``tool``/``args`` are set for tool intents."""

    intent: Intent
    tool: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    source: str = "rules"  # rules | similarity | default
    mentioned_koc_id: int | None = None
    #: the lookup names the asker's tier and the handbooks say what that tier brings ("我这个等级有什么福利")
    tier_in_handbooks: bool = False
    #: the parts of the question a lookup does not answer ("…and when will it be paid?"): the handbooks' to answer
    rest: str = ""
    #: the product a priced sale names that the catalogue does not sell: said so if the handbooks do not price it
    unpriced: str = ""

    @property
    def unsure(self) -> bool:
        return self.confidence < UNSURE_BELOW


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def is_personal(question: str) -> bool:
    """The question is about the asker (我 / my / I …): only then can it need a personal tool."""
    return _speaks_of_self(to_simplified(question).lower())


def about_the_tier(question: str, tier: str) -> str:
    """``question`` with the asker's own tier named ("我现在这个等级有什么福利" → "<tier>有什么福利"), so
    the handbooks are searched for that tier; the name leads the question when it names the tier
    otherwise."""
    named, count = _MY_TIER_ZH.subn(tier, question, count=1)
    if not count:
        named, count = _MY_TIER_EN.subn(tier, question, count=1)
    return named if count else f"{tier}：{question}"


def _speaks_of_self(s: str) -> bool:
    """A lower-cased question names its asker outside quotes and titles ("《I Love Skin》") and outside the
    frame of asking ("我想知道…"), which say what is asked about and who asks, not whose records."""
    return _has(_PERSONAL, re.sub(_ASKING_FRAME, " ", re.sub(_QUOTED, " ", s)))


def asks_about_writing(s: str) -> bool:
    """A lower-cased question about posts, titles or posters asks a rule: it has a rule cue, asks
    for a value ("标题最多几个字") or a place ("二维码放在哪里"); "防晒霜的选题" asks for topics."""
    return _has(_ASKS_A_RULE, s) or bool(question_shape(s).answer_type) or _has(_WHERE, s)


def asks_tier_rule(s: str) -> bool:
    """A lower-cased question about tiers asks the rule (how to, what it takes, what if), not the
    asker's standing, unless it names the gap ("还差", "what am I missing")."""
    return (_has(_HOW_TO, s) or _has(_TIER_RULE, s) or _has(_HYPOTHETICAL, s)) and not _has(_GAP, s)


#: lookups of the asker's records, which a "may I …" question about them does not ask for
_RECORDS = ("get_my_trials", "get_my_earnings", "get_my_competition_rank")


def asks_permission(s: str) -> bool:
    """A lower-cased question asking whether something is allowed, not asking to see a record."""
    return _has(_MAY_I, s) and not _has(_SEE, s)


def mentioned_koc_id(question: str) -> int | None:
    """A KOC id the question names ("KOC 17", "17号KOC", "koc_id=17"), if any."""
    m = KOC_ID_RE.search(to_simplified(question))
    if not m:
        return None
    return int(m.group(1) or m.group(2))


class Router:
    """Rules first, embedding similarity second. ``embeddings`` is optional (rules-only without it)."""

    def __init__(self, embeddings: Any | None = None, catalog: tuple[ProductRef, ...] = (),
                 today: date | None = None, tier_names: Mapping[str, str] | Iterable[str] = (),
                 handbook_word: Callable[[str], bool] | None = None) -> None:
        self.embeddings = embeddings
        #: whether the handbooks use a word: jieba tags some of their terms as people's names ("延保的佣金…"),
        #: and a word the handbooks write is a thing of the programme, not a KOC whose figures are asked for
        self.handbook_word = handbook_word
        self.catalog = catalog  # from the programme policy (``tools.catalog.product_refs``); empty = no products
        self.today = today
        self._example_vectors: Any = None
        # "我离银卡还差什么": a tier's own name says the question is about tiers, whatever the brand calls them;
        # names map to the policy's tier keys (a bare list of names maps each name to itself)
        keyed = tier_names if isinstance(tier_names, Mapping) else {n: n for n in tier_names}
        #: every tier name (any language, 繁 read as 简, lower-cased) → its key; the rules answer reads it too
        self.tier_keys: dict[str, str] = {to_simplified(n).lower(): key for n, key in keyed.items() if n.strip()}
        self._tier_names = sorted(self.tier_keys, key=len, reverse=True)  # longest first: "银卡会员" before "银卡"
        self._tier = _TIER[:-1] + "".join(f"|{re.escape(n)}" for n in self._tier_names) + ")"

    # ------------------------------------------------------------------ public
    def route(self, question: str, role: str = "koc", own_koc_id: int | None = None,
              along: Sequence[str] = ()) -> Route:
        """The question's intent: security and wording rules first, then the nearest labelled examples.
        ``along`` are texts the turn will embed later anyway (``assistant.embed_ahead``): when the
        router has to embed the question, they go in the same batch."""
        s = to_simplified(question).strip().lower()
        mentioned = mentioned_koc_id(question)
        route = self._security(s, role, own_koc_id) or self._rules(s, question, role, mentioned)
        if route is None or route.intent == "rules":
            route = self._a_part_looked_up(question, role, mentioned) or route
        if route is None:
            route = self._similarity(question, s, role, along)
        route.mentioned_koc_id = mentioned
        if route.intent == "rules" and role == "koc":
            route.unpriced = self._unpriced(question, s)
        return route

    def _a_part_looked_up(self, question: str, role: str, mentioned: int | None) -> Route | None:
        """A question of several parts, one of which asks for the asker's own record ("How much did I earn
        last month and when will it be paid?", "我上个月赚了多少？佣金怎么算的？"): the record is looked up for
        that part, and the other parts are left to the handbooks (``Route.rest``). The whole question's
        rule words ("when", "怎么算") belong to the other parts, so they kept it from the lookup. A story told
        in a sentence of its own ("A fan sent back a kettle last week. How much commission do I lose?") is
        the scene of the question after it, not a part the handbooks answer apart: that question is the
        rules'."""
        parts = question_parts(question, sentences=False)
        if len(parts) < 2 or reports_a_rule(question):  # a record asked "by this rule" rests on the rule
            return None
        for part in parts:
            route = self._rules(to_simplified(part).strip().lower(), part, role, mentioned)
            if route is not None and route.tool in RECORD_LOOKUPS:
                english = detect_language(question) == "en"
                rest = (", " if english else "，").join(p for p in parts if p != part)
                return replace(route, rest=rest + ("?" if english else "？"))
        return None

    def tool_args(self, tool: str, question: str) -> dict[str, Any]:
        """Arguments the router would pass to ``tool`` for this question (used to repair model calls)."""
        if tool == "get_my_earnings" or tool == "get_my_competition_rank":
            month = extract_month(question, self.today)
            return {"month": month} if month else {}
        if tool == "estimate_commission":
            # no catalogue name: the question's product words, for the tool to report; no count: one
            # ("卖 0 瓶" is passed on, for the tool to refuse)
            phrase = _product_phrase(question)
            return ({"product": phrase} if phrase else {}) | {"quantity": 1} | self._estimate_said(question)
        if tool == "search_products":
            return {"query": _search_phrase(question)}
        if tool == "find_kocs_near_promotion":
            named = self._asked_rate(question).get("tier")  # "close to <tier>": the tier they would reach
            return _list_size(question) | ({"to_tier": named} if named else {})
        if tool == "find_kocs_at_risk":
            return _list_size(question)
        if tool == "find_top_performers":
            month = extract_month(question, self.today)
            return ({"month": month} if month else {}) | _list_size(question)
        if tool == "koc_overview":
            koc_id = mentioned_koc_id(question)
            return {"koc_id": koc_id} if koc_id is not None else {}
        return {}

    def follow_up_args(self, tool: str, question: str, root: str, between: Sequence[str] = ()) -> dict[str, Any]:
        """A follow-up's arguments: what it says itself, the rest from the follow-ups ``between`` the question
        it continues and it, latest first, then from that question ("那三盒礼盒呢？" after "卖两瓶X能拿多少？"
        prices three gift boxes, and "升到<tier>以后呢？" after both prices them at that tier)."""
        args = self.tool_args(tool, root)
        for said in (*between, question):
            args |= self._estimate_said(said) if tool == "estimate_commission" else self.tool_args(tool, said)
        return args

    def at_the_next_tier(self, args: dict[str, Any], question: str, own_tier: str | None) -> dict[str, Any]:
        """An estimate's arguments with the tier above ``own_tier`` when the question asks at the next tier
        ("What would 3 X pay at the next tier?", "升到下一级以后呢？") and names no tier or kind itself; the
        arguments as they are otherwise (the top tier has none above it)."""
        keys = rungs(self.tier_keys)
        if "tier" in args or "kind" in args or own_tier not in keys or not names_next_tier(question):
            return args
        at = keys.index(own_tier)
        return args | {"tier": keys[at + 1]} if at + 1 < len(keys) else args

    def _estimate_said(self, question: str) -> dict[str, Any]:
        """What ``question`` itself says of an estimate: the catalogue product, the count, the tier asked."""
        product, quantity = mentioned_product(question, self.catalog), self._quantity(question)
        return (({"product": product.sku} if product else {}) | ({"quantity": quantity} if quantity is not None else {})
                | self._asked_rate(question))

    def _asked_rate(self, question: str) -> dict[str, str]:
        """The tier (key) or the external kind an estimate asks about ("a <tier> selling one …"),
        when the question names one; empty for the asker's own rate."""
        s = to_simplified(question).lower()
        if _has(_EXTERNAL, s):
            return {"kind": "external"}
        for name in self._tier_names:
            # an English name is a word of its own: a tier "One" is not in "pine cone"
            if (re.search(rf"\b{re.escape(name)}\b", s) if name.isascii() else name in s):
                return {"tier": self.tier_keys[name]}
        return {}

    # ------------------------------------------------------------------ stages
    def _security(self, s: str, role: str, own_id: int | None) -> Route | None:
        if role != "hq":
            # every KOC id named counts: "我是KOC 7，也看看KOC 9的…" names the asker first
            if koc_ids_in(s) - ({own_id} if own_id is not None else set()) or _has(_SWITCH_IDENTITY, s):
                return Route("cross_koc", confidence=1.0)
            # what would happen in a case ("if another KOC uses my post, do they get the commission?") is a
            # rule, unless it asks to be shown someone's records
            supposes = _has(_HYPOTHETICAL, s) and not _has(_SEE, s)
            if _has(_OTHERS, s) and _has(_OTHERS_DATA, s) and not _has(_HOW_IT_IS_SET, s) and not supposes:
                return Route("cross_koc", confidence=1.0)
            if _has(_WHO_RANKS, s) or (_has(_THIRD_PERSON_DATA, s) and not asks_permission(s) and not supposes):
                return Route("cross_koc", confidence=1.0)
            claims_authority = _has(_CLAIMS_AUTHORITY, s) and not _has(_A_DOCUMENT, s)
            top_person = _has(_TOP_PERSON, s) and not _has(_SAME_FOR_ALL, s)
            if (claims_authority or top_person) and _has(_OTHERS_DATA + "|" + _EVERYONE_DATA, s):
                return Route("cross_koc", confidence=1.0)
            if _has(_EVERYONE, s) and _has(_EVERYONE_DATA, s) and not _has(_SAME_FOR_ALL, s):
                return Route("cross_koc", confidence=1.0)
            if (_has(_MEMBERS_CONTACT, s) and not asks_permission(s)) or _has(_WHO_IN_A_STATE, s):
                return Route("cross_koc", confidence=1.0)
            if _has(_WHICH_KOCS, s) and _has(_STATE_NOW, s) and not _has(_ELIGIBLE, s):
                return Route("cross_koc", confidence=1.0)
            if ((_has(_RELATION_DATA, s) or (_has(_RELATION_ACCOUNT, s) and not asks_permission(s)))
                    and not _has(_BUYS, s) and not _has(_POTENTIAL, s)
                    and not _has(_HYPOTHETICAL, s) and not _has(_OWN_FROM_RELATION, s)):
                return Route("cross_koc", confidence=1.0)
            if any(not _has("我", s[m.end(1):m.end()]) for m in _QUOTED_NAME_EARNED.finditer(s)):
                return Route("cross_koc", confidence=1.0)
            if (_has(_OTHERS_DATA, s) or _has(_CONTACT, s)) and any(is_name and _has(re.escape(word) + _NAMED_DATA, s)
                                             and not _has(re.escape(word) + _OWN_FIGURES, s)
                                             and not self._in_product_name(word, s)
                                             and not (heads_a_compound(word, s) and not _has(re.escape(word) + f"({_FIGURES})", s))
                                             and not self._in_the_handbooks(word)
                                             for word, is_name in focus_nouns(s)):
                return Route("cross_koc", confidence=1.0)
        if _has(_SECRET, s) or _has(_INJECTION, s):
            return Route("secret", confidence=1.0)
        if role != "hq" and _has(_INTERNAL, s):
            return Route("internal", confidence=1.0)
        return None

    def _prices_a_sale(self, question: str, s: str) -> bool:
        """"再卖3瓶X能拿多少？": selling a count and asking how much is asking what it pays."""
        return (self._quantity(question) is not None
                and (_has(_MONEY, s) or (_has(_SELL, s) and _has(_HOW_MUCH_PAID, s)) or _has(_WHAT_GOODS_PAY, s))
                and not _has(_NOT_EARNINGS, s))

    def _unpriced(self, question: str, s: str) -> str:
        """The product a priced sale names that the catalogue does not sell ("卖5个<no such product>能赚多少？"),
        "" otherwise: the handbooks may still price its kind; when they do not, the asker is told the
        catalogue has no such product rather than that the handbooks do not cover the question."""
        if not self.catalog or not self._prices_a_sale(question, s) or mentioned_product(question, self.catalog):
            return ""
        phrase = _product_phrase(question)
        said = to_simplified(phrase).lower()
        kinds = {name for ref in self.catalog for name in ref.category}
        return "" if any(kind in said or said in kind for kind in kinds) else phrase  # "护肤品": a kind it sells

    def _quantity(self, question: str) -> int | None:
        """How many items the question sells: a count with its unit ("3 瓶", "4 tubes of"), or a bare
        count right before the catalogue product it names ("the commission on 5 Sea Mist Toner")."""
        quantity = extract_quantity(question)
        if quantity is not None:
            return quantity
        product = mentioned_product(question, self.catalog)
        if product is None:
            return None
        names = sorted((product.name_en.lower(), *product.aliases), key=len, reverse=True)
        return next((n for name in names if name and (n := count_before(question, name)) is not None), None)

    def _asks_what_a_sale_pays(self, question: str, s: str, sale: bool) -> bool:
        """Money asked of one item or of a count of goods ("how much commission do I get on a yoga
        mat?", "一台投影仪我有多少提成？") with no month and nothing already earned: what a sale pays
        (the rates in the handbooks), not the asker's records."""
        return ((sale or _has(_PER_ITEM, s)) and extract_month(question, self.today) is None
                and not _has(_RECORDED, s))

    def _asks_a_price(self, question: str, s: str) -> bool:
        """The money asked is what a thing sells or is made for, not what the asker earned: a price or a
        cost ("我想直接找工厂拿货，出厂价多少钱？"), or a catalogue product's sum with no sale ("我朋友问礼盒
        多少钱，我该怎么说？"). The asker's 我 says who asks; no ledger holds a price."""
        if _has(_EARNED, s):
            return False
        return _has(_PRICE, s) or (mentioned_product(question, self.catalog) is not None and not _has(_SELL, s))

    def _in_the_handbooks(self, word: str) -> bool:
        if self.handbook_word is None:
            return False
        try:
            return self.handbook_word(word)
        except Exception:  # an index that cannot be read: the name stays a name
            return False

    def _in_product_name(self, word: str, s: str) -> bool:
        """``word`` is part of the catalogue product the question names: jieba takes the first word of
        some product names for a person's name, and the question is about a sale, not about someone."""
        product = mentioned_product(s, self.catalog)
        return product is not None and any(word in alias for alias in (*product.aliases, product.name_zh.lower()))

    def _tool(self, name: str, question: str, confidence: float = 0.9, role: str = "koc") -> Route:
        intent: Intent = "hq_tool" if name in HQ_TOOLS else "tool"
        return Route(intent, tool=name, args=self.tool_args(name, question), confidence=confidence)

    def _rules(self, s: str, question: str, role: str, mentioned: int | None) -> Route | None:
        if _SMALLTALK.match(s):
            return Route("smalltalk", confidence=0.95)
        personal = _speaks_of_self(s) and not _has(_NORM, s)
        # HQ tools
        if role == "hq" and mentioned is not None:
            return self._tool("koc_overview", question)
        people = _has(r"(koc|达人)", s) or (role == "hq" and _has(r"(谁|\bwho\b)", s))  # HQ's "who" asks for KOCs
        if not personal and _has(_WHICH, s) and people and _has(_NEAR_PROMO, s) and _has(self._tier, s):
            return self._tool("find_kocs_near_promotion", question)
        if role == "hq" and not personal and people and _has(_TOP_SELLERS, s) and not _has(_RANK_RULES, s):
            return self._tool("find_top_performers", question)
        if role == "hq" and not personal and people and _has(_AT_RISK, s) and _has(_WHICH, s):
            return self._tool("find_kocs_at_risk", question)
        if reports_a_rule(question):
            # "群里有人说现在一律 40%，我这个月赚多少？" rests on a rule heard elsewhere: the handbooks confirm or deny
            # it, and a record looked up under it would read as a yes
            return Route("rules", confidence=0.8)
        # personal tools
        sale = self._prices_a_sale(question, s)
        if sale and mentioned_product(question, self.catalog):  # the tool prices only what the catalogue sells
            return self._tool("estimate_commission", question)
        if personal and _has(self._tier, s) and _has(_PERKS, s) and not _has(_OTHER_TIER, s) and not _has(_HYPOTHETICAL, s):
            return replace(self._tool("get_my_tier_progress", question), tier_in_handbooks=True)
        if personal and _has(self._tier, s) and _has(_PROGRESS, s) and not asks_tier_rule(s):
            return self._tool("get_my_tier_progress", question)
        about_a_record = _has(_ABOUT_A_RECORD, s)
        if (personal and _has(_ASKS_MY_MULTIPLIER, s) and not _has(_OTHER_TIER, s)
                and not _has(_HYPOTHETICAL, s) and not about_a_record):
            return self._tool("get_my_tier_progress", question)
        if asks_permission(s):
            personal = False  # what the rules allow with one's records; a tier's progress was decided above
        if about_a_record:
            personal = False  # a rule about the asker's record is still a rule
        if (_has(_RANK, s) and (personal or _has(r"(比赛|竞赛|competition|contest)", s))
                and (not _has(_RANK_RULES, s) or (personal and _has(_MY_PLACE, s))) and not _has(_HYPOTHETICAL, s)
                and not about_a_record):
            return self._tool("get_my_competition_rank", question)
        if (personal and _has(_TRIALS, s) and _has(_TRIAL_PERSONAL, s) and not _has(_PROCESS, s)
                and not _has(r"(为什么|为啥|why|取消|移除|removed|规则|rule|what happens|会怎样|如果|\bif\b|怎么办|"
                             r"\bwhat (?:should|do|can) i do\b)", s)
                and not _has(_ALLOWANCE, s) and not _has(_OBLIGATION, s)
                and not (question_shape(question).answer_type in _RULE_ANSWERS and not _has(_TIME_LEFT, s))):
            return self._tool("get_my_trials", question)
        if personal and _has(_MY_PAYOUT, s) and not _has(_HYPOTHETICAL, s):
            return self._tool("get_my_earnings", question)
        if (personal and _has(_REFUNDED, s) and _has(_ANY_OF_THEM, s) and not _has(_RULE_WORDS, s)
                and not _has(_HYPOTHETICAL, s) and not about_a_record
                and (_has(_MY_ORDERS, s) or extract_month(question, self.today) is not None)):
            return self._tool("get_my_earnings", question)
        # a named month's record: how many orders it holds, or whether its commission was paid
        if (personal and not _has(_HYPOTHETICAL, s) and not about_a_record
                and ((_has(_ORDERS_SOLD, s) and not _has(_NOT_EARNINGS, s))
                     or (_has(_MONEY, s) and _has(_PAID_YET, s) and not STATED_MONEY.search(s)))
                and extract_month(question, self.today) is not None):
            return self._tool("get_my_earnings", question)
        if (personal and _has(_MONEY, s) and _has(_HOW_MUCH, s) and not _has(_RULE_WORDS, s) and not _has(_HYPOTHETICAL, s)
                and not _has(_NOT_EARNINGS, s) and not STATED_MONEY.search(s) and not _has(_POTENTIAL, s)
                and not (sale and _has(_SELL, s)) and not self._asks_what_a_sale_pays(question, s, sale)
                and not self._asks_a_price(question, s)
                and not (_has(_CUSTOMER, s) and extract_month(question, self.today) is None) and not _has(_THRESHOLD, s)
                and not _has(_WHERE_TO_SEE, s) and not _has(_WOULD_CHANGE, s)
                and question_shape(question).answer_type not in _RULE_ANSWERS):
            return self._tool("get_my_earnings", question)
        if _has(_SEARCH, s):
            return self._tool("search_products", question)
        if is_post_check(question):
            return Route("content", confidence=0.9)  # "帮我检查这篇笔记：……"
        if _has(_CONTENT, s) and (asks_to_write(s) or not asks_about_writing(s)):
            return Route("content", confidence=0.85)
        if _has(_CONTENT, s):
            return Route("rules", confidence=0.8)  # "海报必须包含哪几个部分？" asks about a rule, not for a draft
        if _has(_GENERAL_HOW, s) and not personal:
            return Route("rules", confidence=0.8)
        return None

    def _similarity(self, question: str, s: str, role: str, along: Sequence[str] = ()) -> Route:
        vectors = self._examples()
        if not vectors:
            return Route("rules", confidence=0.4, source="default")
        labels, matrix = vectors
        q = np.asarray(embed_queries(self.embeddings, list(dict.fromkeys([question, *along])))[0], dtype=np.float32)
        sims = matrix @ (q / (np.linalg.norm(q) or 1.0))
        best: dict[str, float] = {}
        for label, sim in zip(labels, sims.tolist()):
            best[label] = max(best.get(label, -1.0), sim)
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        (label, top), second = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        margin = top - second
        confidence = max(0.0, min(0.85, top)) * (1.0 if margin >= 0.05 else 0.6)
        if label in HQ_TOOLS and role != "hq":
            label, confidence = "rules", 0.3
        if label == "find_kocs_near_promotion" and not _has(_WHICH, s):
            # "<tier>升级要满足什么条件？" from HQ asks the rule, not for a list of KOCs: the list is
            # asked for by "which / who / list"
            label, confidence = "rules", min(confidence, 0.5)
        if label in KOC_TOOLS and label != "search_products" and (not _speaks_of_self(s) or _has(_RULE_WORDS, s)
                                                                  or (asks_permission(s) and label in _RECORDS)):
            label, confidence = "rules", min(confidence, 0.5)  # "how does one …" is a rules question
        if label in KOC_TOOLS and label not in ("estimate_commission", "search_products") and (
                confidence < UNSURE_FOR_A_LOOKUP or _has(_HYPOTHETICAL, s) or _has(_OBLIGATION, s)
                or STATED_MONEY.search(s) is not None
                or _has(_POTENTIAL, s) or question_shape(question).answer_type in _RULE_ANSWERS
                or asked_list_size(question)):
            # a faint resemblance to "what are my numbers", "what if …", or a stated number of things to name
            # ("what three things do the reviewers score me on"): the handbooks answer it
            label, confidence = "rules", min(confidence, 0.5)
        if label == "get_my_earnings" and (self._asks_what_a_sale_pays(question, s, self._quantity(question) is not None)
                                           or self._asks_a_price(question, s)):
            label, confidence = "rules", min(confidence, 0.5)
        if label in _RECORDS and (_has(_THRESHOLD, s) or _has(_CUSTOMER, s) or _has(_PROCESS, s) or _has(_OTHERS_SEE, s)
                                  or _has(_WHERE_TO_SEE, s) or _has(_HOW_TO_ACT, s) or _has(_ABOUT_A_RECORD, s)
                                  or _has(_WOULD_CHANGE, s)):
            # a threshold, what a customer does, how a process treats a record, where to look it up or how
            # to act on it: the rule; the asker's records hold none of these
            label, confidence = "rules", min(confidence, 0.5)
        if label in ("get_my_competition_rank", "find_top_performers") and _has(_RANK_RULES, s):
            # what a place wins, or how places are decided: the contest's rules, as in the rules stage
            label, confidence = "rules", min(confidence, 0.5)
        if label == "get_my_tier_progress" and (asks_tier_rule(s) or not _has(_PROGRESS, s)):
            # "what do I need to do to get promoted", "how is my tier decided", or nothing that asks
            # for the asker's standing: the rule
            label, confidence = "rules", min(confidence, 0.5)
        if label == "estimate_commission" and (not mentioned_product(question, self.catalog) or _has(_NOT_EARNINGS, s)
                                               or not (self._quantity(question) or _has(_SELL, s))):
            # nothing from the catalogue to estimate, "earn the red envelope", or no sale named: not an estimate
            label, confidence = "rules", min(confidence, 0.5)
        if label in KOC_TOOLS or label in HQ_TOOLS:
            return Route("hq_tool" if label in HQ_TOOLS else "tool", tool=label,
                         args=self.tool_args(label, question), confidence=confidence, source="similarity")
        if label == "content" and not asks_to_write(s) and _has(_QUESTION_FORM, s):
            label, confidence = "rules", min(confidence, 0.5)  # "do I need approval before posting?" asks a rule
        if label == "smalltalk" and (len(s) > 6 or _has(_WANTS_TO, s) or ((focus_nouns(s) or _has(_ASKS_ABOUT, s))
                                                                       and not _has(_TO_THE_ASSISTANT, s))):
            # a real question that merely resembles a greeting: long, asking about someone or something
            # other than the assistant ("店长是谁？", "X是哪里？"), or saying what the asker means to do
            label, confidence = "rules", min(confidence, 0.5)
        return Route(label, confidence=confidence, source="similarity")  # type: ignore[arg-type]

    def _examples(self) -> Any:
        """(labels, unit-normalised example matrix), embedded once (and cached on disk by the embedder)."""
        if self.embeddings is None:
            return None
        if self._example_vectors is None:
            try:
                pairs = [(label, q) for label, qs in EXAMPLES.items() for q in qs]
                matrix = np.asarray([self.embeddings.embed_query(q) for _, q in pairs], dtype=np.float32)
                matrix /= np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12)
                self._example_vectors = ([label for label, _ in pairs], matrix)
            except Exception:  # embedding model missing: keep routing by rules
                self._example_vectors = False
        return self._example_vectors or None


#: how many KOCs an HQ list asks for ("前5名", "10 位", "top 3", "the 5 KOCs")
_EN_COUNT_WORDS = "two|three|four|five|six|seven|eight|nine|ten|twenty"
_LIST_SIZE = re.compile(rf"(?:前|top\s*)(\d+|{ZH_NUM})|(\d+|{ZH_NUM})\s*(?:个|位|名|kocs?\b|达人|人)|"
                        rf"\b(?:top|best|first)\s+({_EN_COUNT_WORDS})\b|\b({_EN_COUNT_WORDS})\s+(?:best|top|kocs?\b|people)")


def _list_size(question: str) -> dict[str, int]:
    """The ``limit`` argument of an HQ list tool, when the question says how many."""
    m = _LIST_SIZE.search(to_simplified(question).lower())
    if not m:
        return {}
    raw = next(g for g in m.groups() if g)
    size = numeral(raw) or number_word(raw)
    return {"limit": size} if size else {}


#: the thing a count sells, written after the count and its unit: "卖5个<…>能赚多少", "3 bottles of <…>, how much"
_SOLD_ZH = re.compile(r"(?:\d+|[零一二两三四五六七八九十百]+)\s*(?:个|件|支|瓶|盒|套|份|台|包|袋|罐|本|张|只|双|箱)\s*"
                      r"([^\s，,。？?！!、]{2,20}?)(?=能|可以|会|的话|我|赚|拿|有|得|，|,|。|？|\?|$)")
_SOLD_EN = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:(?:bottles?|boxes?|units?|pieces?|"
                      r"packs?|sets?|tubes?|jars?|cans?|bags?|pairs?)\s+of\s+)?(?:the\s+)?([a-z][\w' -]{1,40}?)"
                      r"(?=\s*(?:,|\?|\.|$|\bhow\b|\bwhat\b|\bwould\b|\bcould\b|\bdo\b|\bfor\b))", re.IGNORECASE)


def _product_phrase(question: str) -> str:
    """The words of the product a count sells when no catalogue name matched (the tool reports it as
    unknown, with the catalogue's closest products); "" when the question names none."""
    m = _SOLD_ZH.search(to_simplified(question)) or _SOLD_EN.search(question)
    return m.group(1).strip() if m else ""


def _search_phrase(question: str) -> str:
    s = re.sub(r"(帮我|请|搜索|搜一下|搜一搜|查找|查询|找|一下|看看|列出|都有|有哪些|有什么|哪些|什么|所有|全部|商品|产品|类的|类|"
               r"\bsearch\b|look up|\bfind\b|show me|\blist\b|\bwhat\b|\bwhich\b|\ball\b|\bproducts?\b|\bfor\b|\bin\b)",
               " ", question, flags=re.IGNORECASE)
    return re.sub(r"[\s:：,，。?？]+", " ", s).strip()
