"""Choosing the speaker: the noun phrase around a cue, its name and titles, and salience.

Works on tokens of the folded text (``qawl.layout.tokens``). A cue's speaker is
(1) the noun phrase after the verb (verb–subject order, with appositions between
commas), (2) the noun phrase before it (subject–verb order: ``لكن ترامب قال``),
or (3) for a dropped subject or pronoun (``وأضاف``، ``مضيفاً``) the most salient
earlier speaker whose gender and number agree with the verb.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qawl.layout import Tok
from qawl.lexicon import lexicon

PREPOSITIONS = frozenset({
    "في", "خلال", "عبر", "اثناء", "امام", "عقب", "بعد", "قبل", "ضمن", "لدي", "منذ", "حول", "عن", "مع",
    "علي", "من", "الي", "حين", "عند", "بين", "تجاه", "ازاء", "حتي", "بعيد", "عشيه", "قبيل", "اليوم", "بشان",
})
RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان", "اللواتي", "اللاتي"})
TIME_WORDS = frozenset({
    "السبت", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "امس", "اليوم", "يوم", "غدا",
    "مساء", "صباح", "ليل", "ليله", "الليله", "ظهر", "عصر", "مؤخرا", "سابقا", "لاحقا", "ايضا", "كذلك",
    "بدوره", "بدورها", "بدورهم", "اول", "حينها", "حينذاك", "عندها", "عام", "العام", "شهر", "الشهر",
    "الاسبوع", "اسبوع", "مطلع", "منتصف", "اواخر", "اوائل", "نهايه", "بدايه", "فجر", "الماضي", "المقبل",
    "الحالي", "الجاري", "اليوم،", "امس،", "وقتها", "وقتئذ", "انذاك", "حاليا",
})
_PARTICLES = frozenset({"قد", "لقد", "كان", "كانت", "كانوا", "وكان", "وكانت", "فقد", "وقد", "ثم", "كما", "وكما",
                        "لكن", "ولكن", "بيد", "الا", "غير", "اما", "فيما", "بينما", "حيث", "اذ", "و", "ف", "ان",
                        "انه", "انها", "بل", "او", "ام", "هذا", "هذه", "ذلك", "تلك", "هو", "هي", "هم", "ما", "لا",
                        "لم", "لن", "قال", "يوم", "بعد", "منذ", "عندما", "حين", "الذي", "التي"})
_MEDIA_L = ("للصحفيين", "للصحافيين", "للصحافه", "للاعلام", "لوسائل", "لقناه", "لصحيفه", "لوكاله", "لتلفزيون",
            "لاذاعه", "لموقع", "لمجله", "للتلفزيون", "للاذاعه", "للوكاله", "لشبكه", "للمراسلين", "للحضور",
            "لبرنامج", "للبرنامج", "لنظير", "لنظرائه")
_L_STOP = frozenset({"لكن", "لان", "لدي", "لها", "له", "لهم", "لهما", "لم", "لن", "لا", "لقد", "لعل", "ليس", "لماذا",
                     "لذلك", "لذا", "لكي", "لمده", "لما", "لي", "لنا", "لك", "لكم"})
_COUNTED_TIMES = frozenset({"مره", "مرات", "مناسبه", "مناسبات", "عام", "اعوام", "سنه", "سنوات", "شهر", "اشهر",
                            "اسبوع", "اسابيع", "يوم", "ايام", "ساعه", "ساعات", "عقد", "عقود"})
_NAME_STOP = frozenset({"احد", "احدي", "بعض", "كبير", "كبيره", "ابرز", "اكبر", "عدد", "وهو", "وهي", "نفسه", "نفسها", "عدم",
                        "ايضا", "كذلك", "بدوره", "بدورها", "اليوم", "امس"})


QUANTIFIERS = frozenset({"عدد", "بعض", "احد", "احدي", "مجموعه", "كثير", "عشرات", "مئات", "الاف", "معظم", "اغلب",
                         "اكثر", "اقل"})


@dataclass(slots=True)
class NounPhrase:
    """A speaker noun phrase in folded coordinates, split into titles and name."""

    start: int
    end: int
    name_start: int
    name_end: int
    kind: str  # PERSON | ORG | SOURCE
    has_name: bool  # a personal or proper name, not only titles or a description
    plural: bool = False
    titles: list[tuple[int, int]] = field(default_factory=list)

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, start: int, end: int, name_start: int, name_end: int, kind: str, has_name: bool,
                 plural: bool = False, titles: list[tuple[int, int]] | None = None) -> None:
        self.start = start
        self.end = end
        self.name_start = name_start
        self.name_end = name_end
        self.kind = kind
        self.has_name = has_name
        self.plural = plural
        self.titles = [] if titles is None else titles


@dataclass(slots=True)
class Stretch:
    """What stands between a cue and its content: speaker, addressee, channel."""

    speaker: NounPhrase | None = None
    addressee: tuple[int, int] | None = None
    channel: tuple[int, int] | None = None

    def __init__(self, speaker: NounPhrase | None = None, addressee: tuple[int, int] | None = None,
                 channel: tuple[int, int] | None = None) -> None:
        self.speaker = speaker
        self.addressee = addressee
        self.channel = channel


def _is_name_word(w: str) -> bool:
    lex = lexicon()
    return w in lex.given_names or w.startswith(("عبد", "ابو", "ابن", "بن", "ال" + "شيخ")) and len(w) > 3


def is_title(w: str) -> bool:
    return w in lexicon().titles


def _is_punct(w: str) -> bool:
    return len(w) == 1 and not w.isalnum()


def noun_phrase(toks: list[Tok]) -> NounPhrase | None:
    """Split a noun phrase's tokens into titles and a name."""
    words = [t for t in toks if not _is_punct(t.text)]
    if not words:
        return None
    commas = [t.start for t in toks if t.text in ("،", ",")]
    lex = lexicon()
    head = words[0].text
    if head in QUANTIFIERS and len(words) > 2 and words[1].text == "من" and words[2].text in _COUNTED_TIMES:
        return None  # "شدد أكثر من مرة على …": how often, not who
    if head in QUANTIFIERS and len(words) > 2 and words[1].text == "من":
        # "عدد من الناشطين"، "بعض من …": an unnamed group, the whole phrase
        return NounPhrase(words[0].start, words[-1].end, words[0].start, words[-1].end, "PERSON", False, True)
    if head in lex.sources and head not in lex.titles or head.lstrip("و") in ("مصادر", "مصدر"):
        plural = head in ("مصادر", "المصادر") or head.endswith(("ون", "ين"))
        return NounPhrase(words[0].start, words[-1].end, words[0].start, words[-1].end, "SOURCE", False, plural)
    if head in lex.org_heads and not head.startswith("ال") and not any(is_title(w.text) for w in words[1:]):
        # "مدرسة سانت ماري العامة": a given name inside an organisation's name starts no person
        return NounPhrase(words[0].start, words[-1].end, words[0].start, words[-1].end, "ORG", False, False)
    # The name starts at the first given name, else after the leading titles and their complements.
    start = None
    for i, t in enumerate(words):
        w = t.text
        if _is_name_word(w):
            start = i
            # "جلوي بن عبد العزيز": a name word before بن belongs to the name
            while start >= 2 and words[start - 1].text in ("بن", "بنت", "ابن") and not is_title(words[start - 2].text):
                start -= 2
            break
    if start is None:
        i = 0
        expect_complement = False
        while i < len(words):
            w = words[i].text
            if is_title(w):
                # only an indefinite head takes a genitive ("مقدم البرنامج"); "المقدم عاطي" is title + name
                expect_complement = w in lex.genitive_titles and not w.startswith("ال")
                i += 1
                if i < len(words) and words[i].text in ("باسم", "بإسم", "باسمه"):
                    # "متحدث باسم مكتب رئاسة الوزراء": the whole complement names whom he speaks for
                    i += 1
                    while i < len(words) and not _is_name_word(words[i].text):
                        i += 1
                    expect_complement = False
                continue
            if w.startswith("ال") or expect_complement and i > 0:
                expect_complement = False
                i += 1
                continue
            if i > 0 and l_complement(words, i):
                # "الهيئة العامة للإحصاء"، "المتحدث الرسمي لوزارة الداخلية": a ل-complement of the
                # description, not the start of a name (its definite genitive, if any, follows by the rule above)
                expect_complement = False
                i += 1
                continue
            if w in PREPOSITIONS and i > 0:  # "مسؤول في الاتحاد …": the PP belongs to the description
                expect_complement = True
                i += 1
                continue
            break
        start = i if i < len(words) else None
    titles: list[tuple[int, int]] = []
    if start is None:
        # Only titles or a description ("المراسلة البرازيلية", "وزارة الخارجية").
        kind = "ORG" if head in lex.org_heads else "PERSON"
        plural = head.endswith(("ون", "ين")) and not head.endswith("يين") or head in ("القادة", "قادة", "السلطات")
        return NounPhrase(words[0].start, words[-1].end, words[0].start, words[-1].end, kind, False, plural)
    end = start
    n = 0
    max_n = 8 if any(w.text in ("بن", "بنت", "ال", "ابن") for w in words[start:]) else 4
    while end < len(words) and n < max_n:
        w = words[end].text
        if end > start and any(words[end - 1].end <= c < words[end].start for c in commas):
            break  # "أمجد المنيف، المستشار …": the name ends at the comma
        after_link = end > start and words[end - 1].text in ("بن", "بنت", "ابن", "ال", "عبد", "ابو")
        if end > start and not after_link and (is_title(w) and not w.startswith("ال") or w in _NAME_STOP or _cue_word(w)
                            or (w in TIME_WORDS or _weekday(w)) and w not in ("سابقا", "لاحقا")
                            and not _adjective_general(w, words[end - 1].text,
                                                       words[end + 1].text if end + 1 < len(words) else "")
                            or w in _PARTICLES or w in RELATIVES or w in PREPOSITIONS
                            or _to_someone(w)):
            break
        if end > start and w.startswith("ال") and n >= 3 and max_n == 4:
            break
        if end > start and not after_link and is_title(w) and end + 1 < len(words) \
                and _is_name_word(words[end + 1].text):
            # "المعارض لبقاء سامي الجابر الأمير نواف بن محمد": the earlier name sat inside the
            # description; the title and the name after it are the speaker
            start = end = end + 1
            n = 0
            if any(w2.text in ("بن", "بنت", "ال", "ابن") for w2 in words[start:]):
                max_n = 8
            continue
        end += 1
        n += 1
    if start > 0:
        titles.append((words[0].start, words[start - 1].end))
    kind = "ORG" if words[start].text in lex.org_heads else "PERSON"
    return NounPhrase(words[0].start, words[end - 1].end, words[start].start, words[end - 1].end, kind,
                      kind == "PERSON", False, titles)


