"""Linguistic knowledge loaded from the data files under ``qawl/data``.

Cue verbs are listed once per lemma in ``cues.tsv``; their inflected forms
(perfect, imperfect, participle, masdar) are generated here, and clitics are
left to the matcher's regex. Everything is matched on folded text
(``qawl.normalize.fold``), so the forms here are folded too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from mypy_extensions import mypyc_attr

from qawl.datafiles import read_text
from qawl.normalize import fold

# Participles that are far more often ordinary nouns (طالب "student", كاتب "writer").
_NOUN_PARTICIPLES = {"متحدث", "طالب", "كاتب", "معلم", "مدع", "عاد", "مقر", "مرجع", "راد", "خالص", "مجمع",
                     "سائل", "مجيب", "مفيد", "ناقل", "خاتم", "ذاكر", "راو", "رائي", "مبلغ", "مخبر", "مرجح"}
_NOUN_MASDARS = {"اضافه", "اشاره", "اعلان", "نفي", "طلب", "انتقاد", "سوال", "تساول", "تعليق", "رفض", "تاكيد"}


# Acyclic (compiled: not tracked by the cycle collector): then the 97,000 tuples of
# Lexicon.cue_words that hold a form are untracked too, and a full collection no longer walks them.
@mypyc_attr(acyclic=True)
@dataclass(frozen=True, slots=True)
class CueForm:
    lemma: str
    pos: str  # past | present | participle | masdar
    gender: str  # m | f | ? (unknown)
    number: str  # s | d | p
    frames: frozenset[str]
    cls: str


def _data(name: str) -> str:
    return read_text(name)


def _rows(name: str) -> list[list[str]]:
    out = []
    for line in _data(name).splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(line.rstrip("\n").split("\t"))
    return out


def _defective(past: str) -> bool:
    return past.endswith(("ا", "ي"))


def generate_forms(lemma: str, past: str, present: str, participle: str, masdars: list[str],
                   frames: frozenset[str], cls: str) -> dict[str, CueForm]:
    """All surface forms (folded, without clitics) of one cue lemma."""
    forms: dict[str, CueForm] = {}

    def add(w: str, pos: str, g: str, n: str, fr: frozenset[str] = frames) -> None:
        w = fold(w)
        if len(w) >= 2 and w not in forms:
            forms[w] = CueForm(lemma, pos, g, n, fr, cls)

    p = fold(past)
    if p:
        if _defective(p):
            b = p[:-1]
            add(p, "past", "m", "s")
            add(b + "ت", "past", "f", "s")
            add(b + "وا", "past", "m", "p")
            add(b + "يا", "past", "m", "d")
            add(b + "تا", "past", "f", "d")
        else:
            add(p, "past", "m", "s")
            add(p + "ت", "past", "f", "s")
            add(p + "وا", "past", "m", "p")
            # no dual "طلبا": it collides with the accusative noun "طلباً", far more frequent
        # Plural past before an object pronoun loses its alef: سألوا + ه -> سألوه.
        stem_p = p[:-1] + "و" if _defective(p) else p + "و"
        for enc in ("ه", "ها", "هم"):
            add(stem_p + enc, "past", "m", "p")
    s = fold(present)
    if s:
        plural = (s[:-1] if s.endswith(("و", "ي")) else s) + "ون"
        # No future (سيقول): a forecast of speech is not a report of it.
        add("ي" + s, "present", "m", "s")
        add("ت" + s, "present", "f", "s")
        add("ي" + plural, "present", "m", "p")
        add("ي" + s + "ان", "present", "m", "d")
    a = fold(participle)
    if a and a not in _NOUN_PARTICIPLES:
        if _defective(p) or a.endswith(("ع", "ف", "ز", "و", "ض", "ص", "د")) and _defective(p):
            # the bare participle (موضح) is an adjective far more often than a cue; cues carry -اً/-ة
            add(a + "يا", "participle", "m", "s")
            add(a + "يه", "participle", "f", "s")
            add(a + "ين", "participle", "m", "p")
        else:
            add(a + "ا", "participle", "m", "s")
            add(a + "ه", "participle", "f", "s")
            add(a + "ين", "participle", "m", "p")
            add(a + "ون", "participle", "m", "p")
            add(a + "تين", "participle", "f", "d")
    for m in masdars:
        m = fold(m)
        if m and m not in _NOUN_MASDARS:
            add(m, "masdar", "?", "s", frames - {"obj", "colon", "quote"} | {"that"})
    return forms


# Object pronouns a cue verb may carry (وطالبته), longest first as the regex tries them.
ENCLITICS = ("هما", "هم", "هن", "ها", "ه", "ني", "نا", "كم", "ك")

_TRIE_END = ""


def trie_pattern(words: list[str]) -> str:
    """A regex alternation shaped as a trie: one compiled pass, no backtracking across words."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[_TRIE_END] = True

    def emit(node: dict) -> str:
        end = _TRIE_END in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != _TRIE_END]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if end else body

    return emit(trie)


