"""The asker's viewer: which documents a signed-in identity may be answered from.

HQ reads everything; a KOC reads documents for ``all``, ``koc``, its kind and its tier, as the
commission & tier service reported them when its token was resolved; nobody signed in reads
``all`` only. A KOC whose kind or tier is unknown gets nothing more than ``all`` and ``koc``.
"""

from __future__ import annotations

from knowledge.audience import Viewer
from tools.identity import Identity


def viewer_for(identity: Identity | None) -> Viewer:
    """The ``Viewer`` every knowledge search of this asker is made as."""
    if identity is None:
        return Viewer.public()
    if identity.role == "hq":
        return Viewer.everything()
    return Viewer.koc(identity.kind, identity.tier)
