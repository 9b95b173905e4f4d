"""What a scraped page hides from its readers.

A page's invisible text (``display:none``, ``visibility:hidden``, the ``hidden`` attribute) is no
part of what the handbook tells a KOC: nobody reading the page sees it, so it cannot be a rule, and
it is where a planted instruction for an assistant hides. Hidden elements are dropped before the
page's text is read.
"""

from __future__ import annotations

import re
from typing import Any

#: a declaration that hides an element from every reader
_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
#: ``@media print { … }`` and the like apply to some screens only; their rules hide nothing everywhere
_MEDIA_BLOCK = re.compile(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
#: a selector naming elements by class or id alone ("p.note", ".note", "#banner"), which is all this
#: reads: a descendant, state or attribute selector hides only some elements some of the time
_SIMPLE_SELECTOR = re.compile(r"^[a-z0-9]*([.#])([A-Za-z_][\w-]*)$", re.I)


def hiding_selectors(css: str) -> tuple[set[str], set[str]]:
    """The classes and ids that a style sheet hides, as (classes, ids)."""
    classes: set[str] = set()
    ids: set[str] = set()
    for selectors, body in _RULE.findall(_MEDIA_BLOCK.sub("", css)):
        if not _HIDING.search(body):
            continue
        for selector in selectors.split(","):
            match = _SIMPLE_SELECTOR.match(selector.strip())
            if match:
                (classes if match.group(1) == "." else ids).add(match.group(2))
    return classes, ids


def is_hidden(el: Any, classes: set[str], ids: set[str]) -> bool:
    """``el`` (a BeautifulSoup tag) is hidden by its own attributes or by the page's style sheet."""
    if el.has_attr("hidden") or _HIDING.search(el.get("style") or ""):
        return True
    return bool(set(el.get("class") or ()) & classes) or el.get("id") in ids


def drop_hidden(soup: Any) -> int:
    """Remove every hidden element from ``soup`` (before its <style> tags are dropped); returns how many."""
    classes, ids = hiding_selectors("\n".join(style.get_text() for style in soup.find_all("style")))
    hidden = [el for el in soup.find_all(True) if is_hidden(el, classes, ids)]
    for el in hidden:
        if not el.decomposed:
            el.decompose()
    return len(hidden)
