"""Commands of the commission & tier service: serve it, build the demo ledger, import, settle,
run the daily rules, and benchmark it. ``register_commands`` adds them to the ``koc`` root."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Optional

import typer
from sqlalchemy.engine import make_url

from base.commands import CommandRoot
from base.encoding import TextDecodeError, decode_text
from base.settings import get_settings
from tools.auth import DemoModeRequired, HQTokenMissing, require_demo, require_hq_token
from tools.bench import run_all
from tools.competitions import close_competition
from tools.db import database_url, open_engine
from tools.demo import DemoLedgerRefused, build_demo
from tools.errors import BatchRejected, LedgerError
from tools.ledger import import_orders_file, import_refunds_file, settle
from tools.money import yuan
from tools.policy import PolicyError, load_policy
from tools.rules import evaluate_promotions, evaluate_rules
from tools.service import serve

ledger_app = typer.Typer(help="Commission ledger operations (imports, settlement, daily rules).", no_args_is_help=True)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _ledger():
    settings = get_settings()
    try:
        policy = load_policy(settings.policy)
    except PolicyError as exc:
        _fail(str(exc))
    return settings, policy, open_engine(settings)


def serve_tools(
    port: Optional[int] = typer.Option(None, help="Port on KOC_BIND_HOST (default KOC_TOOLS_PORT)."),
    workers: int = typer.Option(1, min=1, max=16, help="uvicorn worker processes."),
) -> None:
    """Run the commission & tier service (FastAPI, OpenAPI docs at /docs) on 127.0.0.1.

    Needs KOC_HQ_TOKEN, except in demo mode (KOC_DEMO=1), where the public demo HQ token stands in."""
    try:
        require_hq_token(get_settings())
        serve(port=port, workers=workers)
    except (PolicyError, HQTokenMissing) as exc:
        _fail(str(exc))


def demo_data(
    as_json: bool = typer.Option(False, "--json", help='Print {"hq": {"token"}, "kocs": [{"id", "name", "token", "situation"}]}.'),
    force: bool = typer.Option(False, help="Rebuild even if today's demo ledger is already there."),
) -> None:
    """Create the deterministic demo ledger (idempotent) and print demo tokens. Demo mode only (KOC_DEMO=1).

    Writes only into an empty ledger or one the demo made itself; any other ledger is refused untouched.
    Never prints KOC_HQ_TOKEN: with it set, the HQ token is shown as "(from KOC_HQ_TOKEN)" (JSON: null)."""
    settings = get_settings()
    try:
        require_demo(settings, "`koc demo-data` (the public demo ledger and its demo tokens)")
    except DemoModeRequired as exc:
        _fail(str(exc))
    settings, policy, engine = _ledger()
    try:
        result = build_demo(engine, policy, force=force, settings=settings)
    except DemoLedgerRefused as exc:
        _fail(f"{exc}. {_elsewhere(settings)}")
    if as_json:
        hq: dict = {"token": result.hq_token} if result.hq_token else {"token": None, "from": "KOC_HQ_TOKEN"}
        typer.echo(json.dumps({"hq": hq, "kocs": result.demo_kocs}, ensure_ascii=False))
        return
    state = "created" if result.created else "already present"
    typer.echo(f"demo ledger {state}: {result.kocs} KOCs, {result.orders} orders, {result.refunds} refunds")
    typer.echo(f"HQ token: {result.hq_token or '(from KOC_HQ_TOKEN)'}")
    for koc in result.demo_kocs:
        typer.echo(f"KOC {koc['id']} {koc['name']}: {koc['token']}  ({koc['situation']})")


def _elsewhere(settings) -> str:
    """Where the refused ledger is, and how to give the demo a place of its own."""
    if settings.database_url:
        shown = make_url(database_url(settings)).render_as_string(hide_password=True)
        return (f"KOC_DATABASE_URL points at {shown}: unset KOC_DATABASE_URL (the demo then uses a SQLite ledger "
                "under KOC_HOME) or point it at an empty database, and set KOC_HOME to a directory of its own, "
                "e.g. KOC_HOME=.koc-demo")
    return (f"The ledger is {settings.resolved_home / 'ledger.db'} (KOC_HOME={settings.home}): run the demo in a "
            "directory of its own, e.g. KOC_HOME=.koc-demo KOC_DEMO=1 koc demo-data")


def _read(path: Path) -> tuple[str, str]:
    if not path.is_file():
        _fail(f"file not found: {path}")
    fmt = "csv" if path.suffix.lower() == ".csv" else "json"
    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    return _as_text(data, path), fmt


def _as_text(data: bytes, path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), else GBK/GB18030 or Big5 (as exported by Chinese
    Excel), said on stderr; a file that is no text is a clear error, never a traceback."""
    try:
        text, encoding = decode_text(data)
    except TextDecodeError as exc:
        _fail(f"cannot read {path}: {exc}; save it as UTF-8 CSV or JSON")
    if encoding != "utf-8":
        typer.echo(f"note: {path} is not UTF-8; read it as {encoding}", err=True)
    return text


