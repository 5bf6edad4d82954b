"""The extraction pipeline: text in, `qawl/1` Document out. Pure; no I/O.

Stages, in order (one module each):
 1. normalize.shadow  — folded copy of the text with an offset map
 2. captions          — captions, credits, datelines, boilerplate (excluded)
 3. layout            — sentences and tokens
 4. quotes            — quotation spans
 5. cues              — reporting verbs and sourcing phrases
 6. content           — content start marker, end and kind
 7. speaker           — speaker noun phrase, addressee, channel; salience for dropped subjects
 8. entities          — mentions grouped into entities, fullest name
 9. timeexpr          — time of the statement, resolved against ``published``
10. confidence
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from qawl.captions import find_captions
from qawl.content import THAT, Marker, classify, find_marker, statement_noun, trim
from qawl.cues import CueHit, SourcingHit, hits_in_tokens
from qawl.entities import EntityTable
from qawl.layout import Tok, first_at, matches_at, sentences, token_table, window
from qawl.lexicon import Lexicon, lexicon
from qawl.model import Attribution, Cue, Document, Part, Speaker
from qawl.normalize import Shadow, key_fold, shadow, strip_article
from qawl.quotes import Quote, find_quotes
from qawl.speaker import (
    _L_STOP,
    _PARTICLES,
    PREPOSITIONS,
    QUANTIFIERS,
    RELATIVES,
    TIME_WORDS,
    NounPhrase,
    Salience,
    l_complement,
    noun_phrase,
    parse_stretch,
    place_length,
    preverbal_subject,
    split_object,
)
from qawl.timeexpr import anchor_starts, find_times

# Stored with every extraction; bump when output can change so `qawl reindex` redoes old articles.
EXTRACTOR_VERSION = "0.4.1"

_MAX_TEXT = 5_000_000  # characters; longer input is processed in its first part only


@dataclass(slots=True)
class _Raw:
    """An attribution in folded coordinates, before entities and offsets are finalised."""

    cue_start: int
    cue_end: int
    lemma: str
    kind: str
    c_start: int
    c_end: int
    speaker_np: NounPhrase | None
    entity: int | None
    addressee: tuple[int, int] | None = None
    channel: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    explicit: bool = False
    how: str = "np"  # np | preverbal | postposed | dropped | according
    stretch_end: int = 0
    extra: dict = field(default_factory=dict)

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, cue_start: int, cue_end: int, lemma: str, kind: str, c_start: int, c_end: int,
                 speaker_np: NounPhrase | None, entity: int | None, addressee: tuple[int, int] | None = None,
                 channel: tuple[int, int] | None = None, source: tuple[int, int] | None = None,
                 explicit: bool = False, how: str = "np", stretch_end: int = 0, extra: dict | None = None) -> None:
        self.cue_start = cue_start
        self.cue_end = cue_end
        self.lemma = lemma
        self.kind = kind
        self.c_start = c_start
        self.c_end = c_end
        self.speaker_np = speaker_np
        self.entity = entity
        self.addressee = addressee
        self.channel = channel
        self.source = source
        self.explicit = explicit
        self.how = how
        self.stretch_end = stretch_end
        self.extra = {} if extra is None else extra


class _Doc:
    """Per-document working state shared by the stages."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sh: Shadow = shadow(text)
        self.f = self.sh.text
        self.sents = sentences(self.f)
        # every token once; sentences take slices
        self.all_toks, digit_toks = token_table(self.f, 0, len(self.f))
        self.sent_starts = [s for s, _ in self.sents]
        self._toks: dict[int, list[Tok]] = {}
        self.quotes = find_quotes(self.f)
        self.q_by_start = {q.start: q for q in self.quotes}
        self.q_starts = [q.start for q in self.quotes]
        self.cue_hits, self.sourcing = hits_in_tokens(self.f, self.all_toks, digit_toks)
        self.entities = EntityTable()
        self.salience = Salience()
        self.subj_next = 0  # sentences before this one have had their subjects made salient
        self.nested = False  # the cue being resolved lies inside earlier reported content
        self.reported: set[int] = set()  # folded offsets of cues that gave an attribution
        self.last_raw: _Raw | None = None  # the latest verb report

    def sent_index(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def toks(self, si: int) -> list[Tok]:
        t = self._toks.get(si)
        if t is None:
            s, e = self.sents[si]
            t = self._toks[si] = self.window(s, min(e, s + 4000))  # a run-on "sentence" is cut
        return t

    def window(self, start: int, end: int) -> list[Tok]:
        """The tokens of ``f[start:end]`` (``start`` a sentence start)."""
        return window(self.all_toks, self.f, start, end)

    def quote_containing(self, pos: int) -> Quote | None:
        i = bisect_right(self.q_starts, pos) - 1
        if i >= 0:
            q = self.quotes[i]
            if q.start < pos < q.end:
                return q
        return None

    def orig(self, s: int, e: int) -> tuple[int, int]:
        return self.sh.span_to_orig(s, e)


def extract(text: str, *, published: str | None = None, lang: str | None = None, id: str | None = None,
            meta: dict | None = None) -> Document:
    """Return every attribution in one article as a `qawl/1` Document (``qawl.extract`` checks the types)."""
    doc = Document(text=text, id=id, lang=lang or "ar", published=published, meta=dict(meta or {}))
    if not text.strip():
        return doc
    work_text = text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT]
    d = _Doc(work_text)
    doc.captions = find_captions(work_text)
    excluded = sorted(c.span for c in doc.captions)
    raws = _verb_attributions(d, excluded)
    raws = _according(d, raws, excluded)
    raws = _resolve_overlaps(raws)
    _cut_at_narration(d, raws)
    _finish(d, doc, raws, published)
    return doc


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    for s, e in spans:
        if s <= pos < e:
            return True
        if s > pos:
            break
    return False


def _clause_end(d: _Doc, start: int, sent_end: int, stops: list[int]) -> int:
    """End of reported material starting at ``start``: the sentence end or the next cue's clause."""
    e = sent_end
    i = bisect_right(stops, start)
    if i < len(stops) and stops[i] < e:
        e = stops[i]
    # a quotation that opens inside the content runs to its end
    q = d.quote_containing(e - 1) if e > start else None
    if q is not None and q.closed and q.start >= start and q.end > e:
        e = q.end
    return e


