"""Arabic normalisation without losing offsets.

``fold`` gives a normalised string for comparison (names, search keys).
``shadow`` gives the same normalised string plus a map back to original
offsets, so matchers run over the folded text and report spans in the
original. Folding: diacritics and tatweel removed; alef/hamza forms to
bare alef; alef maqsura to ya; ta marbuta to ha; Persian letter forms to
Arabic; NBSP and other odd spaces, and the underscore of hashtags, to a plain
space; Arabic-Indic digits to ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import regex

from qawl.layout import char_positions

_DROP = (
    [chr(c) for c in range(0x064B, 0x0653)]  # fathatan .. sukun, maddah above
    + ["\u0653", "\u0654", "\u0655", "\u0670", "\u0640"]  # madda/hamza marks, dagger alef, tatweel
    + ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]  # joiners, direction marks, BOM
)
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    "٫": ".", "٬": ",",
    "_": " ",  # hashtags join words with it (#أمير_الكويت): read them as the words they are
}
_MAP.update({chr(0x0660 + i): str(i) for i in range(10)})  # Arabic-Indic digits
_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})  # Persian digits

FOLD_TABLE: dict[int, str | None] = {ord(k): v for k, v in _MAP.items()}
FOLD_TABLE.update({ord(c): None for c in _DROP})


def _dense(table: dict[int, str | None]) -> list[int | str | None]:
    """The same table as a list indexed by code point: str.translate looks a list up twice as fast."""
    return [table.get(i, i) for i in range(max(table) + 1)]  # code points past the end stay as they are



# Hamza seats folded only for name/search keys (too lossy for the shadow text).
_DROP_CHARS = "".join(_DROP)

_KEY_TABLE = dict(FOLD_TABLE)
_KEY_TABLE.update({ord("ؤ"): "و", ord("ئ"): "ي", ord("ء"): None})
_FOLD_LIST = _dense(FOLD_TABLE)
_KEY_LIST = _dense(_KEY_TABLE)


def _pairs(table: dict[int, str | None]) -> tuple[tuple[str, str], ...]:
    out = tuple((chr(k), v or "") for k, v in sorted(table.items()))
    # one replacement never makes another's source character, so their order does not matter
    assert not any(k in v for k, _ in out for _, v in out)
    return out


_FOLD_PAIRS = _pairs(FOLD_TABLE)
_KEY_PAIRS = _pairs(_KEY_TABLE)
_LONG = 256  # from this length, a chain of str.replace beats str.translate


def _replace_all(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text.translate`` for the table behind ``pairs``, five times faster on an article: translate
    looks every character up one by one, while ``in`` and ``replace`` scan in C for the few
    characters an article holds (most of the 64 are absent)."""
    for k, v in pairs:
        if k in text:
            text = text.replace(k, v)
    return text


def _script_class(name: str, blocks: tuple[tuple[int, int], ...]) -> str:
    """A stdlib character class for a Unicode script (``regex``'s ``\\p{…}``), from the blocks that hold it."""
    script = regex.compile(r"\p{" + name + "}")
    chars = [chr(c) for lo, hi in blocks for c in range(lo, hi + 1) if script.match(chr(c))]
    return "[" + "".join(re.escape(c) for c in chars) + "]"


# \p{Arabic} for the stdlib engine, which strip_article's hot regex needs (a third of the cost of `regex`)
_ARABIC = _script_class("Arabic", ((0x0600, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0x10E60, 0x10EFF),
                                   (0x1EC70, 0x1EEFF)))
_PROCLITIC = regex.compile(r"^(?:[وف])?(?:[بلك])?(?:ال)?(?=\p{Arabic}{2,})")
# Inside a noun phrase a bare و/ب/ل is more often part of the word (وزارة، وليد، بلدية) than a clitic;
# only a definite article (with what may stand before it) is certain to be one.
_ARTICLE = re.compile(r"(?:[وف]?[بك]?ال|[وف]?لل)(?=" + _ARABIC + "{2,})")
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def fold(text: str) -> str:
    """Normalised copy of ``text`` for comparison; offsets are not kept."""
    return text.translate(_FOLD_LIST) if len(text) < _LONG else _replace_all(text, _FOLD_PAIRS)