_YEAR_AFTER = frozenset({"الماضي", "المقبل", "الحالي", "الجاري", "القادم", "المنصرم"})


def _adjective_general(w: str, prev: str, nxt: str) -> bool:
    """``العام`` after a definite noun is "general" (المدير العام، لجنة التشريع العام), not "the year",
    unless a year or a modifier follows (العام الماضي، العام 2016)."""
    return w == "العام" and prev.startswith("ال") and prev not in TIME_WORDS and nxt not in _YEAR_AFTER \
        and not nxt.isdigit()


def _to_someone(w: str) -> bool:
    """``لمراسلة وكالة …``، ``للصحفيين``: ل + a title or a medium ends a name (it is the addressee)."""
    return len(w) > 3 and w.startswith("ل") and (is_title(w[1:]) or is_title("ا" + w[1:]) or w.startswith(_MEDIA_L))


def l_complement(words: list[Tok], i: int) -> bool:
    """Is ``words[i]`` a ل-complement inside a name or description (للإحصاء، لكرة القدم)?

    ل + article always is; a bare ل-word only when a definite genitive follows (لوزارة الداخلية), so a
    name that happens to start with ل (لوران بلان) is not taken for one.
    """
    w = words[i].text
    if len(w) < 4 or not w.startswith("ل") or w in _L_STOP or w.startswith(_MEDIA_L):
        return False  # "للصحفيين"، "لوكالة": the addressee
    return w.startswith("لل") or i + 1 < len(words) and words[i + 1].text.startswith("ال")