def _stop_points(d: _Doc, cues: list[CueHit], srcs: list[SourcingHit]) -> list[int]:
    """Folded offsets where a new report starts inside a sentence (``، مضيفاً``، ``، وأضاف``، ``، بحسب``)."""
    f = d.f
    out = []
    for c in cues:
        if c.form.lemma == "نقل" or c.enclitic and c.form.pos != "participle":
            continue  # "ونقلها"، "نقلت المعطيات": carrying, not a new report
        j = c.start - 1
        while j >= 0 and f[j] == " ":
            j -= 1
        if j >= 0 and f[j] in "،,؛;":
            out.append(j)
        elif c.form.pos == "participle" and c.start == c.word_start and c.form.number == "s":
            out.append(c.start)  # "… "كل هذا قد يكون موقتا" موضحا أن …"
        elif j >= 0 and f[j] in "\"”»“":
            out.append(c.start)
        elif c.start != c.word_start and c.form.pos in ("past", "present") and f[c.start] in "وف" \
                and not f[max(0, j - 2):j + 1].endswith("ما"):
            out.append(c.start)  # "… بإيران وأعلنت استدعاء …": a coordinated new report
        elif c.form.pos == "participle" and c.start != c.word_start:  # "ومؤكدا"
            out.append(c.start)
    for c in cues:
        k = _relative_report_start(f, c)
        if k is not None:
            out.append(k)  # "… للتشاور بعد ما وصفته بتكرار …": the earlier content ends before "بعد ما"
    for s in srcs:
        j = s.start - 1
        while j >= 0 and f[j] == " ":
            j -= 1
        if j >= 0 and f[j] in "،,(–-":
            out.append(j)
    return sorted(out)


def _np_entity(d: _Doc, np: NounPhrase, gender: str, recent: int | None) -> int:
    f = d.f
    name_o = d.orig(np.name_start, np.name_end)
    name = d.text[name_o[0]:name_o[1]]
    title = title_f = None
    if np.titles:
        ts, te = np.titles[0]
        to = d.orig(ts, te)
        title, title_f = d.text[to[0]:to[1]], f[ts:te]
    elif not np.has_name:
        title, title_f = name, f[np.name_start:np.name_end]
    if gender == "?":
        head = f[np.start:np.end].split()[0] if f[np.start:np.end].split() else ""
        gender = "f" if head.endswith("ه") or head.endswith("ت") else "m"
    return d.entities.add(name=name, name_folded=f[np.name_start:np.name_end], kind=np.kind, gender=gender,
                          plural=np.plural, has_name=np.has_name, title=title, title_folded=title_f,
                          mention=d.orig(np.start, np.end), recent_person=recent)


def _recent_person(d: _Doc, gender: str, pos: int) -> int | None:
    for s in reversed(d.salience.items):
        if pos - s.pos > 2500:
            break
        if d.entities.kind(s.entity) == "PERSON" and (gender == "?" or s.gender == gender):
            return s.entity
    return None


def _verb_attributions(d: _Doc, excluded: list[tuple[int, int]]) -> list[_Raw]:
    lex = lexicon()
    f = d.f
    cues = [c for c in d.cue_hits if not _stated_not_replied(f, c) and not _plural_noun(f, c)
            and not _between_pair(f, c)]
    srcs = d.sourcing
    stops = _stop_points(d, cues, srcs)
    ex_f = excluded  # caption spans are in original offsets; compare via the map below
    out: list[_Raw] = []
    blocked = -1
    cue_starts = [c.start for c in cues]
    for c in cues:
        if c.start < blocked:
            continue
        _push_subjects(d, c.start)
        o_start = d.orig(c.start, c.end)[0]
        if ex_f and _in_spans(o_start, ex_f):
            continue
        q_in = d.quote_containing(c.start)
        if q_in is not None and q_in.end - q_in.start > 40:
            continue  # a report nested inside a direct quotation is not marked
        form = c.form
        if form.cls == "speech" and c.enclitic and form.lemma in ("قال",):
            continue  # قاله "said it": a relative clause, not a report
        si = d.sent_index(c.start)
        toks = d.toks(si)
        ci = _tok_index(toks, c.start)
        if ci is None:
            continue
        if toks[ci].text in ("يذكر", "ويذكر", "يشار", "ويشار", "يقال", "ويقال"):
            continue  # impersonal "يذكر أن": background, not a report
        if d.sh.dropped and _diacritised(d.text, o_start):
            continue  # fully vocalised scripture or verse quoted inside the article
        prev_w = toks[ci - 1].text if ci > 0 else ""
        if prev_w in ("عدم", "بعدم", "لم", "لن", "لا", "ولم", "ولن", "ولا") or prev_w in PREPOSITIONS \
                or prev_w.isdigit():
            continue  # "عدم ذكر اسمه"، "لم تطلب": no report; "على طلب": a noun, not a verb
        if (prev_w in ("ما", "بما", "مما", "لما", "عما", "الذي", "التي", "الذين") or prev_w == "فيما" and c.enclitic) \
                and not (ci + 1 < len(toks) and toks[ci + 1].text in THAT and not c.enclitic) \
                and not _named_after(f, c):
            continue  # "ما قاله": what was said, not a new report ("ما قالت إنه …" is one; "فيما قال" is "while")
        sent_end = d.sents[si][1]
        raw = None
        if form.lemma == "بين" and c.start == c.word_start and ci > 0 and form.pos != "participle":
            continue  # "بين البلدين": the preposition "between", unless it opens the clause (وبين، بيّن أن)
        d.nested = any(r.c_start <= c.start < r.c_end for r in out[-3:] if r.kind != "according")
        if form.lemma == "نقل":
            raw = _passive_report(d, toks, ci, c, stops, sent_end)
        else:
            marker = find_marker(toks, ci + 1, form.frames, d.q_by_start, lex.given_names)
            if marker is not None and marker.index > ci + 1 and _masdar_marker(toks[marker.index].text):
                marker = find_marker(toks, marker.index + 1, form.frames, d.q_by_start, lex.given_names)
            if marker is not None and _cue_between(cue_starts, c, marker.pos, toks, ci):
                marker = None  # that complementizer belongs to a later cue ("، مبيناً أن …")
            if marker is not None:
                raw = _with_marker(d, toks, ci, c, marker, stops, sent_end)
            else:
                raw = _postposed(d, toks, ci, c, si)
                if raw is None and "obj" in form.frames:
                    raw = _object_content(d, toks, ci, c, stops, sent_end)
        if raw is None:
            continue
        blocked = raw.stretch_end
        d.reported.add(c.start)
        d.last_raw = raw
        out.append(raw)
    return out


_AS_WORDS = ("كما", "ما", "حسبما", "مثلما", "وكما")


_NEXT_WORD = re.compile(r"\s*([^\s\w]|\w+)")
_PREP_FRAMES = {"الي": "إلى", "علي": "على", "عن": "عن", "من": "من"}


