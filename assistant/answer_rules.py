"""The rules answer: a question answered from the handbooks, with citations.

Retrieval, made as the asker (``assistant.audience``: a KOC never retrieves a document it may not
read, so nothing of one reaches the answer, its citations or its refusal), decides whether the
handbooks cover the question at all (never the model); the offline
answer (quoted evidence sentences) is built first and is the answer when there is no chat model,
and the fallback when the model fails or little of its answer survives the guard. A model answer
that leaves out a figure of the best evidence sentence gets that sentence quoted after it.
"""

from __future__ import annotations

import re
from typing import Iterator, Mapping, Protocol, Sequence

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from assistant.agent import stream_rules_answer
from assistant.audience import viewer_for
from assistant.answer_fixed import answer_fixed
from assistant.breach_penalty import breach_row
from assistant.cross_references import defers_a_cell, with_referenced, with_section_rest
from assistant.embed_ahead import embed_ahead, turn_texts
from assistant.evidence_scorer import scorer_for
from assistant.follow_up import conversation_query, with_end_tier, with_next_tier
from assistant.guard import numbers_in
from assistant.messages import message
from assistant.offline import (answers_no_part, cite, evidence_answer, is_covered, nearby_topics, select_sentences,
                               uncovered_parts, unstated_premise, with_best_of)
from assistant.prompts import Evidence, short_evidence
from assistant.relay import relay
from assistant.text_match import glossary_terms
from assistant.turn import TurnContext
from assistant.types import Citation
from base.language import CJK_RE, detect_language, localize, to_simplified
from base.settings import Settings
from knowledge.audience import Viewer
from knowledge.kb import KnowledgeBase
from knowledge.sentences import row_cells
from knowledge.types import Hit
from tools.catalog import ProductRef, near_products, product_core_name

_QUOTE_LEAD = {"zh": "手册原文：", "en": "From the handbook (Chinese original): "}


class PickedSentence(Protocol):
    """An evidence sentence ``offline.select_sentences`` picked: its text and the rank of its hit."""

    hit_rank: int
    text: str
    raw: str
    overlap: float


