"""The product specifications an English question asks about, and how Chinese catalogues write them.

"What's the protein content of the oat bars?" over a catalogue row that gives the pack's weight and price
shares the product's name with it and nothing of what is asked; the row reads close in vector space
all the same. A Chinese question is checked by its own words (``answer_focus.asked_attribute``); an
English one names the spec in a word whose Chinese the corpus may never use (no rendering to look
for), so the words of product specifications, generic across catalogues, are listed here with the
ways Chinese writes them: a row or a sentence that writes none of them does not state the spec.
No brand, product or phrasing of any handbook is in this table.
"""

from __future__ import annotations

import re

#: English spec words → how a Chinese catalogue states them (nutrition, light and sound, care, build)
SPECS_IN_CHINESE: dict[tuple[str, ...], tuple[str | re.Pattern[str], ...]] = {
    ("protein", "proteins"): ("蛋白",),
    ("sugar", "sugars"): ("糖",),
    ("fat", "fats"): ("脂肪",),
    ("calorie", "calories", "kcal"): ("热量", "千卡", "大卡", "卡路里", "kcal"),
    ("sodium",): ("钠",),
    ("caffeine",): ("咖啡因",),
    ("fibre", "fiber"): ("纤维",),
    ("allergen", "allergens"): ("过敏", "致敏"),
    ("lumen", "lumens"): ("流明", "lm"),
    ("decibel", "decibels"): ("分贝", "db"),
    ("frequency",): ("频响", "频率", "hz"),
    ("resolution",): ("分辨率", "像素"),
    ("dishwasher", "dishwasher-safe"): ("洗碗机",),
    ("microwave", "microwave-safe"): ("微波",),
    ("oven", "oven-safe"): ("烤箱",),
    ("washing-machine", "machine-washable", "machine-wash"): ("机洗", "洗衣机", "水洗"),
    ("firmness",): ("软硬", "硬度", "偏硬", "偏软"),
    # a ratio is also written as its figures ("首图用 1:1 方图", "1∶500 兑水")
    ("ratio", "proportion"): ("比例", "配比", "占比", re.compile(r"\d\s*[:：∶]\s*\d")),
    ("gsm",): ("克重", "g/㎡", "g/m"),
    ("backrest",): ("靠背",),
    ("font", "typeface"): ("字体",),
    ("preamp", "pre-amp"): ("唱放", "前级", "放大"),
    # an ingress rating is written as its code ("IPX4", "IP68") or as what it keeps out
    ("waterproof", "water-resistance", "water-resistant", "splash-proof", "dustproof"):
        ("防水", "防泼", "防溅", "防尘", re.compile(r"\bipx?\d")),
}
_FORMS = {word: forms for words, forms in SPECS_IN_CHINESE.items() for word in words}
#: "washing machine" and "machine wash" are one spec, written as two words
_TWO_WORDS = re.compile(r"\bwashing machine\b|\bmachine[- ]wash(?:able)?\b", re.I)


def specs_asked(question: str) -> list[str]:
    """The spec words an English question uses ("How much sugar is in…" → sugar)."""
    text = _TWO_WORDS.sub(lambda m: m.group().lower().replace(" ", "-"), question)
    return list(dict.fromkeys(w for w in re.findall(r"[a-z][a-z-]*", text.lower()) if w in _FORMS))


def states_spec(word: str, text: str) -> bool:
    """``text`` writes the spec ``word`` names in one of the ways Chinese catalogues do (case aside)."""
    lowered = text.lower()
    return any(form.search(lowered) if isinstance(form, re.Pattern) else form in lowered for form in _FORMS.get(word, ()))