def _cue_word(w: str) -> bool:
    lex = lexicon()
    return w in lex.cue_forms or w[:1] in "وفب" and w[1:] in lex.cue_forms


# A preposition carrying a pronoun (فيه، عنها، منهم، عليه، بعدها): never a noun phrase.
PRONOUN_PPS = frozenset(
    p + e
    for p in ("في", "عن", "من", "علي", "الي", "ب", "ل", "مع", "بعد", "قبل", "عند", "لدي", "امام", "حول", "بين", "دون")
    for e in ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي")
)
_ASIDE = frozenset({"كما", "وكما", "حسبما", "مثلما", "وفق", "وفقا", "بحسب", "حسب", "نقلا"})


def parse_stretch(toks: list[Tok], folded: str) -> Stretch:
    """Parse the tokens between a cue and its content marker."""
    out = Stretch()
    lex = lexicon()
    np_toks: list[Tok] = []
    i = 0
    n = len(toks)
    seen_name = False
    in_relative = False
    late = False
    while i < n:
        t = toks[i]
        s, e, w = t.start, t.end, t.text
        if w in ("،", ",") and np_toks and i + 1 < n and toks[i + 1].text in _ASIDE:
            break  # "وقال الوزير، كما ورد في كلمته، إن …": an aside ends the speaker phrase
        if w in ("،", ","):
            in_relative = i + 1 < n and toks[i + 1].text in RELATIVES
            if np_toks and out.addressee is None and out.channel is None:
                np_toks.append(toks[i])
            i += 1
            continue
        if in_relative or w in RELATIVES:
            in_relative = True
            i += 1
            continue
        if _is_punct(w) and w not in "-":
            i += 1
            continue
        if w.startswith("ل") and 2 <= len(w) <= 3 and i + 1 < n and len(toks[i + 1].text) <= 3 \
                and toks[i + 1].text.isalpha() and out.addressee is None:
            # "قالوا لبي بي سي"، "لسي إن إن": a spelled-out acronym after ل is the addressee
            k = i + 1
            while k < n and len(toks[k].text) <= 3 and toks[k].text.isalpha() and k - i < 4:
                k += 1
            out.addressee = (s + 1, toks[k - 1].end)
            i = k
            continue
        if w in PRONOUN_PPS:
            i += 1  # "قالت فيه إن …"، "قال عنها في تغريدة": a preposition with a pronoun is never the speaker
            continue
        # channel: في/خلال/عبر + channel noun
        if w in ("في", "خلال", "عبر", "ضمن", "اثناء", "بحسب"):
            j = i + 1
            if j < n and lex.channels_re.match(folded, toks[j].start):
                k = j + 1
                while k < n and toks[k].text not in PREPOSITIONS and toks[k].text not in ("،", ",", ":") \
                        and not _addressee_word(toks[k].text, True) and toks[k].text not in TIME_WORDS:
                    k += 1
                if out.channel is None:
                    out.channel = (toks[j].start, toks[k - 1].end)
                i = k
                continue
        if seen_name and _in_title_apposition(np_toks) and l_complement(toks, i):
            np_toks.append(toks[i])  # "مصطفى وزيري، الأمين العام للمجلس الأعلى للآثار، إن …": not the addressee
            i += 1
            continue
        if _addressee_word(w, seen_name or not np_toks and w.startswith("لل")) or w in ("لـ", "ل") \
                or np_toks and w == "امام":
            j = i + 1 if w in ("لـ", "امام", "ل") else i
            k = j + 1
            if j < n and toks[j].text in "\"“”«»":
                # لـ"الاقتصادية": the addressee is the quoted name
                k = j + 1
                while k < n and toks[k].text not in "\"“”«»":
                    k += 1
                if k < n and out.addressee is None and k > j + 1:
                    out.addressee = (toks[j + 1].start, toks[k - 1].end)
                i = k + 1
                continue
            while k < n and toks[k].text not in PREPOSITIONS and toks[k].text not in ("،", ",", ":") \
                    and lex.channels_re.match(folded, toks[k].start) is None and toks[k].text not in TIME_WORDS \
                    and not (k > j and _addressee_word(toks[k].text, True)):
                k += 1
            if j < n and out.addressee is None:
                a0 = toks[j].start + (1 if toks[j].text.startswith("ل") and j == i and w != "لـ" else 0)
                if toks[j].text.startswith("لل"):
                    a0 = toks[j].start  # "للصحفيين": the article's alef is gone, keep the whole word
                out.addressee = (a0, toks[min(k, n) - 1].end)
            i = k
            continue
        if np_toks and lex.channels_re.fullmatch(w) and w.endswith(("ه", "ها", "هم")):
            # "واختتم الربيعي حديثه …": a possessed channel noun ends the speaker phrase
            if out.channel is None:
                out.channel = (s, e)
            i += 1
            continue
        if w == "من" and len(np_toks) == 1 and np_toks[0].text in QUANTIFIERS:
            np_toks.append(toks[i])  # "عدد من الناشطين"، "بعض من …"
            i += 1
            continue
        if (w in PREPOSITIONS or w in TIME_WORDS or _weekday(w)) \
                and not (np_toks and _adjective_general(w, np_toks[-1].text, toks[i + 1].text if i + 1 < n else "")):
            if np_toks and w in ("في",) and _description_only(np_toks):
                np_toks.append(toks[i])  # "مسؤول في الوزارة"
                i += 1
                continue
            if np_toks and not seen_name:
                # "المشرف العام على البرنامج الدكتور سليمان الشريع": the name comes after the PP
                for k in range(i + 1, min(n, i + 16)):
                    if _is_name_word(toks[k].text) and toks[k - 1].text not in PREPOSITIONS:
                        np_toks.extend(toks[i:k])
                        i = k
                        break
                else:
                    k = -1
                if k >= 0 and i == k:
                    continue
            # a PP or a time word ends the speaker phrase; skip the PP's object
            i += 1
            while i < n and toks[i].text not in ("،", ",") and not _addressee_word(toks[i].text, True) \
                    and toks[i].text not in ("في", "خلال", "عبر"):
                if np_toks:
                    break
                i += 1
            if np_toks:
                break
            continue
        if out.addressee is not None or out.channel is not None:
            # a subject after the addressee or channel: "كشفت لـ«عكاظ» مصادر في خطوط ملاحية أن …"
            if np_toks and not late:
                i += 1
                continue
            late = True
        np_toks.append(toks[i])
        if _is_name_word(w):
            seen_name = True
        i += 1
    while np_toks and np_toks[-1].text in ("،", ","):
        np_toks.pop()
    # apposition: keep comma segments, but cut at a segment that starts like a clause
    if np_toks:
        out.speaker = noun_phrase(np_toks)
    return out


