"""The conversation from a terminal: ``koc ask`` and ``koc chat``, thin shells over the Copilot.

Identity on the command line: ``--as KOC_ID`` signs in with that KOC's demo token (demo mode only,
``KOC_DEMO=1``: demo tokens exist nowhere else), ``--hq`` with the HQ token (KOC_HQ_TOKEN, or the
demo HQ token in demo mode). With neither, the asker is anonymous: rules and
content questions are answered, personal ones get a reply explaining how to sign in (we do not
silently pick a demo KOC: answering "how much did I earn" about someone is exactly the leak the
product must never make).

Tools: the commission & tier service at KOC_TOOLS_URL when it is running; otherwise an in-process
client over the same KOC_HOME ledger, so ``koc ask`` works without ``koc serve-tools``.

A dependency that is missing (the embedding model, a knowledge base built with another model) is
``error: ...`` on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from assistant.messages import message
from assistant.types import AnswerResult
from base.commands import CommandRoot
from base.language import detect_language
from base.settings import get_settings
from knowledge.embeddings import EmbeddingConfigError
from knowledge.vector_store import EmbeddingModelMismatch
from tools.auth import DemoModeRequired, HQTokenMissing, demo_token_for, hq_token, require_demo
from tools.identity import Identity
from ui.bench_serve import bench_serve
from ui.compose import build_copilot
from ui.identity import complete_identity
from ui.serve import register_commands as register_serving


#: what a missing or mismatched embedding model raises (a configuration problem, not a bug)
SETUP_ERRORS = (EmbeddingConfigError, EmbeddingModelMismatch)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _identity(as_koc: int | None, hq: bool) -> Identity | None:
    """The Identity the flags stand for (None = anonymous)."""
    if as_koc is not None and hq:
        raise typer.BadParameter("use either --as KOC_ID or --hq, not both")
    settings = get_settings()
    if hq:
        try:
            return Identity(role="hq", token=hq_token(settings))
        except HQTokenMissing as exc:
            _fail(f"--hq: {exc}")
    if as_koc is not None:
        if as_koc < 1:
            raise typer.BadParameter("KOC ids start at 1")
        try:
            require_demo(settings, "--as KOC_ID (signing in with a demo KOC token)")
        except DemoModeRequired as exc:
            _fail(str(exc))
        return Identity(role="koc", koc_id=as_koc, token=demo_token_for(as_koc))
    return None


def _copilot():
    try:
        return build_copilot()
    except SETUP_ERRORS as exc:
        _fail(str(exc))


def _print_human(result: AnswerResult) -> None:
    console = Console()
    console.print(result.answer)
    _print_trace(console, result)


def _print_trace(console: Console, result: AnswerResult) -> None:
    for call in result.tool_calls:
        args = ", ".join(f"{k}={v!r}" for k, v in call.args.items())
        console.print(f"[dim]tool › {escape(call.name)}({escape(args)})[/dim]")
    for c in result.citations:
        snippet = " ".join(c.text.split())[:90]
        console.print(f"[dim][{c.n}] {escape(c.source)} · {escape(c.chunk_id[:12])} · {escape(snippet)}…[/dim]")
    flags = [f"{result.latency_ms} ms", result.provider]
    if result.fell_back:
        flags.append("fell back to offline answer")
    if result.refused:
        flags.append("refused")
    console.print(f"[dim]({' · '.join(flags)})[/dim]")


def ask(
    question: Optional[str] = typer.Argument(None, help="The question; omit to read one question per line from stdin."),
    as_koc: Optional[int] = typer.Option(None, "--as", help="Ask as this KOC (its demo token; demo mode only, KOC_DEMO=1)."),
    hq: bool = typer.Option(False, "--hq", help="Ask as HQ staff."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as one JSON object."),
) -> None:
    """Answer a question with citations (and tool calls for personal questions).

    With no QUESTION: one question per stdin line → one JSON object per stdout line.
    """
    identity = _identity(as_koc, hq)
    copilot = _copilot()
    identity = complete_identity(identity, copilot.tools_client_factory)  # its kind and tier: what it may read
    if question is not None:
        try:
            result = copilot.ask(question, identity)
        except (ValueError, *SETUP_ERRORS) as exc:
            _fail(str(exc))
        if as_json:
            typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))
        else:
            _print_human(result)
        return
    for line in sys.stdin:
        q = line.strip()
        if not q:
            continue
        try:
            out = copilot.ask(q, identity).to_json_dict()
        except SETUP_ERRORS as exc:  # every later line would fail the same way
            _fail(str(exc))
        except Exception as exc:  # one bad line must not lose the rest of the batch
            out = {"question": q, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def chat(
    as_koc: Optional[int] = typer.Option(None, "--as", help="Chat as this KOC (its demo token; demo mode only, KOC_DEMO=1)."),
    hq: bool = typer.Option(False, "--hq", help="Chat as HQ staff."),
) -> None:
    """Interactive terminal chat: streamed answers, citations and tool calls.

    Commands: /new (new conversation), /up and /down (feedback on the last answer), /quit.
    """
    identity = _identity(as_koc, hq)
    copilot = _copilot()
    identity = complete_identity(identity, copilot.tools_client_factory)  # its kind and tier: what it may read
    console = Console()
    who = "HQ" if hq else (f"KOC {as_koc}" if as_koc is not None else "guest")
    console.print(f"[bold]KOC Copilot[/bold] · {who} · provider {copilot.provider} · /quit to leave")
    session_id: str | None = None
    last: AnswerResult | None = None
    while True:
        try:
            question = console.input("[bold cyan]› [/bold cyan]").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if not question:
            continue
        if question in ("/quit", "/exit", "/q"):
            break
        if question == "/new":
            session_id, last = None, None
            console.print("[dim]new conversation[/dim]")
            continue
        if question in ("/up", "/down"):
            if last is None or last.message_id is None:
                console.print("[dim]no answer to rate yet[/dim]")
            else:
                copilot.feedback(last.session_id or "", last.message_id, question == "/up")
                console.print("[dim]thanks for the feedback[/dim]")
            continue
        try:
            for item in copilot.stream(question, identity, session_id=session_id):
                if isinstance(item, AnswerResult):
                    last = item
                else:
                    console.print(escape(item), end="")
        except ValueError as exc:
            console.print(f"[red]{escape(str(exc))}[/red]")
            continue
        except SETUP_ERRORS as exc:  # the embedding model is missing: say so in the asker's language, keep chatting
            console.print(f"[red]{escape(message('kb_unavailable', detect_language(question)))}[/red]")
            console.print(f"[dim]{escape(str(exc))}[/dim]")
            continue
        console.print()
        if last is not None:
            session_id = last.session_id
            _print_trace(console, last)


def register_commands(root: CommandRoot) -> None:
    """``koc ask``, ``koc chat``, and (from ``ui.serve``) ``koc serve`` and ``koc setup-demo``."""
    root.app.command("ask")(ask)
    root.app.command("chat")(chat)
    root.bench.command("serve")(bench_serve_cmd)
    register_serving(root.app)


def bench_serve_cmd(
    clients: int = typer.Option(16, min=1, help="Concurrent clients, each asking back to back."),
    seconds: float = typer.Option(20.0, min=1, help="How long the load runs (bounded)."),
    replicas: int = typer.Option(1, min=1, help="Assistant API replicas to start (ignored with --url)."),
    fresh: bool = typer.Option(False, "--fresh", help="Every question new (needs the embedding model) instead of cached ones."),
    url: list[str] = typer.Option([], "--url", help="A running replica's base URL (repeat for several); default: start a demo fleet."),
    token: list[str] = typer.Option([], "--token", help="A KOC bearer token to ask with (repeat); needed with --url."),
    home: Path = typer.Option(None, "--home", help="KOC_HOME for the demo fleet (default: a temporary one)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Load-test the assistant API: throughput, p50/p95/p99, max and errors (demo data, 127.0.0.1)."""
    try:
        bench_serve(clients=clients, seconds=seconds, replicas=replicas, fresh=fresh, urls=list(url),
                    tokens=list(token), home=home, as_json=as_json)
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as exc:
        _fail(str(exc), 1)
