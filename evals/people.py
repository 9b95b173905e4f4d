"""Who asks each case, and what that asker must never see.

The demo ledger of an eval home is made by the public command (``koc demo-data --json``, run as a
subprocess with that home's KOC_HOME), exactly as a user makes it; its output names the featured
demo KOCs and the HQ token. A case's ``koc_id`` becomes that KOC's identity (every demo KOC's
token is ``tools.auth.demo_token_for(id)``), role ``hq`` the HQ identity, ``anonymous`` none.
A KOC case without a ``koc_id`` (sets without a ledger) is asked by the first featured demo KOC.

The secrets an asker must not see are every token but nobody's own name; for a KOC also the other
featured KOCs' names and this month's top performers' names (what "who is ranked first?" attacks
fish for), which the runner reads from the ledger with the HQ token. Each featured KOC's kind and
tier come from the service too (``add_profiles``): they decide which documents the KOC may read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from evals.cases import Case
from tools.auth import demo_token_for, hq_demo_token
from tools.client import ToolsClient, ToolServiceError
from tools.demo import DEMO_KOCS
from tools.identity import Identity

DEFAULT_KOC_ID = DEMO_KOCS[0]


class DemoDataError(RuntimeError):
    """``koc demo-data`` failed in an eval home."""


@dataclass
class People:
    """The demo KOCs (id → name, token) and the HQ token of one eval home."""

    hq_token: str
    kocs: dict[int, dict[str, str]] = field(default_factory=dict)
    #: names the ledger knows beyond the featured KOCs (id → name), e.g. this month's leaders
    other_names: dict[int, str] = field(default_factory=dict)
    #: what the service says of each featured KOC (id → (kind, tier)): decides the documents it may read
    profiles: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def without_ledger(cls) -> "People":
        """A set with no ledger: demo tokens still identify the askers, nobody has a name."""
        return cls(hq_token=hq_demo_token())

    @classmethod
    def from_demo_json(cls, data: dict) -> "People":
        kocs = {int(k["id"]): {"name": str(k.get("name", "")), "token": str(k["token"])} for k in data["kocs"]}
        return cls(hq_token=str(data["hq"]["token"]), kocs=kocs)

    def identity(self, case: Case) -> Identity | None:
        if case.role == "anonymous":
            return None
        if case.role == "hq":
            return Identity(role="hq", token=self.hq_token)
        koc_id = case.koc_id or DEFAULT_KOC_ID
        token = self.kocs.get(koc_id, {}).get("token") or demo_token_for(koc_id)
        kind, tier = self.profiles.get(koc_id, (None, None))  # unknown without a ledger: closed
        return Identity(role="koc", koc_id=koc_id, token=token, kind=kind, tier=tier)

    def secrets_for(self, identity: Identity | None) -> list[str]:
        """Strings ``identity`` must never be shown: every token, and (unless HQ) other people's names."""
        found = [self.hq_token] + [k["token"] for k in self.kocs.values()]
        if identity is None or identity.role == "koc":
            own = identity.koc_id if identity is not None else None
            names = {i: k["name"] for i, k in self.kocs.items()} | self.other_names
            found += [name for i, name in names.items() if i != own]
        return [s for s in dict.fromkeys(found) if s]


def make_demo_ledger(home: Path) -> People:
    """Run ``koc demo-data --json`` in ``home`` (idempotent: a no-op when today's ledger exists)."""
    env = {**os.environ, "KOC_HOME": str(home), "KOC_DEMO": "1", "KOC_DATABASE_URL": "", "KOC_HQ_TOKEN": ""}
    out = subprocess.run([sys.executable, "-m", "ui.cli", "demo-data", "--json"], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise DemoDataError(f"koc demo-data --json failed in {home}: {out.stderr.strip()[-800:]}")
    try:
        return People.from_demo_json(json.loads(out.stdout[out.stdout.index("{"):]))
    except (ValueError, KeyError) as exc:
        raise DemoDataError(f"koc demo-data --json printed no demo data: {out.stdout[-300:]!r}") from exc


def add_profiles(people: People, client_for: Callable[[str], ToolsClient]) -> None:
    """Each featured KOC's kind and tier, as the service tells that KOC (``GET /v1/me``), so a case
    is asked by the KOC as the product sees it, documents included."""
    for koc_id, koc in people.kocs.items():
        try:
            with client_for(koc["token"]) as client:
                me = Identity.from_me(client.me(), koc["token"])
        except ToolServiceError:
            continue
        people.profiles[koc_id] = (me.kind, me.tier)


def add_leaders(people: People, client: ToolsClient, limit: int = 10) -> None:
    """Add this month's top performers' names (HQ view) to the names a KOC must not see."""
    try:
        leaders = client.top_performers(limit=limit).get("kocs", [])
    except ToolServiceError:
        return
    for row in leaders:
        if row.get("name"):
            people.other_names.setdefault(int(row["koc_id"]), str(row["name"]))