def _continues_name(words: list[Tok], k: int) -> bool:
    """``وزير الخارجية سامح شكري``، ``الرئيس السوري بشار الأسد``: a name word, or the family name after a
    given name, unless that is a place (the verb's object)."""
    w = words[k].text
    if _is_name_word(w) or w in ("بن", "بنت"):
        return True
    prev = words[k - 1].text
    # after a given name, or after a definite title, which takes no genitive ("الشيخ صباح")
    after_name = _is_name_word(prev) or prev.startswith("ال") and is_title(prev) and not w.startswith("ال")
    return after_name and w.isalpha() and not place_length(words, k)


def place_length(words: list[Tok], i: int = 0) -> int:
    """Number of words of a place name (``دمشق``، ``تل أبيب``) starting at ``words[i]``, or 0."""
    places = lexicon().places
    best = 0
    for n in (1, 2):
        if i + n <= len(words) and tuple(w.text for w in words[i:i + n]) in places:
            best = n
    return best


def split_object(np_toks: list[Tok]) -> tuple[list[Tok], list[Tok]]:
    """``دعا البيان الحكومة التركية إلى …``: the subject is the first noun phrase, the rest its object."""
    lex = lexicon()
    words = [t for t in np_toks if not _is_punct(t.text) or t.text in "-"]
    if len(words) < 2:
        return np_toks, []
    head = words[0].text
    k = 1
    place = place_length(words)
    if place:
        # "اتهمت دمشق إسرائيل بـ…": a place is a whole subject; its adjectives (كوريا الشمالية) are in it
        k = place
        while k < len(words) and words[k].text.startswith("ال") and k < place + 2:
            k += 1
        if k >= len(words):
            return np_toks, []
        cut = words[k].start
        return [t for t in np_toks if t.start < cut], [t for t in np_toks if t.start >= cut]
    if head in lex.given_names or _is_name_word(head):
        while k < len(words) and k < 6 and (words[k].text.startswith("ال") and words[k - 1].text not in lex.org_heads
                                             or words[k].text in ("بن", "بنت") or words[k - 1].text in ("بن", "بنت")):
            k += 1
    else:
        if head in lex.genitive_titles or head in lex.org_heads and not head.startswith("ال"):
            k = 2  # construct: وزير الخارجية، وزارة الصحة، رئاسة إقليم
        singular = not head.endswith(("ات", "ون", "ين"))
        while k < len(words) and words[k].text.startswith("ال") and k < 6:
            if singular and words[k].text.endswith(("ات", "ين", "ون")) and not words[k].text.endswith("يين"):
                break  # "الوزارة المتقدمات": a plural after a singular head is the object, not an adjective
            k += 1
        if (head in lex.org_heads or head in lex.genitive_titles) and k < len(words) and k < 6 \
                and l_complement(words, k):
            # "الاتحاد السعودي لكرة القدم"، "الهيئة العامة للإحصاء": the ل-complement and its genitives
            # belong to the name
            k += 1
            while k < len(words) and words[k].text.startswith("ال") and k < 8:
                k += 1
        # an organisation takes no personal name, unless its complement is a person's title
        # ("مكتب رئيسة الوزراء البريطانية، تيريزا ماي")
        if head not in lex.org_heads or is_title(words[1].text):
            # (a loop test that opens with a loop-invariant bool made mypyc 2.4.1 emit invalid C)
            while k < len(words) and k < 8 and _continues_name(words, k):
                k += 1
    if k >= len(words):
        return np_toks, []
    cut = words[k].start
    return [t for t in np_toks if t.start < cut], [t for t in np_toks if t.start >= cut]


