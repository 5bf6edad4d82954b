"""Captions, credits, datelines and outlet boilerplate: spans that never yield attributions.

``find_captions(text)`` returns :class:`qawl.model.Caption` spans into ``text``
(never a rewritten copy), sorted by start, trimmed of surrounding whitespace and
non-overlapping. Three kinds:

- ``caption``: a picture caption or credit line that starts with an agency name
  glued to its text (``Reuters لم يزر …``, ``Getty Images …``) or a line that is
  only a credit (``فرانس24/ أ ف ب``); ``credit`` is the agency as written.
- ``dateline``: ``دبي، الإمارات العربية المتحدة (CNN)--``, ``الرياض 16 شوال … واس``,
  ``عبدالله البرقاوي- سبق- الرياض:`` …; ``credit`` is the agency when there is one.
- ``boilerplate``: app, share, footer and separator lines; ``credit`` is None.

All linguistic knowledge is in ``qawl/data/agencies.tsv``, ``boilerplate.tsv`` and
``captions_datelines.tsv``. Rules anchored at a line start are compiled into one
regex tried once per line (datelines only on lines starting in the first 200
characters; later lines only when they start with a non-Arabic character or a
listed word); the few rules that can match anywhere carry a literal they need
(``رابط الخبر``, ``انتهى`` …) and run only when the text contains it. In a text
with no line break, a caption is the stretch from a Latin credit after a sentence
end to the next sentence end.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qawl.datafiles import tsv_rows
from qawl.model import Caption

_HEAD = 200  # datelines must start within this many characters of the text
_SPACE = " \t\n\r\xa0\u2002\u2003\u2009\u202f\u200f\u200e\u202b\u202c\ufeff"
# One Arabic word (letters, hamza forms, diacritics, tatweel, Persian letters).
_WORD = r"[\u0621-\u065F\u0670-\u06D3]+"
_ARABIC_START = r"[\u0621-\u064A\u0671-\u06D3«\"“(]"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    kind: str
    credit_group: str | None
    span_group: str | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    head: re.Pattern[str]  # every line rule in one regex: the definition the tried-apart rules equal
    body: re.Pattern[str]  # line rules that are not datelines; tried at every line start
    first: frozenset[str]  # group names (r<i>) of the body rules listed before the datelines
    datelines: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]  # (needed literals, regex), in order
    gate: re.Pattern[str]  # a newline followed by a line that could start a body rule
    rules: tuple[_Rule, ...]  # by branch number (r<i>) of head/body
    anywhere: tuple[tuple[str, re.Pattern[str], _Rule], ...]  # (needed literal, regex, rule)
    stretch: tuple[re.Pattern[str], _Rule]  # captions inside texts without line breaks


def _rows(filename: str) -> list[dict[str, str]]:
    """Rows of a TSV data file as dicts; every row needs at least two columns."""
    rows = []
    for lineno, row in tsv_rows(filename):
        if sum(1 for v in row.values() if v) < 2:
            raise ValueError(f"{filename}:{lineno}: expected tab-separated columns {list(row)}")
        rows.append(row)
    return rows


def _alternation(names: list[str]) -> str:
    # Longest first so "Getty Images" wins over "Getty", "EPA-EFE" over "EPA".
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@functools.cache
def _agencies() -> dict[str, list[str]]:
    by_role: dict[str, list[str]] = {"caption": [], "dateline": [], "credit": []}
    for row in _rows("agencies.tsv"):
        name = row["name"].strip()
        for role in row["roles"].split(","):
            role = role.strip()
            if role not in by_role:
                raise ValueError(f"agencies.tsv: unknown role {role!r} for {name!r}")
            by_role[role].append(name)
    return by_role


def _caption_patterns() -> tuple[list[tuple[str, str, str]], str]:
    """Line rules (name, kind, pattern) built from agencies.tsv, and the in-text caption pattern."""
    ag = _agencies()
    latin = rf"(?:{_alternation(ag['caption'])})(?![A-Za-z])"
    # A credit run: "AFP/Getty Images", "Reuters/Carlos Barria", "AFP via Getty Images".
    extra = r"[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}"
    run = rf"{latin}(?:[ \t]*(?:/|,|،| via | and |&)[ \t]*(?:{latin}|{extra}))*"
    credit = rf"(?<!\w)(?:{_alternation(ag['credit'])})(?!\w)"
    line = [
        # A line that starts with a Latin credit glued to Arabic text.
        ("caption_line", "caption", rf"^[ \t\xa0]*(?P<credit>{run})[ \t\xa0]*(?={_ARABIC_START})[^\n]*"),
        # A line that is nothing but a credit: "فرانس24/ أ ف ب", "(أ ف ب)", "Getty Images".
        ("credit_line", "caption",
         rf"^[ \t\xa0]*\(?(?P<credit>{credit}(?:[ \t]*/[ \t]*{credit})*)\)?[ \t\xa0]*$"),
    ]
    # The same caption inside a text without line breaks: right after a sentence end, up to the next.
    # Starts with a character class so the regex engine skips quickly to candidate positions.
    stretch = rf"[.!؟\xa0][ \t\xa0]+(?P<span>(?P<credit>{run})[ \t\xa0]*(?={_ARABIC_START})[^\n.!؟]*[.!؟]?)"
    return line, stretch


def _rule(i: int, name: str, kind: str, pat: str) -> tuple[str, _Rule]:
    """Give a rule's credit/span groups unique names (required by `re`) and check it compiles."""
    cg = f"c{i}" if "(?P<credit>" in pat else None
    sg = f"s{i}" if "(?P<span>" in pat else None
    pat = pat.replace("(?P<credit>", f"(?P<c{i}>").replace("(?P<span>", f"(?P<s{i}>")
    # Zero-width and direction marks also open lines in scraped text.
    pat = pat.replace(r"^[ \t\xa0]*", r"^[ \t\xa0\u200b-\u200f\u202a-\u202e\ufeff]*")
    pat = pat.replace(r"[ \t\xa0]*$", r"[ \t\xa0\r]*$")  # CRLF texts
    try:
        re.compile(pat, re.MULTILINE)
    except re.error as e:
        raise ValueError(f"captions: bad pattern in rule {name!r}: {e}") from e
    return pat, _Rule(name, kind, cg, sg)


