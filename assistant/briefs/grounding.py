"""The handbook facts a brief may use: retrieved, quoted sentence by sentence, each with its chunk.

A fact is a sentence of a retrieved chunk, never a paraphrase, so its citation supports it by
construction. Sentences that state a prohibition go to the do's and don'ts instead, sentences the
compliance checker objects to are never offered as copy, and chunks written for HQ only are skipped
(what a brief says reaches KOCs and their followers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Sequence

from assistant.briefs.models import Citation, Fact, KeyMessage
from assistant.compliance.service import ComplianceChecker
from assistant.embed_ahead import embed_ahead, search_texts
from assistant.text_match import bigrams, en_words
from base.language import to_simplified
from knowledge.audience import Viewer
from knowledge.sentences import ROW_JOIN, row_phrase, split_sentences

PROHIBITS = re.compile(r"不能|不得|禁止|禁用|不要|不可|严禁|避免|违规|扣分|删除|must not|never|don't", re.I)
REQUIRES = re.compile(r"必须|都要|要带|标注|写明|说明|只写|以.{1,12}为准|建议|按.{1,20}顺序|should|must", re.I)
#: the programme's own mechanics (commission, tiers, the samples lent to KOCs, the rule text itself) are for KOCs,
#: not for their followers
PROGRAMME = re.compile(r"佣|提成|实付|样机|借测|本规则|本手册|本指南|本政策|结算|晋级|升级|等级|百分点|分销|推广者|销售额|"
                       r"奖励|KOC|commission|tier", re.I)
#: a worked calculation ("239 × 15% × 1.2 = 43.02 元"): how a KOC's pay is reckoned, never copy for followers
CALCULATION = re.compile(r"\d\s*[×xX*÷/]\s*[\d(（]|[\d)）]\s*=\s*[\d¥￥]")
#: a worked example ("示例 5：某等级卖出 1 台…") or a clause that points at another clause ("按第四条的要求"):
#: the programme explaining itself to KOCs
WORKED_EXAMPLE = re.compile(r"^\s*(?:\d+[.、]\s*)?(?:示例|例\s*\d|举例|例如|改写|原句|原标题|反例|错误示范|正确示范)|"
                            r"第[一二三四五六七八九十\d]+条")
#: a list's own number ("2.测评里…"): it belongs to the list, not to the sentence quoted out of it
LIST_NUMBER = re.compile(r"^\s*(?:\d+[.、)）]|[（(]\d+[)）])\s*")
#: a sentence that announces the list after it ("下面这些要求必须遵守；"): it says nothing by itself
ANNOUNCES = re.compile(r"(?:以下|下面|如下)(?:这些|几[条点项个]|的)?|\bthe following\b", re.I)
#: facts worth quoting are sentences, not labels ("价格：¥139") nor paragraphs
FACT_MIN, FACT_MAX = 10, 140
#: a line this short without a sentence's final mark is a title or a label
TITLE_MAX = 30
SAME_FACT = 0.6  # share of bigrams two sentences share when they state the same thing
CONTENT_RULE_QUERIES = ("内容发布规范 标题 话题标签 必须 真实体验", "广告法 禁用词 不能写 功效宣称 违规")


@dataclass
class Grounding:
    """Facts numbered in the order found, plus the content rules as do's and don'ts."""

    facts: list[Fact]
    dos: list[KeyMessage]
    donts: list[KeyMessage]
    about: dict[str, list[int]] = field(default_factory=dict)  # group key (a product) → ids of its facts

    def for_product(self, key: str) -> list[Fact]:
        """The facts retrieved for ``key`` (a product's short name), else all of them."""
        ids = set(self.about.get(key, []))
        return [f for f in self.facts if f.id in ids] or self.facts


def _citation(hit: Any, sentence: str) -> Citation:
    return Citation(chunk_id=hit.chunk_id, source=hit.source, text=sentence)


def _repeats(sentence: str, kept: Iterable[str]) -> bool:
    grams = bigrams(sentence)
    return any(grams and len(grams & (g := bigrams(k))) / max(1, min(len(grams), len(g))) >= SAME_FACT for k in kept)


def _is_copy(sentence: str) -> bool:
    """A sentence a follower may read as a fact: not too short or long (a table row may be longer), no
    prohibition, none of the programme's mechanics (its words, a worked sum or example, a reference to
    another clause), no lead-in to a list, and no piece of a quotation cut in two."""
    simple = to_simplified(sentence)
    if simple.count("“") != simple.count("”") or simple.count("「") != simple.count("」"):
        return False  # cut inside a quotation: a fragment
    if ROW_JOIN not in sentence and len(sentence) < TITLE_MAX and not sentence.rstrip().endswith(tuple("。！？；.!?;…”」")):
        return False  # a title or a label ("<品牌> 售后服务说明（推广员版）"), not a statement
    longest = 2 * FACT_MAX if ROW_JOIN in sentence else FACT_MAX
    return (FACT_MIN <= len(sentence) <= longest and not sentence.rstrip().endswith(("：", ":"))
            and not any(p.search(simple) for p in (PROHIBITS, PROGRAMME, CALCULATION, WORKED_EXAMPLE)))


def quoted(sentence: str) -> str:
    """A handbook sentence as a brief shows it: without its list number, a table row as a phrase
    (its citation keeps the sentence as the handbook writes it)."""
    return row_phrase(LIST_NUMBER.sub("", sentence))


def _heading(hit: Any) -> str:
    return " ".join(getattr(hit, "heading_path", []) or [])


def _shares_words(key: str, text: str) -> bool:
    """``text`` shares a word (a Chinese bigram, an English word) with ``key``."""
    return bool(bigrams(key) & bigrams(text)) or bool(en_words(key) & en_words(text))


def _relevance(sentence: str, hit: Any, key: str) -> int:
    """A section about the key (its heading names it) beats a sentence that merely mentions it."""
    heading = to_simplified(_heading(hit)).lower()
    return 3 * (key in heading) + (key in to_simplified(sentence).lower()) if key else 0


def gather(kb: Any, groups: dict[str, Sequence[str]], checker: ComplianceChecker, viewer: Viewer,
           per_query: int = 3, k: int = 5, named: Collection[str] = ()) -> Grounding:
    """Facts for each group (a product's short name → its queries; the campaign → its theme), ranked
    by whether their section is about the group's key; the content rules from two fixed searches.
    A key in ``named`` (a product) takes only facts that name it, in the sentence or in its section's
    heading: a rule that merely sits near the product in a search (a sample's return date, how a sale
    is reckoned) says nothing of it to a follower; its catalogue row does, so a row naming it counts.
    Every search is made as ``viewer``: a brief or a topic list quotes only what its readers may read.
    Deterministic for a given index."""
    facts: list[Fact] = []
    about: dict[str, list[int]] = {}
    seen: list[str] = []
    embed_ahead(kb, search_texts(kb, [*(q for queries in groups.values() for q in queries), *CONTENT_RULE_QUERIES]))
    for key, queries in groups.items():
        lowered = to_simplified(key).lower()
        for query in queries:
            scored: list[tuple[int, int, int, str, Any]] = []
            must_name = key in named
            for hit in kb.search(query, k=k, viewer=viewer).hits:
                for i, sentence in enumerate(split_sentences(hit.text)):
                    if not _is_copy(sentence):
                        continue
                    relevance = _relevance(sentence, hit, lowered)
                    if (must_name and not relevance) or (ROW_JOIN in sentence and lowered not in to_simplified(sentence).lower()):
                        continue  # a product's fact names it; a table row is a label unless it is the product's own
                    if named and not must_name and not _shares_words(key, f"{_heading(hit)} {sentence}"):
                        continue  # beside products, a campaign's fact speaks of its theme, not of what the search came near
                    scored.append((-relevance, hit.rank, i, sentence, hit))
            taken = 0
            for _, _, _, sentence, hit in sorted(scored, key=lambda s: s[:3]):
                if taken >= per_query:
                    break
                if _repeats(sentence, seen) or checker.terms(sentence):
                    continue
                seen.append(sentence)
                facts.append(Fact(id=len(facts) + 1, text=quoted(sentence), citation=_citation(hit, sentence)))
                about.setdefault(key, []).append(len(facts))
                taken += 1
    dos, donts = content_rules(kb, checker, viewer)
    return Grounding(facts=facts, dos=dos, donts=donts, about=about)


def content_rules(kb: Any, checker: ComplianceChecker, viewer: Viewer, limit: int = 5) -> tuple[list[KeyMessage], list[KeyMessage]]:
    """The handbooks' own do's (requirements) and don'ts (prohibitions), quoted and cited."""
    dos: list[KeyMessage] = []
    donts: list[KeyMessage] = []
    seen: list[str] = []
    rule_files = set(checker.brand.sources)  # the files the brand's banned words come from: its content rules
    for query in CONTENT_RULE_QUERIES:
        for hit in kb.search(query, k=6, viewer=viewer).hits:
            if rule_files and hit.source not in rule_files:
                continue
            for sentence in split_sentences(hit.text):
                if (not (FACT_MIN <= len(sentence) <= 200) or _repeats(sentence, seen) or sentence.endswith(("：", ":"))
                        or (ANNOUNCES.search(sentence) and len(sentence) < 40)):
                    continue
                bucket = donts if PROHIBITS.search(sentence) else dos if REQUIRES.search(sentence) else None
                if bucket is None or len(bucket) >= limit:
                    continue
                seen.append(sentence)
                bucket.append(KeyMessage(text=quoted(sentence), citations=[_citation(hit, sentence)]))
    return dos, donts