def _prev_word(f: str, pos: int) -> tuple[int, str]:
    j = pos - 1
    while j >= 0 and f[j] == " ":
        j -= 1
    k = f.rfind(" ", 0, j + 1) + 1
    return k, f[k:j + 1]


def _named_after(f: str, c: CueHit) -> bool:
    """``وصفته بتكرار التصريحات``: a stance verb whose بـ-complement, right after it, names what was said."""
    if c.form.cls != "stance" or "ب" not in c.form.frames:
        return False
    m = _NEXT_WORD.match(f, c.end)
    return m is not None and m.group(1).startswith("ب") and len(m.group(1)) > 3 \
        and m.group(1) not in ("بعد", "بين", "بها", "به")


def _relative_report_start(f: str, c: CueHit) -> int | None:
    """Where ``(بعد) ما وصفته بـ…`` starts, for a stance cue introduced by ما with its content after it."""
    k, w = _prev_word(f, c.start)
    if w not in ("ما", "بما", "مما", "لما", "عما") or not _named_after(f, c):
        return None
    k2, w2 = _prev_word(f, k)
    return k2 if w2 in PREPOSITIONS else k


def _between_pair(f: str, c: CueHit) -> bool:
    """``بينه وبين رئيس النادي``: the preposition "between … and", not the verb بيّن."""
    if c.form.lemma != "بين" or c.start == c.word_start:
        return False
    return any(w.startswith("بين") for w in f[max(0, c.start - 40):c.start].split()[-3:])


def _plural_noun(f: str, c: CueHit) -> bool:
    """``منتقدين يقولون …``: a plural participle is the noun "critics" unless content opens right after it."""
    if c.form.pos != "participle" or c.form.number != "p":
        return False
    m = _NEXT_WORD.match(f, c.end)
    if m is None:
        return True
    w = m.group(1)
    if w in THAT or w in (":", "\"", "“", "”", "«", "»"):
        return False
    return not (_PREP_FRAMES.get(w) in c.form.frames or w.startswith("ب") and "ب" in c.form.frames)


def _stated_not_replied(f: str, c: CueHit) -> bool:
    """``كما ورد في خطابه``: the verb ورد "was stated", not و + رد "and he replied"."""
    if c.form.lemma == "رد" and f[c.end:c.end + 8].lstrip().startswith(("فعل", "الفعل")):
        return True  # "رد فعل": a reaction, not a reply
    if c.form.lemma != "رد" or f[c.start:c.end] != "ورد":
        return False
    after = f[c.end:c.end + 4].lstrip()
    return _prev_word(f, c.start)[1] in _AS_WORDS or after.startswith(("في ", "ذلك", "ذكر"))


def _diacritised(text: str, pos: int) -> bool:
    """Is the cue at ``pos`` itself part of fully vocalised text (scripture, verse)?

    Callers check Shadow.dropped first. The cue word must carry marks: a plain "وأكد" right after a
    vocalised verse is the article's own report.
    """
    word_end = pos
    while word_end < len(text) and not text[word_end].isspace():
        word_end += 1
    if not any("\u064b" <= ch <= "\u0652" for ch in text[pos:word_end]):
        return False
    window = text[max(0, pos - 40):pos + 40]
    marks = sum(1 for ch in window if "\u064b" <= ch <= "\u0652")
    return marks > len(window) * 0.2


def _strong_np(f: str, np: NounPhrase) -> bool:
    lex = lexicon()
    head = f[np.start:np.end].split()[0]
    return np.has_name or head in lex.titles or head in lex.sources or head in lex.org_heads or head in QUANTIFIERS


_SUBJ_STOP = frozenset({"عن", "وعن", "حول", "وحول", "ان", "وان", "كما", "الا", "غير", "لكن", "ولكن", "بيد", "اما",
                        "واما", "اذا", "واذا", "لو", "ولو", "هذا", "وهذا", "هذه", "وهذه", "ذلك", "وذلك", "يذكر", "ويذكر",
                        "بعد", "وبعد", "قبل", "وقبل", "عند", "وعند", "منذ", "ومنذ", "بين", "وبين", "مع", "ومع"})


_FRONTED = frozenset({"وفي", "في", "ومن", "من", "وعلى", "على", "وبعد", "بعد", "وخلال", "خلال", "وفيما", "وحول",
                      "حول", "وعن", "عن", "ورغم", "رغم", "وقبل", "قبل", "ومع", "مع", "وعلي", "علي", "وبدوره",
                      "بدوره", "وبدورها", "بدورها"})


def _push_subjects(d: _Doc, upto: int) -> None:
    """Subjects of verb-initial sentences before ``upto`` become salient (``وأبعدت غيمارايش رأسها``)."""
    lex = lexicon()
    while d.subj_next < len(d.sents) and d.sents[d.subj_next][0] < upto:
        k = d.subj_next
        d.subj_next += 1
        s0, e0 = d.sents[k]
        toks = d._toks.get(k)
        if toks is None:
            # The opening words suffice. The checks below turn most sentences away within a few words;
            # a scan of the whole opening for a word that could name someone cost more than they do.
            toks = d.window(s0, min(e0, s0 + 110))
        if len(toks) < 3:
            continue
        i = 0
        if toks[0].text in _FRONTED:
            # "وفي وقت لاحق، تراجعت شركة …"، "من جهتها أبدت الفنانة …": skip the fronted phrase
            for m in range(1, min(len(toks) - 2, 8)):
                if toks[m].text in ("،", ","):
                    i = m + 1
                    break
            else:
                if toks[0].text in ("من", "ومن") and len(toks) > 3 and toks[1].text.startswith("جهت"):
                    i = 2
                else:
                    continue
        while i < len(toks) - 1 and toks[i].text in ("وقد", "قد", "كما", "ثم", "فقد", "لقد"):
            i += 1
        v = toks[i].text
        if len(v) < 3 or v.startswith("ال") or not v.isalpha() or v in lex.titles or v in lex.org_heads:
            continue
        base = v[1:] if v[0] in "وف" else v
        if toks[i].start >= upto or (base in lex.cue_forms or v in lex.cue_forms) and toks[i].start in d.reported:
            continue  # a cue that gave a report has placed its own speaker
        if base in PREPOSITIONS and base != "عبر" or base in _SUBJ_STOP or v in _SUBJ_STOP:
            continue
        w = toks[i + 1].text
        # an unknown word is a subject only when it names someone already met ("وأبعدت غيمارايش")
        if not (w in lex.given_names or w in lex.titles or w in lex.org_heads or w.startswith("عبد") and len(w) > 4) \
                and not d.entities.known_name_word(w):
            continue
        j = i + 1
        org = w in lex.org_heads  # "رفعت شركة “هيربالايف” دعوى": an organisation's name may be quoted
        while j < len(toks) and j - i <= 6 and (toks[j].text.isalpha() or org and toks[j].text in "\"“”«»") \
                and toks[j].text not in PREPOSITIONS and not (j > i + 1 and _place_after_name(toks, i + 1, j)) \
                and toks[j].text not in _PARTICLES \
                and toks[j].text not in RELATIVES and not (j > i + 1 and toks[j].text[:1] in "وبل"
                                                         and toks[j].text not in lex.given_names):
            j += 1  # the subject ends before "و…" (a new clause) and "بـ…/لـ…" (its object)
        np = noun_phrase(toks[i + 1:j])
        if np is None or not (np.has_name or w in lex.titles or w in lex.org_heads):
            continue
        g = "f" if base.endswith("ت") or base.startswith("ت") else "m"
        ent = _np_entity(d, np, g, None)
        d.salience.push(ent, g, np.plural, toks[i].start)


