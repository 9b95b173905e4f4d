"""Rendering sample documents as PDF, shared by the scripts that build the sample knowledge bases."""

from __future__ import annotations

import io

# A section is (heading level, heading, blocks); a block is a paragraph string, a list of bullet
# strings, or a table given as a tuple of rows (first row = header).
Block = str | list[str] | tuple[list[str], ...]
Section = tuple[int, str, list[Block]]


def render_pdf(title: str, sections: list[Section], author: str) -> bytes:
    """Render with the CID font STSong-Light: no font file needed and pypdf extracts the Chinese.

    A block is a paragraph (str), a table (tuple of rows) or a bulleted list (list of str)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    h1 = ParagraphStyle("h1", parent=body, fontSize=18, leading=26, spaceAfter=8)
    h2 = ParagraphStyle("h2", parent=body, fontSize=14, leading=22, spaceBefore=8, spaceAfter=4)
    story = []
    for level, heading, blocks in sections:
        story.append(Paragraph(heading, h1 if level == 1 else h2))
        for block in blocks:
            if isinstance(block, str):
                story.append(Paragraph(block, body))
            elif isinstance(block, tuple):
                rows = [[Paragraph(cell, body) for cell in row] for row in block]
                table = Table(rows, colWidths=[120 * mm, 45 * mm])
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                story.append(table)
            else:
                items = [ListItem(Paragraph(item, body), leftIndent=12) for item in block]
                story.append(ListFlowable(items, bulletType="bullet", start="•", bulletFontName=font))
            story.append(Spacer(1, 3 * mm))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, title=title, author=author, invariant=1,
        leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
    )
    doc.build(story)
    return buf.getvalue()
