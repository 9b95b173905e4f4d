"""Platform limits, enforced: the characters a platform counts in a title or body, and hashtags.

Counting follows what a publish page shows: whitespace is not counted, and hashtags at the end
of a title are not part of the title. Limits come from the rulebook (``rules.yaml``), never code.
"""

from __future__ import annotations

import re

from assistant.compliance.report import Violation
from assistant.compliance.rulebook import PlatformLimits

HASHTAG = re.compile(r"#[^\s#，。,.;；、！!？?）)“”\"']+")
_TRAILING_TAGS = re.compile(r"(?:\s*#[^\s#]+)+\s*$")
#: a first line this short, followed by more text, is the post's title
TITLE_LINE_MAX = 40


def visible_length(text: str) -> int:
    """Characters a platform counts: everything but whitespace."""
    return len(re.sub(r"\s", "", text))


def title_length(title: str) -> int:
    """A title's counted length: trailing hashtags left out."""
    return visible_length(_TRAILING_TAGS.sub("", title))


def split_post(text: str) -> tuple[str, str]:
    """(title, body): the first line is the title when it is short and more text follows."""
    lines = text.strip().splitlines()
    if len(lines) >= 2 and 0 < len(lines[0].strip()) <= TITLE_LINE_MAX:
        return lines[0].strip(), "\n".join(lines[1:]).strip()
    return "", text.strip()


def hashtags_in(text: str) -> list[str]:
    return HASHTAG.findall(text)


def _over(start: int, text: str, limit: int, what: str, limits: PlatformLimits, where: str, key: str) -> Violation:
    return Violation(start=start + limit, end=start + len(text), term=text[limit:], rule_id=f"platform-{key}",
                     rule=f"{limits.name}{what}不超过 {limit} 字（{limits.source}）", category="platform",
                     severity="high", suggestion=f"把{what}压缩到 {limit} 字以内。",
                     source=limits.source, where=where)


def title_violation(title: str, limits: PlatformLimits, where: str = "", offset: int = 0) -> Violation | None:
    """A title over the platform's limit (a platform without titles accepts none longer than 0: no check)."""
    if limits.title_max and title_length(title) > limits.title_max:
        return _over(offset, title, limits.title_max, "标题", limits, where, "title")
    return None


def body_violation(body: str, limits: PlatformLimits, where: str = "", offset: int = 0) -> Violation | None:
    if limits.body_max and visible_length(body) > limits.body_max:
        return _over(offset, body, limits.body_max, "正文", limits, where, "body")
    return None


def hashtag_violation(text: str, limits: PlatformLimits, where: str = "") -> Violation | None:
    tags = list(HASHTAG.finditer(text))
    if limits.hashtags_max and len(tags) > limits.hashtags_max:
        extra = tags[limits.hashtags_max]
        return Violation(start=extra.start(), end=tags[-1].end(), term=text[extra.start():tags[-1].end()],
                         rule=f"{limits.name}话题标签不超过 {limits.hashtags_max} 个（{limits.source}）",
                         rule_id="platform-hashtags", category="platform", severity="medium",
                         suggestion=f"只保留 {limits.hashtags_max} 个最相关的话题标签。", source=limits.source,
                         where=where)
    return None