def _place_after_name(toks: list[Tok], first: int, j: int) -> bool:
    """``وصنف كارتر إيران …``: a place after a personal name is the verb's object. After a title or an
    organisation (``رئيس إريتريا``، ``حزب آفاق تونس``) it is their complement."""
    lex = lexicon()
    return place_length(toks, j) > 0 and not any(
        toks[k].text in lex.titles or toks[k].text in lex.org_heads for k in range(first, j))


def _cue_between(cue_starts: list[int], c: CueHit, pos: int, toks: list[Tok], ci: int) -> bool:
    """Is there another cue between ``c`` and ``pos``, other than a participle right after it (وتابع قائلاً)?"""
    i = bisect_right(cue_starts, c.start)
    if i >= len(cue_starts) or cue_starts[i] >= pos:
        return False
    nxt = toks[ci + 1].start if ci + 1 < len(toks) else -1
    if cue_starts[i] == nxt and (i + 1 >= len(cue_starts) or cue_starts[i + 1] >= pos):
        return False
    # "وتابع المفتي العام قائلاً إن …": قائلاً only introduces the speech of the verb before it
    between = [k for k in range(ci + 1, len(toks)) if c.start < toks[k].start < pos and toks[k].start in cue_starts]
    if len(between) != 1 or c.form.cls != "speech":
        return True
    k = between[0]
    return not (toks[k].text.startswith(_SAYING) and len(toks[k].text) <= 6 and toks[k - 1].text not in ("،", ","))


_SAYING = ("قائلا", "قائله", "قائلين")


def _masdar_marker(w: str) -> bool:
    """``بقوله`` after ``أفاد``: the masdar restates the cue; content follows it."""
    lex = lexicon()
    if not w.startswith("ب"):
        return False
    base = w[1:]
    for enc in ("", "ه", "ها", "هم"):
        if enc and base.endswith(enc):
            b = base[: -len(enc)]
        else:
            b = base
        form = lex.cue_forms.get(b)
        if form is not None and form.pos == "masdar":
            return True
    return False


def _tok_index(toks: list[Tok], pos: int) -> int | None:
    lo = first_at(toks, pos, 0)
    if lo < len(toks) and toks[lo].start == pos:
        return lo
    return None


def _content_after_marker(d: _Doc, toks: list[Tok], marker: Marker, stops: list[int], sent_end: int,
                          si: int) -> tuple[str, int, int] | None:
    f = d.f
    if marker.kind == "quote":
        mq = d.q_by_start[marker.pos]
        a, b = mq.inner
        # a quote followed by more reported words in the clause is a fragment of mixed speech
        tail_end = max(mq.end, _clause_end(d, mq.end - 1, sent_end, stops))  # a stop right at the mark counts
        tail = f[mq.end:tail_end].strip(" .،,:؛!؟?\"“”«»")
        if tail and len(tail.split(None, 3)) > 3 and f[mq.end:tail_end].lstrip()[:1] not in (".", "؟", "!"):
            return classify(f, marker.pos, tail_end, d.quotes)
        return "direct", a, b
    if marker.kind == "colon":
        s = marker.pos
        while s < len(f) and f[s] in " \t":
            s += 1
        q = d.q_by_start.get(s)
        if q is None and s < len(f) and f[s] == "\n":
            # "وأضاف:" at a paragraph end: the quotation is the next paragraph
            nxt = si + 1
            if nxt < len(d.sents):
                ns, ne = d.sents[nxt]
                q = d.q_by_start.get(ns)
                if q is None:
                    return "direct", ns, ne
        if q is not None:
            a, b = q.inner
            return "direct", a, b
        e = _clause_end(d, s, sent_end, stops)
        return "direct", s, e
    s = marker.pos
    e = _clause_end(d, s, sent_end, stops)
    if e <= s:
        return None
    return classify(f, s, e, d.quotes)


def _with_marker(d: _Doc, toks: list[Tok], ci: int, c: CueHit, marker: Marker, stops: list[int], sent_end: int) -> _Raw | None:
    lex = lexicon()
    si = d.sent_index(c.start)
    stretch_toks = [t for t in toks[ci + 1:marker.index] if not _is_cue_participle(t.text, lex)]
    stretch = parse_stretch(stretch_toks, d.f)
    res = _content_after_marker(d, toks, marker, stops, sent_end, si)
    if res is None:
        return None
    kind, cs, ce = res
    cs, ce = trim(d.f, cs, ce)
    n_words = len(d.f[cs:ce].split(None, 2))  # 0, 1, 2 or more: all it is compared with
    if ce - cs < 2 or n_words < 2 and kind != "direct" \
            or n_words == 2 and marker.kind == "prep" and d.f[cs:ce].split()[1] in _VACUOUS:
        return None  # "وحث على ذلك": a preposition and a demonstrative report nothing
    raw = _Raw(c.start, c.end, c.form.lemma, kind, cs, ce, None, None,
               addressee=stretch.addressee, channel=stretch.channel, stretch_end=marker.pos)
    # a participle opens its own clause ("، مضيفاً"); after a noun it is a verbal noun with its subject
    # after it ("استمرار مطالبة الإدارة الأمريكية بالإفراج")
    genitive = c.form.pos == "participle" and ci > 0 and toks[ci - 1].text.isalpha() \
        and not toks[ci - 1].text.startswith("و") and c.start == c.word_start \
        and not toks[ci].text.endswith("ا")  # "منتقدا ترامب": a ḥāl; its subject is the clause's subject
    np = stretch.speaker if c.form.pos != "participle" or genitive else None
    if np is not None and "dobj" in c.form.frames and stretch.addressee is None:
        sub_toks = [t for t in stretch_toks if np.start <= t.start < np.end]
        subj, obj = split_object(sub_toks)
        # "اتهمت النيابة التركية برونسون بـ…"، "اتهمت دمشق إسرائيل بـ…": an organisation or a place
        org_subject = bool(subj) and (subj[0].text in lex.org_heads or place_length(subj) > 0)
        # a possessed noun is never part of a name: "مطالبة مانيلا عمالتها بمغادرة …"
        possessed = bool(obj) and len(obj[0].text) > 4 and obj[0].text.endswith(("ها", "هم", "هما"))
        # a place never continues a personal name: "اتهم الرئيس السوري بشار الأسد تركيا بـ…"
        if obj and (not np.has_name or obj[0].start >= np.name_end or org_subject or possessed
                    or place_length(obj) > 0):
            np = noun_phrase(subj)
            raw.addressee = (obj[0].start, obj[-1].end)
    if np is not None and "dobj" in c.form.frames and raw.addressee is None and _coordinated(d, c):
        # "قال غينغريتش "…" وطالب ترامب بتوضيح …": a verb joined to a report in the same sentence
        # keeps that report's subject; the one noun phrase after it is its object
        raw.addressee = (np.start, np.end)
        np = None
    if np is not None and not _plausible_np(d.f, np):
        np = None
    _assign_speaker(d, raw, c, np, toks, ci)
    return raw