def _weekday(w: str) -> bool:
    return w in TIME_WORDS or w.lstrip("و") in TIME_WORDS and len(w) > 3


def _addressee_word(w: str, loose: bool) -> bool:
    if not w.startswith("ل") or w in _L_STOP or len(w) < 4:
        return False
    if w.startswith(_MEDIA_L):
        return True
    return loose and (w.startswith("لل") or _is_name_word(w[1:]))


def _in_title_apposition(np_toks: list[Tok]) -> bool:
    """Do the speaker tokens end inside an apposition that opened with a title after a comma
    (``…، الأمين العام``)?"""
    k = len(np_toks)
    while k > 0 and np_toks[k - 1].text not in ("،", ","):
        k -= 1
    seg = [t.text for t in np_toks[k:]]
    return k > 0 and bool(seg) and is_title(seg[0]) \
        and all(is_title(w) or w.startswith(("ال", "ل")) for w in seg)


def _description_only(np_toks: list[Tok]) -> bool:
    lex = lexicon()
    words = [t.text for t in np_toks if not _is_punct(t.text)]
    return bool(words) and all(w in lex.sources or w in lex.titles for w in words[:1]) and len(words) <= 3


_PP_OPENERS = frozenset({"حول", "وحول", "عن", "وعن", "في", "وفي", "من", "ومن", "علي", "وعلي", "بعد", "وبعد", "خلال",
                         "وخلال", "مع", "ومع", "ازاء", "وازاء", "بشان", "وبشان", "اما", "واما", "فيما", "وفيما"})


