"""`koc serve` as a user runs it: real processes, real ports on 127.0.0.1, clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai

from tests.conftest import REPO_ROOT
from tests.servers import free_port


def wait_until(check, timeout_s: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_koc_serve_runs_tools_and_api_and_stops_both(tmp_path: Path) -> None:
    from tools.auth import hq_demo_token

    api_port, tools_port = free_port(), free_port()
    env = {**os.environ, "KOC_HOME": str(tmp_path / "home"), "KOC_EMBED_PROVIDER": "hashing", "KOC_LLM": "offline",
           "KOC_API_PORT": str(api_port), "KOC_TOOLS_PORT": str(tools_port), "KOC_HQ_TOKEN": "", "KOC_DEMO": "1"}
    env.pop("KOC_TOOLS_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--no-ui"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        up = wait_until(lambda: _healthy(f"http://127.0.0.1:{api_port}/healthz"), 120)
        assert up, proc.stdout.read().decode() if proc.poll() is not None else "API did not come up"
        assert port_open(tools_port), "the commission & tier service runs on KOC_TOOLS_PORT"
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{api_port}/v1", api_key=hq_demo_token(), max_retries=0)
        assert [m.id for m in client.models.list().data] == ["koc-copilot"]
        bad = openai.OpenAI(base_url=f"http://127.0.0.1:{api_port}/v1", api_key="nope", max_retries=0)
        try:
            bad.models.list()
            raise AssertionError("an unknown token must be rejected")
        except openai.AuthenticationError:
            pass
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert wait_until(lambda: not port_open(tools_port), 15), "the tools subprocess is stopped with koc serve"
    assert not port_open(api_port)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_koc_serve_refuses_a_tools_port_it_did_not_start(tmp_path: Path) -> None:
    """Something else answering on KOC_TOOLS_PORT would receive every KOC's token: refuse, say why."""
    from tests.servers import ThreadedServer
    from fastapi import FastAPI

    squatter = FastAPI()

    @squatter.get("/{path:path}")
    def anything(path: str) -> dict[str, str]:
        return {"status": "ok"}

    with ThreadedServer(squatter) as other:
        env = {**os.environ, "KOC_HOME": str(tmp_path / "home"), "KOC_EMBED_PROVIDER": "hashing", "KOC_LLM": "offline",
               "KOC_API_PORT": str(free_port()), "KOC_TOOLS_PORT": str(other.port), "KOC_HQ_TOKEN": "hq-serve-test-token"}
        env.pop("KOC_TOOLS_URL", None)
        done = subprocess.run([sys.executable, "-m", "ui.cli", "serve", "--no-ui"], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"port {other.port} is already in use" in done.stderr and "--reuse-tools" in done.stderr


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A user's environment outside demo mode: no KOC_DEMO, no KOC_HQ_TOKEN."""
    env = {**os.environ, "KOC_HOME": str(tmp_path / "home"), "KOC_EMBED_PROVIDER": "hashing", "KOC_LLM": "offline",
           "KOC_API_PORT": str(free_port()), "KOC_TOOLS_PORT": str(free_port())}
    for name in ("KOC_DEMO", "KOC_HQ_TOKEN", "KOC_TOOLS_URL", "KOC_DATABASE_URL"):
        env.pop(name, None)
    env.update(extra)
    return env


def test_serving_without_an_hq_token_outside_demo_mode_fails_clearly(tmp_path: Path) -> None:
    """No KOC_HQ_TOKEN and no KOC_DEMO=1: `koc serve` and `koc serve-tools` refuse to start (they used
    to accept an HQ token anyone can derive from the source) and say what to set."""
    env = _production_env(tmp_path)
    for cmd in (["serve", "--no-ui"], ["serve-tools", "--port", env["KOC_TOOLS_PORT"]]):
        done = subprocess.run([sys.executable, "-m", "ui.cli", *cmd], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, (cmd, done.stdout, done.stderr[-500:])
        assert "KOC_HQ_TOKEN" in done.stderr and "KOC_DEMO=1" in done.stderr and "Traceback" not in done.stderr
        assert not port_open(int(env["KOC_TOOLS_PORT"])) and not port_open(int(env["KOC_API_PORT"]))


def test_setup_demo_needs_demo_mode(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ui.cli", "setup-demo"], cwd=REPO_ROOT, env=_production_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "KOC_DEMO=1" in done.stderr
    assert not (tmp_path / "home" / "ledger.db").exists() and not (tmp_path / "home" / "manifest.db").exists()
