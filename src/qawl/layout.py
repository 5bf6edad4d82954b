"""Sentence and paragraph boundaries over the original text (nothing rewritten).

A sentence ends at . ! ? ؟ … followed by a space, a line break, the end, or
directly by a letter (the run-on ".و" of scraped Arabic news), but not
inside numbers (3.5) or dotted abbreviations (سي.إن.بي.سي، U.S.). A line
break always ends a sentence and a paragraph; so do runs of 3+ spaces, which
scraped bodies use where paragraphs were.
"""

from __future__ import annotations

import re
from typing import final

from mypy_extensions import mypyc_attr

# End punctuation, then either whitespace/end, or a letter that starts a word of 2+ letters
# (".وقال"), excluding single letters followed by another dot (abbreviations). That is
#   (?:(?<!\d)[.](?!\d)|[!?؟…])+["”»“«']?(?=\s|$|\p{L}{2})  |  \n+  |  [ \u00a0]{3,}
# written so that every alternative opens with a literal character (the spaces are matched apart):
# the stdlib engine then skips to candidate characters instead of trying the pattern at every
# position (3x faster than `regex`, same matches on the whole corpus: tests/core/test_layout.py).
# [^\W\d_] is "a letter" for the stdlib engine.
_END_REST = r"(?:[.](?<!\d[.])(?!\d)|[!?؟…])*[\"”»“«']?(?=\s|$|[^\W\d_]{2})"
_SENT_END = re.compile("|".join([r"[.](?<!\d[.])(?!\d)" + _END_REST]
                                + [re.escape(c) + _END_REST for c in "!?؟…"] + [r"\n\n*"]))