def preverbal_subject(toks: list[Tok], cue_index: int) -> list[Tok] | None:
    """The subject before a verb in subject–verb order (``لكن ترامب قال``، ``وكان الرئيس … قد اقترح``)."""
    if toks and toks[0].text in _PP_OPENERS:
        return None  # "وحول القلق …، قال:": the words before the verb are a fronted phrase, not its subject
    j = cue_index - 1
    # skip "قد"/"لقد" and a pronoun
    while j >= 0 and toks[j].text in ("قد", "لقد", "فقد", "وقد", "كان", "كانت", "كانوا"):
        j -= 1
    end = j
    depth = 0
    while j >= 0:
        w = toks[j].text
        if w in ("،", ","):
            depth += 1
            if depth > 2:
                break
            j -= 1
            continue
        if w in ("(", ")"):
            j -= 1
            continue
        if w == "في" and j < end:  # "موظفا سابقا في (سامو) قال"
            j -= 1
            continue
        if _is_punct(w) or w in _PARTICLES or w in PREPOSITIONS or w.startswith("و") and j < end and \
                not _is_name_word(w) and depth == 0 and w[1:] in _PARTICLES:
            break
        if w in ("كان", "كانت", "وكان", "وكانت", "فكان", "كانوا"):
            break
        j -= 1
        if end - j > 9:
            return None
    sub = [t for t in toks[j + 1:end + 1] if t.text not in ("،", ",")]
    if not sub:
        return None
    first = sub[0].text
    # The word before the subject must open a clause: sentence start, a conjunction, كان, لكن …
    prev = toks[j].text if j >= 0 else ""
    if j >= 0 and not (prev in _PARTICLES or prev in ("كان", "كانت", "وكان", "وكانت", "فكان")
                       or _is_punct(prev) and prev not in "\"“”«»"):
        return None
    if first in RELATIVES or first in PREPOSITIONS or not _np_opening(first):
        return None
    return sub


