"""Who asks in the assistant tests: the sample handbooks are for KOCs (audience ``koc``), so a
question about them is asked by a signed-in KOC; nobody signed in reads ``all`` documents only."""

from __future__ import annotations

from tools.identity import Identity

#: a private-domain KOC on the sample policy's second tier (as the service would describe it)
PRIVATE_KOC = Identity(role="koc", koc_id=12, token="test-token-of-koc-12", kind="private", tier="bloom")
