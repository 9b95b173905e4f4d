"""The fault suite: the product's real processes on 127.0.0.1, broken on purpose.

Every test here runs real servers (the commission & tier service as ``koc serve-tools`` or
``koc serve`` subprocesses, the assistant API under uvicorn, PostgreSQL clusters) and then kills,
stops, starves or corrupts one of them; each is bounded in time (``pytest.mark.timeout``). All are
marked ``faults``; the long ones also ``slow`` (``make test-fast`` skips those).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO_ROOT
from tests.servers import free_port
from ui.serve import stop_process_group


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(item.path).is_relative_to(here):
            item.add_marker(pytest.mark.faults)


def koc_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `koc` process on ``home``: hashing embeddings, offline answers, SQLite
    ledger under the home, nothing inherited that would point elsewhere."""
    env = {**os.environ, "KOC_HOME": str(home), "KOC_EMBED_PROVIDER": "hashing", "KOC_LLM": "offline"}
    for name in ("KOC_DATABASE_URL", "KOC_TOOLS_URL", "KOC_HQ_TOKEN", "KOC_DEMO", "KOC_CHROMA_URL"):
        env.pop(name, None)
    env.update(extra)
    return env


def koc(*args: str, env: dict[str, str], timeout: float = 300, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout, **kwargs)


def wait_for(check, timeout_s: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
        return True
    except httpx.HTTPError:
        return False


class ServiceProcess:
    """``koc serve-tools`` (or any `koc` server) as a child process in its own session, killable."""

    def __init__(self, args: list[str], env: dict[str, str], health_url: str, log: Path) -> None:
        self.args, self.env, self.health_url, self.log = args, env, health_url, log
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 90) -> "ServiceProcess":
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "ui.cli", *self.args], cwd=REPO_ROOT, env=self.env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(lambda: self.proc.poll() is not None or answers(self.health_url), timeout_s, self.health_url)
            assert self.proc.poll() is None, self.log.read_text()[-2000:]
        except BaseException:
            self.stop()  # a server that never came up must not be left running (its workers respawn)
            raise
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """``sig`` to the whole process group (a fault test's crash), then whatever is left is stopped."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        self.stop()

    def stop(self) -> None:
        if self.proc is not None:
            stop_process_group(self.proc, timeout_s=30)


@dataclass
class DemoHome:
    home: Path
    hq_token: str
    kocs: list[dict[str, Any]]  # the featured demo KOCs: id, name, token, situation

    def env(self, **extra: str) -> dict[str, str]:
        return koc_env(self.home, KOC_DEMO="1", **extra)


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> DemoHome:
    """A KOC_HOME made the way `make run` makes it: `KOC_DEMO=1 koc setup-demo` (sample knowledge
    base + demo ledger), then `koc demo-data --json` for the tokens."""
    home = tmp_path_factory.mktemp("faults_demo_home")
    env = koc_env(home, KOC_DEMO="1")
    done = koc("setup-demo", env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    out = koc("demo-data", "--json", env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    return DemoHome(home, data["hq"]["token"], data["kocs"])


@pytest.fixture
def tools_service(demo_home: DemoHome, tmp_path: Path) -> Iterator[ServiceProcess]:
    """The commission & tier service over the demo home, as `koc serve-tools` on a free port."""
    port = free_port()
    service = ServiceProcess(["serve-tools", "--port", str(port)], demo_home.env(), f"http://127.0.0.1:{port}/health",
                             tmp_path / "tools.log").start()
    try:
        yield service
    finally:
        service.kill()
