"""Speaker identity across articles: pure functions shared by the store and the Dask batch.

The same person is written many ways across articles: ``ستيف ويتكوف``,
``ويتكوف``, ``المبعوث الأمريكي ستيف ويتكوف``; ``بلومبيرغ`` / ``بلومبرغ``. The
procedure is two steps so it runs the same on one machine and as group-bys:

1. ``prepare(name, type, titles)`` turns one speaker mention into a
   :class:`Mention`: the name with leading titles removed (they go to
   ``titles``), a comparison key (folded words, ``ال`` dropped, ``عبد X``
   glued) and a **block key** — the consonant skeleton of the family name
   (last word without the vowel letters ا و ي ه), so spelling variants land
   in one block.
2. ``cluster_block(records, cannot_link=…, aliases=…)`` clusters the
   records of ONE block and returns, per record, the speaker it belongs to.
   The result depends only on the multiset of records (they are aggregated
   by name form and processed in a sorted order), never on input order, so
   the store (incrementally, per touched block) and the batch (one group-by
   over everything) give identical speakers.

Guards against merging different people who share a family name:
conflicting given names (``دونالد ترامب`` ≠ ``ميلانيا ترامب``), patronymics
(``محمد بن سلمان`` ≠ ``سلمان``), co-occurrence in one article as different
entities (cannot-link), short names only matched exactly, a list of
distinct look-alike names (``سلمان``/``سليمان``), and a surname-only
mention joins a full name only when that is unambiguous (one candidate,
titles that agree, or one candidate that dominates).

Alias file (TSV, ``#`` comments)::

    =	محمود عباس	أبو مازن        # force: the second name is the first person
    !	دونالد ترامب	إريك ترامب      # forbid: never merge these two
"""

from __future__ import annotations

import collections
import functools
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qawl.normalize import key_fold, words


def _folded_set(text: str) -> frozenset[str]:
    return frozenset(key_fold(w) for w in text.split())


# Leading words that are titles or roles, compared after folding and dropping ال.
TITLE_WORDS = _folded_set("""
رئيس رئيسة الرئيس وزير وزيرة مبعوث مبعوثة سفير سفيرة متحدث متحدثة ناطق ناطقة ملك ملكة امير اميرة
شيخ شيخة سيد سيدة دكتور دكتورة د مستشار مستشارة نائب نائبة قائد قائدة زعيم زعيمة مدير مديرة امين
امينة جنرال لواء عميد عقيد مشير فريق سناتور سيناتور عضو عضوة مرشد حاكم ولي كاتب كاتبة محلل محللة
خبير خبيرة صحفي صحفية مدرب مدربة لاعب لاعبة نجم نجمة فنان فنانة مغني مغنية ممثل ممثلة بابا امام مفتي
استاذ استاذة مهندس مهندسة محامي محامية قاضي قاضية مدعي مساعد مساعدة مندوب مندوبة منسق منسقة مفوض
مفوضة آية قنصل رائد نقيب ملازم بروفيسور البروفيسور الاعلامي اعلامي وكيل وكيلة زعيمة عاهل مراسل مراسلة
""")
# Words that continue a title (رئيس مجلس النواب …, المتحدث باسم …) without starting with ال.
TITLE_LINKS = _folded_set("""
باسم مجلس وزراء وزارة حكومة حزب جيش هيئة لجنة منظمة شركة عهد اركان شؤون دولة مكتب ادارة بعثة
في عن لدى
""")
# Adjectives that end role phrases (الرئيس الأمريكي, الوزير السابق): such a phrase is kept whole as the name.
ROLE_ADJECTIVES = _folded_set("""
الأمريكي الأميركي الروسي الفرنسي البريطاني الإيراني التركي المصري السعودي الإسرائيلي الفلسطيني الأوكراني
الصيني السوري العراقي اللبناني الأردني الإماراتي القطري الألماني الياباني الكويتي اليمني الليبي التونسي
الجزائري المغربي السوداني الأوروبي الأممي الفنزويلي الكوري الهندي الباكستاني الأفغاني الإيطالي الإسباني
الكندي البحريني العماني الموريتاني الإثيوبي الأمريكية الأميركية الروسية الفرنسية البريطانية الإيرانية
التركية المصرية السعودية الإسرائيلية الفلسطينية الأوكرانية الصينية السورية العراقية اللبنانية الأردنية
السابق السابقة الحالي الحالية الجديد الجديدة العام العامة التنفيذي التنفيذية الأعلى المنتخب المنتهية
""")
GLUE = frozenset(key_fold(w) for w in ("عبد", "أبو", "أبي", "أم"))
PATRONYMIC = frozenset(key_fold(w) for w in ("بن", "ابن", "بنت"))
VOWELS = frozenset("اويه")
# Look-alike names that are different names (vowel letters are meaningful here).
KNOWN_DISTINCT = frozenset(frozenset(key_fold(a) for a in p) for p in (
    ("سلمان", "سليمان"), ("محمد", "محمود"), ("حسن", "حسين"), ("سعد", "سعيد"), ("علي", "عالي"),
    ("عمر", "عمار"), ("كريم", "كرم"), ("جمال", "جميل"), ("حامد", "حميد"), ("احمد", "حمد"),
    ("ماجد", "مجدي"), ("نبيل", "نبيله"), ("فريد", "فريده"), ("عادل", "عديل"), ("سامي", "سام"),
))
# Substitutions that are transliteration variants (g, s/sh), cheaper than a consonant change.
_CHEAP_SUBS = {frozenset("جغ"): 0.5, frozenset("سش"): 0.5, frozenset("كق"): 0.7}
_SKELETON_MAP = str.maketrans({"ج": "غ", "ش": "س", "ة": None})

