"""Bearer tokens: only SHA-256 hashes are stored; demo tokens are derived, never random.

Two kinds of deployment, chosen by ``KOC_DEMO`` (``Settings.demo``):

* **Production** (the default): the HQ token is ``KOC_HQ_TOKEN`` and nothing else; without it
  nobody is HQ, and serving the commission & tier service refuses to start
  (``require_hq_token``). KOC tokens are random (``new_token``), issued by HQ with
  ``POST /v1/kocs/{id}/token`` and shown once, in that response; only their hash is stored.
* **Demo** (``KOC_DEMO=1``, set by ``make run``): the demo ledger's KOC tokens and, when
  ``KOC_HQ_TOKEN`` is empty, the HQ token are HMACs of ``DEMO_SEED``, which is public on purpose,
  so ``koc demo-data`` prints the same tokens on every run and ``koc ask --as 17`` signs in as
  KOC 17 without a stored secret.

A derived token is only as powerful as what accepts it: the demo HQ token is accepted only in
demo mode (``hq_token``), and a demo KOC token only by a ledger built by ``tools.demo`` (which
only ever writes into an empty or demo-marked ledger, in demo mode). The commands that derive or
print demo tokens (``koc demo-data``, ``koc ask --as``) check ``require_demo`` first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from base.settings import Settings

DEMO_SEED = b"koc-copilot-public-demo-seed-2"  # public on purpose: demo data only, never a production secret


class DemoModeRequired(RuntimeError):
    """Something that exists only in demo mode (demo data, demo tokens) was asked for outside it."""


class HQTokenMissing(RuntimeError):
    """No HQ token is configured (production mode without ``KOC_HQ_TOKEN``)."""


HQ_TOKEN_HELP = ("set KOC_HQ_TOKEN to a long random secret (e.g. the output of "
                 "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or set KOC_DEMO=1 to run the demo "
                 "with its public demo tokens")


def require_demo(settings: Settings, what: str) -> None:
    """Raise ``DemoModeRequired`` naming ``what`` unless demo mode is on."""
    if not settings.demo:
        raise DemoModeRequired(f"{what} exists only in demo mode: set KOC_DEMO=1 (and a KOC_HOME of its own for the demo)")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def demo_token_for(koc_id: int) -> str:
    """The deterministic demo token of KOC ``koc_id`` (public: it opens only a demo ledger)."""
    digest = hmac.new(DEMO_SEED, f"koc:{int(koc_id)}".encode(), hashlib.sha256).hexdigest()
    return f"koc_{digest[:40]}"


def hq_demo_token() -> str:
    """The public demo HQ token (accepted only in demo mode without KOC_HQ_TOKEN)."""
    digest = hmac.new(DEMO_SEED, b"hq", hashlib.sha256).hexdigest()
    return f"hq_{digest[:40]}"


def configured_hq_token(settings: Settings) -> str | None:
    """The HQ token in force, or None: KOC_HQ_TOKEN if set; else the demo HQ token in demo mode only."""
    configured = settings.hq_token.get_secret_value()
    if configured:
        return configured
    return hq_demo_token() if settings.demo else None


def hq_token(settings: Settings) -> str:
    """The HQ token in force; ``HQTokenMissing`` outside demo mode without KOC_HQ_TOKEN (never a derivable fallback)."""
    token = configured_hq_token(settings)
    if token is None:
        raise HQTokenMissing(f"no HQ token is configured: {HQ_TOKEN_HELP}")
    return token


def require_hq_token(settings: Settings, what: str = "the commission & tier service") -> None:
    """Refuse to start ``what`` without an HQ token (production mode without KOC_HQ_TOKEN)."""
    if configured_hq_token(settings) is None:
        raise HQTokenMissing(f"{what} needs an HQ token and none is configured: {HQ_TOKEN_HELP}")


def new_token() -> str:
    return "koc_" + secrets.token_urlsafe(30)


def is_hq(token: str, settings: Settings) -> bool:
    expected = configured_hq_token(settings)
    if expected is None:  # no HQ token configured: nobody is HQ
        return False
    return hmac.compare_digest(hash_token(token), hash_token(expected))