def _coordinated(d: _Doc, c: CueHit) -> bool:
    last = d.last_raw
    return last is not None and c.start != c.word_start and d.f[c.start] == "و" and last.explicit \
        and d.sent_index(last.cue_start) == d.sent_index(c.start) and last.c_end <= c.start


_VACUOUS = frozenset({"ذلك", "هذا", "هذه", "ذلكم", "الامر", "الموضوع", "القضيه", "المساله", "ذاك", "تلك"})


def _is_cue_participle(w: str, lex: Lexicon) -> bool:
    form = lex.cue_forms.get(w) or lex.cue_forms.get(w[1:]) if w else None
    return form is not None and form.pos == "participle"


def _plausible_np(f: str, np: NounPhrase) -> bool:
    words = f[np.start:np.end].split()
    if not words or len(words) > 20:
        return False
    first = words[0]
    if first in _L_STOP or first in TIME_WORDS or first.isdigit():
        return False
    if first.startswith(("سي", "ست", "سن", "لن", "لم")) or first in ("يكون", "تكون", "كان", "كانت", "ليس", "ليست"):
        return False  # a verb, not a noun phrase
    return not (first in THAT or first in ("ما", "لا", "لم", "قد", "هو", "هي", "ذلك", "هذا", "هذه", "اياه", "اياها",
                                          "اياهم", "الي", "علي", "عن", "من"))


def _assign_speaker(d: _Doc, raw: _Raw, c: CueHit, np: NounPhrase | None, toks: list[Tok], ci: int) -> None:
    gender = c.form.gender if c.form.pos != "masdar" else "?"
    plural = c.form.number == "p"
    if np is None and c.start == c.word_start and c.form.pos in ("past", "present"):
        sub = preverbal_subject(toks, ci)
        if sub:
            np = noun_phrase(sub)
            if np is not None and _plausible_np(d.f, np):
                raw.how = "preverbal"
            else:
                np = None
    if np is not None and d.nested and not _strong_np(d.f, np):
        np = None
    if np is not None:
        words = d.f[np.start:np.end].split()
        definite_title = not np.has_name and np.kind == "PERSON" and all(w.startswith("ال") for w in words) \
            and words[0] in lexicon().titles
        recent = _recent_person(d, gender, c.start) if definite_title else None
        ent = _np_entity(d, np, gender, recent)
        raw.speaker_np, raw.entity, raw.explicit = np, ent, True
        if raw.how == "np":
            raw.how = "np"
        g = gender if gender != "?" else d.entities.gender(ent)
        if not d.nested:
            d.salience.push(ent, g, plural or np.plural, c.start)
        return
    raw.how = "dropped"
    raw.entity = d.salience.resolve(gender, plural, c.start)
    if raw.entity is None and not plural:  # the nearest mention is one person: never a plural verb's subject
        raw.entity = _nearest_mention(d, c.start, gender)
    if raw.entity is not None and not d.nested:
        d.salience.push(raw.entity, gender if gender != "?" else d.entities.gender(raw.entity),
                        plural or d.entities.plural(raw.entity), c.start)


def _nearest_mention(d: _Doc, pos: int, gender: str) -> int | None:
    """No earlier speaker: take the subject of the nearest earlier sentence that names someone."""
    si = d.sent_index(pos)
    lex = lexicon()
    for k in range(si, max(-1, si - 3), -1):
        toks = [t for t in d.toks(k) if t.start < pos]
        for i, t in enumerate(toks):
            w = t.text
            if w in lex.given_names or w in lex.titles and w.startswith("ال"):
                j = i
                while j < len(toks) and j - i < 5 and toks[j].text not in ("،", ",", ".") \
                        and (j == i or not toks[j].text.startswith("و")):
                    j += 1
                np = noun_phrase(toks[i:j])
                if np is not None and (np.has_name or w in lex.titles):
                    return _np_entity(d, np, gender, None)
        # a verb-initial sentence "وكانت جوليا غيمارايش ..." : the word after the first verb
        if k < si and toks:
            for i in range(min(3, len(toks))):
                w = toks[i].text
                if w.startswith(("و", "ف")) and len(w) > 3 and i + 1 < len(toks):
                    j = i + 1
                    nxt = toks[j].text
                    if not nxt.startswith("ال") and nxt.isalpha() and len(nxt) > 2 and nxt not in ("في", "من"):
                        end = j
                        while end < len(toks) and end - j < 3 and toks[end].text.isalpha() \
                                and not toks[end].text.startswith(("ال", "و")) or end == j:
                            end += 1
                        np = noun_phrase(toks[j:end])
                        if np is not None:
                            return _np_entity(d, np, gender, None)
                    break
    return None


