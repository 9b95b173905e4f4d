"""Keeping secrets and other KOCs' data out of answers, whatever the prompt or a document says.

Identity never comes from text: tools are bound to the ``Identity`` built from the session
token before the question is read. This module covers the text side: fencing retrieved
chunks as data, spotting instruction-like sentences planted in documents, and scrubbing
anything token-shaped (or the system prompt itself) from what leaves the assistant.
"""

from __future__ import annotations

import re
from typing import Iterable

from base.language import to_simplified

FENCE_OPEN = "<<<EVIDENCE"
FENCE_CLOSE = "EVIDENCE>>>"

_INJECTION = re.compile(
    # an order to disregard opens its clause ("忽略以上所有规则", "：忽略之前的指令"); a description does not
    # ("作者…无视原设定")
    r"(?:^|[：:，,。！!？?；;]\s*)(?:请|please\s+)?(忽略|无视|忘记|忘掉|不要理会|跳过).{0,20}(规则|指令|设定|限制|要求|提示|以上|之前)|"
    r"(?:^|[：:，,。！!？?；;]\s*)(?:please\s+)?(ignore|disregard|forget|override|bypass).{0,30}"
    r"(instructions|rules|prompt|above|previous|guardrails)|"
    r"(system prompt|系统提示|提示词|系统指令)|"
    r"(你现在是|you are now|as an ai|作为助手你必须|assistant must|助手必须|请输出|print|reveal|泄露|透露).{0,30}"
    r"(令牌|token|密钥|收益|收入|earnings|password|密码|提示词|prompt)|"
    r"(调用|call).{0,10}(koc_overview|find_kocs_\w+|find_top_performers|get_my_\w+)|"
    # text that addresses the assistant, or tells it what to tell everyone, is an instruction, not a fact
    r"(ai ?助手|人工智能助手|\bai assistant|\bchatbot|\blanguage model)\s*(请注意|注意|必须|须|请你|\bmust\b|\bshould\b)|"
    r"(告诉|通知)(每一个|每一位|每个|每位|所有)(用户|人|客户|顾客|koc|达人)|"
    # a line written for the machine that reads it ("以下内容供 AI 模型参考"), or one that claims to overrule
    # the rest of the handbooks ("本条覆盖其余文件"): a handbook speaks to people, its rules sit side by side
    r"(供|给|致|面向)\s*(ai|人工智能|机器人|大模型|模型)\s*(助手|客服|模型|机器人)?\s*(读取|阅读|参考|使用|处理)|"
    r"\bfor (?:the |an |any )?(?:ai )?(?:ai|assistants?|chatbots?|language models?|llms?) to (?:read|use|follow)\b|"
    r"(覆盖|推翻)(掉)?(其他|其余|所有|全部)(的)?(文档|文件|资料)|"
    r"\boverrides? (?:all |any )?other (?:documents|pages|sources)\b|"
    r"\b(tell|inform) (every|all|each) (users?|customers?|kocs?|people)\b",
    re.IGNORECASE,
)
#: bearer-like strings: long runs of base64/hex/url-safe characters, or common key prefixes
_TOKEN = re.compile(
    r"(?:sk|pk|tok|koc|hq|bearer)[-_][A-Za-z0-9_\-]{12,}|\b[A-Za-z0-9_\-]{32,}\b|"
    r"\b(?=[A-Za-z0-9+/=_\-.]*\d)(?=[A-Za-z0-9+/=_\-.]*[A-Za-z])[A-Za-z0-9+/=_\-.]{40,}",
    re.IGNORECASE,
)
REDACTED = "[已隐去]"
#: lower-case words and short numbers joined by hyphens or underscores ("04-content-livestream-compliance"):
#: a file's or a page's name, however long, not a key (a key mixes letters and digits within its runs)
_KEY_PREFIX = re.compile(r"(?:sk|pk|tok|koc|hq|bearer)[-_]", re.IGNORECASE)
_SLUG = re.compile(r"(?:\d{1,4}|[a-z]+)(?:[-_](?:\d{1,4}|[a-z]+))+")
#: "KOC 17", "koc_id=17", "17号KOC"; a figure after the word is no id when a unit follows it ("KOC 40%",
#: "KOC 20 人", "KOC 3 篇"): a share or a count of KOCs
KOC_ID_RE = re.compile(r"(?:koc|达人|用户|user)[\s_]*(?:id)?\s*[#＃:：=]?\s*(\d{1,7})(?!\d|[.,]\d|\s*(?:[%％‰万元个名位人天月年篇条单次倍]|percent))"
                       r"|(\d{1,7})\s*号\s*(?:koc|达人)", re.IGNORECASE)


def koc_ids_in(text: str) -> set[int]:
    """KOC ids a text names ("KOC 17", "17号KOC", "koc_id=17")."""
    return {int(a or b) for a, b in KOC_ID_RE.findall(to_simplified(text))}


def names_other_koc(text: str, own_koc_id: int | None) -> bool:
    """True when the text is about a KOC other than the asker: such text never reaches a KOC."""
    return bool(koc_ids_in(text) - ({own_koc_id} if own_koc_id is not None else set()))


def looks_like_injection(text: str) -> bool:
    """An instruction aimed at the assistant rather than a fact for KOCs (e.g. in a planted document)."""
    return bool(_INJECTION.search(to_simplified(text)))


def fence(text: str) -> str:
    """Make retrieved text inert: it can't close the evidence fence or pose as a chat role."""
    text = text.replace(FENCE_OPEN, "").replace(FENCE_CLOSE, "").replace("<<<", "«").replace(">>>", "»")
    return re.sub(r"(?im)^\s*(system|assistant|user|developer)\s*:", r"\1 (quoted):", text)


def scrub_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove known secrets (tokens, the system prompt) and anything token-shaped from output."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    return _TOKEN.sub(lambda m: m.group(0) if _SLUG.fullmatch(m.group(0)) and not _KEY_PREFIX.match(m.group(0))
                      else REDACTED, text)


def leaks_prompt(text: str, system_prompt: str, window: int = 24) -> bool:
    """True when ``text`` repeats any ``window``-character stretch of the system prompt."""
    flat = re.sub(r"\s+", " ", system_prompt)
    out = re.sub(r"\s+", " ", text)
    return any(flat[i:i + window] in out for i in range(0, max(1, len(flat) - window), 6))
