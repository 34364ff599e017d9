"""What a player reads when a name is refused, in the card's language (SPEC §5).

Short sentences without Unicode jargon; the stable code, the character and its code
point travel in separate fields of the error for clients (service.errors.InvalidName).
``{char}`` is the character itself when it is visible, else its code point (U+200B);
``{max}`` is the limit that was passed.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "name_not_string": {
        "ko": "이름은 글자로 입력해 주세요.",
        "en": "Please type the name as text.",
        "ja": "名前は文字で入力してください。",
        "zh-TW": "請用文字輸入名字。",
    },
    "name_empty": {
        "ko": "이름을 입력해 주세요.",
        "en": "Please enter a name.",
        "ja": "名前を入力してください。",
        "zh-TW": "請輸入名字。",
    },
    "name_too_long": {
        "ko": "이름이 너무 길어요. {max}자까지 쓸 수 있어요.",
        "en": "That name is too long: up to {max} characters.",
        "ja": "名前が長すぎます。{max}文字までです。",
        "zh-TW": "名字太長了，最多 {max} 個字。",
    },
    "name_does_not_fit": {
        "ko": "이름이 카드에 다 들어가지 않아요. 조금 짧게 해 주세요.",
        "en": "That name doesn't fit on the card. Please try a shorter one.",
        "ja": "名前がカードに収まりません。もう少し短くしてください。",
        "zh-TW": "名字放不進卡片裡，請短一點。",
    },
    "name_forbidden_character": {
        "ko": "‘{char}’ 글자는 이름에 쓸 수 없어요.",
        "en": "“{char}” can't be used in a name.",
        "ja": "「{char}」は名前に使えません。",
        "zh-TW": "名字裡不能用「{char}」。",
    },
    "name_invisible_character": {
        "ko": "보이지 않는 글자({char})는 이름에 쓸 수 없어요.",
        "en": "Invisible characters ({char}) can't be used in a name.",
        "ja": "見えない文字（{char}）は名前に使えません。",
        "zh-TW": "名字裡不能用看不見的字元（{char}）。",
    },
    "name_unassigned_character": {
        "ko": "알 수 없는 글자({char})가 있어요.",
        "en": "“{char}” isn't a character we know.",
        "ja": "認識できない文字（{char}）があります。",
        "zh-TW": "有無法辨識的字元（{char}）。",
    },
    "name_lone_combining_mark": {
        "ko": "기호 ‘{char}’는 글자 뒤에 붙여야 해요.",
        "en": "The mark “{char}” has to follow a letter.",
        "ja": "記号「{char}」は文字のあとに付けてください。",
        "zh-TW": "符號「{char}」要接在字的後面。",
    },
    "name_too_many_marks": {
        "ko": "‘{char}’에 기호가 너무 많아요. 한 글자에 {max}개까지 붙일 수 있어요.",
        "en": "Too many accents on “{char}”: at most {max} fit on one letter.",
        "ja": "「{char}」に記号が多すぎます。1文字に{max}個までです。",
        "zh-TW": "「{char}」的符號太多了，一個字最多 {max} 個。",
    },
    "name_too_many_emoji": {
        "ko": "이모지는 {max}개까지 쓸 수 있어요.",
        "en": "A name can hold up to {max} emoji.",
        "ja": "絵文字は{max}個までです。",
        "zh-TW": "表情符號最多 {max} 個。",
    },
    "name_unsupported_character": {
        "ko": "‘{char}’ 글자는 카드에 쓸 수 없어요.",
        "en": "“{char}” can't be printed on the card.",
        "ja": "「{char}」はカードに印刷できません。",
        "zh-TW": "「{char}」無法印在卡片上。",
    },
}
"""Message per key and language; the key is the error code, or a finer reason sharing
one (name_does_not_fit is a name_too_long, name_invisible_character a
name_forbidden_character)."""


def message(key: str, language: str, **values: object) -> str:
    """The player's message for ``key`` in ``language`` (English for an unknown language)."""
    texts = MESSAGES[key]
    return texts.get(language, texts["en"]).format(**values)