# Runs of 3+ spaces are found apart: as an alternative above, every single space would be a
# candidate. "   +" opens with a literal, which the engine finds with its fast substring search.
_SPACE_RUN = re.compile(r"   +")
_SPACE_RUN_NBSP = re.compile(r"[ \u00a0]{3,}")
# A dot glued to the next word ends a sentence only after a real word: "سي.إن.بي.سي" stays whole.
_DOTTED_BEFORE = re.compile(r"\.\w{1,2}$")
_SINGLE_BEFORE = re.compile(r"(?:^|\s)[^\W\d_]$")
_ABBREV_BEFORE = re.compile(r"(?:^|[\s.(«\"“])[^\W\d_]{1,2}$")  # "(آي.بي. أدرس)"
_PARA = re.compile(r"\n\s*|[ \u00a0]{3,}")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, trimmed of surrounding whitespace, covering all non-space text."""
    out: list[tuple[int, int]] = []
    start = 0
    ends = _end_spans(text)
    runs = [m.span() for m in (_SPACE_RUN_NBSP if "\u00a0" in text else _SPACE_RUN).finditer(text)]
    if runs:  # spaces never overlap the punctuation and line breaks matched above
        ends = sorted(ends + runs)
    for ms, me in ends:
        g = text[ms:me]
        if g[-1] == "." and me < len(text) and not text[me].isspace() \
                and _ABBREV_BEFORE.search(text, max(0, ms - 4), ms):
            continue
        if g == "." and (_SINGLE_BEFORE.search(text, max(0, ms - 3), ms)
                         or _DOTTED_BEFORE.search(text, max(0, ms - 6), ms)):
            continue  # "د. محمد"، "(آي.بي. أدرس)"
        end = me if not g.isspace() else ms
        _add(text, start, end, out)
        start = me
    _add(text, start, len(text), out)
    return out


_END_CHARS = ".!?؟…\n"  # the literal each alternative of _SENT_END opens with


def _end_spans(text: str) -> list[tuple[int, int]]:
    """``[m.span() for m in _SENT_END.finditer(text)]``, with the regex tried only where one of the
    characters it must start with stands (``char_positions``); a match is never tried inside the one
    before, as with finditer."""
    out: list[tuple[int, int]] = []
    last = 0
    for p in char_positions(text, _END_CHARS, 0, len(text)):
        if p >= last:
            m = _SENT_END.match(text, p)
            if m is not None:
                out.append(m.span())
                last = m.end()
    return out


def char_positions(text: str, chars: str, start: int, end: int) -> list[int]:
    """Offsets in ``text[start:end]`` of every character in ``chars``, in order. ``str.find`` reaches
    each in C, several times faster than a regex engine testing a character class at every position."""
    out: list[int] = []
    for ch in chars:
        i = text.find(ch, start, end)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1, end)
    out.sort()
    return out


def matches_at(rx: re.Pattern[str], text: str, start: int, end: int, chars: str) -> list[re.Match[str]]:
    """``list(rx.finditer(text, start, end))`` for a regex whose every match starts with one of
    ``chars``: the regex is tried only where those stand, found with ``str.find`` in C (the regex
    engine tests a character class at every position)."""
    out: list[re.Match[str]] = []
    last = start
    for p in char_positions(text, chars, start, end):
        if p >= last:
            m = rx.match(text, p, end)
            if m is not None:
                out.append(m)
                last = max(m.end(), p + 1)
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _PARA.finditer(text):
        _add(text, start, m.start(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


@final
@mypyc_attr(acyclic=True)  # holds no containers: compiled, it skips the cycle collector's bookkeeping
class Tok:
    """A word or punctuation mark: its ``start`` and ``end`` offsets in the folded text and its ``text``.

    A class rather than a ``(start, end, text)`` tuple: compiled, the offsets are stored unboxed in the
    object, so making a token allocates one object instead of three, and reading ``t.start`` is a field
    load where ``t[0]`` type-checks and unpacks the whole tuple. Equality is identity: tokens are
    compared as positions (``a.start == b.start``), never as values.
    """

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text

    def __repr__(self) -> str:
        return f"Tok({self.start}, {self.end}, {self.text!r})"

    def span(self) -> tuple[int, int, str]:
        """The token as a plain ``(start, end, text)`` tuple (for tests and printing)."""
        return (self.start, self.end, self.text)

# Words (letters, digits, marks), single punctuation marks and quotation marks.
_TOKEN = re.compile(r"\w+(?:ـ)?|[^\s\w]")


def tokens(text: str, start: int, end: int) -> list[Tok]:
    """The token (``Tok``) of each word or punctuation mark in ``text[start:end]``."""
    return token_table(text, start, end)[0]


def _class(ch: str) -> int:
    """0 white space (``\\s``), 1 word character (``\\w``), 2 any other mark, 3 a decimal digit (``\\d``,
    also a word character)."""
    return 3 if ch.isdecimal() else 1 if ch.isalnum() or ch == "_" else 0 if ch.isspace() else 2


_CLASS = bytes(_class(chr(o)) for o in range(0x10000))  # the BMP's classes, indexed natively once compiled


def token_table(text: str, start: int, end: int) -> tuple[list[Tok], list[int]]:
    """``tokens(text, start, end)`` and the indexes of the words that hold a decimal digit.

    One pass over the characters, each classed by a table lookup (native code once compiled): a
    word is a run of word characters, every other non-space character a token of its own, exactly
    as ``_TOKEN`` splits. Cheaper than ``str.split`` followed by a search for each chunk's offset.
    """
    out: list[Tok] = []
    digit_toks: list[int] = []
    table = _CLASS
    i = start
    while i < end:
        o = ord(text[i])
        c = table[o] if o < 0x10000 else _class(text[i])
        if c == 0:
            i += 1
        elif c == 2:
            out.append(Tok(i, i + 1, text[i]))
            i += 1
        else:
            digit = c == 3
            j = i + 1
            # the same lookup again, in a loop of its own: one loop with a word-state flag costs 10 %
            # more here (callgrind), and this is the hottest loop of the extraction
            while j < end:
                o = ord(text[j])
                c = table[o] if o < 0x10000 else _class(text[j])
                if c == 1:
                    j += 1
                elif c == 3:
                    digit = True
                    j += 1
                else:
                    break
            if digit:
                digit_toks.append(len(out))
            out.append(Tok(i, j, text[i:j]))
            i = j
    return out, digit_toks


def window(toks: list[Tok], text: str, start: int, end: int) -> list[Tok]:
    """``tokens(text, start, end)`` cut from the document's tokens ``toks``, for a ``start`` where a
    token begins. A word running past ``end`` is cut there, as the regex would."""
    i = first_at(toks, start, 0)
    j = first_at(toks, end, i)
    out = toks[i:j]
    if out and out[-1].end > end:
        s = out[-1].start
        out[-1] = Tok(s, end, text[s:end])
    return out


def first_at(toks: list[Tok], pos: int, lo: int) -> int:
    """Index of the first token from ``lo`` on that starts at or after ``pos`` (a binary search
    on the start offsets, native once compiled, where ``bisect`` would call a key function per step)."""
    hi = len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo
