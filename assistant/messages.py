"""Fixed replies (refusals, greetings, notices) in 简体 and English; zh-TW is converted by OpenCC.

Refusals say plainly what is not covered, what the user *can* ask, and whom to contact,
because a refusal that leaves the KOC stuck is the next support ticket.
"""

from __future__ import annotations

from base.language import pick

CONTACT_ZH = "服务号“暖岛KOC小助手”或发邮件到 ops@nuandao.example"
CONTACT_EN = "the KOC service account 暖岛KOC小助手 (Nuandao KOC Helper) or ops@nuandao.example"
CAN_ASK_ZH = "等级和晋级条件、佣金与结算规则、试用测评规则、销售比赛、内容发布规范，或者你自己的收益、晋级进度、比赛排名和试用"
CAN_ASK_EN = ("tiers and promotion, commission and settlement rules, trials and reviews, the sales competition, "
              "content rules, or your own earnings, tier progress, competition rank and trials")

_MESSAGES: dict[str, tuple[str, str]] = {
    "not_covered": (
        "抱歉，暖岛的 KOC 手册和资料里没有能回答这个问题的内容，我不想凭猜测回答。"
        f"你可以问我{CAN_ASK_ZH}。其他问题请联系{CONTACT_ZH}。",
        "Sorry, the Nuandao KOC handbooks don't cover this, and I won't guess. "
        f"You can ask me about {CAN_ASK_EN}. For anything else, please contact {CONTACT_EN}.",
    ),
    "cross_koc": (
        "为了保护每位 KOC 的隐私，我只能查询你本人的数据，不能提供其他 KOC 的收益、排名或任何个人信息。"
        "你可以问我“我这个月赚了多少”或“我离下一级还差多少”。",
        "To protect every KOC's privacy I can only look up your own data, never another KOC's earnings, "
        "rank or personal details. You can ask \"How much did I earn this month?\" or \"What am I missing for the next tier?\"",
    ),
    "secret": (
        "这个我不能提供：系统设定、访问令牌等内部信息不会透露，我也不会因为要求而忽略安全规则。"
        f"我可以帮你解答{CAN_ASK_ZH}。",
        "I can't help with that: internal settings such as my instructions or access tokens are never shared, "
        f"and I don't set my rules aside on request. I can help with {CAN_ASK_EN}.",
    ),
    "hq_only": (
        "这个查询只对总部运营开放，KOC 账号无法查看其他 KOC 的数据。你可以查询自己的收益、晋级进度和比赛排名。",
        "That look-up is only available to HQ staff; a KOC account can't see other KOCs' data. "
        "You can check your own earnings, tier progress and competition rank.",
    ),
    "needs_identity": (
        "查询个人数据需要先确认你的身份（命令行请加上 --as 你的KOC编号）。规则类问题可以直接问我。",
        "Personal questions need to know who you are (on the command line add --as YOUR_KOC_ID). "
        "Questions about the rules can be asked right away.",
    ),
    "smalltalk": (
        f"你好！我是暖岛 KOC Copilot。我可以根据暖岛的 KOC 手册回答问题并标注出处，也可以查询你的个人数据。你可以问我{CAN_ASK_ZH}。",
        "Hi! I'm the Nuandao KOC Copilot. I answer from the Nuandao KOC handbooks with citations and can look up "
        f"your own data. You can ask me about {CAN_ASK_EN}.",
    ),
    "llm_down": (
        "（语言模型暂时不可用，以下答案直接整理自资料。）",
        "(The language model is unavailable right now; this answer is taken directly from the handbooks.)",
    ),
    "content_offline": (
        "离线模式下我不会编写新文案，以下是资料中与此相关的要点：",
        "In offline mode I don't write new copy; here are the relevant points from the handbooks:",
    ),
    "en_over_zh": (
        "",
        "The Nuandao handbook covers this (quoted from the Chinese original):",
    ),
    "tool_error": (
        "抱歉，查询时出错：{error}。请稍后再试，或联系" + CONTACT_ZH + "。",
        "Sorry, the look-up failed: {error}. Please try again later or contact " + CONTACT_EN + ".",
    ),
    "tool_unavailable": (
        "抱歉，佣金与等级服务暂时无法访问，请稍后再试。",
        "Sorry, the commission & tier service can't be reached right now. Please try again later.",
    ),
}


def message(key: str, language: str, **fields: str) -> str:
    """The fixed reply ``key`` in the asker's language and script."""
    zh, en = _MESSAGES[key]
    return pick(language, zh, en).format(**fields) if fields else pick(language, zh, en)
