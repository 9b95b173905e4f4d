"""A brief as Markdown, as a Word document (python-docx) and as JSON — all from the same ``Brief``."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

from docx import Document

from assistant.briefs.models import PLATFORM_NAMES, Brief, Citation


def _cite(citations: list[Citation]) -> str:
    return "".join(f" [{c.source} · {c.chunk_id[:8]}]" for c in citations)


def to_json(brief: Brief) -> str:
    return json.dumps(brief.model_dump(mode="json"), ensure_ascii=False, indent=2)


def to_markdown(brief: Brief) -> str:
    r = brief.request
    lines = [f"# 选题简报：{r.campaign}", "", f"- 编号：{brief.id}", f"- 平台：{PLATFORM_NAMES[r.platform]} · 受众：{r.audience}"
             f" · 选题数：{len(brief.topics)} · 生成方式：{brief.provider}{'（模型草稿未通过校验，已用离线简报）' if brief.fell_back else ''}",
             "", "## 活动概述", "", brief.summary, "", "## 核心信息", ""]
    lines += [f"{i}. {m.text}{_cite(m.citations)}" for i, m in enumerate(brief.key_messages, 1)]
    lines += ["", "## 选题", ""]
    for i, t in enumerate(brief.topics, 1):
        lines += [f"### {i}. {t.title}", "", f"- 角度：{t.angle} · 形式：{t.format}" + (f" · 产品：{'、'.join(t.products)}" if t.products else ""),
                  f"- 开头：{t.hook}", "- 大纲："]
        lines += [f"  {j}. {step}" for j, step in enumerate(t.outline, 1)]
        lines += [f"- 话题：{' '.join(t.hashtags)}", "- 依据："]
        lines += [f"  - {f.text}{_cite([f.citation])}" for f in t.facts]
        lines.append("")
    if brief.dos or brief.donts:
        lines += ["## 内容规范（手册原文）", ""]
        lines += [f"- ✅ {m.text}{_cite(m.citations)}" for m in brief.dos]
        lines += [f"- ⛔ {m.text}{_cite(m.citations)}" for m in brief.donts]
        lines.append("")
    if brief.schedule:
        lines += ["## 发布排期", "", "| 日期 | 选题 |", "|---|---|"]
        lines += [f"| {s.date} | {s.topic}. {s.title} |" for s in brief.schedule]
        lines.append("")
    if brief.target_kocs:
        lines += ["## 建议优先发给（临近晋级的 KOC）", ""]
        lines += [f"- KOC {k.koc_id} {k.name}：{k.tier} → {k.next_tier}，还差 {k.gap_text}" for k in brief.target_kocs]
        lines.append("")
    lines += ["## 合规检查", ""]
    if brief.compliance.passed:
        lines.append(f"通过：检查了 {brief.compliance.checked_texts} 段可发布文字，未发现违规。")
    else:
        lines += [f"- {v.where}：“{v.term}” — {v.rule}；建议：{v.suggestion}" for v in brief.compliance.violations]
    if brief.warnings:
        lines += ["", "## 提示", ""] + [f"- {w}" for w in brief.warnings]
    return "\n".join(lines).rstrip() + "\n"


def to_docx(brief: Brief) -> bytes:
    """The brief as a .docx file's bytes: headings, numbered topics, citations after each fact."""
    doc = Document()
    r = brief.request
    doc.add_heading(f"选题简报：{r.campaign}", level=0)
    doc.add_paragraph(f"编号 {brief.id} · {PLATFORM_NAMES[r.platform]} · 受众 {r.audience} · 生成方式 {brief.provider}")
    doc.add_heading("活动概述", level=1)
    doc.add_paragraph(brief.summary)
    doc.add_heading("核心信息", level=1)
    for m in brief.key_messages:
        doc.add_paragraph(m.text + _cite(m.citations), style="List Number")
    doc.add_heading("选题", level=1)
    for i, t in enumerate(brief.topics, 1):
        doc.add_heading(f"{i}. {t.title}", level=2)
        doc.add_paragraph(f"角度：{t.angle} · 形式：{t.format}" + (f" · 产品：{'、'.join(t.products)}" if t.products else ""))
        doc.add_paragraph(f"开头：{t.hook}")
        for step in t.outline:
            doc.add_paragraph(step, style="List Bullet")
        doc.add_paragraph(f"话题：{' '.join(t.hashtags)}")
        for f in t.facts:
            doc.add_paragraph(f"依据：{f.text}{_cite([f.citation])}")
    if brief.dos or brief.donts:
        doc.add_heading("内容规范（手册原文）", level=1)
        for m in brief.dos:
            doc.add_paragraph(f"要做：{m.text}{_cite(m.citations)}", style="List Bullet")
        for m in brief.donts:
            doc.add_paragraph(f"不要：{m.text}{_cite(m.citations)}", style="List Bullet")
    if brief.schedule:
        doc.add_heading("发布排期", level=1)
        table = doc.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "日期", "选题"
        for s in brief.schedule:
            row = table.add_row().cells
            row[0].text, row[1].text = str(s.date), f"{s.topic}. {s.title}"
    if brief.target_kocs:
        doc.add_heading("建议优先发给（临近晋级的 KOC）", level=1)
        for k in brief.target_kocs:
            doc.add_paragraph(f"KOC {k.koc_id} {k.name}：{k.tier} → {k.next_tier}，还差 {k.gap_text}", style="List Bullet")
    doc.add_heading("合规检查", level=1)
    if brief.compliance.passed:
        doc.add_paragraph(f"通过：检查了 {brief.compliance.checked_texts} 段可发布文字，未发现违规。")
    for v in brief.compliance.violations:
        doc.add_paragraph(f"{v.where}：“{v.term}” — {v.rule}；建议：{v.suggestion}", style="List Bullet")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


RENDERERS = {"md": to_markdown, "json": to_json}
#: the formats a brief is exported in, and their file suffixes
EXPORT_FORMATS = ("md", "docx", "json")


def export(brief: Brief, fmt: str, path: Path) -> Path:
    """Write ``brief`` to ``path`` as ``fmt`` (md | docx | json): ``koc brief --out`` and the studio's downloads."""
    if fmt == "docx":
        path.write_bytes(to_docx(brief))
    elif fmt in RENDERERS:
        path.write_text(RENDERERS[fmt](brief), encoding="utf-8")
    else:
        raise ValueError(f"unknown brief format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    return path