def _passive_report(d: _Doc, toks: list[Tok], ci: int, c: CueHit, stops: list[int], sent_end: int) -> _Raw | None:
    """``ونُقل عن ويتكوف قوله …``، ``ونقلت وكالة رويترز عن مصدر قوله …``."""
    lex = lexicon()
    j = None
    for i in range(ci + 1, min(len(toks), ci + 12)):
        if toks[i].text == "عن":
            j = i
            break
    if j is None:
        return None
    source_np = noun_phrase(toks[ci + 1:j]) if j > ci + 1 else None
    marker = None
    k = j + 1
    while k < min(len(toks), j + 14):
        w = toks[k].text
        base = w[:-1] if w.endswith("ه") else w[:-2] if w.endswith("ها") else w
        if base in ("قول", "قول", "تصريح", "تاكيد") or w in ("قوله", "قولها", "قولهم"):
            marker = find_marker(toks, k + 1, frozenset({"that", "colon", "quote"}), d.q_by_start, lex.given_names,
                                 max_tokens=4)
            if marker is None:
                marker = Marker(k + 1, toks[k + 1].start, "that") if k + 1 < len(toks) else None
            break
        if w in THAT or w == ":":
            marker = Marker(k, toks[k].start if w != ":" else toks[k].end, "that" if w != ":" else "colon")
            break
        k += 1
    if marker is None:
        return None
    spk_toks = [t for t in toks[j + 1:k] if t.text not in ("،", ",")]
    res = _content_after_marker(d, toks, marker, stops, sent_end, d.sent_index(c.start))
    if res is None:
        return None
    kind, cs, ce = res
    cs, ce = trim(d.f, cs, ce)
    if ce - cs < 2:
        return None
    raw = _Raw(c.start, c.end, c.form.lemma, kind, cs, ce, None, None, stretch_end=marker.pos)
    if source_np is not None:
        raw.source = (source_np.start, source_np.end)
    np = noun_phrase(spk_toks) if spk_toks else None
    _assign_speaker(d, raw, c, np, toks, ci)
    return raw


def _family_name(w: str, lex) -> bool:
    """Could ``w`` (folded) follow a given name as its family name (ترامب، الصفدي، بن)?"""
    return w.isalpha() and len(w) > 1 and w not in PREPOSITIONS and w not in THAT and w not in lex.cue_forms \
        and w not in TIME_WORDS and w[2:] not in lex.statement_nouns and not w.endswith(("ه", "ها", "هم"))


def _object_content(d: _Doc, toks: list[Tok], ci: int, c: CueHit, stops: list[int], sent_end: int) -> _Raw | None:
    """``أعلنت وزارة الخدمة المدنية أسماء …``، ``نفت السلطات الروسية تورط الدولة``: a noun-phrase content."""
    lex = lexicon()
    i = ci + 1
    n = len(toks)
    if i >= n or not toks[i].text.isalpha():
        return None
    np_end = i
    if c.form.pos != "participle" and c.enclitic == "":
        w = toks[i].text
        if w in TIME_WORDS:
            np_end = i
        elif w.startswith("ال") or w in lex.titles or w in lex.given_names or w in lex.org_heads or w in lex.sources \
                or w in QUANTIFIERS:
            np_end = i + 1
            if not w.startswith("ال") and (w in lex.org_heads or w in lex.genitive_titles):
                # construct state: "رئاسة إقليم كردستان العراق" runs to its first definite word
                while np_end < n and np_end - i < 4 and toks[np_end].text.isalpha() \
                        and not toks[np_end].text.startswith("ال") and toks[np_end].text not in PREPOSITIONS:
                    np_end += 1
            while np_end < n and np_end - i < 7:
                w2 = toks[np_end].text
                if w2 in lex.given_names and np_end + 1 < n and _family_name(toks[np_end + 1].text, lex):
                    np_end += 2  # "الرئيس الأمريكي دونالد ترامب": a given name takes the family name after it
                    continue
                if w2.startswith("ال") and w2 not in ("الي", "التي", "الذي") and w2[2:] not in lex.statement_nouns \
                        and not (np_end > i + 1 and place_length(toks, np_end)) \
                        or w2 in lex.given_names or w2 in ("بن", "بنت", "ال"):
                    np_end += 1
                    continue
                if (w in lex.org_heads or w.startswith("ال") and w in lex.titles) and l_complement(toks, np_end):
                    np_end += 1  # "أعلن الاتحاد السعودي لكرة القدم أسماء …": the ل-complement is in the name
                    continue
                if w2 in ("،", ",") and np_end + 2 < n and toks[np_end + 1].text in lex.given_names:
                    # "انتقد الرئيس الأمريكي، دونالد ترامب، إيران": the name in apposition belongs to the subject
                    k = np_end + 2
                    while k < n and k - np_end <= 5 and toks[k].text not in ("،", ",", ".") and toks[k].text.isalpha():
                        k += 1
                    if k < n and toks[k].text in ("،", ","):
                        np_end = k + 1
                        break
                break  # "… رئاسة الوزراء التعليق على …": a verbal noun is the object, not an adjective
    # "أكد عضو اللجنة الزراعية في غرفة الأحساء … عبدالحميد الحليبي في تصريحه لـ"الوطن" جودة …"
    if np_end > i and not any(toks[x].text in lex.given_names for x in range(i, np_end)):
        for k in range(np_end, min(n, np_end + 14)):
            w = toks[k].text
            if w in ("،", ",", ".", ":") or not w.isalpha() and w not in "-":
                break
            if w in lex.given_names or w.startswith("عبد") and len(w) > 4:
                e = k + 1
                while e < n and e - k < 5 and toks[e].text.isalpha() and toks[e].text not in PREPOSITIONS \
                        and (toks[e].text.startswith("ال") or toks[e].text in ("بن", "بنت") or toks[e - 1].text in ("بن", "بنت")
                             or e == k + 1):
                    e += 1
                np_end = e
                break
    role_end = np_end
    if role_end < n and toks[role_end].text in ("في", "خلال", "عبر") and role_end + 1 < n \
            and lex.channels_re.match(d.f, toks[role_end + 1].start):
        role_end += 2
    if role_end < n and toks[role_end].text in ("ل", "لـ"):
        role_end += 1
        while role_end < n and not toks[role_end].text.isalpha():
            role_end += 1
        role_end += 1
        while role_end < n and toks[role_end].text in "\"“”«»":
            role_end += 1
    elif role_end < n and toks[role_end].text.startswith(("لل", "لصحيفه", "لوكاله", "لقناه")):
        role_end += 1
    if role_end >= n:
        return None
    cs = toks[role_end].start
    ce = _clause_end(d, cs, sent_end, stops)
    cs, ce = trim(d.f, cs, ce)
    np = noun_phrase(toks[i:np_end]) if np_end > i else None
    if len(d.f[cs:ce].split(None, 1)) < 2:
        if np is not None and np.has_name and not d.nested:
            # "انتقد الرئيس، دونالد ترامب، إيران واتهم …": too little to report, but its subject goes on
            g = c.form.gender if c.form.gender in ("m", "f") else "?"
            d.salience.push(_np_entity(d, np, g, None), g, np.plural, c.start)
        return None
    kind, cs, ce = classify(d.f, cs, ce, d.quotes)
    raw = _Raw(c.start, c.end, c.form.lemma, kind, cs, ce, None, None, stretch_end=cs)
    if np is None or not _strong_np(d.f, np):
        # a noun-phrase content is only taken with its subject in view (after or before the verb),
        # or on a participle continuing a report ("، معلناً إرسال …")
        if c.form.pos == "participle" or np is None and _coordinated(d, c):
            np = None  # "قالت الوزارة إن … وأعلنت استدعاء سفيرها": the report's subject goes on
        elif c.form.pos not in ("past", "present") or c.start != c.word_start or not preverbal_subject(toks, ci):
            return None
        else:
            np = None
    _assign_speaker(d, raw, c, np, toks, ci)
    return raw


