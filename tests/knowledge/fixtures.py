"""Helpers that write real fixture files (docx, pdf, encoded text) into a temporary directory."""

from __future__ import annotations

from pathlib import Path


def make_docx(path: Path, title: str, blocks: list[tuple[str, str]]) -> Path:
    """``blocks`` = (style, text); style 'h1'/'h2' → Heading 1/2, 'p' → body, 'bold' → bold run."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for style, text in blocks:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1]))
        elif style == "bold":
            document.add_paragraph().add_run(text).bold = True
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str], title: str = "") -> Path:
    """A text PDF; CJK text uses reportlab's built-in STSong-Light CID font. A line "\f" starts a new page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    y = 800
    for line in lines:
        if line == "\f":
            c.showPage()
            y = 800
            continue
        c.setFont("STSong-Light" if any(ord(ch) > 0x2e80 for ch in line) else "Helvetica", 12)
        c.drawString(50, y, line)
        y -= 20
    c.save()
    return path
