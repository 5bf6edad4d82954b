"""Publication dates from page metadata and from Arabic page text.

Arabic outlets write dates with Gregorian month names (Egypt, Gulf), Levantine
(Syriac) month names, Maghrebi (French-derived) names, or a pair such as
``27 نوفمبر/ تشرين الثاني 2025``. Matching runs on ``normalize.fold`` text, so
hamza forms, ta marbuta and Arabic-Indic digits need no variants here.
"""

from __future__ import annotations

import datetime as dt
import re

import regex

from qawl.normalize import fold

# Folded spellings (أ/إ/آ → ا, ة → ه) of month names, by month number.
_MONTHS: dict[str, int] = {}
for _num, _names in {
    1: ["يناير", "كانون الثاني", "جانفي", "جانفييه"],
    2: ["فبراير", "شباط", "فيفري", "فبرير"],
    3: ["مارس", "اذار"],
    4: ["ابريل", "نيسان", "افريل", "ابرايل"],
    5: ["مايو", "ايار", "ماي", "مايس"],
    6: ["يونيو", "يونيه", "حزيران", "جوان", "يونيوز"],
    7: ["يوليو", "يوليه", "تموز", "جويليه", "يوليوز", "جويلة"],
    8: ["اغسطس", "اب", "اوت", "غشت", "اغسطوس"],
    9: ["سبتمبر", "ايلول", "شتنبر"],
    10: ["اكتوبر", "تشرين الاول", "اكتوبر"],
    11: ["نوفمبر", "تشرين الثاني", "نونبر"],
    12: ["ديسمبر", "كانون الاول", "دجنبر", "دسمبر"],
}.items():
    for _n in _names:
        _MONTHS[_n] = _num

# Longest names first so "كانون الثاني" wins over a shorter prefix; spaces inside names are flexible.
_MONTH_ALT = "|".join(
    regex.escape(n).replace(r"\ ", r"\s+") for n in sorted(_MONTHS, key=len, reverse=True)
)
_AR_DATE = regex.compile(
    r"(?<![\p{L}\p{N}])(?P<day>\d{1,2})\s*(?:من\s+)?"
    rf"(?P<m1>{_MONTH_ALT})(?:\s*[/\-–(]\s*(?P<m2>{_MONTH_ALT})\s*\)?)?"
    r"\s*[,،]?\s*(?:عام\s+|سنه\s+)?(?P<year>\d{4})(?!\d)"
)
_EN_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_EN_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})\s+(?P<m1>[A-Za-z]{3,9})\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))\b"
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")


def _month_num(name: str) -> int | None:
    return _MONTHS.get(regex.sub(r"\s+", " ", name))


def _valid(y: int, m: int, d: int) -> str | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_arabic_date(text: str) -> str | None:
    """First Arabic-month date in ``text`` as YYYY-MM-DD, or None.

    With a month pair (``نوفمبر/ تشرين الثاني``) both names must agree.
    """
    for m in _AR_DATE.finditer(fold(text)):
        m1 = _month_num(m.group("m1"))
        if m.group("m2") and _month_num(m.group("m2")) != m1:
            continue
        if m1 and (iso := _valid(int(m.group("year")), m1, int(m.group("day")))):
            return iso
    return None


def parse_date_value(value: str | None) -> str | None:
    """A date from a metadata value: ISO 8601 (with time/zone), d/m/Y, English or Arabic month names."""
    if not value:
        return None
    value = fold(str(value)).strip()[:200]
    for rx, order in ((_ISO, (1, 2, 3)), (re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T.*)?$"), (1, 2, 3))):
        m = rx.search(value)
        if m and (iso := _valid(*(int(m.group(i)) for i in order))):
            return iso
    if iso := parse_arabic_date(value):
        return iso
    if m := _EN_DATE.search(value):
        d, mon, y = (m.group("d1"), m.group("m1"), m.group("y1")) if m.group("d1") else (
            m.group("d2"), m.group("m2"), m.group("y2"))
        mon_l = mon.lower()
        num = next((i for name, i in _EN_MONTHS.items() if name.startswith(mon_l[:3])), None)
        if num and (iso := _valid(int(y), num, int(d))):
            return iso
    m = _DMY.search(value)  # Arabic outlets write day first
    if m and (iso := _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))):
        return iso
    return None


def date_from_url(url: str | None) -> str | None:
    """``/2025/11/27/`` style dates in article URLs."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
