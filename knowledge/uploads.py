"""Files uploaded through the web app, kept under ``KOC_HOME/uploads`` before they are ingested.

The manifest identifies a document by its absolute path, so an upload needs a lasting place:
the browser's temporary copy disappears. Names are reduced to their last path part, so an upload
can never write outside the folder; uploading a file of the same name again replaces it, which the
incremental ingest then treats as a changed document (only its chunks are replaced).
"""

from __future__ import annotations

import shutil
from pathlib import Path

UPLOADS_DIR = "uploads"


class UploadError(ValueError):
    """An upload that cannot be kept (no usable name)."""


def safe_name(name: str) -> str:
    """The file name alone: no directories, no leading dots."""
    base = Path(str(name).replace("\\", "/")).name.lstrip(".").strip()
    if not base:
        raise UploadError(f"unusable file name {name!r}")
    return base


def keep_upload(home: Path, temp_path: Path, name: str | None = None) -> Path:
    """Copy an uploaded file into ``home/uploads`` under its own name; returns the kept path."""
    folder = home / UPLOADS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / safe_name(name or temp_path.name)
    shutil.copyfile(temp_path, target)
    return target
