"""``koc brief`` (write, list, show) and ``koc check-post``: shells over ``assistant.briefs`` and
``assistant.compliance``, composed here from the settings (knowledge base, product catalogue,
chat model, commission & tier service).

Errors a user can cause (unknown product, empty file, unknown brief id, bad dates) are one
``error: …`` line and exit code 2; nothing is written then.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import NoReturn, Optional

import typer

from assistant.briefs.history import BriefHistory, BriefNotFound
from assistant.briefs.models import Brief, BriefRequest, BriefRequestError
from assistant.briefs.render import export, to_json, to_markdown
from assistant.briefs.writer import BriefError, BriefWriter
from assistant.compliance.rulebook import RulebookError
from assistant.compliance.service import DraftError, check_draft
from base.commands import CommandRoot
from base.encoding import TextDecodeError, decode_text
from base.settings import Settings, get_settings
from knowledge.kb import KnowledgeBase
from tools.auth import HQTokenMissing, hq_token
from tools.identity import Identity
from ui.commands import SETUP_ERRORS
from ui.compose import brief_writer, chat_model_for, near_promotion_source, tools_client_factory

FORMATS = ("md", "docx", "json")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _kb(settings: Settings) -> KnowledgeBase:
    try:
        return KnowledgeBase(settings)
    except SETUP_ERRORS as exc:
        _fail(str(exc))


def configured_brief_writer(settings: Settings, *, offline: bool = False, near_promotion: bool = False) -> BriefWriter:
    """A BriefWriter over the configured knowledge base, catalogue, chat model and tier service."""
    kb = _kb(settings)
    model, provider = (None, "offline") if offline else chat_model_for(settings)
    near = None
    if near_promotion:
        try:
            near = near_promotion_source(tools_client_factory(settings), Identity(role="hq", token=hq_token(settings)))
        except HQTokenMissing as exc:
            _fail(f"--near-promotion asks the commission & tier service as HQ: {exc}")
    return brief_writer(settings, kb, model, provider, near)


def _emit(brief: Brief, fmt: str, out: Path | None) -> None:
    if out is not None:
        export(brief, fmt, out)
        typer.echo(f"wrote {out}", err=True)
    elif fmt == "docx":
        _fail("--format docx needs --out FILE")
    else:
        typer.echo(to_json(brief) if fmt == "json" else to_markdown(brief))


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}")
    return fmt


def brief(
    ctx: typer.Context,
    campaign: Optional[str] = typer.Option(None, "--campaign", help="Campaign name and theme."),
    theme: str = typer.Option("", "--theme", help="More about the theme (optional)."),
    products: str = typer.Option("", "--products", help="Products by name or code, comma-separated."),
    audience: Optional[str] = typer.Option(None, "--audience", help="Target KOC group, e.g. 宝妈."),
    platform: str = typer.Option("xiaohongshu", "--platform", help="xiaohongshu | douyin | wechat."),
    topics: int = typer.Option(5, "--topics", help="Number of topics."),
    start: Optional[str] = typer.Option(None, "--start", help="First posting day (YYYY-MM-DD)."),
    end: Optional[str] = typer.Option(None, "--end", help="Last posting day (YYYY-MM-DD)."),
    tone: str = typer.Option("", "--tone", help="Tone of voice."),
    language: str = typer.Option("zh-CN", "--language", help="zh-CN | zh-TW."),
    near_promotion: bool = typer.Option(False, "--near-promotion", help="Target the KOCs closest to promotion (asks the tier service as HQ)."),
    offline: bool = typer.Option(False, "--offline", help="Deterministic offline brief even when a chat model is configured."),
    fmt: str = typer.Option("md", "--format", callback=_check_format, help="md | docx | json."),
    out: Optional[Path] = typer.Option(None, "--out", dir_okay=False, help="Write to FILE (required for docx)."),
) -> None:
    """Write a campaign topic brief grounded in the handbooks, check it, save it, print or export it."""
    if ctx.invoked_subcommand is not None:
        return
    if not campaign or not audience:
        _fail("--campaign and --audience are required (or use `koc brief list` / `koc brief show ID`)")
    if fmt == "docx" and out is None:
        _fail("--format docx needs --out FILE")
    try:
        request = BriefRequest.from_form(campaign=campaign, theme=theme, products=products, audience=audience,
                                         platform=platform, topics=topics, tone=tone, language=language,
                                         start=start, end=end, target_near_promotion=near_promotion)
    except BriefRequestError as exc:
        _fail(f"invalid brief request: {exc}")
    settings = get_settings()
    try:
        result = configured_brief_writer(settings, offline=offline, near_promotion=near_promotion).write(request)
    except (BriefError, RulebookError, *SETUP_ERRORS) as exc:
        _fail(str(exc))
    path = BriefHistory(settings.resolved_home).save(result)
    typer.echo(f"saved brief {result.id} ({path})", err=True)
    _emit(result, fmt, out)


def brief_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Saved briefs, newest first."""
    rows = BriefHistory(get_settings().resolved_home).list()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no saved briefs yet (write one with `koc brief --campaign … --audience …`)")
    for r in rows:
        typer.echo(f"{r['id']}  {r.get('error') or ''}" if "error" in r else
                   f"{r['id']}  {r['created_at']}  {r['platform']:<11} {r['topics']:>2} topics  "
                   f"{r['violations']} violations  {r['provider']:<8} {r['campaign']}")


