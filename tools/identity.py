"""Who is calling: the identity a bearer token resolves to (shared by service, client and tools)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator


class Identity(BaseModel):
    """A signed-in user. KOC identities carry their own ``koc_id``; HQ identities carry none.

    ``kind`` and ``tier`` are the KOC's, as the commission & tier service reported them when the
    token was resolved (``GET /v1/me``); they decide which documents the KOC may read. None = not
    known, and an unknown kind or tier opens nothing.
    """

    model_config = ConfigDict(frozen=True)
    role: Literal["koc", "hq"]
    koc_id: int | None = None
    token: str
    kind: Literal["private", "external"] | None = None
    tier: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Identity":
        if self.role == "koc" and self.koc_id is None:
            raise ValueError("a KOC identity needs koc_id")
        if self.role == "hq" and (self.koc_id is not None or self.kind is not None or self.tier is not None):
            raise ValueError("an HQ identity has no koc_id, kind or tier")
        return self

    @classmethod
    def from_me(cls, me: dict, token: str) -> "Identity":
        """The identity ``GET /v1/me`` describes: role and KOC id, and for a KOC its kind and tier
        (missing or unknown values stay None, which opens nothing)."""
        koc = me.get("role") == "koc"
        kind = me.get("kind") if koc and me.get("kind") in ("private", "external") else None
        tier = me.get("tier") if koc and isinstance(me.get("tier"), str) and me.get("tier") else None
        return cls(role=me["role"], koc_id=me.get("koc_id"), token=token, kind=kind, tier=tier)

    def __repr__(self) -> str:  # never print the token
        return f"Identity(role={self.role!r}, koc_id={self.koc_id!r}, kind={self.kind!r}, tier={self.tier!r})"

    __str__ = __repr__
