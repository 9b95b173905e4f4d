"""The answer guard: every generated answer is checked against its evidence before it leaves.

Per sentence of the model's answer:
- ``[n]`` markers that don't map to a provided chunk are dropped (invented citations);
- support is measured against the cited chunks: lexical (character bigrams / words after
  OpenCC t2s, with the en→zh glossary) and, for a sentence in another language than its chunk,
  cross-lingual embedding similarity; a sentence its citations don't support but another chunk
  does is re-cited to that chunk; a sentence nothing supports is dropped;
- every number must occur in the supporting chunk or in a tool result, so personal figures can
  only come from the commission service; and the chunk must not contradict the sentence
  (``claim_check``: a quantity with another number, a reversed rule, a table row's threshold
  given for another row);
- token-like strings and any stretch of the system prompt are removed.
If little survives, ``GuardResult.weak`` tells the caller to answer with the offline responder.
Strong hosted models go through exactly the same checks.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from base.language import CJK_RE
from assistant.claim_check import contradiction
from assistant.offline import cite
from assistant.prompts import SYSTEM_PROMPT
from assistant.security import leaks_prompt, names_other_koc, scrub_secrets
from assistant.text_match import bigrams, cross_support, en_words, support
from assistant.types import Citation

LEXICAL_MIN = 0.5      # share of a sentence's bigrams/words found in the chunk
EMBED_MIN = 0.62       # cross-lingual cosine that counts as support
KEEP_MIN = 0.5         # share of the answer (by content) that must survive, else fall back
_MARK = re.compile(r"\[(\d{1,2})\]")
_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")
_SPLIT = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s+(?=\S)|\n+")


@dataclass
class GuardResult:
    text: str
    citations: list[Citation]
    kept: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (sentence, reason)
    kept_ratio: float = 1.0
    weak: bool = False
    error: str = ""  # the model failed mid-answer; ``text`` holds what was shown (all of it checked)
    seconds: float = 0.0  # time the checks took


def numbers_in(text: str) -> set[str]:
    """Numbers normalised for comparison: "¥1,234.50" → "1234.5", "18%" → "18"."""
    out = set()
    for raw in _NUM.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        out.add(value)
    return out


def tool_numbers(results: Sequence[Any]) -> set[str]:
    """Numbers a tool result licenses, including cents shown as yuan (12345 → 123.45)."""
    nums: set[str] = set()
    for result in results:
        text = json.dumps(result, ensure_ascii=False, default=str)
        nums |= numbers_in(text)
        for raw in re.findall(r'_cents"\s*:\s*(-?\d+)', text):
            cents = abs(int(raw))
            nums |= numbers_in(f"{cents // 100}.{cents % 100:02d}")
            nums |= numbers_in(f"{cents // 100:,}")
    return nums


def split_generated(text: str) -> list[str]:
    """Sentences of a generated answer; a marker after the full stop ("…。[1]") stays with its sentence."""
    pieces = [p for p in (s.strip() for s in _SPLIT.split(text)) if p]
    out: list[str] = []
    for piece in pieces:
        lead = re.match(r"^((?:\[\d{1,2}\]\s*)+)(.*)$", piece)
        if lead and out:
            out[-1] += lead.group(1).strip()
            piece = lead.group(2).strip()
        if piece:
            out.append(piece)
    return out


def _content_size(text: str) -> int:
    return len(bigrams(text)) + len(en_words(text))


def _cos(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / ((math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(x * x for x in b))) or 1.0)


class AnswerGuard:
    """Checks one answer against the numbered ``hits`` it was given and the tool ``results``."""

    def __init__(self, hits: Sequence[Any], tool_results: Sequence[Any] = (), *, embeddings: Any | None = None,
                 secrets: Sequence[str] = (), tool_text: str = "", role: str = "koc",
                 own_koc_id: int | None = None) -> None:
        self.hits = list(hits)
        self.tool_results = list(tool_results)
        self.embeddings = embeddings
        self.secrets = [s for s in secrets if s]
        self.tool_text = tool_text
        self.role, self.own_koc_id = role, own_koc_id
        self.tool_nums = tool_numbers(self.tool_results) | numbers_in(tool_text)  # the template renders the results
        self.hit_nums = [numbers_in(h.text) for h in self.hits]
        self._hit_vecs: dict[int, list[float]] = {}
        self._body_vecs: dict[str, list[float]] = {}
        self.numbers: dict[int, int] = {}  # evidence index (1-based) → citation number shown
        self.citations: list[Citation] = []
        self.seconds = 0.0  # time spent checking, reported so the guard's share of answer time is measured
        self._reviewed: list[tuple[str, str | None, str]] = []  # (sentence, shown form or None, reason)
        self._conflict = ""  # why the last sentence's evidence contradicts it ("" when it does not)

    # ---------------------------------------------------------------- per sentence
    def _support(self, body: str, index: int, embed: bool = True) -> float:
        """Lexical support of ``body`` by chunk ``index``; across languages, also cross-lingual
        embedding similarity when ``embed`` (each sentence and chunk is embedded at most once)."""
        chunk = self.hits[index - 1].text
        lexical = support(body, chunk)
        body_zh, chunk_zh = bool(CJK_RE.search(body)), bool(CJK_RE.search(chunk))
        if not body_zh and chunk_zh:
            lexical = max(lexical, cross_support(body, chunk) * 0.9)
        if embed and body_zh != chunk_zh and self.embeddings is not None and lexical < LEXICAL_MIN:
            try:
                if index not in self._hit_vecs:
                    self._hit_vecs[index] = self.embeddings.embed_query(chunk[:400])
                if body not in self._body_vecs:
                    self._body_vecs[body] = self.embeddings.embed_query(body)
                if _cos(self._body_vecs[body], self._hit_vecs[index]) >= EMBED_MIN:
                    return max(lexical, LEXICAL_MIN)
            except Exception:  # the embedder failing must not let an unchecked sentence through
                pass
        return lexical

    def _numbers_ok(self, body: str, indices: list[int]) -> bool:
        allowed = set(self.tool_nums)
        for i in indices:
            allowed |= self.hit_nums[i - 1]
        return numbers_in(body) <= allowed

    def _agrees(self, body: str, index: int) -> bool:
        """Chunk ``index`` supports ``body`` without contradicting it; a contradiction is remembered
        as the reason the sentence is dropped."""
        why = contradiction(body, self.hits[index - 1].text)
        if why:
            self._conflict = why
        return not why

    def check_sentence(self, sentence: str) -> tuple[str | None, str]:
        """The sentence as it may be shown (re-cited, renumbered) or None, and the reason."""
        sentence = scrub_secrets(sentence, self.secrets)
        if leaks_prompt(sentence, SYSTEM_PROMPT):
            return None, "repeats the system prompt"
        if self.role != "hq" and names_other_koc(sentence, self.own_koc_id):
            return None, "about another KOC"
        marks = [int(m) for m in _MARK.findall(sentence)]
        body = _MARK.sub("", sentence).strip()
        body = re.sub(r"\s+([。！？.!?；;，,])", r"\1", body)
        if not body:
            return None, "empty"
        valid = [n for n in dict.fromkeys(marks) if 1 <= n <= len(self.hits)]
        has_numbers = bool(numbers_in(body))
        if _content_size(body) <= 3 and not has_numbers:
            return body, "filler"
        self._conflict = ""
        cited = [(self._support(body, n), n) for n in valid]
        good = [n for s, n in cited if s >= LEXICAL_MIN and self._numbers_ok(body, [n]) and self._agrees(body, n)]
        if not good:
            # re-cite to another chunk: lexical over all of them, embeddings only for the closest one
            # (each embedding competes with the model for the CPU while it is still writing)
            lexical = sorted(((self._support(body, i, embed=False), i) for i in range(1, len(self.hits) + 1)), reverse=True)
            scored = sorted([(self._support(body, i), i) for _, i in lexical[:1]] + lexical[1:2], reverse=True)
            good = [i for s, i in scored if s >= LEXICAL_MIN and self._numbers_ok(body, [i]) and self._agrees(body, i)][:1]
        if good:
            return cite(body, [self._number(i) for i in good]), "supported"
        if self._conflict:
            return None, f"contradicts the evidence: {self._conflict}"
        if self.tool_results and self._numbers_ok(body, []) and (
                has_numbers or support(body, self.tool_text) >= 0.3):
            return body, "tool result"
        if has_numbers and not self._numbers_ok(body, list(range(1, len(self.hits) + 1))):
            return None, "number not in any evidence or tool result"
        return None, "unsupported by the evidence"

    def _number(self, index: int) -> int:
        if index not in self.numbers:
            self.numbers[index] = len(self.numbers) + 1
            hit = self.hits[index - 1]
            self.citations.append(Citation(n=self.numbers[index], source=hit.source, chunk_id=hit.chunk_id, text=hit.text))
        return self.numbers[index]

    def review(self, sentence: str) -> tuple[str | None, str]:
        """``check_sentence``, timed and remembered for the whole-answer verdict (``result``)."""
        started = time.perf_counter()
        try:
            out, reason = self.check_sentence(sentence)
        finally:
            self.seconds += time.perf_counter() - started
        self._reviewed.append((sentence, out, reason))
        return out, reason

    # ---------------------------------------------------------------- whole answer
    def result(self, *, need_citation: bool = True, text: str | None = None) -> GuardResult:
        """The verdict over every sentence reviewed so far; ``text`` overrides the joined kept sentences
        (a streamed answer was shown with its held filler)."""
        kept = [out for _, out, _ in self._reviewed if out is not None]
        dropped = [(sentence, reason) for sentence, out, reason in self._reviewed if out is None]
        total = kept_size = 0
        cited = False
        for sentence, out, reason in self._reviewed:
            size = max(1, _content_size(sentence))
            total += size
            if out is not None and reason != "filler":
                kept_size += size
            cited = cited or reason == "supported"
        ratio = kept_size / total if total else 0.0
        if text is None:
            text = ("" if any(CJK_RE.search(k) for k in kept) else " ").join(kept)
        weak = not kept or ratio < KEEP_MIN or (need_citation and not cited)
        return GuardResult(text=text, citations=list(self.citations), kept=kept, dropped=dropped,
                           kept_ratio=ratio, weak=weak, seconds=self.seconds)

    def check(self, text: str, *, need_citation: bool = True) -> GuardResult:
        for sentence in split_generated(text):
            self.review(sentence)
        return self.result(need_citation=need_citation)
