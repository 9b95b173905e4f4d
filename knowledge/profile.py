"""What the assistant knows about the brand itself, as data: its name, other names, and whom a KOC
should contact for what the handbooks do not cover.

It comes from a ``profile.yaml`` beside the handbooks (read at ingest like the dictionary) and can
be edited later by HQ (``koc kb profile``); nothing about a brand is written in code. Every field
may be empty: replies then use neutral wording ("the handbooks") and name no contact.
"""

from __future__ import annotations

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROFILE_FILE = "profile.yaml"


class ProfileError(ValueError):
    """A profile file that cannot be read or does not validate; the message says which field."""


class KbProfile(BaseModel):
    """The brand behind a knowledge base."""

    model_config = ConfigDict(extra="forbid")

    brand: str = Field("", description="The brand's name as its handbooks write it.")
    aliases: list[str] = Field(default_factory=list, description="Other names of the brand (English name, short forms).")
    contact_zh: str = Field("", description="Whom to contact for what the handbooks don't cover (Chinese).")
    contact_en: str = Field("", description="The same, in English.")

    @property
    def names(self) -> list[str]:
        """Every name of the brand, longest first (so a longer name is matched before its prefix)."""
        return sorted({n.strip() for n in [self.brand, *self.aliases] if n.strip()}, key=len, reverse=True)


def parse_profile(text: str) -> KbProfile:
    """A profile from YAML text; ``ProfileError`` naming the problem otherwise."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ProfileError(f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError("expected a mapping of brand, aliases, contact_zh, contact_en")
    try:
        return KbProfile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
