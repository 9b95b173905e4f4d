"""Ingest into a KOC_HOME whose disk is (nearly) full: the ingest stops with a clear error (no
traceback, exit code 1), the index that was there keeps answering, and once there is room again the
same ingest completes.

Two ways to run out of space: a small tmpfs filled up to a few MB (needs root and mount; skipped
otherwise) and a file-size limit (``RLIMIT_FSIZE``, SIGXFSZ ignored) on the ingest process, which
turns every write past the limit into EFBIG the way a full disk turns it into ENOSPC."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLES_DIR
from tests.faults.conftest import koc, koc_env

pytestmark = pytest.mark.slow

QUESTION = "顾客退款了，我的佣金怎么办？"
WORDS = "佣金 结算 晋级 试用 测评 比赛 订单 退款 粉丝 互动 分享 社群 规则 手册 产品 内容 发布 审核 合规 奖励".split()


def many_documents(folder: Path, n: int = 120) -> Path:
    """``n`` new Chinese documents (about 1 MB of text, 1,200 chunks): far more than the space left."""
    folder.mkdir()
    rng = random.Random(7)
    for i in range(n):
        paragraphs = ["".join(rng.choice(WORDS) for _ in range(60)) + "。" for _ in range(20)]
        (folder / f"doc{i:03d}.md").write_text(f"# 文档 {i}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    return folder


def sources(env: dict[str, str]) -> list[dict]:
    listed = koc("kb", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr[-1500:]
    return json.loads(listed.stdout)


def previous_index_answers(env: dict[str, str], before: list[dict]) -> None:
    """A fresh process still answers from the sample handbooks, and the index holds what it held."""
    ask = koc("ask", QUESTION, "--json", "--hq", env={**env, "KOC_DEMO": "1"})  # HQ reads every handbook
    assert ask.returncode == 0, ask.stderr[-1500:]
    answer = json.loads(ask.stdout)
    assert not answer["refused"] and answer["citations"] and "退款" in answer["answer"], answer
    assert sources(env) == before


def assert_clean_failure(done: subprocess.CompletedProcess, expected: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and expected in done.stderr, done.stderr[-2000:]
    assert "still answers" in done.stderr or "keeps answering" in done.stderr


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 64 MB tmpfs mounted for this test (root only), unmounted after."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root (the file-size-limit variant covers the rest)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.mark.timeout(600)
def test_ingest_on_a_nearly_full_disk_keeps_the_previous_index(tmpfs: Path, tmp_path: Path) -> None:
    env = koc_env(tmpfs / "home", KOC_MIN_FREE_MB="2")
    assert koc("ingest", str(SAMPLES_DIR), env=env).returncode == 0
    before = sources(env)
    filler = tmpfs / "filler"
    free = shutil.disk_usage(tmpfs).free
    with open(filler, "wb") as f:  # leave 3.5 MB: the reserve (2 MB) and a little
        f.truncate(0)
        os.posix_fallocate(f.fileno(), 0, free - int(3.5 * 1024 * 1024))
    docs = many_documents(tmp_path / "more")
    done = koc("ingest", str(docs), env=env)
    assert_clean_failure(done, "not enough free disk space")
    previous_index_answers(env, before)  # the disk is still nearly full
    assert shutil.disk_usage(tmpfs).free > 2 * 1024 * 1024  # the reserve is still there for the index's readers

    filler.unlink()
    done = koc("ingest", str(docs), env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "文档 17" in koc("search", "文档 17", "-k", "1", env=env).stdout


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child, before exec: writes past ``limit`` fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.timeout(600)
def test_ingest_that_runs_out_of_space_mid_write_keeps_the_previous_index(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = koc_env(home, KOC_MIN_FREE_MB="0")
    assert koc("ingest", str(SAMPLES_DIR), env=env).returncode == 0
    before = sources(env)
    largest = max(p.stat().st_size for p in home.rglob("*") if p.is_file())
    docs = many_documents(tmp_path / "more")
    done = koc("ingest", str(docs), env=env, preexec_fn=_file_size_limit(largest + 64 * 1024))
    assert_clean_failure(done, "could not write the knowledge base")
    previous_index_answers(env, before)

    done = koc("ingest", str(docs), env=env)  # room again: the same ingest completes (embeddings were cached)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "文档 17" in koc("search", "文档 17", "-k", "1", env=env).stdout
