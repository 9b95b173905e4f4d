"""`koc serve` and `koc setup-demo`: run the product's processes on 127.0.0.1 and stop them on exit.

Processes, in start order:
1. the commission & tier service (`koc serve-tools`) in its own subprocess, because design.md
   gives it its own process and port; reused if one already answers on KOC_TOOLS_PORT;
2. the Copilot (built eagerly so embeddings, index and, for ``local``, the llama.cpp server are
   warm before the first request);
3. the assistant's OpenAI-compatible API on KOC_API_PORT, in the main thread;
4. extra ASGI apps (the Gradio UI), each in a uvicorn thread.
Ctrl-C / SIGTERM stops the API, then the extra apps, then the tools subprocess and the local
model server (atexit).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
import uvicorn

from assistant.copilot import Copilot
from assistant.local_llm import stop_all as stop_local_models
from assistant.providers import resolve_provider
from base.probe import http_ok
from base.settings import Settings, get_settings
from tools.auth import DemoModeRequired, HQTokenMissing, require_demo, require_hq_token
from ui.api import create_api
from ui.compose import build_copilot

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "knowledge" / "samples"

@dataclass
class ExtraApp:
    """An additional ASGI app served next to the API (e.g. the Gradio UI)."""

    name: str
    app: Any
    port: int


class ServeError(RuntimeError):
    """A process of the product failed to start."""


def _koc(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]


def http_up(url: str) -> bool:
    """True when an HTTP server answers at ``url`` (any status: auth-protected services say 401)."""
    return http_ok(url, any_status=True)


class ToolsService:
    """The commission & tier service as a child process (`koc serve-tools --port N`)."""

    def __init__(self, settings: Settings, *, reuse: bool = False) -> None:
        self.settings = settings
        self.reuse = reuse  # accept a server already on the port (one we did not start)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.tools_port}"

    def start(self, timeout_s: float = 60.0) -> None:
        if http_up(self.url):
            if not self.reuse:  # whatever holds the port would receive every KOC's token
                raise ServeError(f"port {self.settings.tools_port} is already in use by a process `koc serve` did not "
                                 "start; stop it, choose another KOC_TOOLS_PORT, or pass --reuse-tools if it is "
                                 "your own commission & tier service")
            print(f"commission & tier service already running at {self.url}: reusing it (--reuse-tools)",
                  file=sys.stderr)
            return
        log_path = self.settings.resolved_home / "logs" / "tools_service.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(_koc("serve-tools", "--port", str(self.settings.tools_port)),
                                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env={**os.environ, "KOC_DEMO": "1" if self.settings.demo else "0"},
                                         start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServeError(f"koc serve-tools exited with code {self.proc.returncode}; see {log_path}")
            if http_up(self.url):
                return
            time.sleep(0.2)
        self.stop()
        raise ServeError(f"commission & tier service not up after {timeout_s:.0f}s; see {log_path}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_process_group(proc)


def stop_process_group(proc: subprocess.Popen, timeout_s: float = 10.0) -> None:
    """SIGTERM a child started with ``start_new_session=True`` and everything it forked (uvicorn
    workers), SIGKILL whatever is left after ``timeout_s``.

    The group is signalled even when the child itself has already exited: its workers can outlive
    it, and a supervisor's orphaned workers otherwise keep serving (and respawning) for hours."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        proc.poll()
        return  # nothing of the group is left
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):  # a group id stays taken while any member lives
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=timeout_s)


def ui_apps(settings: Settings, copilot: Copilot) -> list[ExtraApp]:
    """The Gradio app, served on KOC_UI_PORT."""
    # imported here on purpose: gradio is heavy (seconds to import) and only `koc serve` needs it
    from ui.app import create_ui_app

    return [ExtraApp("ui", create_ui_app(settings, copilot), settings.ui_port)]


def _threaded(app: ExtraApp, host: str) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app.app, host=host, port=app.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"serve-{app.name}", daemon=True)
    thread.start()
    return server, thread


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(0)