def _postposed(d: _Doc, toks: list[Tok], ci: int, c: CueHit, si: int) -> _Raw | None:
    """``"…"، قال ترامب``: the quotation right before the cue is its content."""
    f = d.f
    j = c.start - 1
    while j >= 0 and f[j] in " \t،,-–":
        j -= 1
    q = d.quote_containing(j) if j >= 0 else None
    if q is None or q.end != j + 1 or not q.closed:
        return None
    a, b = q.inner
    if len(f[a:b].split(None, 2)) < 3:
        return None
    after = [t for t in toks[ci + 1:] if t.text not in (".",)]
    stretch = parse_stretch(after[:12], f)
    raw = _Raw(c.start, c.end, c.form.lemma, "direct", a, b, None, None,
               addressee=stretch.addressee, channel=stretch.channel, stretch_end=c.end, how="postposed")
    np = stretch.speaker if c.form.pos != "participle" else None
    _assign_speaker(d, raw, c, np, toks, ci)
    return raw


def _according(d: _Doc, raws: list[_Raw], excluded) -> list[_Raw]:
    """Sourcing phrases: a source beside a verb of saying, or an ``according`` attribution of their own."""
    f = d.f
    lex = lexicon()
    out = list(raws)
    spans = sorted((min(r.cue_start, r.c_start), max(r.c_end, r.stretch_end), i) for i, r in enumerate(raws))
    for h in d.sourcing:
        if excluded and _in_spans(d.orig(h.start, h.end)[0], excluded):
            continue
        si = d.sent_index(h.start)
        toks = d.toks(si)
        hi = _tok_index(toks, h.start)
        if hi is None:
            continue
        # the tokens after the phrase: the source noun phrase, up to a comma, complementizer or the end
        k = hi
        while k < len(toks) and toks[k].end <= h.end:
            k += 1
        via_verb = None
        if k < len(toks) and toks[k].start < h.end:  # "وفقا للإحصائية": the phrase ends inside the token
            toks = toks[:k] + [Tok(h.end, toks[k].end, f[h.end:toks[k].end])] + toks[k + 1:]
        if k < len(toks) and (toks[k].text == "ما" or f[h.start:h.end].endswith("ما")):
            k += 1 if toks[k].text == "ما" else 0
            if k < len(toks):
                if lex.cue_forms.get(toks[k].text):
                    via_verb = toks[k]
                k += 1
                if k < len(toks) and toks[k].text in ("في", "عن", "به", "بها", "فيه", "فيها", "عنه", "عنها", "عنهم"):
                    k += 1
        if k < len(toks) and toks[k].text in ("قول", "وصف", "تعبير", "راي", "رواية", "روايه"):
            k += 1
        np_end = k
        while np_end < len(toks) and np_end - k < 8 and toks[np_end].text not in ("،", ",", ".", ":", "؛", "فان") \
                and toks[np_end].text not in THAT and toks[np_end].text not in ("الذي", "التي", "فقد", "ف"):
            np_end += 1
        if np_end == k:
            continue
        np = noun_phrase(toks[k:np_end])
        if np is None or _not_a_source(toks[k].text):
            continue
        # "حسب قوله"، "بحسب تعبيره": the last speaker
        possessed = np_end == k + 1 and statement_noun(toks[k].text, possessed=True)
        src_span = (np.start, np.end)
        if np_end < len(toks) and toks[np_end].text in RELATIVES:
            # "وبحسب المسؤول الذي فضل عدم ذكر اسمه، فإن …": the relative clause is not content
            while np_end < len(toks) and toks[np_end].text not in ("،", ","):
                np_end += 1
        # beside a verb of saying: it becomes that attribution's source
        host = None
        after = toks[np_end].end if np_end < len(toks) else h.end
        for s, e, i in spans:
            if (s <= h.start <= e + 2 or s <= h.start <= e + 4 and f[e:h.start].strip() in ("–", "-", "—")) \
                    and d.sent_index(max(s, e - 1)) == si:  # never the report of the sentence before
                host = i
                break
            # "وبحسب الفرنسية، فقد ذكرت صحيفة … أن …": the phrase is the source of the verb right after it
            if after <= out[i].cue_start <= min(after + 8, d.sents[si][1]) \
                    and f[after:out[i].cue_start].strip(" ،,") in ("", "فقد", "ف", "قد"):
                host = i
                break
        if host is not None:
            r = out[host]
            if r.source is None and r.kind != "according":
                r.source = src_span
            continue
        sent_s, sent_e = d.sents[si]
        before = f[sent_s:h.start].strip(" ،,(-–\n")
        lead_words = before.split()
        if len(lead_words) <= 1:  # "وبحسب X، فإن …": content follows
            cs = toks[np_end].end if np_end < len(toks) and toks[np_end].text in ("،", ",") else \
                toks[np_end].start if np_end < len(toks) else sent_e
            if np_end + 1 < len(toks) and toks[np_end].text in ("،", ",") and toks[np_end + 1].text in ("فان", "ف"):
                cs = toks[np_end + 1].end
            ce = sent_e
            if len(f[cs:ce].split(None, 2)) < 3 and si > 0:
                # "… مفاجئ". بحسب صحيفة لوموند الفرنسية.": the phrase stands alone after its content
                cs, ce = d.sents[si - 1]
        else:  # "…، بحسب ما أظهرت السجلات": content precedes
            cs, ce = sent_s, h.start
            if h.start - sent_s > 150:  # a long sentence: only the clause before the phrase
                k2 = f.rfind("،", sent_s, h.start - 2)
                if k2 > sent_s:
                    cs = k2 + 1
            q = d.quote_containing(ce - 2) if ce > 2 else None
            if q is not None:
                cs = q.start
        cs, ce = trim(f, cs, ce)
        if ce - cs < 8 or len(f[cs:ce].split(None, 2)) < 3:
            continue
        kind, cs2, ce2 = classify(f, cs, ce, d.quotes)
        raw = _Raw(h.start, h.end, h.lemma, "according" if kind != "direct" else "according", cs, ce, None, None,
                   stretch_end=np_end, how="according")
        if via_verb is not None:
            raw.cue_end = via_verb.end
        if possessed:
            raw.how = "dropped"
            raw.entity = d.salience.resolve("?", False, h.start)
        else:
            ent = _np_entity(d, np, "?", None)
            raw.speaker_np, raw.entity, raw.explicit = np, ent, True
        out.append(raw)
    return out


