"""SPEC §5: every name rule, its stable code and a message that names the culprit."""

from __future__ import annotations

import regex
import pytest
from hypothesis import given, settings, strategies as st

from service.errors import InvalidName
from service.fonts import LANGUAGES
from service.names import validate_name


def rejected(name, language="en", **kwargs) -> InvalidName:
    with pytest.raises(InvalidName) as info:
        validate_name(name, language, **kwargs)
    err = info.value
    assert err.status == 422
    assert err.field == "nameOnCard"
    assert err.message and err.message[0].isupper() and err.message.endswith(".")
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


def test_whitespace_trimmed_and_collapsed():
    assert validate_name("  a \t\n b  ", "en") == "a b"
    assert validate_name("준성\u3000\u00a0 쿠키", "ko") == "준성 쿠키"


def test_nfc_composes_and_counts_one_cluster():
    assert validate_name("e\u0301", "en") == "\u00e9"
    assert validate_name("e\u0301" * 24, "en") == "\u00e9" * 24
    assert validate_name("\u1100\u1161", "ko") == "가"  # conjoining jamo compose to a syllable


def test_two_marks_allowed():
    # Pinyin ǘ and Vietnamese ế: two marks on one base, precomposed by NFC.
    assert validate_name("lu\u0308\u0301", "zh-TW") == "l\u01d8"
    assert validate_name("Tie\u0302\u0301n", "en") == "Ti\u1ebfn"


def test_font_lacks_most_of_latin_extended_a():
    # Noto Sans CJK covers Latin-1, pinyin and Vietnamese, but not e.g. Ł or č; NFC
    # composes c + U+030C to U+010D even though both parts are in the cmap.
    assert "U+0141" in rejected("\u0141ukasz").message
    err = rejected("c\u030c")
    assert err.code == "name_unsupported_character"
    assert "U+010D" in err.message


def test_24_clusters_accepted_25_rejected():
    assert validate_name("가" * 24, "ko") == "가" * 24
    err = rejected("가" * 25, "ko")
    assert err.code == "name_too_long"
    assert "25" in err.message and "24" in err.message


def test_fits_callback():
    seen = []
    assert validate_name(" ok ", "en", fits=lambda s: seen.append(s) or True) == "ok"
    assert seen == ["ok"]  # called with the normalised name
    err = rejected("Very Long Cookie Name", fits=lambda s: False)
    assert err.code == "name_too_long"
    assert "does not fit" in err.message and "smallest font size" in err.message


# --- rejections -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, 42, b"abc", ["a"], {"a": 1}])
def test_not_a_string(value):
    assert rejected(value).code == "name_not_string"


@pytest.mark.parametrize("name", ["", " ", "\t\n\u3000\u00a0  "])
def test_empty(name):
    assert rejected(name).code == "name_empty"


def test_huge_input_rejected_early():
    err = rejected("a" * 10_000)
    assert err.code == "name_too_long"
    assert "10000" in err.message
    # Even a huge input of forbidden characters is stopped by the cheap length check.
    assert rejected("\u202e" * 1001).code == "name_too_long"


