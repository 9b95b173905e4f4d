"""Bearer tokens: only SHA-256 hashes are stored; demo tokens are derived, never random.

Demo tokens are HMACs of a fixed public demo seed, so ``koc demo-data`` prints the same tokens on
every run and ``koc ask --as 17`` can sign in as KOC 17 without any stored secret. Production
deployments set ``KOC_HQ_TOKEN`` and issue KOC tokens with ``POST /v1/kocs/{id}/token``
(random, shown once).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from base.settings import Settings

DEMO_SEED = b"nuandao-koc-demo-2026"  # public on purpose: demo data only


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def demo_token_for(koc_id: int) -> str:
    """The deterministic demo token of KOC ``koc_id``."""
    digest = hmac.new(DEMO_SEED, f"koc:{int(koc_id)}".encode(), hashlib.sha256).hexdigest()
    return f"koc_{digest[:40]}"


def hq_demo_token() -> str:
    digest = hmac.new(DEMO_SEED, b"hq", hashlib.sha256).hexdigest()
    return f"hq_{digest[:40]}"


def hq_token(settings: Settings) -> str:
    """The HQ token in force: KOC_HQ_TOKEN if set, else the demo HQ token."""
    return settings.hq_token.get_secret_value() or hq_demo_token()


def new_token() -> str:
    return "koc_" + secrets.token_urlsafe(30)


def is_hq(token: str, settings: Settings) -> bool:
    return hmac.compare_digest(hash_token(token), hash_token(hq_token(settings)))
