"""Recognising cues: reporting verbs (with their clitics) and sourcing phrases.

``find_cues`` and ``find_sourcing`` make one compiled pass of the lexicon's regexes over the folded
text. The pipeline, which has the document's tokens already, uses ``hits_in_tokens``: the same hits,
found by dictionary lookups on whole words (``Lexicon.cue_words`` splits each word into proclitic +
form + enclitic the way the regex would), several times cheaper than running the large regex at
every character. Tests hold the two to identical output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qawl.layout import Tok
from qawl.lexicon import CueForm, lexicon, word_shape


@dataclass(slots=True)
class CueHit:
    start: int  # folded offsets, proclitic included
    end: int
    word_start: int  # after the proclitic (و، ف، س …)
    form: CueForm
    enclitic: str  # object pronoun glued to the verb (وطالبته), or ""

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, start: int, end: int, word_start: int, form: CueForm, enclitic: str) -> None:
        self.start = start
        self.end = end
        self.word_start = word_start
        self.form = form
        self.enclitic = enclitic

    @property
    def gender(self) -> str:
        return self.form.gender

    @property
    def number(self) -> str:
        return self.form.number


@dataclass(slots=True)
class SourcingHit:
    start: int
    end: int
    lemma: str

    def __init__(self, start: int, end: int, lemma: str) -> None:
        self.start = start
        self.end = end
        self.lemma = lemma


def find_cues(folded: str) -> list[CueHit]:
    return _cues_between(folded, 0, len(folded))


def _cues_between(folded: str, start: int, end: int) -> list[CueHit]:
    lex = lexicon()
    out = []
    for m in lex.cue_re.finditer(folded, start, end):
        form = lex.cue_forms[m.group("w")]
        pro = m.group("pro")
        # Imperfect-only proclitics on a past form (سقال) are not words.
        if "س" in pro and form.pos != "present":
            continue
        if "ب" in pro and form.pos != "masdar":
            continue
        out.append(CueHit(m.start(), m.end(), m.start("w"), form, m.group("enc") or ""))
    return out


def find_sourcing(folded: str) -> list[SourcingHit]:
    lex = lexicon()
    out = []
    for m in lex.sourcing_re.finditer(folded):
        out.append(_sourcing_hit(m, lex.sourcing_lemmas))
    return out


def _sourcing_hit(m: re.Match[str], lemmas: dict[str, str]) -> SourcingHit:
    w = " ".join(m.group("w").split())
    return SourcingHit(m.start(), m.end(), lemmas.get(w, w))


def hits_in_tokens(folded: str, toks: list[Tok], digit_toks: list[int] | None = None) \
        -> tuple[list[CueHit], list[SourcingHit]]:
    """``(find_cues(folded), find_sourcing(folded))`` from the document's tokens (``qawl.layout.tokens``
    over all of it; ``digit_toks`` the indexes of those holding a decimal digit), in one pass over them."""
    lex = lexicon()
    words = lex.cue_words
    shapes = lex.cue_shapes
    openers = lex.sourcing_openers
    glued = lex.sourcing_glued
    cues: list[CueHit] = []
    sources: list[SourcingHit] = []
    if digit_toks is None:
        digit_toks = [k for k, t in enumerate(toks) if any(ch.isdecimal() for ch in t.text)]
    # Only a word holding a digit can hide a cue or a phrase inside it ("2قال"): in any other word
    # every character is a letter to the regexes ([^\W\d_]), so a match there is the whole word.
    di = 0
    done = 0  # like finditer, a sourcing match never starts inside the previous one
    prev_end = -1  # end of the token before, when it was "ثم"
    for k in range(len(toks)):
        t = toks[k]
        w = t.text
        if len(w) < 2:  # a mark or a lone letter or digit: no cue or phrase is one character long
            prev_end = -1
            if di < len(digit_toks) and digit_toks[di] == k:
                di += 1
            continue
        h = word_shape(w)  # the small bitmap first: most words stop there, spared the large table
        split = words.get(w) if shapes[h >> 3] >> (h & 7) & 1 else None
        if split is not None:
            pro, form, enc = split
            start = t.start
            # "ثم قال": the regex takes ثم + one space as a proclitic when the word needs no و/ف
            if prev_end + 1 == start and prev_end >= 0 and folded[prev_end].isspace() and pro in ("", "ل", "ب"):
                start = prev_end - 2
            if "ب" not in pro or form.pos == "masdar":
                cues.append(CueHit(start, t.end, t.start + len(pro), form, enc))
        prev_end = t.end if w == "ثم" else -1
        # letters after digits ("2قال"): the boundary is inside the word, so ask the regexes there
        digits = False
        if di < len(digit_toks) and digit_toks[di] == k:
            di += 1
            digits = split is None and w.isalnum() and not w.isdigit()  # a bare number holds no letter
            if digits:
                cues.extend(_cues_between(folded, t.start, t.end))
        if t.start < done:
            continue
        if w in openers or glued and w.startswith(glued):  # a phrase's first word stands alone
            pos = [t.start]
        elif digits:
            pos = [i for i in range(t.start, t.end) if folded[i].isalpha()
                   and (i == t.start or not folded[i - 1].isalpha())]
        else:
            continue
        for i in pos:
            if i >= done:
                m = lex.sourcing_re.match(folded, i)
                if m is not None:
                    sources.append(_sourcing_hit(m, lex.sourcing_lemmas))
                    done = m.end()
    return cues, sources
