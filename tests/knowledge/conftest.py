"""Knowledge-base fixtures: a KnowledgeBase on the hashing embedding in a private KOC_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def kb(koc_home: Path, fast_embeddings: None):
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "products.md").write_text(
        "---\ntitle: 产品手册\ndoc_type: product\naudience: koc\n---\n# 产品手册\n## 面霜\n"
        "**云朵面霜**售价 128 元，适合干性皮肤，早晚各用一次。\n## 精华\n**晨露精华**售价 256 元，主打提亮肤色。\n",
        encoding="utf-8")
    (d / "rules.txt").write_text("灯塔KOC每月有三个新品测评名额，并获得社群管理权。佣金在每月10日结算。", encoding="utf-8")
    (d / "shipping.md").write_text("---\ndoc_type: faq\naudience: customer\n---\n# Shipping\n"
                                   "Orders ship within 48 hours. Returns are accepted within seven days.\n",
                                   encoding="utf-8")
    return d