def _not_a_source(w: str) -> bool:
    """``حسب الحاجة``، ``وفقا للظروف``: the noun after the phrase is a measure, not a source."""
    bare = lexicon().not_sources
    return strip_article(w) in bare or w.startswith("ل") and (w[1:] in bare or strip_article(w[1:]) in bare)


# Opens with its comma so the engine skips to commas; _rel_aside adds the spaces and quote before it.
_REL_ASIDE = re.compile(r"[،,]\s*(?:الذي|التي|الذين|اللذين|اللتين)\s")


def _rel_aside(f: str, start: int, end: int) -> tuple[int, int] | None:
    """The first ``["”»]? \\s* ، الذي …`` in ``f[start:end]``, as (start, end)."""
    found = matches_at(_REL_ASIDE, f, start, end, "،,")
    if not found:
        return None
    m = found[0]
    s = m.start()
    while s > start and f[s - 1].isspace():
        s -= 1
    if s > start and f[s - 1] in "\"”»":
        s -= 1
    return s, m.end()
_NARRATION = re.compile(r"[،,]\s*و[^\W\d_]{3,}\s+([^\W\d_]+)")


def _cut_at_narration(d: _Doc, raws: list[_Raw]) -> None:
    """Where the writer takes over again inside a content span: a closing relative clause after a comma,
    or ``وعد بدعوة الناخبين …، ويحاول كاميرون تحسين …`` (a clause naming the speaker).

    Reported speech refers to its speaker in the first person; a coordinated verb whose subject is the
    speaker's own name resumes the narration, so the content ends at the comma before it.
    """
    for r in raws:
        if r.kind != "direct":
            # "… برنسون، الذي اعتقل في تركيا منذ عامين": a relative clause that closes the content after a
            # comma is the writer's gloss on a name, not reported words
            aside = _rel_aside(d.f, r.c_start, r.c_end)
            if aside is not None and aside[0] - r.c_start > 15 and "،" not in d.f[aside[1]:r.c_end] \
                    and "," not in d.f[aside[1]:r.c_end]:
                r.c_end = trim(d.f, r.c_start, aside[0])[1]
        if r.entity is None or r.kind == "direct":
            continue
        names = set(d.entities.ents[r.entity].name_words)
        if not names:
            continue
        for m in matches_at(_NARRATION, d.f, r.c_start, r.c_end, "،,"):
            if strip_article(key_fold(m.group(1))) in names and m.start() - r.c_start > 10:
                r.c_end = trim(d.f, r.c_start, m.start())[1]
                break


def _resolve_overlaps(raws: list[_Raw]) -> list[_Raw]:
    """One attribution per content: of two with overlapping content, keep the one with an explicit speaker."""
    raws = sorted(raws, key=lambda r: (r.c_start, r.cue_start))
    keep: list[_Raw] = []
    for r in raws:
        dup = None
        for k in keep[-4:]:
            inter = min(k.c_end, r.c_end) - max(k.c_start, r.c_start)
            if inter > 0 and inter >= 0.6 * min(k.c_end - k.c_start, r.c_end - r.c_start):
                dup = k
                break
        if dup is None:
            keep.append(r)
            continue
        # nested report with a dropped subject inside another's content: drop it
        if (not r.explicit and dup.explicit) or (r.explicit == dup.explicit and r.cue_start > dup.cue_start):
            continue
        keep[keep.index(dup)] = r
    # reports nested in indirect content without their own speaker are not marked
    final = []
    for r in keep:
        nested = any(o is not r and o.kind != "according" and o.c_start <= r.cue_start < o.c_end for o in keep)
        if nested and not r.explicit:
            continue
        final.append(r)
    return sorted(final, key=lambda r: r.cue_start)


_CONF = {"np": 0.85, "preverbal": 0.75, "postposed": 0.8, "dropped": 0.65, "according": 0.7}


def _finish(d: _Doc, doc: Document, raws: list[_Raw], published: str | None) -> None:
    text = d.text
    used: set[int] = {r.entity for r in raws if r.entity is not None}
    ents, ids = d.entities.to_entities(used)
    doc.entities = ents
    f = d.f
    for n, r in enumerate(raws, 1):
        cs, ce = d.orig(r.c_start, r.c_end)
        qs, qe = d.orig(r.cue_start, r.cue_end)
        if r.speaker_np is not None and r.how != "according" or r.how == "according":
            np = r.speaker_np
            if np is not None:
                ss, se = d.orig(np.start, np.end)
                spk = Speaker((ss, se), text[ss:se], ids.get(r.entity) if r.entity is not None else None,
                              d.entities.name(r.entity) if r.entity is not None else text[ss:se])
            else:
                spk = Speaker()
        else:
            spk = Speaker(None, None, ids.get(r.entity) if r.entity is not None else None,
                          d.entities.name(r.entity) if r.entity is not None else None)

        def part(span: tuple[int, int] | None) -> Part | None:
            if span is None:
                return None
            s, e = d.orig(*span)
            if e <= s:
                return None
            return Part((s, e), text[s:e])

        t = None
        clause_s = d.sents[d.sent_index(r.cue_start)][0]
        fs, fe = min(clause_s, r.cue_start), max(r.cue_end, min(r.c_start, r.stretch_end or r.c_start))
        win_s, win_e = d.orig(fs, fe)
        at = anchor_starts(d.window(fs, fe))  # the words that could hold a time's anchor: often none
        times = find_times(text, win_s, max(win_e, qe), published, at=[d.sh.to_orig(a) for a in at]) if at else []
        if times:
            t = times[0]
        conf = _CONF.get(r.how, 0.6)
        if r.kind == "direct":
            conf += 0.05
        if r.entity is None:
            conf -= 0.3
        if len(f[r.c_start:r.c_end].split(None, 3)) < 4:
            conf -= 0.1
        doc.attributions.append(Attribution(
            id=f"A{n}", kind=r.kind, content=Part((cs, ce), text[cs:ce]),
            cue=Cue((qs, qe), text[qs:qe], r.lemma), speaker=spk,
            addressee=part(r.addressee), channel=part(r.channel), source=part(r.source), time=t,
            confidence=max(0.05, min(0.99, conf)),
        ))
