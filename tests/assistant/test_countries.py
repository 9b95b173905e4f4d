"""Countries an English question names as places, and the Chinese names a handbook's rule for them writes."""

from __future__ import annotations

from assistant.answer_focus import missing_focus
from assistant.countries import countries_named
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