PERSON = "PERSON"


@dataclass(frozen=True, slots=True)
class Mention:
    """One prepared speaker name."""

    display: str  # the name without leading titles, original spelling
    key: str  # comparison key: folded words joined by a space
    block: str  # block key: mentions in different blocks are never one speaker
    type: str
    titles: tuple[str, ...] = ()  # titles found in the record plus those stripped from the name

    @property
    def words(self) -> list[str]:
        return self.key.split()


def _strip_al(w: str) -> str:
    return w[2:] if w.startswith("ال") and len(w) >= 5 else w


def _key_words(display: str) -> list[str]:
    raw = [key_fold(w) for w in words(display)]
    out: list[str] = []
    i = 0
    while i < len(raw):
        w = raw[i]
        if w in GLUE and i + 1 < len(raw):
            out.append(w + raw[i + 1])  # عبد الفتاح == عبدالفتاح
            i += 2
            continue
        if w.startswith("عبدال") or w.startswith("ابوال"):
            out.append(w)
        else:
            out.append(_strip_al(w))
        i += 1
    return out


def split_titles(name: str, type: str = PERSON) -> tuple[str, list[str]]:
    """(name without leading titles, [stripped title text]); organisations are left whole.

    ``المبعوث الأمريكي ستيف ويتكوف`` → (``ستيف ويتكوف``, [``المبعوث الأمريكي``]). The last
    word is never stripped, so ``الرئيس السيسي`` keeps ``السيسي``.
    """
    toks = words(name)
    if (type or PERSON) != PERSON or len(toks) < 2:
        return " ".join(toks), []
    i = 0
    in_title = False
    while i < len(toks) - 1:
        f = key_fold(toks[i])
        base = _strip_al(f) if f.startswith("ال") else f
        if f in TITLE_WORDS or base in TITLE_WORDS or (f.startswith("ال") and base in TITLE_WORDS):
            in_title = True
        elif in_title and (f.startswith("ال") or f in TITLE_LINKS):
            pass  # الرئيس الأمريكي / المتحدث باسم الخارجية
        else:
            break
        i += 1
    if i == len(toks) - 1 and key_fold(toks[-1]) in ROLE_ADJECTIVES:
        return " ".join(toks), []  # الرئيس الأمريكي: a role, not a name preceded by a title
    j = len(toks)
    # Trailing role words (تيم كوك رئيس …) are titles too; at least one word stays.
    while j - 1 > i and _strip_al(key_fold(toks[j - 1])) in TITLE_WORDS:
        j -= 1
    titles = [" ".join(toks[:i])] if i else []
    if j < len(toks):
        titles.append(" ".join(toks[j:]))
    return " ".join(toks[i:j]), titles


def skeleton(word: str) -> str:
    """First letter + the consonants of a folded word: the blocking form of a family name."""
    w = word.translate(_SKELETON_MAP)
    if not w:
        return w
    return w[0] + "".join(c for c in w[1:] if c not in VOWELS)


