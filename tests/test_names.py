"""SPEC §5: every name rule, its stable code, and a message for players in the card's
language with the culprit and its code point in separate fields."""

from __future__ import annotations

import regex
import pytest
from hypothesis import given, settings, strategies as st

from service.errors import InvalidName
from service.fonts import LANGUAGES
from service.name_messages import MESSAGES
from service.names import validate_name


def rejected(name, language="en", **kwargs) -> InvalidName:
    with pytest.raises(InvalidName) as info:
        validate_name(name, language, **kwargs)
    err = info.value
    assert err.status == 422
    assert err.field == "nameOnCard"
    assert err.message[-1] in ".。" and "LATIN" not in err.message  # a sentence, no Unicode names
    return err


def clusters(text: str) -> int:
    return len(regex.findall(r"\X", text))


# --- accepted names -------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_korean_name_accepted_in_every_language(language):
    assert validate_name("준성맛 쿠키", language) == "준성맛 쿠키"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["さくら", "サクラ味クッキー", "勇敢餅乾", "骨董品", "Brave Cookie", "Zoë"])
def test_japanese_chinese_latin_accepted_in_every_language(name, language):
    assert validate_name(name, language) == name


@pytest.mark.parametrize("name", [
    "Łukasz Żółć", "Çağatay İnönü", "Ştefan Țurcanu", "Erdős Gyűrű", "Čeněk Řezníček", "Ελένη Παπαδοπούλου",
    "สมชาย ใจดี", "محمد علي", "שרה לוי", "देवनागरी क्षत्रिय", "Иван Петров", "Nguyễn Văn Ánh",
])
def test_the_scripts_players_type_are_accepted(name):
    assert validate_name(name, "en") == name


@pytest.mark.parametrize("name", [
    "😀", "Cookie 🍪", "👨\u200d👩\u200d👧\u200d👦", "👍🏽", "1\ufe0f\u20e3", "🇰🇷🇹🇭", "❤\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "👩🏻\u200d❤\ufe0f\u200d💋\u200d👨🏼",
])
def test_emoji_sequences_accepted_as_one_grapheme_each(name):
    assert validate_name(name, "ko") == name


def test_at_most_8_emoji():
    assert validate_name("😀" * 8, "en") == "😀" * 8
    err = rejected("😀" * 9)
    assert err.code == "name_too_many_emoji"
    assert err.message == "A name can hold up to 8 emoji."


def test_whitespace_trimmed_and_collapsed():
    assert validate_name("  a  b  ", "en") == "a b"
    assert validate_name("준성\u3000\u00a0 쿠키", "ko") == "준성 쿠키"


def test_nfc_composes_and_counts_one_cluster():
    assert validate_name("e\u0301", "en") == "\u00e9"
    assert validate_name("e\u0301" * 24, "en") == "\u00e9" * 24
    assert validate_name("\u1100\u1161", "ko") == "가"  # conjoining jamo compose to a syllable


def test_two_marks_allowed():
    # Pinyin ǘ and Vietnamese ế: two marks on one base, precomposed by NFC.
    assert validate_name("lu\u0308\u0301", "zh-TW") == "l\u01d8"
    assert validate_name("Tie\u0302\u0301n", "en") == "Ti\u1ebfn"


def test_24_clusters_accepted_25_rejected():
    assert validate_name("가" * 24, "ko") == "가" * 24
    err = rejected("가" * 25, "ko")
    assert err.code == "name_too_long"
    assert err.message == "이름이 너무 길어요. 24자까지 쓸 수 있어요."


def test_fits_callback():
    seen = []
    assert validate_name(" ok ", "en", fits=lambda s: seen.append(s) or True) == "ok"
    assert seen == ["ok"]  # called with the normalised name
    err = rejected("Very Long Cookie Name", fits=lambda s: False)
    assert err.code == "name_too_long"
    assert err.message == "That name doesn't fit on the card. Please try a shorter one."


# --- rejections -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, 42, b"abc", ["a"], {"a": 1}])
def test_not_a_string(value):
    assert rejected(value).code == "name_not_string"


@pytest.mark.parametrize("name", ["", " ", "\u3000\u00a0  "])
def test_empty(name):
    assert rejected(name).code == "name_empty"


def test_huge_input_rejected_early():
    assert rejected("a" * 10_000).code == "name_too_long"
    # Even a huge input of forbidden characters is stopped by the cheap length check.
    assert rejected("\u202e" * 1001).code == "name_too_long"


@pytest.mark.parametrize("char", [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",  # bidi controls
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",
])
def test_format_characters_forbidden(char):
    err = rejected(f"ab{char}cd")
    assert err.code == "name_forbidden_character"
    assert err.message == f"“U+{ord(char):04X}” can't be used in a name."
    assert char not in err.message
    assert err.to_json()["error"]["codePoint"] == f"U+{ord(char):04X}"
    assert err.to_json()["error"]["character"] == char


@pytest.mark.parametrize("char", ["\t", "\r", "\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
                                  "\u2028", "\u2029", "\x00", "\x07", "\x1b", "\x7f", "\x9f"])
def test_control_characters_and_line_separators_refused_not_collapsed(char):
    err = rejected(f"ab{char}cd")
    assert err.code == "name_forbidden_character"
    assert f"U+{ord(char):04X}" in err.message and char not in err.message
    assert rejected(f"  {char}  ").code == "name_forbidden_character"


