"""Countries and languages an English question names, and the Chinese names a handbook's rule for them writes."""

from __future__ import annotations

from assistant.answer_focus import missing_focus
from assistant.countries import countries_named, languages_named
from assistant.evidence_scorer import corpus_knows


def test_a_country_named_as_a_place_comes_with_its_chinese_names() -> None:
    named = dict(countries_named("A cousin in Singapore wants to order. Does the shop ship to Hong Kong?"))
    assert "新加坡" in named["Singapore"] and "香港" in named["Hong Kong"]
    assert "台湾" in dict(countries_named("I live in Taiwan. Can I be paid there?"))["Taiwan"]  # 中国台湾省 as written
    # a person called Chad or Jordan is no country; nor is a capitalised word that names none
    assert countries_named("Chad asked whether Jordan can join.") == []
    assert countries_named("Is there a cap in the programme's rules?") == []


def test_a_country_an_english_question_asks_about_must_be_in_the_chinese_rule() -> None:
    """"Does the brand ship to Singapore?" over a rule on shipping to Hong Kong and Macao names another place: the
    rule for Singapore is not stated. A rule naming it answers."""
    known = corpus_knows({"香港", "澳门"})
    rule = ["头盔和车锁可以寄到香港、澳门，跨境运费顾客自付。"]
    assert "Singapore" in missing_focus("A cousin in Singapore wants a helmet. Do you ship there?", rule, known, 0.9)
    assert "Hong Kong" not in missing_focus("My customer lives in Hong Kong. Do you ship there?", rule, known, 0.9)


def test_a_language_asked_for_must_be_named_by_the_chinese_rule() -> None:
    """"Is the assembly guide available in English?" over a kit's row that says what is in the box names no
    language: the handbooks do not say. A rule that writes 英文 (or 英语) answers; Chinese, the language every
    handbook is written in, is asked of nothing ("what is it called in Chinese?")."""
    assert "英文" in dict(languages_named("Is the assembly guide available in English?"))["English"]
    assert "日语" in dict(languages_named("Is there a Japanese version of the guide?"))["Japanese"]
    assert languages_named("What is the lamp called in Chinese?") == []
    assert languages_named("Do you ship to Japan?") == []  # a country, not a language
    known = corpus_knows({"说明书"})
    row = ["名称: 木质台灯套件 · 内容: 灯罩、灯座、说明书 · 零售价: 199 元"]
    asked = "Is the assembly guide for the lamp kit available in English?"
    assert "English" in missing_focus(asked, row, known, 0.9)
    assert "English" not in missing_focus(asked, ["台灯套件附中英文说明书。"], known, 0.9)
