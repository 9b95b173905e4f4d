"""Labelled example questions the router compares new questions with (embedding similarity).

Labels are intents (``rules``, ``content``, ``smalltalk``) or tool names. Three languages each,
written to cover phrasings the keyword rules miss. The examples name no brand, tier, product or
campaign: they must route questions about any brand's programme, so products are "this product" /
"a bottle of the cream" and tiers "the next tier". Tests use a *different* labelled set, so this
list is training data, not the answer key.

``search_products`` has no examples on purpose: a catalogue search is taken only when asked for in
so many words (the router's keyword rule), because a question *about* a product ("is the toner
alcohol-free?", "what SPF does it have?") is answered from the handbooks, not by a product list.
"""

from __future__ import annotations

EXAMPLES: dict[str, list[str]] = {
    "get_my_earnings": [
        "我这个月赚了多少钱？", "我上个月的佣金有多少", "查一下我的收益", "我的提成到账了吗，有多少",
        "我這個月賺了多少？", "我的傭金收入是多少", "How much did I earn this month?",
        "What are my earnings for last month?", "Show me my commission income", "how much money have I made",
    ],
    "estimate_commission": [
        "我卖三件这款产品能赚多少？", "如果我卖5瓶，佣金是多少", "卖两盒我能拿多少提成",
        "賣三件這個產品能賺多少？", "How much would I earn selling 3 of this product?",
        "What commission do I get if I sell 10 bottles?", "estimate my commission for 2 units",
    ],
    "get_my_tier_progress": [
        "我离下一级还差多少？", "我升级到下一个等级还缺什么", "我现在是什么等级，还差几篇笔记", "我的晋级进度",
        "我離下一級還差多少？", "我還差什麼才能升級", "What am I missing for the next tier?",
        "How far am I from being promoted?", "What tier am I and what do I still need?", "show my tier progress",
    ],
    "get_my_competition_rank": [
        "我这个月比赛排第几？", "我的销售比赛排名", "我现在名次是多少", "我這個月比賽排第幾？",
        "Where am I in this month's competition?", "What is my rank in the sales contest?", "my competition ranking",
    ],
    "get_my_trials": [
        "我有哪些试用产品？", "我的测评什么时候要交", "我的新品试用状态", "我的試用品評測什麼時候到期",
        "What trials do I have?", "When is my trial review due?", "show my product trials",
    ],
    "find_kocs_near_promotion": [
        "哪些KOC快要升级了？", "列出接近晋级的达人", "哪些KOC快要升級了？", "Which KOCs are close to promotion?",
        "list KOCs near the next tier",
    ],
    "find_top_performers": [
        "这个月销售额最高的KOC是谁？", "本月卖得最好的达人有哪些", "本月銷售額最高的KOC", "Who are this month's top sellers?",
        "list the best-performing KOCs this month",
    ],
    "find_kocs_at_risk": [
        "哪些KOC有被淘汰的风险？", "列出试用逾期的达人", "哪些KOC有風險？", "Which KOCs are at risk?", "list KOCs with overdue trials",
    ],
    "koc_overview": [
        "看一下KOC 12的概况", "KOC 7 最近表现怎么样", "Give me an overview of KOC 5", "How is KOC 9 doing?",
    ],
    "rules": [
        "怎么升级到下一个等级？", "最高等级的KOC有什么权益？", "佣金怎么计算？", "退款后佣金会怎样？", "什么时候结算佣金？",
        "为什么我被取消了试用资格？", "私下卖别的品牌会怎样？", "销售比赛的奖品是什么？", "新人第一周要做什么？",
        "这款产品的主要成分是什么？", "这个产品多少钱？", "品牌是哪一年创立的？",
        "怎麼升級到下一個等級？", "高等級KOC有什麼權益？", "退款後傭金會怎樣？",
        "How do I get promoted to the next tier?", "What does a top-tier KOC get?", "How is commission calculated?",
        "What happens to my commission if an order is refunded?", "When is commission paid out?",
        "Why was I removed from the trial list?", "What are the rewards for the sales competition?",
        "Who founded the brand?", "What is the price of this product?", "What are the key ingredients of this product?",
    ],
    "content": [
        "给我5个新品的小红书选题", "帮我写一个测评标题", "发笔记时哪些词不能用？", "帮我写一段朋友圈文案",
        "給我幾個小紅書選題", "Give me 5 Xiaohongshu topics for the new product", "Write a title for my review",
        "What words can't I use in a post?", "Draft a topic brief for the autumn campaign",
    ],
    "smalltalk": [
        "你好", "谢谢你", "你是谁？", "你能做什么？", "謝謝", "hello", "thanks!", "who are you?", "what can you do?",
    ],
}
