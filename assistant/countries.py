"""Countries, regions and languages an English question names, with the Chinese names handbooks write for them.

A KOC asks in English whether a brand ships to Singapore or pays into a bank in Hong Kong; the handbooks
answer in Chinese (新加坡, 香港). Which countries exist, and what they are called in Chinese, is ISO 3166 data
(``pycountry`` and its zh_CN translations), not something any brand's handbook or this code should list. So are
languages (ISO 639: "are the charts available in English?" is answered where a handbook writes 英文 or 英语).
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

import pycountry

#: capitalised runs of one to three words after a word placing something there ("in Singapore", "ships to Hong
#: Kong", "from the United Arab Emirates"): a country's name as a place, not a person called Chad or Jordan
_CAPITALISED_RUN = re.compile(r"\b(?:in|to|from|into|inside|outside|across|within)\s+(?:the\s+)?"
                              r"([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+){0,2})\b")
#: what the Chinese name of a region adds around the name a handbook writes ("中国台湾省", "中国香港特别行政区")
_ZH_FRAME = re.compile(r"^中国|(?:特别行政区|省)$")


@lru_cache(maxsize=1)
def _country_names() -> dict[str, tuple[str, ...]]:
    """Every English name of a country or region (its name, common and official names), lower-cased → its
    Chinese names as handbooks write them."""
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    names: dict[str, tuple[str, ...]] = {}
    for country in pycountry.countries:
        english = [getattr(country, field, None) for field in ("name", "common_name", "official_name")]
        written = {chinese.gettext(name) for name in english if name}
        forms = tuple(dict.fromkeys(form for name in written if re.search(r"[\u4e00-\u9fff]", name)
                                    for form in (name, _ZH_FRAME.sub("", name)) if form))
        if forms:
            for name in english:
                if name:
                    names[name.lower()] = forms
    return names


def countries_named(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The countries and regions an English question names as places by a capitalised name ("a cousin in
    Singapore", "lives in Hong Kong"), each with its Chinese names; a longer name before a shorter one inside it."""
    names = _country_names()
    found: dict[str, tuple[str, ...]] = {}
    for run in _CAPITALISED_RUN.findall(question):
        words = run.split()
        for size in range(len(words), 0, -1):  # "United Arab Emirates" before "United"
            spans = [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]
            hit = next((span for span in spans if span.lower() in names), None)
            if hit:
                found.setdefault(hit, names[hit.lower()])
                break
    return list(found.items())


#: a language something is asked to be in ("available in Japanese", "into English", "a French version", "Korean
#: subtitles"): a capitalised name, checked against ISO 639 below
_IN_LANGUAGE = re.compile(r"\b(?:in|into)\s+([A-Z][a-z]+)\b|\b([A-Z][a-z]+)\s+(?:versions?|translations?|subtitles|captions|"
                          r"editions?|manuals?|copy|copies|charts?|instructions)\b")
#: the languages every Chinese handbook is written in: a question about them is about nothing the text must name
_WRITTEN_IN = frozenset({"zh"})


@lru_cache(maxsize=1)
def _language_names() -> dict[str, tuple[str, ...]]:
    """Every major language's English name (ISO 639-1), lower-cased → how Chinese handbooks name it: its zh_CN name
    and the same with 文 for 语 (英语 / 英文), and the English name as a handbook may quote it."""
    chinese = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    names: dict[str, tuple[str, ...]] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if not code or code in _WRITTEN_IN:
            continue
        written = [re.sub(r"[（(].*", "", part).strip() for part in chinese.gettext(language.name).split(";")]
        forms = [form for name in written if re.search(r"[\u4e00-\u9fff]", name)
                 for form in (name, re.sub(r"语$", "文", name))]
        names[language.name.lower()] = tuple(dict.fromkeys([*forms, language.name, language.name.lower()]))
    return names


def languages_named(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The languages other than Chinese an English question asks something to be in ("Are the charts available in
    English?"), each with the ways a Chinese handbook names it."""
    names = _language_names()
    found: dict[str, tuple[str, ...]] = {}
    for match in _IN_LANGUAGE.finditer(question):
        name = match.group(1) or match.group(2)
        if name.lower() in names:
            found.setdefault(name, names[name.lower()])
    return list(found.items())
