"""The offline brief: topics built deterministically from topic patterns and handbook facts.

Same request, same index → same topics, titles, facts and citations. Topic i takes pattern i (one
angle each), the i-th product in turn, and the next unused facts about that product; its title is
the first template form that fits the platform's limit. Nothing is generated, so nothing can be
invented: every fact is a quoted handbook sentence and every product one the request resolved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from assistant.briefs.grounding import Grounding
from assistant.briefs.models import Fact, Topic
from assistant.briefs.patterns import PATTERNS, PLATFORM_FORMAT, TopicPattern
from assistant.briefs.products import BriefProduct
from assistant.compliance.platforms import title_length
from assistant.compliance.rulebook import PlatformLimits

#: a title is never longer than this even where the platform has no title limit
FALLBACK_TITLE_MAX = 30
MAX_HASHTAGS = 5


@dataclass
class TopicInputs:
    """What topics are drafted from (shared by the HQ brief and the chat's topic help)."""

    count: int
    audience: str
    campaign: str
    platform: str
    limits: PlatformLimits
    products: Sequence[BriefProduct]
    grounding: Grounding
    disclosure_tags: Sequence[str] = ()
    scene_tags: Sequence[str] = ()
    skip_angles: Sequence[str] = field(default_factory=tuple)


def _short(text: str, n: int) -> str:
    return "".join(text.split())[:n]


def fit_title(pattern: TopicPattern, product: str, short_product: str, audience: str, campaign: str, limit: int) -> str:
    """The first template form (with the full, then the short product name) within ``limit``."""
    candidates = [t.format(p=p, a=a, c=c) for t in pattern.titles for p in dict.fromkeys((product, short_product))
                  for a in dict.fromkeys((audience, _short(audience, 4))) for c in dict.fromkeys((campaign, _short(campaign, 4)))]
    for title in candidates:
        if title_length(title) <= limit:
            return title
    return candidates[-1][:limit]


def _hashtags(inputs: TopicInputs, product: str, index: int) -> list[str]:
    limit = min(inputs.limits.hashtags_max or MAX_HASHTAGS, MAX_HASHTAGS)
    scene = list(inputs.scene_tags)
    rotated = scene[index % len(scene):] + scene[:index % len(scene)] if scene else []
    tags = [*inputs.disclosure_tags, f"#{_short(product, 10)}" if product else "", f"#{_short(inputs.audience, 8)}", *rotated]
    return list(dict.fromkeys(t for t in tags if len(t) > 1))[:limit]


def _facts_for(inputs: TopicInputs, product: BriefProduct | None, index: int) -> list[Fact]:
    pool = inputs.grounding.for_product(product.short if product else "")
    if not pool:
        return []
    start = (2 * index) % len(pool)
    picked = [pool[start], pool[(start + 1) % len(pool)]]
    return list({f.id: f for f in picked}.values())


def draft_topics(inputs: TopicInputs) -> list[Topic]:
    """``inputs.count`` topics, one angle each (raises ValueError when more are asked than angles exist)."""
    patterns = [p for p in PATTERNS if p.angle not in inputs.skip_angles]
    if inputs.count > len(patterns):
        raise ValueError(f"at most {len(patterns)} topics (one per angle); {inputs.count} were asked for")
    limit = inputs.limits.title_max or FALLBACK_TITLE_MAX
    audience, campaign = _short(inputs.audience, 8), _short(inputs.campaign, 8)
    topics: list[Topic] = []
    for i, pattern in enumerate(patterns[:inputs.count]):
        product = inputs.products[i % len(inputs.products)] if inputs.products else None
        name = product.short if product else campaign
        facts = _facts_for(inputs, product, i)
        texts = [f.text for f in facts] + ["", ""]
        fill = {"p": name, "a": audience, "c": campaign, "f1": texts[0] or "手册里的产品信息", "f2": texts[1]}
        title = fit_title(pattern, name, name[-4:] if len(name) > 6 else name, audience, campaign, limit)
        fmt = PLATFORM_FORMAT.get(inputs.platform) or pattern.formats()[0]
        topics.append(Topic(
            title=title, angle=pattern.angle, hook=pattern.hook.format(**fill), format=fmt,
            outline=[line.format(**fill) for line in pattern.outline if line.format(**fill).split("：")[-1].strip()],
            hashtags=_hashtags(inputs, name, i), products=[product.name] if product else [],
            facts=facts, citations=list({f.citation.chunk_id + f.citation.text: f.citation for f in facts}.values())))
    return topics
