"""Which language and script a text is in, and converting between the scripts: one module for all.

Retrieval, the assistant and the product matcher must agree on what counts as the same text
(繁體 and 简体 alike), so every conversion and every language decision in the project is made here.

The product serves three: ``zh-CN`` (简体), ``zh-TW`` (繁體) and ``en``. Detection is
counting, not a model: CJK characters vs Latin words decide Chinese vs English, and
OpenCC decides the script (how many characters change under t2s vs under s2t).
Replies are composed in Simplified Chinese or English and converted at the very end,
so a Traditional-Chinese asker never reads 简体 (OpenCC ``s2tw``).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from opencc import OpenCC

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4)
def _opencc(config: str) -> OpenCC:
    """One converter per configuration; building one loads its dictionaries (tens of ms)."""
    return OpenCC(config)


@lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """繁 → 简 for matching (retrieval, support checks); non-Chinese text passes through.

    Cached: the same chunk sentences are compared again and again, and OpenCC is pure Python."""
    return _opencc("t2s").convert(text) if CJK_RE.search(text) else text


@lru_cache(maxsize=1024)
def to_mainland_words(text: str) -> str:
    """繁 → 简 with Taiwan vocabulary turned into the mainland's (``tw2sp``: 影片 → 视频, 軟體 → 软件),
    for deciding whether a question's words occur in Simplified handbooks; never for quoting.
    Text already in Simplified passes through (``tw2sp`` reads 么 as the Traditional 幺)."""
    return _opencc("tw2sp").convert(text) if to_simplified(text) != text else text


def to_traditional(text: str) -> str:
    """简 → 繁 (Taiwan character standard), for replies to zh-TW askers.

    Character conversion only (``s2tw``, not ``s2twp``): phrase conversion rewrites vocabulary
    (发布 → 釋出), which would change the wording of quoted handbook sentences. Word by word
    (jieba's dictionary, no guessing): OpenCC matches its longest phrase from the left and reads
    "包括发布" as 包 + 括发 (a word of its own), giving 包括髮布; cut at 包括 | 发布 it gives 發佈.
    """
    if not CJK_RE.search(text):
        return text
    converter = _opencc("s2tw")
    return "".join(converter.convert(word) for word in _words(text))


@lru_cache(maxsize=1)
def quiet_jieba():
    """The jieba module, loaded on first use (its dictionary takes a second) with its start-up
    chatter turned off: the one loader every segmenting module uses."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def quiet_posseg():
    """jieba's part-of-speech tagger (``jieba.posseg``), loaded as ``quiet_jieba`` loads jieba."""
    quiet_jieba()
    import jieba.posseg as posseg

    return posseg


def _words(text: str) -> list[str]:
    """``text`` cut into dictionary words (no new-word guessing), every character kept."""
    return quiet_jieba().lcut(text, HMM=False)


#: Detection reads at most this many characters: a document's opening decides its language.
DETECT_SAMPLE_CHARS = 5000
#: characters of a Chinese word, on average, when Chinese and English words are counted against each other
CJK_CHARS_PER_WORD = 2


_TITLE = re.compile(r"《[^》]*》")


def detect_language(text: str) -> str:
    """``zh-CN``, ``zh-TW`` or ``en``; brand words like "KOC" or a SKU don't flip a Chinese question, and a
    Chinese name doesn't flip an English one ("How tall is 林秀英?", "What about 松风?").

    English words are weighed against Chinese words, not characters: a Chinese word is about two
    characters. Acronyms (all capitals) belong to both languages and are not counted."""
    sample = text[:DETECT_SAMPLE_CHARS]
    cjk = CJK_RE.findall(sample)
    # a title in 《》 is a name whatever its language ("《Where I Belong》是哪一年出的？" is asked in Chinese)
    words = [w for w in LATIN_WORD_RE.findall(_TITLE.sub(" ", sample)) if not w.isupper()]
    if not cjk or len(cjk) < CJK_CHARS_PER_WORD * len(words):
        return "en"
    joined = "".join(cjk)
    traditional_marks = sum(a != b for a, b in zip(joined, _opencc("t2s").convert(joined)))
    simplified_marks = sum(a != b for a, b in zip(joined, _opencc("s2t").convert(joined)))
    return "zh-TW" if traditional_marks > simplified_marks else "zh-CN"


def localize(text: str, language: str) -> str:
    """Put Chinese text into the asker's script (English text and zh-CN pass unchanged)."""
    if language == "zh-TW":
        return to_traditional(text)
    if language == "zh-CN":
        return to_simplified(text)
    return text


def pick(language: str, zh: str, en: str) -> str:
    """Choose the zh (written in 简体) or en variant of a template, in the asker's script."""
    return en if language == "en" else localize(zh, language)


def counted(n: int, noun: str) -> str:
    """"1 more post (UGC)", "3 more posts (UGC)": a count of an English plural name, its head word (the last
    before any bracket) made singular for one. Names come from a programme's policy, written as plurals."""
    if n != 1:
        return f"{n} {noun}"
    head, bracket, rest = noun.partition(" (")
    words = head.split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        words[-1] = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 2:
        words[-1] = last[:-1]
    return f"1 {' '.join(words)}{bracket}{rest}"
