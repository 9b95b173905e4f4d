"""Spoken Chinese in its written forms: what the scorer embeds beside the question as asked."""

from __future__ import annotations

import pytest

from base.colloquial import written_form


@pytest.mark.parametrize("spoken,written", [
    ("我的号被封了咋办？还能解封不", "我的账号被封了怎么办？还能解封吗"),
    ("为啥只拿到一半？要拿全得干啥", "为什么只拿到一半？要拿全得干什么"),
    ("退了货咋办，能退嘛", "退了货怎么办，能退吗"),
    ("俺们仨一起报名，啥时候开课", "我们三个一起报名，什么时候开课"),
    ("木有收到券，咋整", "没有收到券，怎么办"),
    ("這個號會咋樣", "这个号会怎么样"),  # read in Simplified; "这个号" names no account
])
def test_spoken_words_are_written_as_the_handbooks_write_them(spoken: str, written: str) -> None:
    assert written_form(spoken) == written


@pytest.mark.parametrize("text", ["15号发钱吗？", "号码填错了能改吗", "行不行？", "要不要报名", "能不能退", "佣金多少"])
def test_written_words_and_dates_are_left_as_they_are(text: str) -> None:
    assert written_form(text) == text