class RulesAnswer:
    """Answers a turn from the knowledge base: offline, or by the guarded chat model."""

    def __init__(self, settings: Settings, *, kb: KnowledgeBase, chat_model: BaseChatModel | None,
                 embeddings: Embeddings | None, catalog: tuple[ProductRef, ...] = (),
                 tier_names: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.catalog = catalog  # the policy's products: their names in both languages are a glossary
        self.tier_glossary = tier_glossary(tier_names or {})  # a tier's English names → its Chinese name
        self.tier_ladder = dict(tier_names or {})  # every tier name → its key, lowest tier first
        # the things a follow-up can switch between ("那金卡呢？"): every product and tier name
        self.entities = tuple(dict.fromkeys(n for n in (*(a for p in catalog for a in (p.name_zh, p.name_en, *p.aliases)),
                                                        *(tier_names or {})) if n))
        self.kb = kb
        self.chat_model = chat_model
        self.embeddings = embeddings  # the router's model: it also checks cross-lingual support in the guard

    def names(self, ctx: TurnContext) -> list[str]:
        """Names the knowledge base knows (its dictionary, document terms, the brand's names): a
        question that is only one of them continues the previous question. Read only when there is
        a previous question, once a turn (``TurnContext.names``)."""
        if not any(r == "user" for r, _ in ctx.recent):
            return []
        try:
            return [*self.kb.brand_terms(viewer_for(ctx.identity)), *ctx.profile.names]
        except Exception:  # a manifest that cannot be read: pronoun and ellipsis cues still work
            return list(ctx.profile.names)

    def switchable(self, ctx: TurnContext) -> tuple[str, ...]:
        """What a follow-up can switch between: the policy's products and tiers, and the subjects the
        handbooks' tables have rows for (a brand whose tiers the policy does not name still lists
        them in a table). Read only when there is a previous question."""
        if not any(r == "user" for r, _ in ctx.recent):
            return self.entities
        try:
            return tuple(dict.fromkeys((*self.entities, *self.kb.row_keys(viewer_for(ctx.identity)))))
        except Exception:  # a manifest that cannot be read: the policy's names still switch
            return self.entities

    def ladder(self, ctx: TurnContext) -> Mapping[str, str]:
        """The tiers, lowest first (name → key): the policy's, or else the handbooks' own tier table, so
        "the next tier" and "the top tier" have names for a brand whose policy does not list them."""
        if self.tier_ladder:
            return self.tier_ladder
        try:
            return {name: name for name in self.kb.tier_ladder(viewer_for(ctx.identity))}
        except Exception:  # a manifest that cannot be read: no ladder, the question stays as asked
            return {}

    def with_names(self, text: str, viewer: Viewer | None = None) -> str:
        """What is searched for ``text``: the Chinese names the catalogue and the policy give its
        product and tiers, written beside the names it uses (``with_catalogue_name``, ``with_tier_names``);
        without a policy's, the names the handbooks' own tables give in English (a 英文名 column), from the
        tables ``viewer`` may read (none given: the public's, never an HQ table's names)."""
        named = with_tier_names(with_catalogue_name(text, self.catalog), self.tier_glossary)
        if self.tier_glossary:
            return named
        return in_handbook_names(named, self._handbook_names(viewer if viewer is not None else Viewer.public()))

    def _handbook_names(self, viewer: Viewer) -> dict[str, str]:
        try:
            return self.kb.english_names(viewer)
        except Exception:  # a manifest that cannot be read: the question's own words
            return {}

    def __call__(self, ctx: TurnContext) -> Iterator[str]:
        """Refuse what the handbooks don't cover; otherwise the offline answer, or the model's, checked."""
        viewer = viewer_for(ctx.identity)
        query = self.with_names(search_query(ctx, ctx.names, self.switchable(ctx), self.ladder(ctx)), viewer)
        embed_ahead(self.kb, turn_texts(self.kb, query))  # free when the router embedded them
        found = self.kb.search(query, k=self.settings.search_k, viewer=viewer, lexical_hint=glossary_hint(query))
        hits: list[Hit] = list(found.hits)
        content = ctx.route.intent == "content" and ctx.route.source == "rules"  # an explicit writing request
        scorer = scorer_for(self.kb, query, viewer)
        picked = select_sentences(query, hits, content_request=content, scorer=scorer)
        # the rest of the best sentence's section, when the section was cut into chunks the search left out;
        # before references are followed, whose sections' sentences are then kept in the selection
        if picked:
            lead = max(picked, key=lambda c: c.overlap).hit_rank
            whole = with_section_rest(self.kb, query, hits, lead, viewer)
            if len(whole) > len(hits):
                hits = whole
                picked = select_sentences(query, hits, content_request=content, scorer=scorer)
        # evidence that defers to another handbook ("标准见《…》"): that handbook's closest section joins it
        deferred: set[str] = set()
        followed = with_referenced(self.kb, query, hits, [(c.hit_rank, c.text) for c in picked], viewer, deferred)
        if len(followed) > len(hits) or deferred:
            had = {h.chunk_id for h in hits}
            # a row whose cell defers to another document ("见《…》") is as much about the question as that
            # document's section, which holds its value
            pointer = max((c.overlap for c in picked if defers_a_cell(c.text)), default=0.0)
            hits = followed
            picked = with_best_of(query, hits, select_sentences(query, hits, content_request=content, scorer=scorer),
                                  [i for i, h in enumerate(hits) if h.chunk_id not in had], scorer)
            picked = with_best_of(query, hits, picked, [i for i, h in enumerate(hits) if h.chunk_id in deferred],
                                  scorer, pointer)
        if not is_covered(query, found.covered, hits, picked, scorer=scorer, content_request=content):
            yield from self.refuse(ctx, hits)
            return
        offline_text, offline_cites = evidence_answer(query, hits, ctx.language, content_request=content, picked=picked,
                                                      profile=ctx.profile)
        if not offline_text:
            yield from self.refuse(ctx, hits)
            return
        if not content:
            uncovered = uncovered_parts(ctx.question, hits, picked, scorer)
            if answers_no_part(ctx.question, uncovered, found.covered, hits, scorer):
                yield from self.refuse(ctx, hits)
                return
            for part in uncovered:
                offline_text += "\n" + message("part_not_covered", ctx.language, part=part)
        penalty = None if content else self._breach_penalty(ctx, hits, picked, viewer)
        if penalty is not None:
            offline_text, offline_cites = self._with_penalty_line(ctx, penalty, offline_text, offline_cites)
        if ctx.route.unpriced and self.catalog:  # the handbooks' rule for its kind, after saying it is not sold
            offline_text = message("unpriced_product_rule", ctx.language, product=ctx.route.unpriced) + "\n" + offline_text
        # "群里有人说…，真的吗？" over handbooks that never state its figures: the claim is denied, then their own rule
        denial = message("claim_not_stated", ctx.language, ctx.profile) + "\n" if unstated_premise(ctx.question, hits) else ""
        model, state = self.chat_model, ctx.state
        if model is None:
            state.answer, state.citations = denial + offline_text, offline_cites
            yield state.answer
            return
        state.used_model = True
        evidence = short_evidence(hits, picked) + ([Evidence(*penalty)] if penalty is not None else [])
        if denial:
            yield denial
        yield from relay(stream_rules_answer(model, ctx.question, ctx.language, evidence, history=ctx.history,
                                             summary=ctx.summary, content_request=content, embeddings=self.embeddings,
                                             secrets=ctx.secrets, role=ctx.role, own_koc_id=ctx.koc_id,
                                             timings=state.timings),
                         ctx, offline_text, offline_cites)
        state.answer = denial + state.answer
        if not state.fell_back and not content and picked:
            yield from complete_with_evidence(ctx, picked[0], hits)

    def _breach_penalty(self, ctx: TurnContext, hits: Sequence[Hit], picked: Sequence[PickedSentence],
                        viewer: Viewer) -> tuple[Hit, str] | None:
        """For "may I…?", the penalty row of the rule the answer quotes (``breach_penalty``) and its chunk: what
        breaking the rule costs is kept in another handbook's table, which the search need not return."""
        lead = max(picked, key=lambda c: c.overlap, default=None)
        if lead is None or lead.hit_rank >= len(hits):
            return None
        try:
            rows = self.kb.table_rows(viewer)
        except Exception:  # a manifest that cannot be read: the answer as it is
            return None
        # the rule that answers, not a neighbour of it: its whole line ("不拍…；要拍…，只拍…" is one rule in two clauses)
        said = lead.raw or lead.text
        line = next((line for line in hits[lead.hit_rank].text.splitlines() if said in line), said)
        found = breach_row(ctx.question, [line], rows)
        chunks = self.kb.get_chunks([found[0]], viewer) if found is not None else []
        return (chunks[0], found[1]) if chunks and found is not None else None

    @staticmethod
    def _with_penalty_line(ctx: TurnContext, penalty: tuple[Hit, str], text: str,
                           citations: list[Citation]) -> tuple[str, list[Citation]]:
        """The offline answer with the penalty row after it, cited, unless the answer quotes the row already."""
        hit, row = penalty
        if row_cells(row)[0][1] in to_simplified(text):
            return text, citations
        n = next((c.n for c in citations if c.chunk_id == hit.chunk_id), len(citations) + 1)
        if n > len(citations):
            citations = [*citations, Citation(n=n, source=hit.source, chunk_id=hit.chunk_id, text=hit.text)]
        shown = row if ctx.language == "en" else localize(row, ctx.language)
        line = cite(f"{message('breach_penalty', ctx.language)}{shown}", n)
        return f"{text}\n{'- ' if ctx.language == 'en' else ''}{line}", citations

    def refuse(self, ctx: TurnContext, hits: Sequence[Hit]) -> Iterator[str]:
        """The refusal with nearby topics; someone not signed in is also told that KOCs may read more,
        when the knowledge base has handbooks the public may not read (nothing of them is said)."""
        if ctx.route.unpriced and self.catalog:
            yield from self._unpriced(ctx)
            return
        # a rule the asker was told whose figures the handbooks never state: say so first, so the claim is
        # denied rather than merely left unanswered; its figures are not repeated (a quoted line would carry them)
        denial = message("claim_not_stated", ctx.language, ctx.profile) + "\n" if unstated_premise(ctx.question, hits) else ""
        if denial:
            yield denial
        yield from refuse_with_topics(ctx, hits)
        ctx.state.answer = denial + ctx.state.answer
        if ctx.identity is None and self._kocs_read_more():
            note = "\n" + message("sign_in_for_more", ctx.language)
            ctx.state.answer += note
            yield note

    def _unpriced(self, ctx: TurnContext) -> Iterator[str]:
        """"卖5个<no such product>能赚多少？" that the handbooks do not price either: the catalogue has no
        such product, and these are the names closest to it."""
        english = ctx.language == "en"
        near = near_products(ctx.route.unpriced, self.catalog)
        names = ("; " if english else "、").join((p.name_en if english else product_core_name(p.name_zh)) for p in near)
        ctx.state.answer = message("unpriced_product", ctx.language, product=ctx.route.unpriced,
                                   near=message("near_products", ctx.language, names=names) if near else "")
        ctx.state.refused = True
        yield ctx.state.answer

    def _kocs_read_more(self) -> bool:
        try:
            return self.kb.reads_more(Viewer.koc(None, None), Viewer.public())
        except Exception:  # a manifest that cannot be read: the plain refusal
            return False


def refuse_with_topics(ctx: TurnContext, hits: Sequence[Hit]) -> Iterator[str]:
    """Refuse, and say what the handbooks cover near the question (the sections the search came
    closest to), so the asker knows what to ask instead; the plain refusal when nothing is near."""
    topics = nearby_topics(hits)
    if not topics:
        yield from answer_fixed(ctx, "not_covered", refused=True)
        return
    joiner = "; " if ctx.language == "en" else "、"
    shown = joiner.join(f"“{t}”" if ctx.language != "en" else t for t in topics)
    ctx.state.answer = message("not_covered_near", ctx.language, ctx.profile, topics=localize(shown, ctx.language))
    ctx.state.refused = True
    yield ctx.state.answer


def search_query(ctx: TurnContext, names: list[str] | None = None, entities: Sequence[str] = (),
                 ladder: Mapping[str, str] | None = None) -> str:
    """What to search for: the question, with the earlier questions' topic when a cue marks it as
    a follow-up (``follow_up``); never merged for being short. "The next tier" is named by the
    policy's ladder (``ladder``: tier name → key, lowest first) from the tier asked about before."""
    earlier = [t for r, t in ctx.recent if r == "user"]
    question = with_end_tier(with_next_tier(ctx.question, earlier, ladder or {}), ladder or {})
    return conversation_query(question, earlier, names or [], entities)


def glossary_hint(query: str) -> str:
    """The handbooks' Chinese words for an English query's programme terms ("free-shipping" → 包邮 免运费),
    searched by the lexical retriever alongside the query: an English question shares no word with a
    Chinese handbook otherwise. "" for a Chinese query."""
    if CJK_RE.search(query) and detect_language(query) != "en":
        return ""
    return " ".join(glossary_terms(query))


def with_catalogue_name(query: str, catalog: tuple[ProductRef, ...]) -> str:
    """The query with the Chinese name of the product it names in other words, written right after
    that name: the catalogue knows every product in both languages, so "the sea-kelp night mask"
    also searches for 海带睡眠面膜 and the handbook's sentences about it are found by their words (a
    glossary from the brand's own data, not typed in code). The question's parts stay as they were."""
    found = named_product(query, catalog)
    if found is None:
        return query
    product, alias = found
    name = product_core_name(product.name_zh)
    if not name or name in to_simplified(query):
        return query
    simple = to_simplified(query).lower()  # 繁 → 简 keeps each character's place
    match = re.search(re.escape(alias), simple) if len(simple) == len(query) else None
    end = match.end() if match else len(query)
    return f"{query[:end]} ({name}){query[end:]}"


def tier_glossary(tier_names: Mapping[str, str]) -> dict[str, str]:
    """Each English tier name (as the router keys them: tier name → tier key) → the tier's longest
    Chinese name: the policy names every tier in both languages."""
    chinese: dict[str, str] = {}
    for name, key in tier_names.items():
        if CJK_RE.search(name) and len(name) > len(chinese.get(key, "")):
            chinese[key] = name
    return {name: chinese[key] for name, key in tier_names.items() if name.isascii() and key in chinese}


def with_tier_names(query: str, glossary: Mapping[str, str]) -> str:
    """An English query with the Chinese name of each tier it names by its English name, written after
    it ("promoted to Coral" → "promoted to Coral (珊瑚会员)"): Chinese handbooks state a tier's rules
    under its Chinese name. ``glossary`` is ``tier_glossary``'s."""
    out = query
    for name in sorted(glossary, key=len, reverse=True):
        if glossary[name] in out:
            continue
        out = re.sub(rf"(?i)\b{re.escape(name)}\b", lambda m: f"{m.group(0)} ({glossary[name]})", out, count=1)
    return out


def in_handbook_names(query: str, names: Mapping[str, str]) -> str:
    """An English query with each name a handbook table gives in English replaced by the row's Chinese name
    ("promoted to Leafling" → "promoted to 绿叶"): the rules for it are written under that name, and the
    English name is written only in the table that pairs the two, which answers nothing but the name."""
    out = query
    for name in sorted(names, key=len, reverse=True):
        out = re.sub(rf"(?i)(?<![\w-]){re.escape(name)}(?![\w-])", names[name], out)
    return out


def named_product(text: str, catalog: tuple[ProductRef, ...]) -> tuple[ProductRef, str] | None:
    """The product whose code or one of whose names the text contains word for word (the longest
    such name), with that name: no fuzzy guess, since a wrong product would steer the evidence."""
    lowered = to_simplified(text).lower()
    best: tuple[ProductRef, str] | None = None
    for ref in catalog:
        for alias in ref.aliases:
            pattern = rf"(?<![a-z0-9-]){re.escape(alias)}(?![a-z0-9-])" if alias.isascii() else re.escape(alias)
            if len(alias) >= 2 and (best is None or len(alias) > len(best[1])) and re.search(pattern, lowered):
                best = (ref, alias)
    return best


def complete_with_evidence(ctx: TurnContext, best: PickedSentence, hits: Sequence[Hit]) -> Iterator[str]:
    """A small model drops figures ("暂停名额90天" without the 60-point threshold). When the model's
    answer leaves out a number of the best evidence sentence, that sentence is quoted after it,
    cited, so the answer is complete; the quote is the handbook's own text, nothing generated."""
    state = ctx.state
    missing = numbers_in(best.text) - numbers_in(re.sub(r"\[\d+\]", "", state.answer))
    if not missing:
        return
    hit = hits[best.hit_rank]
    n = next((c.n for c in state.citations if c.chunk_id == hit.chunk_id), len(state.citations) + 1)
    if all(c.n != n for c in state.citations):
        state.citations.append(Citation(n=n, source=hit.source, chunk_id=hit.chunk_id, text=hit.text))
    lead = _QUOTE_LEAD["en" if ctx.language == "en" else "zh"]
    quote = "\n" + localize(lead + cite(best.text, n), ctx.language)
    state.answer += quote
    yield quote