@pytest.mark.parametrize(("char", "name"), [
    ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
    ("\u202b", "RIGHT-TO-LEFT EMBEDDING"),
    ("\u202c", "POP DIRECTIONAL FORMATTING"),
    ("\u202d", "LEFT-TO-RIGHT OVERRIDE"),
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u2067", "RIGHT-TO-LEFT ISOLATE"),
    ("\u2068", "FIRST STRONG ISOLATE"),
    ("\u2069", "POP DIRECTIONAL ISOLATE"),
    ("\u200b", "ZERO WIDTH SPACE"),
    ("\u200c", "ZERO WIDTH NON-JOINER"),
    ("\u200d", "ZERO WIDTH JOINER"),
    ("\u2060", "WORD JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "SOFT HYPHEN"),  # in the font's cmap, but a format character
])
def test_format_characters_forbidden(char, name):
    err = rejected(f"ab{char}cd")
    assert err.code == "name_forbidden_character"
    assert err.message == f"Character U+{ord(char):04X} ({name}) is not allowed in a name."
    assert char not in err.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f"])
def test_control_characters_forbidden(char):
    err = rejected(f"ab{char}cd")
    assert err.code == "name_forbidden_character"
    assert f"U+{ord(char):04X} (control character)" in err.message
    assert char not in err.message


def test_emoji_zwj_sequence_forbidden():
    err = rejected("\U0001f468\u200d\U0001f469")
    assert err.code == "name_forbidden_character"
    assert "U+200D" in err.message


@pytest.mark.parametrize("name", ["\ud800", "ab\udfffcd", "\ud83d\ude00", "\ud800\u0301"])
def test_lone_surrogates_forbidden(name):
    err = rejected(name)
    assert err.code == "name_forbidden_character"
    assert "surrogate" in err.message
    assert regex.search(r"U\+D[89A-F][0-9A-F]{2}", err.message)


@pytest.mark.parametrize("char", ["\u0378", "\U000e0080", "\U0010fffe"])
def test_unassigned_code_points(char):
    err = rejected(f"a{char}")
    assert err.code == "name_unassigned_character"
    assert f"U+{ord(char):04X}" in err.message


@pytest.mark.parametrize(("name", "mark"), [
    ("\u0301abc", "U+0301 (COMBINING ACUTE ACCENT)"),
    ("ab \u0301cd", "U+0301 (COMBINING ACUTE ACCENT)"),
    ("  \u3099 か", "U+3099 (COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK)"),
    ("\u20dd", "U+20DD (COMBINING ENCLOSING CIRCLE)"),
])
def test_lone_combining_mark(name, mark):
    err = rejected(name)
    assert err.code == "name_lone_combining_mark"
    assert mark in err.message


@pytest.mark.parametrize("name", ["a\u0301\u0302\u0303", "\u00e1\u0302\u0303", "x\u0300\u0301\u0304\u0307\u030c"])
def test_zalgo_too_many_marks(name):
    err = rejected(name)
    assert err.code == "name_too_many_marks"
    assert "U+0061" in err.message or "U+00E1" in err.message or "U+0078" in err.message
    assert "at most 2" in err.message


def test_giant_single_cluster_rejected():
    # 100 leading jamo are one grapheme cluster; the cluster cap stops them.
    assert clusters("\u1100" * 100) == 1
    err = rejected("\u1100" * 100, "ko")
    assert err.code == "name_too_long"
    assert "U+1100" in err.message


@pytest.mark.parametrize(("char", "name"), [
    ("\U0001f600", "GRINNING FACE"),
    ("\u2764", "HEAVY BLACK HEART"),
    ("\U00020000", "CJK UNIFIED IDEOGRAPH-20000"),
    ("\u0e01", "THAI CHARACTER KO KAI"),
])
def test_character_missing_from_font_rejected(char, name):
    err = rejected(f"Cookie{char}")
    assert err.code == "name_unsupported_character"
    assert f'"{char}" (U+{ord(char):04X} {name})' in err.message


def test_private_use_rejected_without_echoing_it():
    err = rejected("a\ue000")
    assert err.code == "name_unsupported_character"
    assert "U+E000 (private-use character)" in err.message
    assert "\ue000" not in err.message


def test_variation_selector_rejected():
    # Format-14 variation sequences are not in the best cmap, so not drawable by BASIC layout.
    err = rejected("葛\U000e0100", "ja")
    assert err.code == "name_unsupported_character"
    assert "U+E0100" in err.message


def test_unknown_language_is_a_caller_error():
    with pytest.raises(ValueError):
        validate_name("ok", "fr")


# --- property -------------------------------------------------------------------------

_interesting = st.sampled_from(list(
    " \t\n\u3000\u0301\u0302\u3099\u200d\u202e\ufeff\x00\ud800\udc00\u0378e가\u1100\u1161あ骨😀"))
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
