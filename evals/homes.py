"""Where an eval run keeps its state, so it never touches the user's own index or ledger.

Each set gets its own KOC_HOME under ``<KOC_HOME>/evals/homes/<set>/<embedding model>`` (one per
embedding model, since vectors of two models cannot share an index), holding the set's knowledge
base and, for sets with a ledger, the demo ledger. Ingest is incremental, so a re-run only pays
for what changed; the embedding cache is one file for all sets and runs
(``<KOC_HOME>/evals/embed_cache.sqlite`` unless KOC_EMBED_CACHE says otherwise). Runs write their
reports to ``<KOC_HOME>/evals/<run id>/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import SecretStr

from base.settings import Settings
from knowledge.embeddings import model_id_for
from knowledge.kb import KnowledgeBase
from knowledge.loaders import SIDECAR_SUFFIX


class IngestFailed(RuntimeError):
    """A set's knowledge base did not index cleanly (an eval on part of it would mislead)."""


def evals_root(base: Settings) -> Path:
    return base.resolved_home / "evals"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "default"


#: the programme policy of an eval home whose set has no ledger: a file in the home itself, which no
#: run writes (put a brand's own policy there to evaluate it with its catalogue and tiers)
HOME_POLICY = "policy.yaml"


def home_settings(base: Settings, name: str, provider: str, *, has_ledger: bool = True) -> Settings:
    """Settings of the eval home of set ``name``: its own home, embedded Chroma and SQLite ledger,
    the shared embedding cache, and the chat provider of the run.

    Only a set with a ledger reads the configured programme policy (its demo ledger is made from it).
    Another brand's set reads its home's own policy, usually none: evaluated with the configured one,
    its questions would be routed and glossed by a different brand's products and tier names, and a
    name it happens to share with them would count as knowledge of this brand."""
    root = evals_root(base)
    home = root / "homes" / _slug(name) / _slug(model_id_for(base))
    policy = base.policy if has_ledger else home / HOME_POLICY
    # an eval home is a demo home (its ledger is made by `koc demo-data`): demo mode, the demo HQ token
    return base.model_copy(update={"home": home, "embed_cache": base.embed_cache or root / "embed_cache.sqlite",
                                   "llm": provider, "chroma_url": "", "database_url": "", "demo": True,
                                   "hq_token": SecretStr(""), "policy": policy})


def index_folder(settings: Settings, folder: Path, progress: bool = False, audience: str | None = None,
                 exclude: Collection[str] = ()) -> KnowledgeBase:
    """Ingest ``folder`` into the home of ``settings`` (incremental; files gone from it are pruned);
    ``audience`` over what the files declare (``koc ingest --audience``). ``exclude`` names files
    of the folder to leave out: its other entries are ingested one by one (sidecars still describe
    their documents), and a file excluded after an earlier run is removed from the home. The home is
    the folder's alone: files another copy of it indexed there (another checkout's) are removed, so a
    run never reads a document as another checkout's loaders cut it."""
    kb = KnowledgeBase(settings)
    if not exclude:
        report = kb.ingest([folder], prune=True, progress=progress, audience=audience)
    else:
        entries = [p for p in sorted(folder.iterdir()) if p.name not in exclude and not p.name.endswith(SIDECAR_SUFFIX)]
        report = kb.ingest(entries, progress=progress, audience=audience)
        indexed = {f.path for f in kb.manifest.files()}
        for path in (str((folder / name).resolve()) for name in exclude):
            if path in indexed:
                kb.remove(path)
    kb.remove_outside(folder)
    if report.errors:
        raise IngestFailed(f"ingest of {folder} failed: " + "; ".join(str(e) for e in report.errors[:3]))
    return kb


#: the file an evaluation holds while it uses a home (ingest, then every case)
LOCK_FILE = ".eval.lock"


@contextmanager
def in_use(home: Path, log: Callable[[str], None] = lambda _m: None) -> Iterator[None]:
    """Hold ``home`` for one evaluation: a squad file's home is re-ingested to the paragraphs of each
    run (``--limit``), so a second run on it would prune the first one's knowledge base mid-run. The
    second run waits for the first (and says so) instead; a run that dies lets go with its process."""
    home.mkdir(parents=True, exist_ok=True)
    lock = FileLock(home / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"another evaluation is using {home}: waiting for it to finish")
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
