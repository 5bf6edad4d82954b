"""Time expressions in a clause, resolved against the publication date.

``find_times(text, start, end, published)`` returns :class:`qawl.model.TimeRef`
spans into ``text`` (inside ``text[start:end]``) with ``value`` an ISO date
(``YYYY-MM-DD``), month (``YYYY-MM``) or year (``YYYY``), or None when it cannot
be resolved. Pure: relative expressions are resolved only from ``published``,
never from today's date. Granularity and conventions are in ``docs/dates.md``.

The words live in ``qawl/data/time_words.tsv``; one regex is built from them and
run over the folded clause (``qawl.normalize.shadow``), so spelling variants of
hamza, ta marbuta, alef maqsura and Arabic-Indic digits all match while spans
still point into the original text. Resolution is done by the rules below;
dateparser is not called (see docs/dates.md for what it gets right and wrong).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Final

from qawl.datafiles import tsv_rows
from qawl.layout import Tok
from qawl.model import TimeRef
from qawl.normalize import fold

_MARKS = frozenset("\u0640" + "".join(chr(c) for c in range(0x064B, 0x0653)))
_TYPES = {
    "weekday", "month", "hijri_month", "day_rel", "unit", "mod", "this", "part", "daypart",
    "dur_unit", "number", "approx", "vague", "not_today", "not_before_today",
}


@dataclass(frozen=True, slots=True)
class _Lex:
    words: dict[str, dict[str, str]]  # type -> folded word -> value
    ambiguous: frozenset[str]  # folded month names that need context
    regex: re.Pattern[str]  # the grammar, tried with .match() at a few word starts per anchor
    anchor: re.Pattern[str]  # words every expression contains, after a separator; fast to scan
    anchor_head: re.Pattern[str]  # the same at the very start of a clause
    lead: frozenset[str]  # folded words that may come before an anchor inside an expression
    digit_ok: re.Pattern[str]  # a number that can be part of a date (a month, ه, / or a unit follows)
    anchor_firsts: frozenset[str]  # folded first word of every anchor word or phrase


# Folded letter -> every spelling it stands for, so the regex runs on the original text (no folding,
# no offset map): folding a whole article costs more than the whole search.
_VARIANTS = {
    "ا": "[اأإآٱ]", "ه": "[هة]", "ي": "[يىی]", "ك": "[كک]",
    **{str(d): f"[{d}{chr(0x0660 + d)}{chr(0x06F0 + d)}]" for d in range(10)},
}


def _v(word: str) -> str:
    """Regex for a folded word that also matches its unfolded spellings."""
    return "".join(_VARIANTS.get(c, re.escape(c)) for c in word)


def _alt(words: object) -> str:
    """Alternation of folded words, grouped by a literal first letter (variants expanded).

    `re` rejects a group after one character comparison, so a failing attempt at a word start
    costs one check per first letter rather than one per word.
    """
    by_first: dict[str, set[str]] = {}
    for w in words:  # type: ignore[attr-defined]
        cls = _VARIANTS.get(w[0])
        for c in (cls[1:-1] if cls else w[0]):
            by_first.setdefault(c, set()).add(w[1:])
    groups = []
    for first, rests in sorted(by_first.items()):
        alts = "|".join(_v(r) for r in sorted(rests, key=len, reverse=True))
        groups.append(f"{re.escape(first)}(?:{alts})")
    return "|".join(groups)


@functools.cache
def _lex() -> _Lex:
    words: dict[str, dict[str, str]] = {t: {} for t in _TYPES}
    ambiguous: set[str] = set()
    for lineno, row in tsv_rows("time_words.tsv"):
        typ = row["type"].strip()
        if typ not in _TYPES:
            raise ValueError(f"time_words.tsv:{lineno}: unknown type {typ!r}")
        w = fold(row["word"].strip())
        words[typ][w] = row["value"].strip()
        if "ambiguous" in row.get("flags", ""):
            ambiguous.add(w)
    lead = set(_LEAD_WORDS)
    for typ in ("part", "daypart", "this", "approx", "number", "weekday", "day_rel", "month"):
        for w in words[typ]:
            lead.update(w.split())
    anchor, anchor_head = _anchors(words)
    sp = r"[ \t\xa0]+"
    names = _alt(set(words["month"]) | set(words["hijri_month"]) | set(words["dur_unit"]) | {"الشهر"})
    digit_ok = rf"[0-9٠-٩]+(?:[ \t\xa0]*(?:[/.\-][0-9٠-٩]|ه|م(?!\w))|{sp}(?:من{sp})?(?:{names})(?!\w))"
    return _Lex(words, frozenset(ambiguous), re.compile(_grammar(words)), re.compile(anchor),
                re.compile(anchor_head), frozenset(fold(w) for w in lead), re.compile(digit_ok),
                frozenset(w.split()[0] for w in _anchor_names(words)))


def _anchor_names(w: dict[str, dict[str, str]]) -> set[str]:
    names: set[str] = set()
    for typ in ("weekday", "month", "hijri_month", "day_rel", "unit", "dur_unit", "vague"):
        names.update(w[typ])
    return names


def anchor_starts(toks: list[Tok]) -> list[int]:
    """Starts (folded offsets) of the folded tokens that could hold an anchor; none, and
    ``find_times`` surely finds nothing in the text they cover. Mapped to the original text, they are
    ``find_times``'s ``at``.

    Every expression holds an anchor: a time word or phrase, whole, or a number, at a word start
    after a separator (و ف ب ل may be glued before it). Folding maps each spelling the anchor regex
    accepts to the folded word, so a token that is no anchor's first word (nor one with a proclitic,
    nor a number) cannot hold one: a set lookup per word, where the anchor regex tries every space.
    """
    firsts = _lex().anchor_firsts
    return [t.start for t in toks if _may_anchor(firsts, t.text)]


def _may_anchor(firsts: frozenset[str], w: str) -> bool:
    if w in firsts:
        return True
    o = ord(w[0])
    if 0x30 <= o <= 0x39 or 0x660 <= o <= 0x669:  # a number
        return True
    if len(w) > 1 and o in _PROCLITICS:
        o = ord(w[1])
        return 0x30 <= o <= 0x39 or 0x660 <= o <= 0x669 or w[1:] in firsts
    return False


_PROCLITICS: Final = frozenset(map(ord, "وفبل"))


def _anchors(w: dict[str, dict[str, str]]) -> tuple[str, str]:
    """Anchor words (every expression contains one): after a separator, and at a clause start.

    The scan leads with a character class so `re` jumps between word starts in C; the words are
    grouped by their first letter, written as a plain literal (variants expanded), so each word
    start rejects non-anchors after one character comparison per group.
    """
    trie = _alt(_anchor_names(w))
    word = rf"[وفبل]?(?P<a>(?:{trie})(?!\w)|[0-9٠-٩])"
    return rf"[ \n\t\xa0(«\"“،,]\u200f?{word}", word


def _grammar(w: dict[str, dict[str, str]]) -> str:
    """One alternation of named branches over folded text (most specific first)."""
    sp = r"[ \t\xa0]+"
    # Word edges (\w covers Arabic letters and digits); a proclitic و ف ب ل may precede, outside the span.
    B, E = r"(?:(?<!\w)|(?<=(?<!\w)[وفبل]))", r"(?!\w)"
    wd, mon, hm = _alt(w["weekday"]), _alt(w["month"]), _alt(w["hijri_month"])
    rel, unit, mod = _alt(w["day_rel"]), _alt(w["unit"]), _alt(w["mod"])
    this, part, dp = _alt(w["this"]), _alt(w["part"]), _alt(w["daypart"])
    dur, num, approx, vague = _alt(w["dur_unit"]), _alt(w["number"]), _alt(w["approx"]), _alt(w["vague"])
    not_today = _alt(w["not_today"])
    # Fixed-width lookbehinds, one per word: "عين اليوم" (the outlet) and «اليوم» are not "today".
    not_before = "".join(
        f"(?<!{_v(x)}[ \xa0])" if x[-1].isalpha() else f"(?<!{re.escape(x)})" for x in w["not_before_today"]
    )
    prep = rf"(?:و?(?:في|فى){sp})?"
    d = "[0-9٠-٩]"
    day = rf"(?:{d}?{d})"
    year = rf"(?:1[89]{d}{d}|20{d}{d}|[١][٨٩]{d}{d}|[٢][٠]{d}{d})"
    hyear = rf"(?:1[34]{d}{d}|[١][٣٤]{d}{d})"
    # "أكتوبر/ تشرين الأول", "أغسطس (آب)", "يوليو - تموز", "يوليو تموز": one month, two names.
    mon2 = rf"(?:{mon})(?:[ \t\xa0]*[/\-–][ \t\xa0]*(?:{mon})|[ \t\xa0]*\([ \t\xa0]*(?:{mon})[ \t\xa0]*\)|{sp}(?:{mon}))?"
    yr = rf"(?:[ \t\xa0]*،?[ \t\xa0]*(?:من{sp})?(?:(?:عام|العام|سن[هة]|لعام){sp})?(?P<{{p}}year>{year})(?:[ \t\xa0]*م)?{E}" \
         rf"|{sp}(?:من{sp})?(?:العام|السن[هة]){sp}(?P<{{p}}ymod>{mod}){E})"
    branches = [
        # Hijri: "15 شوال 1436 هـ" (recognised, not converted); "1436هـ".
        rf"(?P<hijri>{B}(?:{day}{sp}(?:من{sp})?)?(?:(?:{hm}){sp}(?:(?:عام|سن[هة]){sp})?)?{hyear}[ \t\xa0]*ه\u0640*(?!\w))",
        rf"(?P<hijri2>{B}{day}{sp}(?:من{sp})?(?:{hm}){E})",
        # Day + month (+ year): "يوم 25 يوليو/تموز 2018", "في 19 من الشهر الجاري".
        rf"(?P<date>{B}{prep}(?:يوم{sp})?(?:(?P<d_wd>{wd}){sp}(?:الموافق{sp})?)?(?P<d_day>{day}){sp}(?:من{sp})?"
        rf"(?:(?:شهر{sp})?(?P<d_mon>{mon2})(?:{yr.replace('{p}', 'd_')})?"
        rf"|(?:الشهر|شهر){sp}(?P<d_mmod>{mod})){E})",
        # Numeric dates: 25/07/2018, 2018-07-25.
        rf"(?P<num>{B}(?P<n_d>{day})[/.\-](?P<n_m>[01]?\d)[/.\-](?P<n_y>{year}){E})",
        rf"(?P<iso>{B}(?P<i_y>{year})-(?P<i_m>[01]\d)-(?P<i_d>[0-3]\d){E})",
        # Month (+ year / modifier): "في شهر سبتمبر/أيلول العام الماضي", "في ديسمبر الماضي", "أواخر أكتوبر".
        rf"(?P<month>{B}(?P<m_prep>{prep})(?:(?P<m_part>{part}){sp})?(?P<m_shahr>شهر{sp})?(?P<m_mon>{mon2})"
        rf"(?:{yr.replace('{p}', 'm_')}|{sp}(?P<m_mod>{mod}){E})?{E})",
        # Calendar period: "الأسبوع الماضي", "هذا العام", "أواخر الشهر المقبل".
        rf"(?P<period>{B}{prep}(?:(?P<p_part>{part}){sp})?"
        rf"(?:(?P<p_this>{this}){sp}(?P<p_unit>{unit})|(?P<p_unit2>{unit}){sp}(?P<p_mod>{mod})){E})",
        # Year: "عام 2016", "في 2016".
        rf"(?P<year>{B}{prep}(?:(?P<y_part>{part}){sp})?(?:عام|العام|سن[هة]|لعام|للعام|السن[هة]){sp}(?P<y_y>{year}){E}"
        rf"(?![ \t\xa0]*ه\u0640*(?!\w)))",
        rf"(?P<year2>{B}(?:في|فى){sp}(?P<y2_y>{year}){E}(?![ \t\xa0]*ه\u0640*(?!\w)))",
        # Day words: "أمس السبت", "اليوم الخميس", "مساء أمس", "أول أمس" (اليوم not before العالمي …).
        rf"(?P<rel>{B}{not_before}(?:(?:{dp}){sp})?(?:يوم{sp})?(?P<r_rel>{rel}){E}"
        rf"(?:{sp}(?:يوم{sp})?(?P<r_wd>{wd}){E})?(?!{sp}(?:{not_today}){E}))",
        # Weekdays: "الأربعاء", "يوم الاثنين", "الجمعة الماضي".
        rf"(?P<wd>{B}(?:(?:{dp}){sp})?(?:يوم{sp})?(?P<w_wd>{wd}){E}(?:{sp}(?P<w_mod>{mod}){E})?)",
        # Unresolved: "قبل نحو شهرين", "وفي وقت لاحق".
        rf"(?P<dur>{B}(?:قبل|منذ|بعد|خلال){sp}(?:(?:{approx}){sp})?(?:(?:\d+|{num}){sp})?(?:{dur}){E})",
        rf"(?P<vague>{B}(?:و?(?:في|فى){sp})?(?:{vague}){E})",
    ]
    return "|".join(branches)


def _date(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _month_shift(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _nearest_year(pub: dt.date, month: int, day: int | None) -> int:
    """Year that puts month/day nearest the publication date (the past wins a tie)."""
    best = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        if day is None:
            dist = abs((y * 12 + month) - (pub.year * 12 + pub.month)) * 31
        else:
            try:
                dist = abs((dt.date(y, month, day) - pub).days)
            except ValueError:
                continue
        key = (dist, y > pub.year or (y == pub.year and (month, day or 0) > (pub.month, pub.day)))
        if best is None or key < best[0]:
            best = (key, y)
    return best[1] if best else pub.year


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
    if m is not None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _month_no(lex: _Lex, mon2: str) -> int:
    """Number of the first month name in a (possibly paired, folded) month group."""
    for name in sorted(lex.words["month"], key=len, reverse=True):
        if mon2.startswith(name):
            return int(lex.words["month"][name])
    return 0


def _resolve(lex: _Lex, m: re.Match[str], pub: dt.date | None) -> str | None | bool:
    """ISO value, None (unresolved), or False (not a time expression after all)."""
    def g(name: str) -> str:
        x = m.group(name)
        return fold(x) if x else ""  # "" for a group that did not take part

    kind = m.lastgroup
    W = lex.words
    if kind in ("hijri", "hijri2", "dur", "vague"):
        return None
    if kind == "num":
        return _iso(int(g("n_y")), int(g("n_m")), int(g("n_d")))
    if kind == "iso":
        return _iso(int(g("i_y")), int(g("i_m")), int(g("i_d")))
    if kind == "date":
        d = int(g("d_day"))
        if g("d_mmod"):
            if pub is None:
                return None
            y, mo = _month_shift(pub.year, pub.month, int(W["mod"][g("d_mmod")]))
            return _iso(y, mo, d)
        mo = _month_no(lex, g("d_mon"))
        if g("d_year"):
            return _iso(int(g("d_year")), mo, d)
        if pub is None:
            return None
        if g("d_ymod"):
            return _iso(pub.year + int(W["mod"][g("d_ymod")]), mo, d)
        return _iso(_nearest_year(pub, mo, d), mo, d)
    if kind == "month":
        mon2 = g("m_mon")
        mo = _month_no(lex, mon2)
        has_context = bool(g("m_prep") or g("m_part") or g("m_shahr") or g("m_year") or g("m_ymod")
                           or g("m_mod") or mon2 not in lex.words["month"])
        if mon2 in lex.ambiguous and not has_context:
            return False
        if g("m_year"):
            return _iso(int(g("m_year")), mo)
        if pub is None:
            return None
        if g("m_ymod"):
            return _iso(pub.year + int(W["mod"][g("m_ymod")]), mo)
        if g("m_mod"):
            k = int(W["mod"][g("m_mod")])
            if k < 0:  # the last such month strictly before the publication month
                y = pub.year if mo < pub.month else pub.year - 1
            elif k > 0:  # the next such month strictly after it
                y = pub.year if mo > pub.month else pub.year + 1
            else:
                y = pub.year
            return _iso(y, mo)
        return _iso(_nearest_year(pub, mo, None), mo)
    if kind == "period":
        unit = W["unit"][g("p_unit") or g("p_unit2")]
        k = 0 if g("p_this") else int(W["mod"][g("p_mod")])
        if pub is None:
            return None
        if unit == "year":
            return _iso(pub.year + k)
        if unit == "month":
            return _iso(*_month_shift(pub.year, pub.month, k))
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=k)
        return monday.isoformat()
    if kind == "year":
        return _iso(int(g("y_y")))
    if kind == "year2":
        return _iso(int(g("y2_y")))
    if pub is None:
        return None
    if kind == "rel":
        day = pub + dt.timedelta(days=int(W["day_rel"][g("r_rel")]))
        if g("r_wd"):  # "أمس السبت": the named weekday wins (crawl dates can lag a day)
            wd = int(W["weekday"][g("r_wd")])
            day = day - dt.timedelta(days=(day.weekday() - wd) % 7)
        return day.isoformat()
    if kind == "wd":
        wd = int(W["weekday"][g("w_wd")])
        k = int(W["mod"][g("w_mod")]) if g("w_mod") else 0
        if k > 0:  # "الأربعاء المقبل": the next one strictly after publication
            return (pub + dt.timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)).isoformat()
        back = (pub.weekday() - wd) % 7
        if k < 0 and back == 0:  # "الجمعة الماضي" on a Friday: a week ago
            back = 7
        return (pub - dt.timedelta(days=back)).isoformat()
    return None


# Words of the grammar itself that can precede an anchor ("في 14 أكتوبر", "قبل نحو شهرين").
_LEAD_WORDS = ("في", "فى", "يوم", "شهر", "من", "الموافق", "قبل", "منذ", "بعد", "خلال", "عام", "العام",
               "سنة", "السنة", "لعام", "للعام", "م", "،")
_DIGITS: Final = frozenset("0123456789٠١٢٣٤٥٦٧٨٩")
_YEAR_LEAD = frozenset(fold(w) for w in ("عام", "العام", "سنة", "السنة", "لعام", "للعام", "في", "فى", "وفي"))
_BACK = 4  # an expression starts at most this many words before its anchor (في أواخر شهر أكتوبر)


def _anchor_spans(lex: _Lex, text: str, start: int, end: int, at: list[int] | None) -> list[tuple[int, int]]:
    """Spans of the anchor words in ``text[start:end]``: ``lex.anchor.finditer``, or, given the words
    that could hold one (``at``), the same regex tried only before each of them."""
    head = lex.anchor_head.match(text, start, end)
    anchors = [head.span("a")] if head else []
    lo = max(0, start - 1)
    if at is None:
        anchors += [a.span("a") for a in lex.anchor.finditer(text, lo, end)]
        return anchors
    for w in at:  # a match opens with a separator right before the word, or before a direction mark
        q = w - 1
        if q > 0 and text[q] == "\u200f":
            q -= 1
        if q >= lo:
            m = lex.anchor.match(text, q, end)
            if m is not None:
                anchors.append(m.span("a"))
                lo = m.end()  # as finditer: the next match starts after this one
    return anchors


def _scan(lex: _Lex, text: str, start: int, end: int, at: list[int] | None) -> list[re.Match[str]]:
    """Grammar matches in ``text[start:end]``, tried only at the few word starts before each anchor
    (anchors are looked for everywhere, or only before the words ``at``)."""
    out: list[re.Match[str]] = []
    last = start
    match = lex.regex.match
    for p, pe in _anchor_spans(lex, text, start, end, at):
        if p < last:
            continue
        # Most numbers are not dates: go on only if a month, unit, ه or a separator follows,
        # or the word before is a year word ("عام 2016", "في 2016").
        if text[p] in _DIGITS and not lex.digit_ok.match(text, p, end):
            q0 = max(text.rfind(" ", last, p - 1) + 1, last)
            if fold(text[q0:p]).strip() not in _YEAR_LEAD:
                continue
        starts = [p]
        q = p
        for _ in range(_BACK):  # walk back only over words that can open an expression
            if q <= last + 1:
                break
            q0 = max(text.rfind(" ", last, q - 1) + 1, last)
            word = fold(text[q0:q - 1]).strip()
            if not (word.isdigit() or word in lex.lead or (word[:1] in "وفبل" and word[1:] in lex.lead)):
                break
            q = q0
            starts.append(q)
        if p > last and text[p - 1] in "وفبل":  # a proclitic glued to the anchor ("والأربعاء")
            starts.append(p - 1)
        # A word may carry a proclitic that stays outside the span ("وهذا العام" -> "هذا العام").
        starts += [q + 1 for q in starts if q < end and text[q] in "وفبل"]
        for q in sorted(set(starts)):
            m = match(text, q, min(end, pe + 60))
            if m is not None and m.end() > p:
                out.append(m)
                last = m.end()
                break
    return out


def find_times(text: str, start: int, end: int, published: str | None,
               at: list[int] | None = None) -> list[TimeRef]:
    """Time expressions inside ``text[start:end]``, resolved against ``published`` (YYYY-MM-DD).

    ``at``: the starts, in order, of the only words in the range that can hold an anchor
    (``anchor_starts``, mapped to ``text``), so anchors are looked for there alone; the result is
    the same as without it."""
    if not isinstance(text, str):
        raise TypeError(f"find_times: text must be str, not {type(text).__name__}")
    pub: dt.date | None = None
    if published:
        try:
            pub = _date(published[:10])
        except ValueError:
            raise ValueError(f"find_times: published must be YYYY-MM-DD, got {published!r}") from None
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        return []
    lex = _lex()
    out: list[TimeRef] = []
    for m in _scan(lex, text, start, end, at):
        value = _resolve(lex, m, pub)
        if value is False:
            continue
        s, e = m.span()
        while e < end and text[e] in _MARKS:  # keep a trailing tatweel or diacritic ("هـ") inside
            e += 1
        out.append(TimeRef((s, e), text[s:e], value))  # type: ignore[arg-type]
    return out
