"""Spoken Chinese rewritten in the written forms handbooks use.

KOCs type the way they talk ("我的号咋样了？还能用不"), and handbooks are written in the standard
register ("账号怎么样了？还能用吗"). The sentence embedding model scores the two registers far apart
(a question about a dormant account lost about 0.15 of cosine to its rule on 咋样, 号 and a bare 不), so
the scorer also embeds the question in written form and keeps the closer of the two. The rules are
general Mandarin usage, none of them about a brand.
"""

from __future__ import annotations

import re

from base.language import to_simplified

#: (spoken pattern, written form), applied in order to Simplified text: longer spoken words first
_WRITTEN_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(spoken), written) for spoken, written in (
    (r"咋样", "怎么样"), (r"咋(?:办|整|弄)", "怎么办"), (r"肿么", "怎么"), (r"咋个?", "怎么"),
    (r"为啥", "为什么"), (r"干(?:啥|嘛)", "干什么"), (r"啥子", "什么"), (r"神马", "什么"), (r"啥", "什么"),
    (r"[木米]有", "没有"), (r"俺们", "我们"), (r"俺", "我"), (r"仨", "三个"), (r"俩", "两个"),
    (r"多钱", "多少钱"), (r"几多", "多少"),
    # "我的号" is an account; "15 号" (a date) and "号码" are not
    (r"(?<=[我的])号(?![码数称])", "账号"),
    # a question closed by a bare 不 or 嘛 ("还能用不？", "能退嘛") asks as 吗 does
    (r"(?<=[\u4e00-\u9fff])(?<![不没要])不(?=\s*(?:[？?。！!，,]|$))", "吗"),
    (r"(?<=[\u4e00-\u9fff])嘛(?=\s*(?:[？?。！!，,]|$))", "吗"),
))


def written_form(text: str) -> str:
    """``text`` (in Simplified script) with its spoken words replaced by their written forms; the
    same text when it has none."""
    plain = to_simplified(text)
    for spoken, written in _WRITTEN_FORMS:
        plain = spoken.sub(written, plain)
    return plain
