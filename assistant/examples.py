"""Example questions for a new user, drawn from the knowledge base's own topics.

A brand's handbooks name their topics in headings; a heading written as a question (a FAQ entry)
is offered as it is, any other heading is put into a question in the language its document is
written in. Two questions about the asker's own numbers are added for a signed-in KOC: they are
about the programme's mechanics (earnings, next tier), which every brand's service answers, not
about one brand.
"""

from __future__ import annotations

from assistant.audience import viewer_for
from base.language import pick
from knowledge.kb import KnowledgeBase
from knowledge.topics import Topic, spread
from tools.identity import Identity

PERSONAL_EXAMPLES = {
    "zh-CN": ("这个月我赚了多少佣金？", "我离下一级还差什么？"),
    "en": ("How much did I earn this month?", "What am I missing for the next tier?"),
}


def as_question(topic: Topic) -> str:
    """The topic as something a user would type."""
    if topic.is_question:
        return topic.heading
    return pick(topic.language or "zh-CN", f"关于“{topic.heading}”，有哪些规定？",
                f"What do the handbooks say about {topic.heading}?")


def example_questions(kb: KnowledgeBase, identity: Identity | None, n: int = 6, language: str = "zh-CN") -> list[str]:
    """Up to ``n`` questions about the topics ``identity`` may read (a KOC never sees an HQ-only
    heading), plus two about its own numbers for a signed-in KOC."""
    personal = identity is not None and identity.role == "koc"
    extra = list(PERSONAL_EXAMPLES["en" if language == "en" else "zh-CN"]) if personal else []
    found = [as_question(t) for t in spread(kb.topics(viewer_for(identity)), max(0, n - len(extra)))]
    return found + extra