# Proclitics in the order the cue regex prefers them (both groups lazy): none, ل/ب, و/ف, then both.
PROCLITICS = ("", "ل", "ب", "و", "ف", "ول", "وب", "فل", "فب")


def cue_words(forms: dict[str, CueForm]) -> dict[str, tuple[str, CueForm, str]]:
    """Every clitic-bearing surface of the forms, each split the way the cue regex splits it: the
    first proclitic in ``PROCLITICS`` order, then the longest form, the enclitic taking the rest."""
    out: dict[str, tuple[str, CueForm, str]] = {}
    for pro in PROCLITICS:
        for enc in ("",) + ENCLITICS:  # for one proclitic, the longer form (no enclitic) first
            for w, f in forms.items():
                out.setdefault(pro + w + enc, (pro, f, enc))
    return out


def word_shape(w: str) -> int:
    """A 20-bit hash of a word's first two and last two characters and its length (``len(w) >= 2``).

    ``Lexicon.cue_shapes`` holds one bit per shape of a cue word. The words of an article are looked
    up there first: the bitmap (128 KB) stays in the processor's cache, while a lookup in the large
    ``cue_words`` table (97,000 words) mostly misses it, and only about one word in twelve gets past."""
    n = len(w)
    # masked at each step: compiled, a product of operands below 2**30 stays a native multiply
    h = (ord(w[0]) * 131 + ord(w[1])) & 0xFFFFF
    h = (h * 131 + ord(w[n - 2])) & 0xFFFFF
    h = (h * 131 + ord(w[n - 1])) & 0xFFFFF
    return (h * 131 + n) & 0xFFFFF


def shape_bits(words: Iterable[str]) -> bytes:
    """The bitmap of ``word_shape`` over ``words`` (each at least two characters long)."""
    bits = bytearray(1 << 17)
    for w in words:
        h = word_shape(w)
        bits[h >> 3] |= 1 << (h & 7)
    return bytes(bits)


@dataclass(frozen=True, slots=True)
class Lexicon:
    cue_forms: dict[str, CueForm]
    cue_re: re.Pattern[str]
    sourcing_re: re.Pattern[str]
    sourcing_lemmas: dict[str, str]
    titles: frozenset[str]  # folded, with and without ال
    genitive_titles: frozenset[str]
    sources: frozenset[str]  # described sources, folded, with and without ال
    channels_re: re.Pattern[str]
    given_names: frozenset[str]
    statement_nouns: frozenset[str] = frozenset()  # folded, bare (no article, no possessive)
    org_heads: frozenset[str] = frozenset()  # folded, as they may appear (with or without ال)
    not_sources: frozenset[str] = frozenset()  # folded, bare: "حسب الحاجة" is "as needed", not a source
    places: frozenset[tuple[str, ...]] = frozenset()  # folded words of each place name ("تل", "ابيب")
    # every whole word that is a cue: proclitic + form + enclitic, split as the regex would split it
    cue_words: dict[str, tuple[str, CueForm, str]] = field(default_factory=dict)
    sourcing_openers: frozenset[str] = frozenset()  # first words of sourcing phrases, with و/ف too
    sourcing_glued: tuple[str, ...] = ()  # one-word phrases ending in ل, which may be glued to a noun
    cue_shapes: bytes = bytes(1 << 17)  # shape_bits(cue_words): a word whose bit is clear is no cue word