def _print_rejected(exc) -> None:
    typer.echo(f"error: {exc}", err=True)
    for e in exc.errors:
        typer.echo(f"  row {e.row}{' ' + e.key if e.key else ''}: {e.error}", err=True)


@ledger_app.command("import-orders")
def import_orders_cmd(path: Path = typer.Argument(..., help="CSV (header: order_id,koc_id|code,sku,quantity,amount_cents,paid_at) or JSON array.")) -> None:
    """Import orders idempotently; a file with a bad row writes nothing and lists every bad row."""
    _, policy, engine = _ledger()
    text, fmt = _read(path)
    try:
        rep = import_orders_file(engine, policy, text, fmt)
    except BatchRejected as exc:
        _print_rejected(exc)
        raise typer.Exit(1) from exc
    except LedgerError as exc:
        _fail(str(exc))
    typer.echo(f"{rep.inserted} orders imported, {rep.duplicates} already present, {rep.commission_rows} commission rows")


@ledger_app.command("import-refunds")
def import_refunds_cmd(path: Path = typer.Argument(..., help="CSV (header: refund_id,order_id,amount_cents,refunded_at) or JSON array.")) -> None:
    """Import refunds; each reverses its order's commission proportionally (both levels)."""
    _, _, engine = _ledger()
    text, fmt = _read(path)
    try:
        rep = import_refunds_file(engine, text, fmt)
    except BatchRejected as exc:
        _print_rejected(exc)
        raise typer.Exit(1) from exc
    typer.echo(f"{rep.inserted} refunds imported, {rep.duplicates} already present, {rep.commission_rows} reversal rows")


@ledger_app.command("settle")
def settle_cmd(on: str = typer.Option(..., help="Settlement date YYYY-MM-DD (the policy's settlement day).")) -> None:
    """Run a monthly settlement."""
    _, policy, engine = _ledger()
    try:
        rep = settle(engine, policy, date.fromisoformat(on))
    except (LedgerError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(f"settled {rep.entries} entries for {rep.kocs_paid} KOCs: {yuan(rep.total_cents)} "
               f"({rep.carried_negative} KOCs carried a clawback forward)")


@ledger_app.command("close-competition")
def close_competition_cmd(month: str = typer.Argument(..., help="Competition month YYYY-MM."),
                          force: bool = typer.Option(False, "--force", help="Close a month that has not ended yet (logged).")) -> None:
    """Record a month's final competition ranking and prizes (idempotent)."""
    _, policy, engine = _ledger()
    try:
        awards = close_competition(engine, policy, month, force=force)
    except LedgerError as exc:
        _fail(str(exc))
    typer.echo(f"competition {month} closed: {len(awards)} prizes or certificates")


@ledger_app.command("evaluate")
def evaluate_cmd(on: Optional[str] = typer.Option(None, help="Evaluation date YYYY-MM-DD (default today, UTC).")) -> None:
    """Daily batch: promotions, trial elimination, reminders/blacklist, external assessments."""
    _, policy, engine = _ledger()
    day = date.fromisoformat(on) if on else datetime.now(UTC).date()
    promoted = evaluate_promotions(engine, policy, day)
    report = evaluate_rules(engine, policy, day)
    typer.echo(f"promoted {len(promoted)}; trial eliminations {len(report.eliminated_trials)}; reminders {len(report.reminded)}; "
               f"blacklisted {len(report.blacklisted)}; partnerships ended {len(report.partnerships_ended)}")


def bench_tools(
    orders: int = typer.Option(1_000_000, help="Orders in the earnings-summary database."),
    import_orders_n: int = typer.Option(100_000, "--import-orders", help="Orders in the bulk-import run."),
    seconds: float = typer.Option(60.0, help="Duration of the HTTP load test."),
    concurrency: int = typer.Option(16, help="Concurrent HTTP clients."),
    workers: int = typer.Option(2, help="uvicorn workers for the load test."),
    port: int = typer.Option(0, help="Port for the load test (0 = a free port)."),
) -> None:
    """Bulk import rate, earnings-summary latency at scale, and an HTTP load test (printed)."""
    run_all(orders=orders, import_orders_n=import_orders_n, seconds=seconds, concurrency=concurrency, workers=workers, port=port)


def register_commands(root: CommandRoot) -> None:
    """Add this package's commands to the ``koc`` root and its benchmark to ``koc bench``."""
    root.app.command("serve-tools")(serve_tools)
    root.app.command("demo-data")(demo_data)
    root.app.add_typer(ledger_app, name="ledger")
    root.bench.command("tools")(bench_tools)
