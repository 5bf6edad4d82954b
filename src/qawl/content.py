"""Content: where the reported material starts after a cue, where it ends, and its kind.

Direct content is the inside of quotation marks; indirect content runs from
the complementizer (إن/أن/بأن…) or the frame preposition (إلى أن، على أن، بـ)
to the end of the reported clause; mixed is indirect content carrying quoted
fragments. A quotation that fills the whole clause after the complementizer,
or first-person speech after a colon, is direct.
"""

from __future__ import annotations

from dataclasses import dataclass

from qawl.layout import Tok
from qawl.lexicon import lexicon
from qawl.quotes import Quote

THAT = frozenset({
    "ان", "انه", "انها", "انهم", "انهما", "اننا", "انني", "انكم", "انهن", "انما", "اني",
    "بان", "بانه", "بانها", "بانهم", "بانهما", "باننا", "بانني", "بانكم", "بالا", "الا",
    "فان", "وان", "وانه", "وانها",
})
QUESTION = frozenset({"عما", "هل", "لماذا", "كيف", "متي", "اين", "عن", "ما", "وهل"})
_B_STOP = frozenset({"بعد", "بين", "بينما", "بسبب", "بشان", "بدوره", "بدورها", "بدورهم", "بل", "بها", "به", "بهم",
                     "بكل", "بعض", "بشكل", "بصوره", "بينهم", "بينها", "بلاده", "بلادها", "بات", "باتت", "بقي", "بحسب",
                     "بعدما", "بدلا", "بنسبه", "بقيمه", "بحضور", "بمناسبه", "برئاسه", "بواسطه", "بفضل", "بجانب",
                     "باسم", "باسمه", "باسمها"})
# Names of things in quotation marks: not content (لـ "غلوبو سبورت"، صحيفة "الحياة").
_NAME_BEFORE_QUOTE = frozenset({
    "ل", "لـ", "ب", "بـ", "صحيفه", "محطه", "محطتي", "وكاله", "قناه", "برنامج", "حركه", "حزب", "موقع", "منتدي",
    "هاشتاق", "هاشتاغ", "وسم", "عنوان", "مجله", "شركه", "مبادره", "حمله", "مسلسل", "فيلم", "كتاب", "تطبيق",
    "جمعيه", "مهرجان", "مشروع", "عمليه", "منصه", "شبكه", "اذاعه", "تلفزيون", "مجموعه", "تنظيم", "جماعه",
    "مصطلح", "كلمه", "لقب", "اسم", "شعار", "بعنوان", "تحت", "وثيقه", "مؤسسه", "فريق", "نادي",
})


@dataclass(slots=True)
class Marker:
    index: int  # token index in the clause tokens
    pos: int  # folded offset where content starts (the marker itself is included)
    kind: str  # that | colon | quote | prep | question

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, index: int, pos: int, kind: str) -> None:
        self.index = index
        self.pos = pos
        self.kind = kind


def _quote_at(quotes_by_start: dict[int, Quote], pos: int) -> Quote | None:
    return quotes_by_start.get(pos)