def brief_show(
    brief_id: str = typer.Argument(..., help="Id from `koc brief list`."),
    fmt: str = typer.Option("md", "--format", callback=_check_format, help="md | docx | json."),
    out: Optional[Path] = typer.Option(None, "--out", dir_okay=False, help="Write to FILE (required for docx)."),
) -> None:
    """Reopen a saved brief and print or export it again."""
    try:
        saved = BriefHistory(get_settings().resolved_home).load(brief_id)
    except BriefNotFound as exc:
        _fail(str(exc.args[0]))
    _emit(saved, fmt, out)


def check_post(
    text: Optional[str] = typer.Argument(None, help="The draft (omit and use --file, or pipe it on stdin)."),
    file: Optional[Path] = typer.Option(None, "--file", exists=True, dir_okay=False, help="Read the draft from FILE (UTF-8, GBK or Big5)."),
    platform: Optional[str] = typer.Option(None, "--platform", help="xiaohongshu | douyin | wechat: also enforce its limits."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Check a post against advertising law, the brand's content rules and the platform's limits.

    Exit code 0 when it passes, 1 when it has violations, 2 on bad input."""
    if text is not None and file is not None:
        _fail("give the draft as TEXT or --file, not both")
    if file is not None:
        try:
            text, _ = decode_text(file.read_bytes())
        except (TextDecodeError, OSError) as exc:
            _fail(f"{file}: {exc}")
    elif text is None and not sys.stdin.isatty():
        text = sys.stdin.read()
    if not text or not text.strip():  # before anything is opened: an empty draft needs no index
        _fail("the draft is empty")
    settings = get_settings()
    try:
        kb = KnowledgeBase(settings)
    except SETUP_ERRORS:  # no knowledge base: the shared rules still apply
        kb = None
    try:
        report = check_draft(kb, text, platform, settings.compliance_rules)
    except (RulebookError, DraftError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    elif report.passed:
        typer.echo("✅ no problems found")
    else:
        for v in report.violations:
            typer.echo(f"[{v.start}-{v.end}] “{v.term}” — {v.rule}\n    → {v.suggestion}")
        typer.echo(f"\nrewrite:\n{report.rewrite}")
    if not report.passed:
        raise typer.Exit(1)


def bench_brief(
    campaign: str = typer.Option("秋季换季修护", "--campaign"),
    products: str = typer.Option("", "--products", help="Comma-separated; default: the first two catalogue products the handbooks name."),
    audience: str = typer.Option("宝妈", "--audience"),
    platform: str = typer.Option("xiaohongshu", "--platform"),
    topics: int = typer.Option(6, "--topics"),
    repeat: int = typer.Option(5, "--repeat", min=1),
    offline: bool = typer.Option(True, "--offline/--model", help="Offline brief (default) or the configured chat model."),
) -> None:
    """Time writing one brief in process (the index and models loaded once; imports not counted)."""
    settings = get_settings()
    writer = configured_brief_writer(settings, offline=offline)
    names = [p for p in products.split(",") if p.strip()]
    if not names:
        corpus = " ".join(c.text for c in writer.kb.manifest.all_chunks())
        names = [p.sku for p in writer.catalog if p.sku in corpus][:2]
    request = BriefRequest(campaign=campaign, audience=audience, platform=platform, topics=topics, products=names,
                           start=date(2026, 9, 1), end=date(2026, 9, 14))
    times: list[float] = []
    last = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            last = writer.write(request)
        except BriefError as exc:
            _fail(str(exc))
        times.append(time.perf_counter() - t0)
    assert last is not None
    typer.echo(f"brief ({writer.provider}{', fell back to offline' if last.fell_back else ''}; {topics} topics, "
               f"{len(last.key_messages)} key messages, {len(last.compliance.violations)} violations): "
               f"first {times[0] * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms over {repeat} "
               f"(embedding model {writer.kb.model_id})")


def register_commands(root: CommandRoot) -> None:
    """``koc brief [list|show]`` and ``koc check-post``."""
    app = typer.Typer(help="HQ campaign topic briefs grounded in the handbooks.", invoke_without_command=True)
    app.callback()(brief)
    app.command("list")(brief_list)
    app.command("show")(brief_show)
    root.app.add_typer(app, name="brief")
    root.app.command("check-post")(check_post)
    root.bench.command("brief")(bench_brief)