@pytest.mark.parametrize("char", ["\u3164", "\u115f", "\u1160", "\uffa0"])
def test_invisible_fillers_refused(char):
    for name in (char, f"{char}{char}", f"준{char}성"):
        err = rejected(name, "ko")
        assert err.code == "name_forbidden_character"
        assert err.message == f"보이지 않는 글자(U+{ord(char):04X})는 이름에 쓸 수 없어요."


@pytest.mark.parametrize("name", ["a\u200d", "\u200d😀", "😀\u200d", "ab\U000e0067"])
def test_zwj_and_tags_only_inside_emoji_sequences(name):
    assert rejected(name).code == "name_forbidden_character"


@pytest.mark.parametrize("name", ["\ud800", "ab\udfffcd", "\ud83d\ude00", "\ud800\u0301"])
def test_lone_surrogates_forbidden(name):
    err = rejected(name)
    assert err.code == "name_forbidden_character"
    assert regex.search(r"U\+D[89A-F][0-9A-F]{2}", err.message)


@pytest.mark.parametrize("char", ["\u0378", "\U000e0080", "\U0010fffe"])
def test_unassigned_code_points(char):
    err = rejected(f"a{char}")
    assert err.code == "name_unassigned_character"
    assert f"U+{ord(char):04X}" in err.message


@pytest.mark.parametrize(("name", "mark"), [
    ("\u0301abc", "U+0301"), ("ab \u0301cd", "U+0301"), ("  \u3099 か", "U+3099"), ("\u20dd", "U+20DD"),
])
def test_lone_combining_mark(name, mark):
    err = rejected(name)
    assert err.code == "name_lone_combining_mark"
    assert err.message == f"The mark “{mark}” has to follow a letter."


@pytest.mark.parametrize("name", ["a\u0301\u0302\u0303", "\u00e1\u0302\u0303", "x\u0300\u0301\u0304\u0307\u030c"])
def test_zalgo_too_many_marks(name):
    err = rejected(name)
    assert err.code == "name_too_many_marks"
    assert err.message.startswith("Too many accents on “") and "at most 2" in err.message


def test_giant_single_cluster_rejected():
    # 100 leading jamo are one grapheme cluster; the cluster cap stops them.
    assert clusters("\u1100" * 100) == 1
    err = rejected("\u1100" * 100, "ko")
    assert err.code == "name_too_long"
    assert err.to_json()["error"]["codePoint"] == "U+1100"


@pytest.mark.parametrize("char", ["\U00020000", "\u0f40", "\u13a0", "\U0001d11e"])
def test_character_no_face_covers_rejected(char):
    # a Han extension B ideograph, Tibetan, Cherokee, a musical symbol: in no face of the chain
    err = rejected(f"Cookie{char}")
    assert err.code == "name_unsupported_character"
    assert err.message == f"“{char}” can't be printed on the card."
    assert err.to_json()["error"] == {"code": "name_unsupported_character", "message": err.message,
                                      "field": "nameOnCard", "character": char, "codePoint": f"U+{ord(char):04X}"}


@pytest.mark.parametrize(("language", "expected"), [
    ("ko", "‘\u0f40’ 글자는 카드에 쓸 수 없어요."), ("en", "“\u0f40” can't be printed on the card."),
    ("ja", "「\u0f40」はカードに印刷できません。"), ("zh-TW", "「\u0f40」無法印在卡片上。"),
])
def test_message_in_the_cards_language(language, expected):
    assert rejected("Cookie\u0f40", language).message == expected


def test_every_message_exists_in_every_language():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key


def test_private_use_rejected_without_echoing_it():
    err = rejected("a\ue000")
    assert err.code == "name_unsupported_character"
    assert "U+E000" in err.message and "\ue000" not in err.message


def test_variation_selector_rejected():
    # Format-14 variation sequences are not in the best cmap of any face.
    err = rejected("葛\U000e0100", "ja")
    assert err.code == "name_unsupported_character"
    assert "U+E0100" in err.message


def test_unknown_language_is_a_caller_error():
    with pytest.raises(ValueError):
        validate_name("ok", "fr")


# --- property -------------------------------------------------------------------------

_interesting = st.sampled_from(list(
    " \t\n\u3000\u0301\u0302\u3099\u200d\u202e\ufeff\x00\ud800\udc00\u0378e가\u1100\u1161あ骨😀\U0001f3fd\ufe0f\u20e3"
    "\U0001f1f0\U0001f1f7\u3164ก\u0e31ال"))
_text = st.text(st.one_of(st.characters(exclude_categories=()), _interesting), max_size=60)


@settings(max_examples=300, deadline=None)
@given(_text, st.sampled_from(LANGUAGES))
def test_property_returns_short_name_or_invalid_name(name, language):
    try:
        result = validate_name(name, language)
    except InvalidName as err:
        assert err.code.startswith("name_") and err.code == err.code.lower()
        assert err.field == "nameOnCard"
        return
    assert isinstance(result, str)
    assert 1 <= clusters(result) <= 24
    assert result == result.strip() and "  " not in result
    assert validate_name(result, language) == result  # normalisation is idempotent