@functools.cache
def _compiled() -> _Compiled:
    ag = _agencies()
    line_specs, stretch = _caption_patterns()
    # Line rules: (name, kind, pattern, head_only); Arabic words body lines may start with.
    line: list[tuple[str, str, str, bool]] = [(n, k, p, False) for n, k, p in line_specs]
    starts: set[str] = {n for n in ag["credit"] if "\u0621" <= n[0] <= "\u064a"}
    needs: dict[str, tuple[str, ...]] = {}
    for row in _rows("captions_datelines.tsv"):
        pat = row["pattern"].replace("{agency}", f"(?:{_alternation(ag['dateline'])})(?!\\w)")
        line.append((row["name"], "dateline", pat.replace("{w}", _WORD), True))
        needs[row["name"]] = tuple(n for n in row.get("needs", "").split(",") if n)
    anywhere: list[tuple[str, re.Pattern[str], _Rule]] = []
    for i, row in enumerate(_rows("boilerplate.tsv")):
        kind = row["kind"].strip()
        if kind not in ("boilerplate", "caption", "dateline"):
            raise ValueError(f"boilerplate.tsv: unknown kind {kind!r} in row {row['name']!r}")
        if row["needs"]:
            pat, rule = _rule(1000 + i, row["name"], kind, row["pattern"])
            anywhere.append((row["needs"], re.compile(pat, re.MULTILINE), rule))
        else:
            line.append((row["name"], kind, row["pattern"], False))
            starts.update(w.strip() for w in row["starts"].split(",") if w.strip())

    head: list[str] = []
    body: list[str] = []
    rules: list[_Rule] = []
    first: set[str] = set()
    datelines: list[tuple[tuple[str, ...], re.Pattern[str]]] = []
    for i, (name, kind, pat, head_only) in enumerate(line):
        pat, rule = _rule(i, name, kind, pat)
        rules.append(rule)
        head.append(f"(?P<r{i}>{pat})")
        if not head_only:
            body.append(f"(?P<r{i}>{pat})")
            if not datelines:
                first.add(f"r{i}")
        else:
            datelines.append((needs[name], re.compile(f"(?P<r{i}>{pat})", re.MULTILINE)))
    # Most lines start with an Arabic letter and match no body rule: skip them without a .match().
    gate = rf"\n[ \t\xa0]*(?:[^\u0621-\u064A\s]|{_alternation(sorted(starts))})"
    pat, srule = _rule(2000, "caption_stretch", "caption", stretch)
    return _Compiled(
        head=re.compile("|".join(head), re.MULTILINE),
        body=re.compile("|".join(body), re.MULTILINE),
        first=frozenset(first),
        datelines=tuple(datelines),
        gate=re.compile(gate),
        rules=tuple(rules),
        anywhere=tuple(anywhere),
        stretch=(re.compile(pat), srule),
    )