def prepare(name: str, type: str | None = None, titles: Iterable[str] = (),
            aliases: Aliases | None = None) -> Mention | None:
    """One speaker mention → :class:`Mention` (None for an empty name)."""
    typ = (type or PERSON).upper()
    base = _name_base(name or "", typ)
    if base is None:
        return None
    display, stripped, key = base
    kw = key.split()
    if aliases is not None:
        canon = aliases.canonical(key)
        if canon != key:
            key = canon
            kw = key.split()
    if typ == PERSON:
        block = "p:" + skeleton(kw[-1])
    else:
        block = typ.lower()[:1] + ":" + key
    tl = tuple(dict.fromkeys([*(t for t in titles if t), *stripped]))
    return Mention(display=display, key=key, block=block, type=typ, titles=tl)


@functools.lru_cache(maxsize=1 << 16)
def _name_base(name: str, typ: str) -> tuple[str, tuple[str, ...], str] | None:
    """(display, stripped titles, key before aliases) of a name; names recur, so this is cached."""
    display, stripped = split_titles(name, typ)
    kw = _key_words(display)
    return (display, tuple(stripped), " ".join(kw)) if kw else None


def block_key(name: str, type: str | None = None, aliases: Aliases | None = None) -> str | None:
    """The block key of one mention (None for an empty name): group mentions by it."""
    m = prepare(name, type, (), aliases)
    return m.block if m else None


def name_key(name: str, type: str | None = None, aliases: Aliases | None = None) -> str | None:
    m = prepare(name, type, (), aliases)
    return m.key if m else None


# -- similarity ------------------------------------------------------------

def _letter_cost(ch: str) -> float:
    return 0.3 if ch in VOWELS else 1.0


def _distance_rows(a: str, b: str) -> Iterator[list[float]]:
    """The rows of the weighted edit-distance table of ``a`` against ``b``, one per letter of ``a``."""
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + _letter_cost(ch))
    yield prev
    for ca in a:
        del_a = _letter_cost(ca)
        cur = [prev[0] + del_a]
        for j, cb in enumerate(b, 1):
            if ca == cb:
                sub = 0.0
            elif ca in VOWELS and cb in VOWELS:
                sub = 0.3
            else:
                sub = _CHEAP_SUBS.get(frozenset((ca, cb)), 1.0)
            cur.append(min(prev[j - 1] + sub, prev[j] + del_a, cur[j - 1] + _letter_cost(cb)))
        yield cur
        prev = cur


@functools.lru_cache(maxsize=1 << 18)
def weighted_distance(a: str, b: str) -> float:
    """Edit distance where vowel letters (ا و ي ه) cost 0.3 and g/s-sh variants 0.5."""
    if a == b:
        return 0.0
    return collections.deque(_distance_rows(a, b), maxlen=1)[0][-1]  # the last row's last cell


@functools.lru_cache(maxsize=1 << 18)
def word_match(a: str, b: str, *, min_len: int = 4) -> bool:
    """Same name word, allowing transliteration variants on words of ``min_len`` letters or more."""
    if a == b:
        return True
    if min(len(a), len(b)) < min_len or frozenset((a, b)) in KNOWN_DISTINCT:
        return False
    return _within(a, b, 0.65)


def _within(a: str, b: str, limit: float) -> bool:
    """``weighted_distance(a, b) <= limit``, stopping as soon as it cannot be.

    Every edit costs at least 0.3, and a row's smallest cell never decreases down the table,
    so the answer is known early for most pairs of different words.
    """
    if abs(len(a) - len(b)) * 0.3 > limit:
        return False
    row: list[float] = []
    for row in _distance_rows(a, b):
        if min(row) > limit:
            return False
    return row[-1] <= limit


def _is_partial(ws: Sequence[str]) -> bool:
    return len(ws) < 2 or ws[0] in PATRONYMIC


def names_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """Could two key-word lists name the same person? (full or partial names)."""
    return _names_compatible(tuple(a), tuple(b))


