"""The product catalogue as a glossary: an English (or partial) product name in a question also
searches the product's Chinese name; invented products, no brand."""

from __future__ import annotations

from assistant.answer_rules import named_product, tier_glossary, with_catalogue_name, with_tier_names
from tools.catalog import ProductRef

CATALOG = (
    ProductRef(sku="XY-01", name_zh="森林燕麦洁面乳 120g", name_en="Forest Oat Cleanser 120g",
               aliases=("xy-01", "森林燕麦洁面乳", "forest oat cleanser", "oat cleanser")),
    ProductRef(sku="XY-02", name_zh="海风防晒乳 50ml", name_en="Sea Breeze Sunscreen 50ml",
               aliases=("xy-02", "海风防晒乳", "sea breeze sunscreen")),
)


def test_english_name_gets_the_chinese_name_beside_it() -> None:
    query = with_catalogue_name("How much is the forest oat cleanser and what is in it?", CATALOG)
    assert query == "How much is the forest oat cleanser (森林燕麦洁面乳) and what is in it?"


def test_code_and_traditional_script_are_names_too() -> None:
    assert with_catalogue_name("XY-02 的价格？", CATALOG) == "XY-02 (海风防晒乳) 的价格？"
    assert with_catalogue_name("海風防曬乳多少錢？", CATALOG) == "海風防曬乳多少錢？"  # already named in Chinese


def test_no_fuzzy_guess() -> None:
    """Words merely near a product name ("sea", "oat") name no product: a wrong product would
    steer the evidence."""
    assert named_product("Is the sea nice this weekend?", CATALOG) is None
    assert with_catalogue_name("What are the rules for oat-based posts?", CATALOG).endswith("posts?")
    assert with_catalogue_name("佣金怎么算？", ()) == "佣金怎么算？"


#: the glossary of tier names as the router keys them (any language, lower-cased → the policy's tier key)
TIERS = tier_glossary({"coral": "coral", "珊瑚会员": "coral", "珊瑚": "coral", "pearl": "pearl", "珍珠会员": "pearl",
                       "gold": "gold"})


def test_english_tier_names_also_search_the_chinese_ones() -> None:
    query = with_tier_names("What do I get when I'm promoted to Coral, and then to Pearl?", TIERS)
    assert query == "What do I get when I'm promoted to Coral (珊瑚会员), and then to Pearl (珍珠会员)?"
    assert with_tier_names("珊瑚会员有什么权益？", TIERS) == "珊瑚会员有什么权益？"  # already in Chinese
    assert with_tier_names("Is gold jewellery allowed in photos?", TIERS) == "Is gold jewellery allowed in photos?"
    assert with_tier_names("Coralline is not a tier", TIERS) == "Coralline is not a tier"  # whole words only