def find_marker(toks: list[Tok], start: int, frames: frozenset[str], quotes_by_start: dict[int, Quote],
                given_names: frozenset[str], max_tokens: int = 28) -> Marker | None:
    """The first token after ``start`` (a token index) that can open content for these frames."""
    limit = min(len(toks), start + 2 * max_tokens)
    n_words = 0
    for i in range(start, limit):
        t = toks[i]
        s, e, w = t.start, t.end, t.text
        if w.isalnum():
            n_words += 1
            if n_words > max_tokens:
                return None
        if w in (".", "!", "؟", "?", "\n") and not (w == "." and i > 0 and len(toks[i - 1].text) == 1):
            return None  # ("د. المزروع" goes on)
        if w == ":" and "colon" in frames:
            if i > 0 and toks[i - 1].text in _NAME_BEFORE_QUOTE:
                continue  # "تحت عنوان: …" introduces a title, not speech
            return Marker(i, e, "colon")
        if w in "\"“”«»„" and ("quote" in frames or "colon" in frames):
            q = _quote_at(quotes_by_start, s)
            if q is None:
                continue
            prev = toks[i - 1].text if i > 0 else ""
            inner_words = len(toks_between(toks, i, q.end))
            if prev in _NAME_BEFORE_QUOTE or prev.startswith("ل") and len(prev) <= 2 \
                    or prev == ":" and i > 1 and toks[i - 2].text in _NAME_BEFORE_QUOTE:
                continue
            if inner_words <= 3 and i + 1 < len(toks) and _more_after(toks, q.end, limit) or inner_words <= 1:
                continue  # a short quoted name inside the speaker phrase (واختتم "الربيعي" حديثه)
            return Marker(i, s, "quote")
        if w == "فان" and i > start and toks[i - 1].text not in ("،", ",", ":"):
            continue  # "وكيل أعمال فان مارفيك": a name; "فإن" opens content only after a pause
        if w in THAT and ("that" in frames or w in ("بان", "بانه", "بانها", "بالا") and "ب" in frames):
            if w == "الا" and i > start and toks[i - 1].text not in ("علي", "الي", "من"):
                continue
            return Marker(i, s, "that")
        if w == "عن" and "عن+statement" in frames and i + 1 < len(toks) and statement_noun(toks[i + 1].text):
            return Marker(i, s, "prep")  # "تراجعت الشركة عن تأكيد الخبر"
        if w == "علي" and _name_ali(toks, i, start, given_names):
            continue  # "أكد فرج علي مدير عام النقل أن …": the name علي, not the preposition على
        if w == "علي" and i + 1 < len(toks) and (toks[i + 1].text == "هامش"
                                                  or lexicon().channels_re.fullmatch(toks[i + 1].text)):
            continue  # "عبر موقعه على الإنترنت أنه …"، "على هامش المؤتمر": where it was said, not what
        if w == "الي" and "إلى" in frames or w == "علي" and "على" in frames or w == "عن" and "عن" in frames \
                or w == "من" and "من" in frames:
            if i + 2 < len(toks) and toks[i + 1].text == "القول" and toks[i + 2].text in THAT:
                return Marker(i + 2, toks[i + 2].start, "that")  # "شدد على القول إن …": the clause is the content
            if "that" in frames and _name_then_that(toks, i + 1, limit, given_names):
                continue  # "أكد … والمشرف على فريق الكرة مروان دفتردار أن …": the PP is in the description
            return Marker(i, s, "prep")
        if w == "بالقول" and i + 1 < len(toks) and toks[i + 1].text in THAT:
            continue  # "اكتفى بالقول إن …"
        if "q" in frames and w in QUESTION:
            return Marker(i, s, "question")
        # ب + a verbal noun (بإجراء، بالقيام، بمغادرة، بتوضيح، بضرورة، بعدم): the content of طالب/وعد/هدد …
        if "ب" in frames and w.startswith("ب") and (len(w) >= 4 or w in ("بما", "بان")) and w not in _B_STOP \
                and (w[1:2] in "امتضعا" or w[1:] in lexicon().cue_forms) and w[1:] not in given_names \
                and (w,) not in lexicon().places:  # "دعت باكستان …"، "باريس": a place, not ب + a verbal noun
            return Marker(i, s, "prep")
    return None


def _name_ali(toks: list[Tok], i: int, start: int, given_names: frozenset[str]) -> bool:
    """Folded ``علي`` is both the name Ali and the preposition على. Right after a word (not a mark) and
    before an indefinite title (``فرج علي مدير عام …``) it is the name; after a given name, also before
    another name or a comma."""
    if i <= start or i + 1 >= len(toks) or not toks[i - 1].text.isalpha():
        return False
    nxt = toks[i + 1].text
    if nxt in lexicon().titles and not nxt.startswith("ال"):
        return True
    return toks[i - 1].text in given_names and (nxt in ("،", ",") or nxt in given_names)