@functools.lru_cache(maxsize=1 << 18)
def _names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b or not word_match(a[-1], b[-1]):
        return False
    pa, pb = _is_partial(a), _is_partial(b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if not pa and not pb:
        # Given names must agree (middle names may be dropped: دونالد جيه ترامب / دونالد ترامب),
        # or the shorter name is the tail of the longer (طيب أردوغان / رجب طيب أردوغان).
        if word_match(a[0], b[0], min_len=5):
            return True
        tail = long[-len(short):]
        return all(word_match(x, y, min_len=5) for x, y in zip(short, tail, strict=True))
    if len(short) == 1:
        # A bare family name never stands for a patronymic: سلمان is not محمد بن سلمان.
        return not (len(long) >= 2 and long[-2] in PATRONYMIC)
    # بن سلمان ~ محمد بن سلمان: the partial must be a suffix of the longer name.
    tail = long[-len(short):]
    return all(word_match(x, y) for x, y in zip(short, tail, strict=True))


# -- aliases ---------------------------------------------------------------

@dataclass(slots=True)
class Aliases:
    """User rules: ``=`` force a merge (rewrite a variant to a canonical name), ``!`` forbid one."""

    merge: dict[str, str] = field(default_factory=dict)  # variant key -> canonical key
    forbid: set[frozenset[str]] = field(default_factory=set)
    source: str | None = None

    def canonical(self, key: str) -> str:
        seen = set()
        while key in self.merge and key not in seen:  # chains resolve; cycles stop
            seen.add(key)
            key = self.merge[key]
        return key

    def forbidden(self, a: str, b: str) -> bool:
        return frozenset((a, b)) in self.forbid

    def digest(self) -> str:
        h = hashlib.sha1()
        for k in sorted(self.merge):
            h.update(f"={k}\t{self.merge[k]}\n".encode())
        for p in sorted("\t".join(sorted(p)) for p in self.forbid):
            h.update(f"!{p}\n".encode())
        return h.hexdigest()[:12]

    @classmethod
    def parse(cls, text: str, source: str = "<aliases>") -> Aliases:
        al = cls(source=source)
        for n, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("\t") if p.strip()]
            if len(parts) < 3 or parts[0] not in ("=", "!", "merge", "forbid"):
                raise ValueError(f"{source}:{n}: expected `=` or `!`, then two or more names, tab-separated")
            keys = []
            for p in parts[1:]:
                m = prepare(p)
                if m is None:
                    raise ValueError(f"{source}:{n}: empty name {p!r}")
                keys.append(m.key)
            if parts[0] in ("=", "merge"):
                for k in keys[1:]:
                    if k != keys[0]:
                        al.merge[k] = keys[0]
            else:
                for i, a in enumerate(keys):
                    for b in keys[i + 1:]:
                        al.forbid.add(frozenset((a, b)))
        return al

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Aliases | None:
        """Load ``path`` or ``$QAWL_ALIASES``; None when neither is set."""
        p = path or os.environ.get("QAWL_ALIASES")
        if not p:
            return None
        return cls.parse(Path(p).read_text(encoding="utf-8"), str(p))


# -- clustering ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Assignment:
    speaker_id: str
    name: str  # display name of the speaker (fullest, most frequent spelling)
    type: str


@dataclass(slots=True)
class _Form:
    key: str
    type: str
    count: int = 0
    displays: dict[str, int] = field(default_factory=dict)
    titles: dict[str, int] = field(default_factory=dict)
    words: tuple[str, ...] = ()  # the key's words (set on creation)
    partial: bool = False  # _is_partial(words)

    def __post_init__(self) -> None:
        self.words = tuple(self.key.split())
        self.partial = _is_partial(self.words)


def speaker_id_for(key: str, type: str) -> str:
    """Stable, readable id of a speaker: its canonical key, dash-joined (type-prefixed unless PERSON)."""
    slug = key.replace(" ", "-")
    return slug if type == PERSON else f"{type.lower()}:{slug}"


