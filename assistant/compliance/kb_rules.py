"""What a brand's own content handbook adds to the compliance rules: its banned words, the
disclosure hashtag every post must carry, and the scene hashtags it suggests.

Read from the knowledge base's chunks, never written in code, so a second brand's handbook
brings its own list. Banned words are the items of lists under a heading that prohibits
("禁用词", "极限词", "不能…") and the quoted words of a sentence that forbids them
("不能写“治疗湿疹”“药用级”"); the disclosure tag is a hashtag a sentence requires on every post.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from assistant.compliance.checker import BrandTerm
from base.language import CJK_RE, to_simplified

PROHIBITING_HEADING = re.compile(r"禁用|禁止|极限词|违禁|禁词|不能|不得|不可|banned|forbidden|prohibited", re.I)
PROHIBITING_SENTENCE = re.compile(r"不能|不得|禁止|不要|不可|禁用|严禁|must not|never|do not|don't", re.I)
REQUIRING = re.compile(r"标注|每篇|都要|必须|写明|带上|带话题|注明|disclos|must (?:carry|include|add)", re.I)
EXAMPLE_MARK = re.compile(r"例如|比如|如：|e\.g\.|for example", re.I)
HASHTAG = re.compile(r"#[^\s#，。,.;；、！!？?）)“”\"'：:]+")
QUOTED = re.compile(r"[“「『\"]([^”」』\"]{1,12})[”」』\"]")
#: what may follow quoted words that a sentence bans as words: nothing, more of them, or a word for a word
#: ("…“最”“第一”等极限词", "…“药用级”这样的说法", "以「清仓」为名"); anything else makes them modifiers of what is banned
#: ("不得用 AI 生成「开箱」实拍效果冒充真实体验" bans faked footage, not the word 开箱)
AS_WORDS = re.compile(r"\s*(?:$|[、，,；;。.!！?？）)和或及与]|等|之类|这|那|一类|此类|类似|作为|当作|为名|为由|的?名义|"
                      r"的?(?:词|字|用语|字样|说法|表述|字眼|话术|宣传语|标语|卖点))")
LIST_SPLIT = re.compile(r"[、，,；;／/]|\s或\s")
#: a banned word is short; longer list items are sentences, not words
MAX_TERM_CHARS = 8


class ChunkLike(Protocol):
    text: str
    source: str
    heading_path: str  # JSON list, as the manifest stores it


@dataclass(frozen=True)
class BrandContentRules:
    """The brand's content rules as the checker and the brief writer use them."""

    banned: tuple[BrandTerm, ...] = ()
    disclosure_tags: tuple[str, ...] = ()
    scene_tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)


def _headings(chunk: ChunkLike) -> str:
    try:
        return " ".join(json.loads(chunk.heading_path or "[]"))
    except (TypeError, ValueError):
        return str(chunk.heading_path)


def _list_items(line: str) -> list[str]:
    """Words of one list line: "- 最（最好、最安全等）" → 最, 最好, 最安全; a parenthesis that is not a list is dropped."""
    line = re.sub(r"^\s*(?:[-*+•]|\d+[.)、]|[一二三四五六七八九十]+、)\s*", "", line).replace("**", "").strip()
    out: list[str] = []
    inner = re.findall(r"[（(]([^）)]*)[）)]", line)
    for part in inner:
        pieces = [p for p in part.split("、") if p.strip()]
        if len(pieces) >= 2:
            out += pieces
    outer = re.sub(r"[（(][^）)]*[）)]", "", line)
    out += LIST_SPLIT.split(outer)
    return out


def _is_prose(line: str) -> bool:
    """A line that introduces or explains a list ("以下用语一律不能出现在标题、正文中：") is not one."""
    stripped = re.sub(r"[（(][^）)]*[）)]", "", line).strip()  # "零添加（除非有认证，否则不能写）" is still a list item
    return stripped.endswith(("：", ":")) or bool(PROHIBITING_SENTENCE.search(stripped)) or "→" in stripped


def _clean(word: str) -> str:
    word = re.sub(r"(?:等等|等|之类的?)$", "", word.strip().strip("。.：:“”\"'「」 "))
    return word.strip()


def _is_term(word: str) -> bool:
    if not word or len(word) > MAX_TERM_CHARS or PROHIBITING_SENTENCE.search(word):
        return False
    if re.search(r"[《》：:→]", word):
        return False
    return bool(CJK_RE.search(word) or re.fullmatch(r"[A-Za-z0-9.%+ ]{2,}", word))


def banned_terms(chunks: Iterable[ChunkLike]) -> list[BrandTerm]:
    """Banned words the handbooks list, each with the file that lists it."""
    found: dict[str, BrandTerm] = {}
    for chunk in chunks:
        heading = to_simplified(_headings(chunk))
        under_ban = bool(PROHIBITING_HEADING.search(heading))
        for line in chunk.text.splitlines():
            words: list[str] = []
            if under_ban and not _is_prose(line):
                words += _list_items(line)
            for clause in re.split(r"[。！？!?，,；;]", line):
                quotes = list(QUOTED.finditer(clause))
                if quotes and PROHIBITING_SENTENCE.search(clause[:quotes[0].start()]) \
                        and AS_WORDS.match(clause, quotes[-1].end()):
                    words += [q.group(1) for q in quotes]  # "不能写“治疗湿疹”“药用级”", not "只能描述为“…”"
            for raw in words:
                word = _clean(raw)
                if _is_term(word) and to_simplified(word) not in found:
                    found[to_simplified(word)] = BrandTerm(word=word, source=chunk.source)
    return list(found.values())


def hashtags(chunks: Iterable[ChunkLike]) -> tuple[list[str], list[str]]:
    """(disclosure tags a sentence requires on every post, scene tags offered as examples)."""
    required: dict[str, int] = {}
    examples: dict[str, None] = {}
    for chunk in chunks:
        for sentence in re.split(r"(?<=[。！？!?\n])", chunk.text):
            head, *rest = EXAMPLE_MARK.split(sentence, maxsplit=1)
            for tag in HASHTAG.findall(head):
                if REQUIRING.search(head) or re.search(r"加上|加", head):
                    required[to_simplified(tag)] = required.get(to_simplified(tag), 0) + (2 if REQUIRING.search(head) else 1)
            for tag in HASHTAG.findall(rest[0] if rest else ""):
                examples[tag] = None
    strong = [t for t, n in sorted(required.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2]
    return strong[:2], [t for t in examples if to_simplified(t) not in required]


def content_rules(chunks: Iterable[ChunkLike]) -> BrandContentRules:
    """The brand's banned words and hashtags from the knowledge base's chunks."""
    chunks = list(chunks)
    banned = banned_terms(chunks)
    required, scene = hashtags(chunks)
    return BrandContentRules(banned=tuple(banned), disclosure_tags=tuple(required), scene_tags=tuple(scene),
                             sources=tuple(dict.fromkeys(t.source for t in banned)))
