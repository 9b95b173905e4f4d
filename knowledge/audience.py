"""Who may read a document: audiences, and the viewer a search is made for.

A document's audience is a set of tokens: ``all`` (anyone, signed in or not), ``koc`` (every KOC),
``private`` or ``external`` (one kind of KOC), ``hq`` (HQ staff only) and tier keys of the
programme policy (``tier:KEY``; written ``KEY`` in front matter and on the command line). A
document without one gets ``KOC_DEFAULT_AUDIENCE`` (``hq``: closed) when it is searched, so an
unlabelled upload is never shown to a KOC by accident.

A :class:`Viewer` is the set of tokens an asker may see: HQ sees everything, a KOC sees ``all``,
``koc``, its kind and its tier, anybody else only ``all``. A chunk is searchable by a viewer when
their token sets meet. The knowledge package knows nothing about tokens or ledgers: the assistant
turns a signed-in identity into a viewer (``assistant.audience``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

ALL, KOC, PRIVATE, EXTERNAL, HQ = "all", "koc", "private", "external", "hq"
GROUPS = (ALL, KOC, PRIVATE, EXTERNAL, HQ)
KINDS = (PRIVATE, EXTERNAL)
TIER_PREFIX = "tier:"
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_SPLIT = re.compile(r"[\s,，、;；|/]+")


class AudienceError(ValueError):
    """An audience that is not made of known groups and tier keys; the message says what is accepted."""


def parse_audience(text: str | list | tuple | None, tiers: Collection[str] | None = None) -> frozenset[str]:
    """``"koc"`` → {koc}; ``"bloom, starlight"`` → {tier:bloom, tier:starlight}; empty → empty set
    (the caller applies the default). Raises :class:`AudienceError` on anything else.

    ``tiers``: the policy's tier keys when the caller knows them (HQ setting an audience), so a typo
    such as ``kocs`` is refused instead of becoming a tier nobody holds."""
    if text is None:
        return frozenset()
    known = None if tiers is None else {t.strip().lower() for t in tiers}
    items = [str(p) for p in text] if isinstance(text, (list, tuple)) else [str(text)]
    parts = [part for item in items for part in _SPLIT.split(item)]
    tokens: set[str] = set()
    for raw in parts:
        word = raw.strip().lower()
        if not word:
            continue
        tier = word.removeprefix(TIER_PREFIX)
        if word in GROUPS:
            tokens.add(word)
        elif _TOKEN.fullmatch(tier) and tier not in GROUPS and (known is None or tier in known):
            tokens.add(TIER_PREFIX + tier)
        else:
            keys = ", ".join(sorted(known)) if known else "tier keys of the policy"
            raise AudienceError(f"unknown audience {raw.strip()!r}: use {', '.join(GROUPS)} or {keys} "
                                "(several separated by commas)")
    if ALL in tokens:
        return frozenset({ALL})  # readable by anyone: the other tokens add nothing
    return frozenset(tokens)


def audience_label(tokens: frozenset[str] | set[str]) -> str:
    """The stored form of an audience: its tokens, sorted, comma-separated ("" = none given)."""
    return ",".join(sorted(tokens))


def normalize_audience(text: str | list | tuple | None, tiers: Collection[str] | None = None) -> str:
    """Parse and re-label (what ingest stores); raises :class:`AudienceError`."""
    return audience_label(parse_audience(text, tiers))


def effective_tokens(label: str, default: str) -> frozenset[str]:
    """The tokens a stored audience stands for, the default when none was given. A stored label that
    no longer parses (written by hand) is closed: HQ only."""
    try:
        return parse_audience(label) or parse_audience(default) or frozenset({HQ})
    except AudienceError:
        return frozenset({HQ})


@dataclass(frozen=True)
class Viewer:
    """What one asker may search. ``tokens`` None = everything (HQ, and curation tools)."""

    tokens: frozenset[str] | None
    name: str = ""

    @classmethod
    def everything(cls, name: str = "hq") -> "Viewer":
        return cls(None, name)

    @classmethod
    def public(cls) -> "Viewer":
        """Nobody signed in: documents for ``all`` only."""
        return cls(frozenset({ALL}), "anonymous")

    @classmethod
    def koc(cls, kind: str | None = None, tier: str | None = None) -> "Viewer":
        """A KOC: ``all``, ``koc``, its kind and its tier. An unknown kind or tier adds nothing (closed)."""
        tokens = {ALL, KOC}
        if kind in KINDS:
            tokens.add(kind)
        if tier and _TOKEN.fullmatch(tier.lower()):
            tokens.add(TIER_PREFIX + tier.lower())
        name = ":".join(p for p in (KOC, kind if kind in KINDS else "", (tier or "").lower()) if p)
        return cls(frozenset(tokens), name)

    @classmethod
    def parse(cls, spec: str) -> "Viewer":
        """From the command line: ``hq``, ``anonymous``, ``koc``, ``private``, ``external``, or a kind
        and a tier as ``KIND:TIER`` (``private:bloom``). Raises :class:`AudienceError`."""
        s = spec.strip().lower()
        if s in (HQ, "all-documents"):
            return cls.everything()
        if s in ("anonymous", "public", ALL):
            return cls.public()
        kind, _, tier = s.partition(":")
        if kind == KOC and (not tier or _TOKEN.fullmatch(tier)):
            return cls.koc(None, tier or None)
        if kind in KINDS and (not tier or _TOKEN.fullmatch(tier)):
            return cls.koc(kind, tier or None)
        raise AudienceError(f"unknown viewer {spec!r}: use hq, anonymous, koc, private, external, "
                            "or KIND:TIER such as private:TIER_KEY (KIND koc = kind unknown)")

    @property
    def sees_everything(self) -> bool:
        return self.tokens is None

    def sees(self, audience: frozenset[str]) -> bool:
        return self.tokens is None or bool(self.tokens & audience)