# Names and words are key-folded again and again (every mention, every sentence opening), and
# str.translate pays per character; a memo of short inputs makes a repeat one dictionary lookup.
# Bounded, and the function is pure, so the memo changes no result in any thread or process.
_KEY_MEMO: Final[dict[str, str]] = {}
_KEY_MEMO_MAX: Final = 100_000
_KEY_MEMO_LEN: Final = 40  # characters: words and names, not texts


def key_fold(text: str) -> str:
    """A stronger fold for names and search keys: hamza seats too, lower-cased Latin."""
    if len(text) < _KEY_MEMO_LEN:
        out = _KEY_MEMO.get(text)
        if out is None:
            out = text.translate(_KEY_LIST).lower()
            if len(_KEY_MEMO) >= _KEY_MEMO_MAX:
                _KEY_MEMO.clear()
            _KEY_MEMO[text] = out
        return out
    return (text.translate(_KEY_LIST) if len(text) < _LONG else _replace_all(text, _KEY_PAIRS)).lower()


def strip_clitics(word: str) -> str:
    """Drop a leading و/ف, a preposition ب/ل/ك and the article ال from a folded word.

    ``وقال`` → ``قال``; ``والحكومة`` → ``حكومه`` (after folding). Words shorter
    than two letters after stripping are left whole.
    """
    m = _PROCLITIC.match(word)
    if m and m.end():
        rest = word[m.end():]
        if len(rest) >= 2:
            return rest
    return word


def strip_article(word: str) -> str:
    """Drop the article and what is glued before it: ``الوزاره``/``بالوزاره`` → ``وزاره``; ``وزاره`` stays."""
    if "ال" not in word[:5] and "لل" not in word[:4]:
        return word  # no article can be there: skip the regex (a hot path of entity keys)
    m = _ARTICLE.match(word)
    return word[m.end():] if m else word


def words(text: str) -> list[str]:
    """Letter/digit runs of ``text`` (no folding)."""
    return _WORD.findall(text)


def name_words(name: str) -> list[str]:
    """Folded, clitic-stripped words of a name: the unit of speaker comparison."""
    return [strip_clitics(w) for w in words(key_fold(name))]


@dataclass(slots=True)
class Shadow:
    """A folded copy of a text with a map from folded offsets to original offsets."""

    text: str
    _shift: list[int] | None  # folded offsets after which one more original character was dropped
    _orig: str  # the original text, to keep a last word's vowel marks inside a span

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, text: str, shift: list[int] | None, orig: str) -> None:
        self.text = text
        self._shift = shift
        self._orig = orig

    @property
    def dropped(self) -> bool:
        """Were characters (diacritics, tatweel, direction marks) removed?"""
        return self._shift is not None

    def to_orig(self, i: int) -> int:
        """Original offset of folded offset ``i`` (0 <= i <= len(text))."""
        if self._shift is None:
            return i
        # bisect_right(self._shift, i), written out: native once compiled, where a call to bisect is not
        shift = self._shift
        lo, hi = 0, len(shift)
        while lo < hi:
            mid = (lo + hi) // 2
            if i < shift[mid]:
                hi = mid
            else:
                lo = mid + 1
        return i + lo

    def span_to_orig(self, start: int, end: int) -> tuple[int, int]:
        if self._shift is None:
            return start, end
        # End maps to just after the last kept character so dropped marks inside stay inside;
        # the vowel marks of the last word (جداً) belong to it too.
        s = self.to_orig(start)
        e = self.to_orig(end - 1) + 1 if end > start else s
        orig = self._orig
        while e < len(orig) and ("\u064b" <= orig[e] <= "\u065f" or orig[e] == "\u0670"):
            e += 1
        return s, e


def shadow(text: str) -> Shadow:
    """Fold ``text`` one character to at most one character, keeping an offset map.

    The map costs O(number of dropped characters): each dropped character at
    original offset d (the k-th dropped) shifts every folded offset >= d - k by one.
    """
    folded = fold(text)
    if len(folded) == len(text):
        return Shadow(folded, None, text)
    drops = char_positions(text, _DROP_CHARS, 0, len(text))
    shift = [p - k for k, p in enumerate(drops)]
    return Shadow(folded, shift, text)
