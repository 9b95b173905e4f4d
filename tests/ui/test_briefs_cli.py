"""`koc brief`, `koc brief list|show` and `koc check-post` as users run them (offline, real Chroma)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner


@pytest.fixture
def cli(private_home: Path, monkeypatch: pytest.MonkeyPatch):
    from base.settings import get_settings

    monkeypatch.setenv("KOC_HOME", str(private_home))
    monkeypatch.setenv("KOC_EMBED_PROVIDER", "hashing")
    monkeypatch.setenv("KOC_LLM", "offline")
    get_settings.cache_clear()
    from ui.cli import app

    yield app
    get_settings.cache_clear()


BRIEF = ["brief", "--campaign", "秋季换季修护", "--products", "燕麦修护面霜,NH-SUN-01", "--audience", "宝妈",
         "--platform", "xiaohongshu", "--topics", "4", "--start", "2026-09-01", "--end", "2026-09-10"]


def test_brief_json_has_the_contract_fields_and_is_saved(cli) -> None:
    result = CliRunner().invoke(cli, [*BRIEF, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["topics"]) == 4 and data["compliance"]["violations"] == []
    assert all(t["title"] and t["angle"] and t["citations"] for t in data["topics"])
    assert all(set(c) >= {"chunk_id", "source", "text"} for t in data["topics"] for c in t["citations"])
    assert all(m["citations"] for m in data["key_messages"])
    listed = CliRunner().invoke(cli, ["brief", "list", "--json"])
    assert [r["id"] for r in json.loads(listed.stdout)] == [data["id"]]
    shown = CliRunner().invoke(cli, ["brief", "show", data["id"]])
    assert shown.exit_code == 0 and data["topics"][0]["title"] in shown.stdout


def test_brief_docx_export_opens(cli, tmp_path: Path) -> None:
    out = tmp_path / "brief.docx"
    result = CliRunner().invoke(cli, [*BRIEF, "--format", "docx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "秋季换季修护" in text and "合规检查" in text


def test_brief_errors_are_one_line_and_save_nothing(cli) -> None:
    bad = CliRunner().invoke(cli, ["brief", "--campaign", "x", "--audience", "y", "--products", "月球牌量子面霜"])
    assert bad.exit_code == 2 and "unknown product" in bad.output
    assert CliRunner().invoke(cli, ["brief", "show", "nope"]).exit_code == 2
    assert CliRunner().invoke(cli, [*BRIEF, "--format", "docx"]).exit_code == 2  # docx needs --out
    assert json.loads(CliRunner().invoke(cli, ["brief", "list", "--json"]).stdout) == []


def test_check_post_json(cli, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check-post", "这是我用过最好用的面霜，100%有效", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    terms = [v["term"] for v in data["violations"]]
    assert "最好" in terms and "100%有效" in terms
    assert all({"start", "end", "term", "rule", "suggestion"} <= set(v) for v in data["violations"])
    text = "这是我用过最好用的面霜，100%有效"
    assert all(text[v["start"]:v["end"]] == v["term"] for v in data["violations"])
    draft = tmp_path / "post.txt"
    draft.write_bytes("最近第一次用这款面霜，很滋润\n#暖岛合作".encode("gbk"))
    ok = CliRunner().invoke(cli, ["check-post", "--file", str(draft), "--platform", "xiaohongshu", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["violations"] == []
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert CliRunner().invoke(cli, ["check-post", "--file", str(empty)]).exit_code == 2


def test_brief_targets_kocs_close_to_promotion_from_the_real_service(cli, private_home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo ledger through the in-process commission & tier service, asked as HQ."""
    from base.settings import Settings, get_settings
    from tools.db import open_engine
    from tools.demo import build_demo
    from tools.policy import load_policy

    monkeypatch.setenv("KOC_DEMO", "1")
    monkeypatch.setenv("KOC_HQ_TOKEN", "")
    monkeypatch.setenv("KOC_TOOLS_URL", "http://127.0.0.1:9")  # no service running: the in-process client answers
    get_settings.cache_clear()
    settings = Settings()
    build_demo(open_engine(settings), load_policy(settings.policy))
    result = CliRunner().invoke(cli, [*BRIEF, "--near-promotion", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["target_kocs"] and all(k["koc_id"] >= 1 and k["next_tier"] for k in data["target_kocs"])
    assert not data["warnings"]
