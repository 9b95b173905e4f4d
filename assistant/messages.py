"""Fixed replies (refusals, greetings, notices) in 简体 and English; zh-TW is converted by OpenCC.

Refusals say plainly what is not covered, what the user *can* ask, and whom to contact,
because a refusal that leaves the KOC stuck is the next support ticket. The brand's name and
contact come from the knowledge base's profile (``knowledge.profile``); without one the replies
speak of "the handbooks" and name no contact.
"""

from __future__ import annotations

import re

from base.language import pick
from knowledge.profile import KbProfile

CAN_ASK_ZH = "等级和晋级条件、佣金与结算规则、试用测评规则、销售比赛、内容发布规范，或者你自己的收益、晋级进度、比赛排名和试用"
CAN_ASK_EN = ("tiers and promotion, commission and settlement rules, trials and reviews, the sales competition, "
              "content rules, or your own earnings, tier progress, competition rank and trials")

_MESSAGES: dict[str, tuple[str, str]] = {
    "not_covered": (
        "抱歉，{brand_zh}KOC 手册和资料里没有能回答这个问题的内容，我不想凭猜测回答。"
        f"你可以问我{CAN_ASK_ZH}。{{contact_zh}}",
        "Sorry, the {brand_en}KOC handbooks don't cover this, and I won't guess. "
        f"You can ask me about {CAN_ASK_EN}.{{contact_en}}",
    ),
    "not_covered_near": (
        "抱歉，{brand_zh}KOC 手册和资料里没有能回答这个问题的内容，我不想凭猜测回答。"
        "手册里相近的内容有：{topics}，你可以换个问法问这些。{contact_zh}",
        "Sorry, the {brand_en}KOC handbooks don't answer this, and I won't guess. "
        "Nearby, they cover: {topics}; you can ask about those.{contact_en}",
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
    "internal": (
        "这是总部的内部信息（成本、预算、内部名单和规则、还没公布的调整等），不对 KOC 开放，我不能提供。"
        f"我可以帮你解答{CAN_ASK_ZH}。",
        "That is HQ's internal information (costs, budgets, internal lists and rules, changes not yet announced); "
        f"it isn't shared with KOCs. I can help with {CAN_ASK_EN}.",
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
        "你好！我是{brand_zh}KOC Copilot。我可以根据{brand_zh}KOC 手册回答问题并标注出处，也可以查询你的个人数据。"
        f"你可以问我{CAN_ASK_ZH}。",
        "Hi! I'm the {brand_en}KOC Copilot. I answer from the {brand_en}KOC handbooks with citations and can look up "
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
    "unpriced_product": (
        "产品目录里没有“{product}”，所以没法估算它的佣金。{near}",
        "The catalogue has no product called \"{product}\", so I can't estimate its commission.{near}",
    ),
    "unpriced_product_rule": (
        "产品目录里没有“{product}”，以下是手册里的相关规则：",
        "The catalogue has no product called \"{product}\"; here is what the handbooks say on the matter:",
    ),
    "near_products": ("目录里名字相近的有：{names}。", " Closest in the catalogue: {names}."),
    "sign_in_for_more": (
        "登录后，我还能根据只对 KOC 开放的手册回答。",
        "Signed-in KOCs can also be answered from handbooks that are not public: sign in to ask again.",
    ),
    "claim_not_stated": (
        "{brand_zh}KOC 手册里没有你说的这条规定：其中的比例或期限，手册里没有这样写。请以手册为准，不要按这个说法推广或计算。",
        "The {brand_en}KOC handbooks have no such rule: they do not give its rate or period as stated. "
        "Go by the handbooks, and don't promote or work anything out by it.",
    ),
    "breach_penalty": (
        "违反这条的处理：",
        "What breaking it costs: ",
    ),
    "part_not_covered": (
        "（手册没有写到这一问：{part}）",
        "(The handbooks don't answer this part: {part})",
    ),
    "en_over_zh": (
        "",
        "The {brand_en}handbook covers this (quoted from the Chinese original):",
    ),
    "en_over_mixed": (
        "",
        "The {brand_en}handbook covers this (partly quoted from the Chinese original):",
    ),
    "tool_error": (
        "抱歉，查询时出错：{error}。请稍后再试。{contact_zh}",
        "Sorry, the look-up failed: {error}. Please try again later.{contact_en}",
    ),
    "tool_no_record": (
        "抱歉，佣金服务里没有找到这条记录（{error}）。",
        "Sorry, the commission service has no such record ({error}).",
    ),
    "tool_rejected": (
        "抱歉，佣金服务没有接受这个查询（{error}）。请换个说法再问一次。",
        "Sorry, the commission service did not accept this request ({error}). Please ask again in other words.",
    ),
    "quantity_too_small": (
        "数量至少要 1 件：请告诉我你打算卖几件。",
        "The quantity must be at least 1: tell me how many you plan to sell.",
    ),
    "tool_forbidden": (
        "抱歉，这项信息你没有权限查看。",
        "Sorry, that information is not available to you.",
    ),
    "handbooks_instead": (
        "手册里与这个问题相关的内容：",
        "What the handbooks say about it:",
    ),
    "tool_unavailable": (
        "抱歉，佣金与等级服务暂时无法访问，请稍后再试。",
        "Sorry, the commission & tier service can't be reached right now. Please try again later.",
    ),
    "assistant_error": (
        "抱歉，助手暂时出错了，你的问题没有丢失，请稍后再试。{contact_zh}",
        "Sorry, the assistant ran into a problem; your question is not lost, please try again shortly.{contact_en}",
    ),
    "session_expired": (
        "你的登录已失效，请重新输入令牌登录。",
        "Your sign-in is no longer valid; please sign in again with your token.",
    ),
    "kb_unavailable": (
        "抱歉，知识库暂时无法使用（服务器上的嵌入模型缺失或配置有误），请稍后再试或联系管理员。",
        "Sorry, the knowledge base can't be searched right now (the server's embedding model is missing or "
        "misconfigured). Please try again later or contact an administrator.",
    ),
}


def brand_fields(profile: KbProfile | None) -> dict[str, str]:
    """The brand's name and contact as the replies use them; empty strings when unknown."""
    profile = profile or KbProfile()
    brand_en = next((n for n in profile.names if n.isascii()), profile.brand)
    return {
        "brand_zh": f"{profile.brand}的 " if profile.brand else "",
        "brand_en": f"{brand_en} " if brand_en else "",
        "contact_zh": _contact_zh(profile.contact_zh),
        "contact_en": _contact_en(profile.contact_en),
    }


#: a contact written as a whole instruction ("如需进一步咨询，请发邮件至…。", "For further help, email …")
#: rather than as whom to contact: it is quoted as its own sentence, not put after "please contact"
_ZH_INSTRUCTION = re.compile(r"[。！；]\s*$|^(?:如需|如有|请|工作日|可通过|可以|欢迎)")
_EN_INSTRUCTION = re.compile(r"^(?:for|on|if|please|email|e-mail|call|write|contact|reach|message|send|during|between)\b", re.I)
#: sentences of their own, whatever their first word ("The handbooks don't cover this one. Please write to…"):
#: two sentences, or one that ends like one and is long enough to be more than a name and an address
_EN_SENTENCES = re.compile(r"[.!?]\s+[A-Z]|^(?:\S+\s+){5,}.*[.!]$", re.S)


def _contact_zh(contact: str) -> str:
    contact = contact.strip()
    if not contact:
        return ""
    if _ZH_INSTRUCTION.search(contact):
        return contact if contact.endswith(("。", "！")) else f"{contact}。"
    return f"其他问题请联系{contact}。"


def _contact_en(contact: str) -> str:
    contact = contact.strip()
    if not contact:
        return ""
    if _EN_INSTRUCTION.search(contact) or _EN_SENTENCES.search(contact):
        return f" {contact[0].upper()}{contact[1:].rstrip('.')}."
    return f" For anything else, please contact {contact.rstrip('.')}."


def message(key: str, language: str, profile: KbProfile | None = None, **fields: str) -> str:
    """The fixed reply ``key`` in the asker's language and script, naming the brand of ``profile``."""
    zh, en = _MESSAGES[key]
    values = {**brand_fields(profile), **fields}
    return pick(language, zh.format(**values), en.format(**values))  # filled before 简→繁, so names convert too