def cluster_block(records: Sequence[dict | Mention], *, cannot_link: Iterable[tuple[str, str]] = (),
                  aliases: Aliases | None = None, weights: Sequence[int] | None = None) -> list[Assignment]:
    """Cluster the records of one block; return one :class:`Assignment` per record.

    A record is a :class:`Mention` or a dict ``{"name", "type", "titles", "count",
    "article"}`` (``count`` weights an aggregated form; ``article`` ids give
    cannot-links between different names in one article). ``cannot_link`` adds
    pairs of name keys known to be different people; ``weights`` give the count of
    each :class:`Mention` record (aggregated forms, as the store keeps them).
    """
    mentions: list[Mention | None] = []
    counts: list[int] = []
    by_article: dict[object, set[str]] = defaultdict(set)
    for i, r in enumerate(records):
        if isinstance(r, Mention):
            m, w = r, (weights[i] if weights is not None else 1)
        else:
            m = prepare(r.get("name") or "", r.get("type"), r.get("titles") or (), aliases)
            w = int(r.get("count") or 1)
            if m is not None and r.get("article") is not None:
                by_article[r["article"]].add(m.key)
        mentions.append(m)
        counts.append(w)
    cannot: set[frozenset[str]] = {frozenset(p) for p in cannot_link if p[0] != p[1]}
    for keys in by_article.values():
        ks = sorted(keys)
        for i, a in enumerate(ks):
            for b in ks[i + 1:]:
                cannot.add(frozenset((a, b)))
    if aliases is not None:
        cannot |= aliases.forbid

    forms: dict[tuple[str, str], _Form] = {}
    for m, w in zip(mentions, counts, strict=True):
        if m is None:
            continue
        f = forms.setdefault((m.key, m.type), _Form(m.key, m.type))
        f.count += w
        f.displays[m.display] = f.displays.get(m.display, 0) + w
        for t in m.titles:
            f.titles[t] = f.titles.get(t, 0) + w
    result_of = _assign(list(forms.values()), cannot)
    return [result_of[(m.key, m.type)] if m is not None else Assignment("", "", "") for m in mentions]


def cluster_forms(forms: Sequence[tuple[str, str, dict[str, int], Iterable[str]]], *,
                  cannot_link: Iterable[tuple[str, str]] = (),
                  aliases: Aliases | None = None) -> list[Assignment | None]:
    """:func:`cluster_block` on name forms already aggregated, as the store keeps them.

    A form is ``(key, type, {display: count}, titles)``: the same as one :class:`Mention` record of
    that key and type per display, weighted by its count (displays counted 0 or less are left out;
    a form with none gets ``None``). Same result as :func:`cluster_block` on those records, without
    building and re-aggregating them.
    """
    cannot: set[frozenset[str]] = {frozenset(p) for p in cannot_link if p[0] != p[1]}
    if aliases is not None:
        cannot |= aliases.forbid
    built: dict[tuple[str, str], _Form] = {}
    for key, typ, displays, titles in forms:
        disp = {d: c for d, c in displays.items() if c > 0}
        if not disp:
            continue
        n = sum(disp.values())
        f = built.get((key, typ))
        if f is None:
            f = built[(key, typ)] = _Form(key, typ, n, disp)
        else:
            f.count += n
            for d, c in disp.items():
                f.displays[d] = f.displays.get(d, 0) + c
        for t in titles:  # each record carries every title of its form, weighted by its count
            f.titles[t] = f.titles.get(t, 0) + n
    result_of = _assign(list(built.values()), cannot) if built else {}
    return [result_of.get((key, typ)) for key, typ, _d, _t in forms]


def _assign(forms: list[_Form], cannot: set[frozenset[str]]) -> dict[tuple[str, str], Assignment]:
    """Cluster the forms of one block; the speaker of each (key, type)."""
    # One form is always its own speaker (the store meets many such blocks).
    groups = [forms] if len(forms) == 1 else _cluster_forms(forms, cannot)
    result_of: dict[tuple[str, str], Assignment] = {}
    for g in groups:
        best = g[0] if len(g) == 1 else max(g, key=lambda f: (len(f.words), f.count, _neg(f.key)))
        displays = best.displays
        display = (next(iter(displays)) if len(displays) == 1
                   else max(displays.items(), key=lambda kv: (kv[1], _neg(kv[0])))[0])
        a = Assignment(speaker_id_for(best.key, best.type), display, best.type)
        for f in g:
            result_of[(f.key, f.type)] = a
    return result_of


@functools.lru_cache(maxsize=1 << 16)
def _neg(s: str) -> tuple[int, ...]:
    """Sort key that makes max() prefer the lexicographically smallest string (determinism)."""
    return tuple(-ord(c) for c in s)


