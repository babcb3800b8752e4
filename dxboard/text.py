"""Text helpers: names on one line, Vietnamese search folding and alphabetical sort keys.

Folded text and sort keys are stored in database columns so that search and ordering
happen in SQL and behave the same on SQLite and PostgreSQL.
"""

import re
import unicodedata

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
# Each letter becomes its base letter plus a rank, so "Â" sorts after "A" and "Đ" after "D".
_LETTER_RANK = {"ă": "a1", "â": "a2", "đ": "d1", "ê": "e1", "ô": "o1", "ơ": "o2", "ư": "u1"}
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Combining marks that change the letter (breve, circumflex, horn), not the tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Unicode's control characters (category Cc): C0, DEL and C1.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Text on one line: control characters and runs of whitespace become one space.

    A name pasted from a word processor or a spreadsheet may carry a tab, a vertical tab
    or another control character; none belongs in a name, and some break exports.
    """
    return " ".join(_CONTROL_CHARACTERS.sub(" ", text).split())


def fold(text: str) -> str:
    """Lower-case text without diacritics: "Đồng Tháp" -> "dong thap"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def sort_key(text: str) -> str:
    """A string whose plain byte order is Vietnamese alphabetical order.

    Letters compare first (with ă, â, đ, ê, ô, ơ, ư as letters of their own); tones only
    break ties, so "An" < "Ân" < "Ba" and "Da" < "Đa".
    """
    letters: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text.lower().strip()):
        if char in _TONE_RANK:
            tones[-1:] = [_TONE_RANK[char]]
            continue
        if char in _LETTER_MARKS and letters:
            composed = unicodedata.normalize("NFC", letters[-1][0] + char)
            letters[-1] = _LETTER_RANK.get(composed, letters[-1])
            continue
        if unicodedata.combining(char):
            continue
        letters.append(_LETTER_RANK.get(char, char + "0"))
        tones.append("0")
    return "".join(letters) + "|" + "".join(tones)