_ADVERBS = frozenset({"ابدا", "ايضا", "كذلك", "فقط", "حاليا", "دائما", "مجددا", "اخيرا", "سابقا", "لاحقا", "جدا"})
_PRON_PREP = frozenset({"فيها", "فيه", "فيهم", "عليها", "عليه", "منها", "منه", "له", "لها", "لهم", "بها", "به",
                        "عنها", "عنه", "اليها", "اليه", "معها", "معه"})


def _np_opening(w: str) -> bool:
    """Can this word open a subject noun phrase? (not a verb, adverb, coordinated noun or pronoun)."""
    lex = lexicon()
    if w in lex.given_names or w in lex.titles or w in lex.org_heads or w in lex.sources or w.startswith("ال"):
        return True
    if w in _ADVERBS or w in _PRON_PREP or w in _PARTICLES:
        return False
    if w[:1] in "ول" and len(w) > 3:  # "وإعطاء …"، "لتمسكهم …"
        return False
    return not (w.endswith("ت") and w[:1] not in "ا")  # "جعلت …": a verb


@dataclass(slots=True)
class Salient:
    entity: int
    gender: str
    plural: bool
    pos: int

    def __init__(self, entity: int, gender: str, plural: bool, pos: int) -> None:
        self.entity = entity
        self.gender = gender
        self.plural = plural
        self.pos = pos


class Salience:
    """Recent explicit speakers, most recent last, for dropped subjects and pronouns."""

    def __init__(self) -> None:
        self.items: list[Salient] = []

    def push(self, entity: int, gender: str, plural: bool, pos: int) -> None:
        # bounded, so a very long text stays linear
        self.items = [s for s in self.items[-63:] if s.entity != entity]
        self.items.append(Salient(entity, gender, plural, pos))

    def resolve(self, gender: str, plural: bool, pos: int, max_back: int = 2500) -> int | None:
        for s in reversed(self.items):
            if pos - s.pos > max_back:
                break
            if gender in ("m", "f") and s.gender in ("m", "f") and s.gender != gender:
                continue
            if plural != s.plural and (plural or s.plural):
                continue
            return s.entity
        # agreement failed everywhere: organisations take feminine verbs, groups masculine plural
        for s in reversed(self.items):
            if pos - s.pos <= max_back:
                return s.entity
        return None
