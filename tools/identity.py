"""Who is calling: the identity a bearer token resolves to (shared by service, client and tools)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator


class Identity(BaseModel):
    """A signed-in user. KOC identities carry their own ``koc_id``; HQ identities carry none."""

    model_config = ConfigDict(frozen=True)
    role: Literal["koc", "hq"]
    koc_id: int | None = None
    token: str

    @model_validator(mode="after")
    def _consistent(self) -> "Identity":
        if self.role == "koc" and self.koc_id is None:
            raise ValueError("a KOC identity needs koc_id")
        if self.role == "hq" and self.koc_id is not None:
            raise ValueError("an HQ identity has no koc_id")
        return self

    def __repr__(self) -> str:  # never print the token
        return f"Identity(role={self.role!r}, koc_id={self.koc_id!r})"

    __str__ = __repr__
