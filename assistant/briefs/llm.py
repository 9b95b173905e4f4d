"""The model's brief: generate from numbered handbook facts, validate, repair once, else fall back.

The model only writes words around facts it is given by number; citations are attached in code
from those numbers, so a citation can only ever point at a retrieved chunk. Whatever the model
returns is held to ``validate.problems``; one repair round sends the problems back, and a draft
that still fails is discarded for the offline brief (the caller records why).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.briefs.grounding import Grounding
from assistant.briefs.models import BriefRequest, Fact, KeyMessage, PLATFORM_NAMES, Topic
from assistant.briefs.patterns import PATTERNS

SYSTEM = ("You write content briefs for a brand's KOCs in Simplified Chinese. Use only the numbered handbook facts "
          "you are given, never invent products, numbers or effects, and never use absolute or medical claims "
          "(最, 第一, 顶级, 100%, 治疗, 根治 …). Reply with one JSON object and nothing else.")


class DraftError(ValueError):
    """The model's reply is not a usable draft (not JSON, wrong shape, unknown fact numbers)."""


def prompt(request: BriefRequest, grounding: Grounding, products: list[str], title_max: int) -> str:
    facts = "\n".join(f"F{f.id}: {f.text}" for f in grounding.facts)
    angles = "、".join(p.angle for p in PATTERNS)
    return (f"Campaign: {request.campaign}\nTheme: {request.theme or '-'}\nAudience: {request.audience}\n"
            f"Platform: {PLATFORM_NAMES[request.platform]} (title at most {title_max or 30} characters)\n"
            f"Products: {', '.join(products) or '-'}\nTone: {request.tone or '真实、亲切'}\n"
            f"Handbook facts:\n{facts}\n\n"
            f"Write exactly {request.topics} topics, each with a different angle from: {angles}.\n"
            'JSON shape: {"summary": str, "key_messages": [{"text": str, "facts": [fact numbers]}], '
            '"topics": [{"title": str, "angle": str, "hook": str, "outline": [str, ...], "hashtags": [str, ...], '
            '"facts": [fact numbers]}]}. Key message texts restate their facts closely.')


def _json_object(text: str) -> dict:
    text = re.sub(r"^```(?:json)?|```$", "", text.strip(), flags=re.M)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end <= start:
        raise DraftError("the reply holds no JSON object")
    try:
        data = json.loads(text[start:end + 1])
    except json.JSONDecodeError as exc:
        raise DraftError(f"the reply is not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise DraftError("the reply is not a JSON object")
    return data


def _facts(ids: Any, by_id: dict[int, Fact], where: str) -> list[Fact]:
    out = []
    for raw in ids if isinstance(ids, list) else []:
        try:
            out.append(by_id[int(str(raw).lstrip("Ff"))])
        except (KeyError, ValueError):
            raise DraftError(f"{where}: fact {raw!r} was not given") from None
    return out


def parse_draft(text: str, grounding: Grounding, products: list[str], platform_format: str) -> tuple[str, list[KeyMessage], list[Topic]]:
    """(summary, key messages, topics) from a reply; citations come from the fact numbers it uses."""
    data = _json_object(text)
    by_id = {f.id: f for f in grounding.facts}
    try:
        messages = []
        for i, m in enumerate(data.get("key_messages") or []):
            facts = _facts(m.get("facts"), by_id, f"key_messages[{i}]")
            messages.append(KeyMessage(text=str(m["text"]), citations=[f.citation for f in facts]))
        topics = []
        for i, t in enumerate(data.get("topics") or []):
            facts = _facts(t.get("facts"), by_id, f"topics[{i}]")
            topics.append(Topic(title=str(t["title"]).strip(), angle=str(t["angle"]).strip(), hook=str(t["hook"]).strip(),
                                format=platform_format, outline=[str(x) for x in t.get("outline") or []],
                                hashtags=[str(x) if str(x).startswith("#") else f"#{x}" for x in t.get("hashtags") or []],
                                products=[products[i % len(products)]] if products else [], facts=facts,
                                citations=[f.citation for f in facts]))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise DraftError(f"the reply does not have the brief's shape ({exc})") from exc
    return str(data.get("summary") or ""), messages, topics


Check = Callable[[str, list[KeyMessage], list[Topic]], list[str]]


def generate(model: BaseChatModel, request_prompt: str, grounding: Grounding, products: list[str],
             platform_format: str, check: Check) -> tuple[tuple[str, list[KeyMessage], list[Topic]] | None, list[str]]:
    """A validated draft, or None and the problems of the last attempt (generate, then repair once)."""
    messages = [SystemMessage(SYSTEM), HumanMessage(request_prompt)]
    issues: list[str] = []
    for attempt in range(2):
        try:
            reply = str(model.invoke(messages).content)
        except Exception as exc:  # the model is down or timed out: the offline brief answers
            return None, [f"model error: {type(exc).__name__}: {exc}"]
        try:
            draft = parse_draft(reply, grounding, products, platform_format)
            issues = check(*draft)
        except DraftError as exc:
            draft, issues = None, [str(exc)]
        if draft is not None and not issues:
            return draft, []
        if attempt == 0:
            messages += [AIMessage(reply), HumanMessage("Your draft has these problems:\n- " + "\n- ".join(issues[:15]) +
                                      "\nReturn the corrected JSON object only.")]
    return None, issues