_POSSESSIVE = ("هما", "هم", "ها", "ه")


def statement_noun(w: str, *, possessed: bool = False) -> bool:
    """Is ``w`` (folded) a noun for something said (data/statement_nouns.txt and the cues' verbal nouns):
    تأكيد، الاتهامات، تصريحاته، روايته؟ With ``possessed``, only with a possessive pronoun (قوله، تعبيرها)."""
    nouns = lexicon().statement_nouns
    if not possessed:
        if w.startswith("ال"):
            w = w[2:]
        if w in nouns:
            return True
    for suffix in _POSSESSIVE:
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            stem = w[: -len(suffix)]
            # a feminine noun shows its ta marbuta before the pronoun: روايته → روايه
            return stem in nouns or stem.endswith("ت") and stem[:-1] + "ه" in nouns
    return False


def _name_then_that(toks: list[Tok], i: int, limit: int, given_names: frozenset[str]) -> bool:
    """Does a given name, then a complementizer, follow within a few words (before any clause end)?"""
    seen_name = False
    for t in toks[i:min(limit, i + 12)]:
        w = t.text
        if w in given_names:
            seen_name = True
        elif w in THAT:
            return seen_name
        elif w in (".", "؟", "?", "!", "،", ",", ":"):
            return False
    return False


def toks_between(toks: list[Tok], i: int, end: int) -> list[Tok]:
    out = []
    for t in toks[i + 1:]:
        if t.start >= end:
            break
        if t.text.isalnum():
            out.append(t)
    return out


def _more_after(toks: list[Tok], pos: int, limit: int) -> bool:
    """Is there a complementizer after ``pos`` within the clause? Then a short quote was a name."""
    for t in toks[:limit]:
        w = t.text
        if t.start < pos:
            continue
        if w in THAT or w == ":":
            return True
        if w in (".", "؟", "?", "!"):
            return False
    return False


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop whitespace and closing punctuation at the edges of a content span."""
    while s < e and (text[s].isspace() or text[s] in "،,:؛;-–—"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".،,:؛;!؟?-–—…)("):
        e -= 1
    return s, e


_NAME_NOUNS = _NAME_BEFORE_QUOTE - {"ل", "لـ", "ب", "بـ"}


def _name_quote(folded: str, q: Quote) -> bool:
    """Quotation marks around a name ("حزب "الأمة""، "جالكسي أس6"), not around quoted speech."""
    a, b = q.inner
    inner = folded[a:b]
    words = inner.split()
    if any(ch.isdigit() for ch in inner) and len(words) <= 3:
        return True
    if len(words) == 1 and words[0][:1] not in "وفب":
        return True  # a single quoted word is a term or a name ("داعش"، "الماسية"), not a speech fragment
    before = folded[max(0, q.start - 20):q.start].split()
    return bool(before) and before[-1] in _NAME_NOUNS and len(inner.split(None, 4)) <= 4


def classify(folded: str, s: int, e: int, quotes: list[Quote]) -> tuple[str, int, int]:
    """Kind and final span of content starting at ``s`` and ending at ``e`` (folded offsets).

    A quotation that fills the clause (after an optional complementizer) is
    direct, its span the inside of the marks; quoted fragments make it mixed.
    """
    inside = [q for q in quotes if q.start >= s and q.start < e and not _name_quote(folded, q)]
    if not inside:
        return "indirect", s, e
    q = inside[0]
    lead = folded[s:q.start].split()
    tail = folded[q.end:e].strip(" .،,:؛!؟?\n\"“”«»")
    if len(inside) == 1 and len(lead) <= 1 and (not lead or lead[0] in THAT or lead[0] in ("الي", "علي")) \
            and not tail:
        a, b = q.inner
        return "direct", a, b
    words_q = sum(len(folded[x.inner[0]:x.inner[1]].split()) for x in inside)
    return ("mixed" if words_q < len(folded[s:e].split()) else "direct"), s, e