def _with_article(words: set[str]) -> set[str]:
    out = set()
    for w in words:
        out.add(w)
        if w.startswith("ال"):
            out.add(w[2:])
        else:
            out.add("ال" + w)
    return out


@cache
def lexicon() -> Lexicon:
    forms: dict[str, CueForm] = {}
    statements: set[str] = set()
    for row in _rows("cues.tsv"):
        row += [""] * (7 - len(row))
        lemma, past, present, participle, masdar, frames, cls = row[:7]
        fr = frozenset(f.strip() for f in frames.split(",") if f.strip())
        ms = [m.strip() for m in masdar.split(",") if m.strip()]
        statements |= {fold(m) for m in ms}  # every verbal noun of a cue, even those too ambiguous to be cues
        for w, f in generate_forms(lemma, past, present, participle, ms, fr, cls or "speech").items():
            forms.setdefault(w, f)
    # Lazy proclitics so that a stem that itself starts with و (وعد، وصف) wins over و + shorter stem.
    # The stdlib engine runs this large trie alternation an order of magnitude faster than `regex`
    # (measured on the corpus); [^\W\d_] is "a letter" for it. The text is folded, so no marks remain.
    cue_re = re.compile(
        r"(?<![^\W\d_])(?P<pro>(?:[وف]|ثم\s)??(?:[لب])??)(?P<w>" + trie_pattern(sorted(forms)) + r")"
        r"(?P<enc>" + "|".join(ENCLITICS) + r")?(?![^\W\d_])"
    )
    src_rows = _rows("sourcing.tsv")
    src_lemmas = {fold(r[0]): fold(r[1] if len(r) > 1 else r[0]) for r in src_rows}
    phrases = sorted(src_lemmas, key=len, reverse=True)
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("ل$", "ل") for p in phrases)
    # a phrase ending in ل may be glued to its noun (وفقاً للنص); any other must end at a word boundary
    sourcing_re = re.compile(r"(?<![^\W\d_])(?P<pro>[وف]??)(?P<w>" + alts + r")(?:(?<=ل)ـ?|(?![^\W\d_]))")

    titles: set[str] = set()
    gen: set[str] = set()
    for line in _data("titles.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        star = line.endswith("*")
        t = fold(line.rstrip("*").strip())
        variants = {t}
        if " " not in t:
            variants |= {t + "ه", t + "ون", t + "ين"}
        variants = _with_article(variants)
        titles |= variants
        if star:
            gen |= variants
    sources: set[str] = set()
    for line in _data("sources.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            sources |= _with_article({fold(w.strip()) for w in line.split(",") if w.strip()})
    chans: list[str] = []
    for line in _data("channels.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            chans += [fold(w.strip()) for w in line.split(",") if w.strip()]
    chan_alts = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(set(chans), key=len, reverse=True))
    channels_re = re.compile(r"(?<![^\W\d_])(?:ال)?(?:" + chan_alts + r")(?:ه|ها|هم|هما|ات)?(?![^\W\d_])")
    names: set[str] = set()
    for line in _data("given_names.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            names |= {fold(w) for w in line.split()}
    statements |= {fold(w) for line in _data("statement_nouns.txt").splitlines()
                   if not line.startswith("#") for w in line.split()}
    orgs: set[str] = set()
    for line in _data("org_heads.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            for w in line.split():
                w = fold(w)
                orgs |= {w} if w.startswith("ال") else {w, "ال" + w}
    words = cue_words(forms)
    return Lexicon(forms, cue_re, sourcing_re, src_lemmas, frozenset(titles), frozenset(gen),
                   frozenset(sources), channels_re, frozenset(names), frozenset(statements), frozenset(orgs),
                   frozenset(fold(w) for line in _data("not_sources.txt").splitlines()
                             if not line.startswith("#") for w in line.split()),
                   frozenset(tuple(fold(line).split()) for line in _data("places.txt").splitlines()
                             if line.strip() and not line.startswith("#")),
                   words,
                   frozenset(pro + p.split()[0] for p in phrases for pro in ("", "و", "ف")),
                   tuple(pro + p for p in phrases if " " not in p and p.endswith("ل") for pro in ("", "و", "ف")),
                   shape_bits(words))