def _cluster_forms(forms: list[_Form], cannot: set[frozenset[str]]) -> list[list[_Form]]:
    forms.sort(key=lambda f: (f.type, -len(f.words), -f.count, f.key))
    clusters: list[list[_Form]] = []
    sums: list[int] = []  # count of each cluster's forms (kept while full names are placed)

    cannot_of: dict[str, set[str]] = defaultdict(set)
    for pair in cannot:
        a, b = tuple(pair)
        cannot_of[a].add(b)
        cannot_of[b].add(a)

    def blocked(f: _Form, c: list[_Form]) -> bool:
        other = cannot_of.get(f.key)
        return bool(other) and any(g.key in other for g in c)  # type: ignore[union-attr]

    compatible = _names_compatible
    for f in forms:
        if f.type == PERSON and f.partial:
            continue
        if f.type != PERSON:
            clusters.append([f])  # organisations: one block per exact key already
            sums.append(f.count)
            continue
        # The heaviest cluster (the first among equals) whose full names all agree with f's.
        other = cannot_of.get(f.key)
        fw, typ = f.words, f.type
        best, best_n = -1, 0
        for i, c in enumerate(clusters):
            if c[0].type != typ or (other and any(g.key in other for g in c)):
                continue
            for g in c:
                if not g.partial and not compatible(fw, g.words):
                    break
            else:
                if best < 0 or sums[i] > best_n:
                    best, best_n = i, sums[i]
        if best >= 0:
            clusters[best].append(f)
            sums[best] += f.count
        else:
            clusters.append([f])
            sums.append(f.count)

    # Partial names: first group spelling variants among themselves, then attach each group.
    pgroups: list[list[_Form]] = []
    for f in forms:
        if f.type != PERSON or not f.partial:
            continue
        for g in pgroups:
            if not blocked(f, g) and all(compatible(f.words, h.words) for h in g):
                g.append(f)
                break
        else:
            pgroups.append([f])
    for g in pgroups:
        cands = [c for c in clusters if c[0].type == PERSON
                 and not any(blocked(f, c) for f in g)
                 and all(compatible(f.words, h.words) for f in g for h in c)]
        target = _choose(g, cands)
        if target is None:
            clusters.append(g)
        else:
            target.extend(g)
    return clusters


def _choose(group: list[_Form], cands: list[list[_Form]]) -> list[_Form] | None:
    """Which full-name cluster a surname-only group joins, or None when ambiguous."""
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    titles = {t for f in group for t in f.titles}
    if titles:
        agree = [c for c in cands if titles & {t for f in c for t in f.titles}]
        if len(agree) == 1:
            return agree[0]
    weights = sorted(((sum(f.count for f in c), i) for i, c in enumerate(cands)), reverse=True)
    if weights[0][0] >= 3 * weights[1][0]:
        return cands[weights[0][1]]
    return None


def resolve(records: Sequence[dict], *, aliases: Aliases | None = None,
            cannot_link: Iterable[tuple[str, str]] = ()) -> list[Assignment]:
    """Cluster records of any blocks: group by block key, then :func:`cluster_block` each block."""
    blocks: dict[str, list[int]] = defaultdict(list)
    prepared: list[Mention | None] = []
    for i, r in enumerate(records):
        m = prepare(r.get("name") or "", r.get("type"), r.get("titles") or (), aliases)
        prepared.append(m)
        if m is not None:
            blocks[m.block].append(i)
    out = [Assignment("", "", "")] * len(records)
    cl = list(cannot_link)
    for idx in blocks.values():
        res = cluster_block([records[i] for i in idx], cannot_link=cl, aliases=aliases)
        for i, a in zip(idx, res, strict=True):
            out[i] = a
    return out


def same_speaker(a: str, b: str, *, aliases: Aliases | None = None, context: Sequence[dict] = ()) -> bool:
    """Would the two names be one speaker (with optional other records of their block as context)?"""
    ma, mb = prepare(a, aliases=aliases), prepare(b, aliases=aliases)
    if ma is None or mb is None or ma.block != mb.block:
        return False
    recs = [{"name": a}, {"name": b}, *[r for r in context if block_key(r.get("name") or "", r.get("type"),
                                                                        aliases) == ma.block]]
    res = cluster_block(recs, aliases=aliases)
    return res[0].speaker_id == res[1].speaker_id