def _caption(text: str, m: re.Match[str], rule: _Rule) -> tuple[int, int, Caption] | None:
    s, e = m.span(rule.span_group) if rule.span_group else m.span()
    s, e = _trim(text, s, e)
    if s >= e:
        return None
    credit = None
    if rule.credit_group and m.group(rule.credit_group):
        credit = m.group(rule.credit_group).strip(_SPACE) or None
    return s, e, Caption((s, e), credit, rule.kind)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _head_match(comp: _Compiled, text: str, pos: int) -> re.Match[str] | None:
    """``comp.head.match(text, pos)``, trying the datelines apart: each only on a line holding one of
    the literals it needs. An alternation takes its first branch that matches, so this is the same
    match, without running the long dateline patterns over lines that cannot hold them."""
    m = comp.body.match(text, pos)
    if m is not None and m.lastgroup in comp.first:
        return m  # a rule listed before the datelines
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    for needs, rx in comp.datelines:
        if not needs or any(text.find(n, pos, end) >= 0 for n in needs):
            dm = rx.match(text, pos)
            if dm is not None:
                return dm
    return m


def find_captions(text: str) -> list[Caption]:
    """Captions, credits, datelines and boilerplate in ``text``, sorted and non-overlapping."""
    if not isinstance(text, str):
        raise TypeError(f"find_captions: text must be str, not {type(text).__name__}")
    if not text:
        return []
    comp = _compiled()
    found: list[tuple[int, int, Caption]] = []

    def add(m: re.Match[str] | None, rule: _Rule | None = None) -> None:
        if m is not None:
            c = _caption(text, m, rule or comp.rules[int(m.lastgroup[1:])])  # type: ignore[index]
            if c:
                found.append(c)

    # Lines starting near the top: every line rule, datelines included.
    pos = 0
    while True:
        add(_head_match(comp, text, pos))
        nl = text.find("\n", pos, _HEAD)
        if nl < 0:
            break
        pos = nl + 1
    # Later lines: only those the gate lets through (a non-Arabic first character or a listed word).
    for g in comp.gate.finditer(text, _HEAD):
        add(comp.body.match(text, g.start() + 1))
    for needs, rx, rule in comp.anywhere:
        if needs in text:
            for m in rx.finditer(text):
                add(m, rule)
    if "\n" not in text.strip():
        rx, rule = comp.stretch
        for m in rx.finditer(text):
            add(m, rule)
    # Rules can overlap one another; keep the earliest, then the longest.
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[Caption] = []
    last_end = -1
    for s, e, cap in found:
        if s >= last_end:
            out.append(cap)
            last_end = e
    return out
