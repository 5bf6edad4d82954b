"""Quotation spans: “…”, «…», "…", reversed ”…“, mismatched (لـ”ترويج”, ل»الرياض») and unbalanced.

One left-to-right pass over the quotation marks. A quote may run over
sentences and paragraphs; when a paragraph ends with a quote still open, the
quote continues only if the next paragraph opens with a mark (the print
convention for multi-paragraph quotations), otherwise it is closed at the
paragraph end. Never fails on an odd number of marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from qawl.layout import char_positions

OPENERS = "“«„‹"
CLOSERS = "”»‟›"
AMBIGUOUS = '"'
_MARKS = "\"“”«»„‟‹›\n"  # quotation marks and the line breaks that cut unclosed quotations
_MAX_QUOTE = 6000  # a quote longer than this is a lost mark, not a quotation


@dataclass(slots=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or of the cut-off point when unclosed)
    closed: bool

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, start: int, end: int, closed: bool) -> None:
        self.start = start
        self.end = end
        self.closed = closed

    @property
    def inner(self) -> tuple[int, int]:
        """Span of the quoted words, marks excluded."""
        e = self.end - 1 if self.closed else self.end
        return self.start + 1, max(self.start + 1, e)


def _pairs(open_ch: str, close_ch: str) -> bool:
    if open_ch == AMBIGUOUS:
        return close_ch == AMBIGUOUS
    if open_ch == "«":
        return close_ch in "»«"
    if open_ch == "»":  # mismatched ل»الرياض»
        return close_ch in "»«"
    if open_ch in "“„":
        return close_ch in "”“‟"
    if open_ch == "”":  # reversed ”…“ or mismatched لـ”ترويج”
        return close_ch in "“”"
    if open_ch == "‹":
        return close_ch == "›"
    return close_ch in CLOSERS


def find_quotes(text: str) -> list[Quote]:
    """All top-level quotations in ``text``, in order, non-overlapping."""
    out: list[Quote] = []
    open_at = -1
    open_ch = ""
    depth = 0  # nested quotations of the same mark: "… "name" …"
    for i in char_positions(text, _MARKS, 0, len(text)):
        ch = text[i]
        if ch == "\n":
            if open_at >= 0:
                j = i
                while j < len(text) and text[j] in " \t\r\n\u00a0":
                    j += 1
                if j < len(text) and text[j] in OPENERS + AMBIGUOUS + "”»":
                    continue  # multi-paragraph quotation: the next paragraph reopens it
                if i > open_at + 1:
                    out.append(Quote(open_at, _trim_end(text, open_at, i), False))
                open_at = -1
            continue
        if open_at < 0:
            if ch == '"' and _looks_closing(text, i):
                continue  # a stray closing mark (its opener was lost): do not open here
            if ch in OPENERS or ch in AMBIGUOUS or ch in "”»":
                open_at, open_ch, depth = i, ch, 0
            continue
        if ch == open_ch and ch in '"«' and _looks_opening(text, i):
            depth += 1
            continue
        if i - open_at > _MAX_QUOTE:
            out.append(Quote(open_at, _trim_end(text, open_at, i), False))
            open_at, open_ch = (i, ch) if ch not in CLOSERS else (-1, "")
            continue
        if _pairs(open_ch, ch) and _glued_opener(text, i):
            depth += 1  # "فـ”فيس بوك”" inside a quotation: a mismatched opening mark, not the close
            continue
        if _pairs(open_ch, ch):
            # A paragraph-reopening mark right after a newline is not a closer.
            k = i - 1
            while k > open_at and text[k] in " \t\r\u00a0":
                k -= 1
            if text[k] == "\n":
                continue
            if depth > 0 and (ch != "»" or open_ch == "«"):
                depth -= 1
                continue
            if i > open_at + 1:
                out.append(Quote(open_at, i + 1, True))
            open_at = -1
        # an unrelated mark inside an open quote (nested or stray) is left alone
    if open_at >= 0 and len(text) > open_at + 1:
        out.append(Quote(open_at, _trim_end(text, open_at, len(text)), False))
    return out


def _looks_opening(text: str, i: int) -> bool:
    """A mark after a space (or bracket) and before a letter opens a quotation."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "(،,:") and after.isalpha()


def _looks_closing(text: str, i: int) -> bool:
    """A straight mark after a word and before a space, punctuation or the end closes a quotation."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isalnum() or before in ".!؟?") and not after.isalnum()


def _glued_opener(text: str, i: int) -> bool:
    """A mark glued after a proclitic (بـ”، لـ"، فـ”) opens a nested quotation."""
    if i < 2 or i + 1 >= len(text) or not text[i + 1].isalpha():
        return False
    if text[i - 1] == "ـ":
        return True
    return text[i - 1] in "فبلوك" and (i < 2 or not text[i - 2].isalpha())


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1] in " \t\r\n\u00a0":
        end -= 1
    return end