def serve(settings: Settings | None = None, *, with_ui: bool = True, reuse_tools: bool = False,
          extra_apps: list[ExtraApp] | None = None) -> None:
    """Run everything until interrupted; always stops what it started."""
    settings = settings or get_settings()
    try:  # before anything starts: the tools subprocess would refuse too, less clearly
        require_hq_token(settings, "`koc serve` (its commission & tier service)")
    except HQTokenMissing as exc:
        raise ServeError(str(exc)) from exc
    tools = ToolsService(settings, reuse=reuse_tools)
    threads: list[tuple[uvicorn.Server, threading.Thread]] = []
    try:
        tools.start()
        print(f"commission & tier service: {tools.url}", file=sys.stderr)
        print(f"chat model provider: {resolve_provider(settings)} (KOC_LLM={settings.llm})", file=sys.stderr)
        copilot = build_copilot(settings)
        copilot.kb.warm_up()
        apps = list(extra_apps or []) + (ui_apps(settings, copilot) if with_ui else [])
        for extra in apps:
            threads.append(_threaded(extra, settings.bind_host))
            print(f"{extra.name}: http://127.0.0.1:{extra.port}", file=sys.stderr)
        api = create_api(settings, copilot)
        print(f"assistant API (OpenAI-compatible): http://127.0.0.1:{settings.api_port}/v1", file=sys.stderr)
        # uvicorn re-raises SIGTERM after its graceful shutdown; with the default handler that would
        # kill us before the finally below stops the tools subprocess, so turn it into SystemExit.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        uvicorn.run(api, host=settings.bind_host, port=settings.api_port, log_level="info")
    finally:
        for server, _ in threads:
            server.should_exit = True
        for _, thread in threads:
            thread.join(timeout=10)
        tools.stop()
        stop_local_models()


def setup_demo(settings: Settings | None = None) -> None:
    """Ingest the sample knowledge base and create the demo ledger in KOC_HOME. Idempotent.

    Runs the public `koc ingest` and `koc demo-data` commands (both idempotent by contract)
    in child processes, so this needs nothing but their command-line interfaces. Demo mode only
    (KOC_DEMO=1, which `make run` sets); `koc demo-data` refuses a ledger that is not the demo's.
    """
    settings = settings or get_settings()
    try:
        require_demo(settings, "`koc setup-demo` (the sample knowledge base and the demo ledger)")
    except DemoModeRequired as exc:
        raise ServeError(str(exc)) from exc
    env = {**os.environ, "KOC_HOME": str(settings.resolved_home), "KOC_DEMO": "1"}
    for cmd in (_koc("ingest", str(SAMPLES_DIR)), _koc("demo-data")):
        print("$ koc " + " ".join(cmd[3:]), file=sys.stderr)
        done = subprocess.run(cmd, env=env)
        if done.returncode != 0:
            raise ServeError(f"`koc {cmd[3]}` failed with exit code {done.returncode}")


def register_commands(app: typer.Typer) -> None:
    """Add `koc serve` and `koc setup-demo` to the Typer app (called from ui.commands)."""
    @app.command("serve")
    def serve_cmd(
        port: int = typer.Option(0, help="Port of the assistant API (0 = KOC_API_PORT)."),
        ui: bool = typer.Option(True, help="Also serve the web UI when it is installed."),
        reuse_tools: bool = typer.Option(False, "--reuse-tools",
                                         help="Use a commission & tier service already listening on KOC_TOOLS_PORT."),
    ) -> None:
        """Serve the commission & tier service, the OpenAI-compatible assistant API (and the UI) on 127.0.0.1."""
        settings = get_settings()
        if port:
            settings = settings.model_copy(update={"api_port": port})
        try:
            serve(settings, with_ui=ui, reuse_tools=reuse_tools)
        except ServeError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc

    @app.command("setup-demo")
    def setup_demo_cmd() -> None:
        """Ingest knowledge/samples and create the demo ledger in KOC_HOME (idempotent)."""
        try:
            setup_demo()
        except ServeError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from exc
