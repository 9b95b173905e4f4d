"""`koc ingest / search / kb list / kb remove` through the real Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

runner = CliRunner()


def _app():
    from ui.cli import app

    return app


def test_ingest_search_list_remove(koc_home: Path, fast_embeddings: None, docs: Path, tmp_path: Path) -> None:
    app = _app()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF broken")
    res = runner.invoke(app, ["ingest", str(docs), str(tmp_path / "broken.pdf"), "--json"])
    assert res.exit_code == 1, res.output  # one file failed: the exit code says so, the good ones are in
    report = json.loads(res.stdout)
    assert len(report["added_files"]) == 3 and report["errors"][0]["source"] == "broken.pdf"

    res = runner.invoke(app, ["search", "云朵面霜售价", "-k", "2", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    hit = out["hits"][0]
    assert {"rank", "score", "source", "heading_path", "chunk_id", "text"} <= set(hit) and len(out["hits"]) == 2
    assert hit["source"] == "products.md" and out["covered"] is True

    res = runner.invoke(app, ["search", "云朵面霜售价"])
    assert res.exit_code == 0 and "[1]" in res.stdout and "products.md" in res.stdout and "产品手册 > 面霜" in res.stdout

    res = runner.invoke(app, ["kb", "list", "--json"])
    assert {r["source"] for r in json.loads(res.stdout)} == {"products.md", "rules.txt", "shipping.md"}

    res = runner.invoke(app, ["kb", "remove", "rules.txt"])
    assert res.exit_code == 0 and "removed rules.txt" in res.stdout
    res = runner.invoke(app, ["kb", "remove", "rules.txt"])
    assert res.exit_code == 1

    (docs / "shipping.md").unlink()
    res = runner.invoke(app, ["ingest", str(docs), "--prune", "--json"])
    assert json.loads(res.stdout)["removed_files"] == ["shipping.md"]


def test_model_mismatch_is_a_clear_cli_error(koc_home: Path, fast_embeddings: None, docs: Path, monkeypatch) -> None:
    from base.settings import get_settings

    app = _app()
    assert runner.invoke(app, ["ingest", str(docs)]).exit_code == 0
    monkeypatch.setenv("KOC_EMBED_PROVIDER", "fast")
    get_settings.cache_clear()
    res = runner.invoke(app, ["search", "面霜"])
    assert res.exit_code == 2 and "cannot be mixed" in res.output


def test_ingest_exit_code_says_when_any_file_failed(koc_home: Path, fast_embeddings: None, docs: Path,
                                                    tmp_path: Path) -> None:
    """Exit 0 only when every file went in; a bad file among good ones is exit 1 and the good ones are searchable."""
    app = _app()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF broken")
    res = runner.invoke(app, ["ingest", str(docs), str(tmp_path / "broken.pdf")])
    assert res.exit_code == 1 and "broken.pdf" in res.output and "could not be ingested" in res.output
    assert runner.invoke(app, ["ingest", str(docs)]).exit_code == 0  # all unchanged, nothing failed
    listed = json.loads(runner.invoke(app, ["kb", "list", "--json"]).stdout)
    assert {r["source"] for r in listed} == {"products.md", "rules.txt", "shipping.md"}
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing.md")])
    assert res.exit_code == 1 and "no such file" in res.output
