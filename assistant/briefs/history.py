"""Saved briefs under ``KOC_HOME/briefs/``: one JSON file per brief, so HQ can list, reopen and
export any of them again. Files are written atomically; a corrupt file is reported, not fatal."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from pydantic import ValidationError

from assistant.briefs.models import Brief

_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")


class BriefNotFound(KeyError):
    """No saved brief has that id."""


class BriefHistory:
    def __init__(self, home: Path) -> None:
        self.root = Path(home) / "briefs"

    def save(self, brief: Brief) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"{brief.id}.json"
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(brief.model_dump_json(indent=2))
        os.replace(tmp, target)
        return target

    def load(self, brief_id: str) -> Brief:
        if not _ID.match(brief_id):
            raise BriefNotFound(f"not a brief id: {brief_id!r}")
        path = self.root / f"{brief_id}.json"
        if not path.is_file():
            raise BriefNotFound(f"no saved brief {brief_id!r} (see `koc brief list`)")
        try:
            return Brief.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, UnicodeDecodeError, ValueError) as exc:
            raise BriefNotFound(f"saved brief {brief_id!r} is unreadable: {exc}") from exc

    def list(self) -> list[dict]:
        """Every saved brief, newest first: id, time, campaign, platform, topics, violations (unreadable files say so)."""
        rows = []
        for path in sorted(self.root.glob("*.json"), reverse=True) if self.root.is_dir() else []:
            try:
                b = Brief.model_validate_json(path.read_text(encoding="utf-8"))
                rows.append({"id": b.id, "created_at": b.created_at, "campaign": b.request.campaign,
                             "platform": b.request.platform, "topics": len(b.topics), "provider": b.provider,
                             "violations": len(b.compliance.violations)})
            except (ValidationError, UnicodeDecodeError, ValueError):
                rows.append({"id": path.stem, "error": "unreadable file"})
        return rows
