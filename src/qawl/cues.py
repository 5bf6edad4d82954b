"""Recognising cues: reporting verbs (with their clitics) and sourcing phrases.

One compiled pass of the lexicon's trie regex over the folded text.
"""

from __future__ import annotations

from dataclasses import dataclass

from qawl.lexicon import CueForm, lexicon


@dataclass(frozen=True, slots=True)
class CueHit:
    start: int  # folded offsets, proclitic included
    end: int
    word_start: int  # after the proclitic (و، ف، س …)
    form: CueForm
    enclitic: str  # object pronoun glued to the verb (وطالبته), or ""

    @property
    def gender(self) -> str:
        return self.form.gender

    @property
    def number(self) -> str:
        return self.form.number


@dataclass(frozen=True, slots=True)
class SourcingHit:
    start: int
    end: int
    lemma: str


def find_cues(folded: str) -> list[CueHit]:
    lex = lexicon()
    out = []
    for m in lex.cue_re.finditer(folded):
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
        w = " ".join(m.group("w").split())
        out.append(SourcingHit(m.start(), m.end(), lex.sourcing_lemmas.get(w, w)))
    return out
