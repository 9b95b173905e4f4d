"""Text as a reader sees it, before it is chunked: what copying from the web and from PDFs leaves
behind is removed, so that a sentence holds its whole fact and its words match a question.

Three kinds of debris, each common in handbooks that brands assemble from several sources:

* **stray markup** pasted with web text: tags (``<br>``, ``<span class=…>``) and entities
  (``&nbsp;``, ``&amp;``) inside Markdown or plain text;
* **pinyin glosses** after Chinese words, ``佣金（yōng jīn）``: they split the word from its
  punctuation and add tokens no question contains. Only a parenthesis holding nothing but valid
  pinyin syllables counts, so ``（SPF30）`` or ``(Gold)`` stay;
* **hard line breaks** of PDF text: a line wrapped at the page width ends a "sentence" in the
  middle, and a fact ("每月 10 号\\n结算") falls into two. Wrapped lines are joined back; a short
  line (a heading, a list item, the end of a paragraph) keeps its break.
"""

from __future__ import annotations

import html
import re
import unicodedata

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,5}|[A-Za-z]{2,8});")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)

_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|ia|ie|iu|ua|uo|"
          r"ui|un|ue|ve|vn|a|o|e|i|u|v)")
_SYLLABLE = re.compile(rf"{_INITIAL}{_FINAL}[1-5]?")
_GLOSS = re.compile(rf"(?<=[{_CJK}])\s*[（(]\s*([A-Za-z\u00c0-\u024f'’ \-0-9]{{1,60}}?)\s*[）)]")

#: a PDF line at least this share of the page's longest line was wrapped by the layout, not ended
WRAPPED_SHARE = 0.8
_SENTENCE_END = "。！？；!?;：:…」』）)\"”"
#: a line that starts an item keeps its own line ("1. …", "二、…", "- …", "• …")
_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[一二三四五六七八九十]{1,3}[、.]|[-*•·▪●]\s|[（(]\d{1,2}[)）])")


def _plain_letters(token: str) -> str:
    """The token without tone marks (ā → a, ǚ → v): pinyin syllables are matched on plain letters."""
    decomposed = unicodedata.normalize("NFD", token.lower().replace("ü", "v"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_pinyin(gloss: str) -> bool:
    """Every word of ``gloss`` is one or more pinyin syllables, and it is unmistakably pinyin: it
    carries tone marks or tone numbers, or it has at least two syllables."""
    words = [w for w in re.split(r"[\s'’\-]+", gloss.strip()) if w]
    if not words:
        return False
    syllables = 0
    for word in words:
        plain = _plain_letters(word)
        found = re.fullmatch(rf"(?:{_SYLLABLE.pattern})+", plain)
        if not found:
            return False
        syllables += len(_SYLLABLE.findall(plain))
    toned = any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", gloss)) or bool(re.search(r"[a-z][1-5]", gloss))
    return toned or syllables >= 2 and len(words) >= 2


def remove_pinyin_glosses(text: str) -> str:
    """``佣金（yōng jīn）是…`` → ``佣金是…``; glosses that are not pinyin stay."""
    return _GLOSS.sub(lambda m: "" if _is_pinyin(m.group(1)) else m.group(0), text)


def remove_stray_markup(text: str) -> str:
    """Tags and character entities left in Markdown or plain text; ``<br>`` becomes a line break.
    Only entities are unescaped, so a literal ``<`` in "标题 < 20 字" is kept as it is."""
    lines = text.split("\n")  # inside a table row a <br> is a space: a new line would cut the row
    text = "\n".join(_BREAK_TAG.sub(" " if line.lstrip().startswith("|") else "\n", line) for line in lines)
    text = _TAG.sub("", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text.replace("\u00a0", " ")


def clean_text(text: str) -> str:
    """Markup debris and pinyin glosses removed (every loader's text goes through this)."""
    return remove_pinyin_glosses(remove_stray_markup(text))


def _width(line: str) -> int:
    """Printed width: a Chinese character takes two columns, as on the page."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def joined_across_wrap(previous: str, following: str) -> str:
    """``previous`` and the text it wraps onto as one: no space at a seam beside a Chinese character (or after
    、 and ，), one space between words."""
    cjk_seam = bool(re.match(rf"[{_CJK}，、]", previous[-1:]) or re.match(rf"[{_CJK}]", following[:1]))
    return previous + ("" if cjk_seam else " ") + following


def join_wrapped_lines(page: str) -> str:
    """A PDF page's lines with the layout's wraps undone: a line as long as the page's longest
    ones, not ending a sentence, continues on the next line (no space between Chinese characters,
    one space between words)."""
    lines = [line.rstrip() for line in page.split("\n")]
    widest = max((_width(line) for line in lines), default=0)
    out: list[str] = []
    last_width = 0  # of the last physical line: a joined line is long, its last piece may not be
    for line in lines:
        previous = out[-1] if out else ""
        wrapped = (previous and line.strip() and last_width >= WRAPPED_SHARE * widest
                   and previous[-1] not in _SENTENCE_END and not _ITEM_START.match(line))
        if wrapped:
            out[-1] = joined_across_wrap(previous, line.strip())
        else:
            out.append(line)
        last_width = _width(line)
    return "\n".join(out)
