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
``captions_datelines.tsv``; every rule becomes one branch of a single compiled
regex, so one ``finditer`` pass over the text does all the work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from qawl.model import Caption

_HEAD = 200  # "head" datelines must start within this many characters of the text
_SPACE = " \t\n\r\xa0\u2002\u2003\u2009\u202f\u200f\u200e\u202b\u202c\ufeff"
# One Arabic word (letters, hamza forms, diacritics, tatweel, Persian letters).
_WORD = r"[\u0621-\u065F\u0670-\u06D3]+"
_ARABIC_START = r"[\u0621-\u064A\u0671-\u06D3«\"“(]"


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    kind: str
    head_only: bool
    credit_group: str | None
    span_group: str | None


def _rows(filename: str) -> list[dict[str, str]]:
    """Rows of a TSV data file as dicts (header line first; ``#`` lines are comments)."""
    raw = resources.files("qawl.data").joinpath(filename).read_text(encoding="utf-8")
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    for lineno, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) < 2:
            raise ValueError(f"{filename}:{lineno}: expected tab-separated columns {header}")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False)))
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


def _caption_patterns() -> list[tuple[str, str, str]]:
    """(name, kind, pattern) of the caption rules built from agencies.tsv."""
    ag = _agencies()
    latin = rf"(?:{_alternation(ag['caption'])})(?![A-Za-z])"
    # A credit run: "AFP/Getty Images", "Reuters/Carlos Barria", "AFP via Getty Images".
    extra = r"[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3}"
    run = rf"{latin}(?:[ \t]*(?:/|,|،| via | and |&)[ \t]*(?:{latin}|{extra}))*"
    credit = rf"(?<!\w)(?:{_alternation(ag['credit'])})(?!\w)"
    return [
        # A line that starts with a Latin credit glued to Arabic text.
        ("caption_line", "caption", rf"^[ \t\xa0]*(?P<credit>{run})[ \t\xa0]*(?={_ARABIC_START})[^\n]*"),
        # The same inside a text without line breaks: right after a sentence end, up to the next one.
        ("caption_stretch", "caption",
         rf"(?<=[.!؟\xa0])[ \t\xa0]+(?P<credit>{run})[ \t\xa0]*(?={_ARABIC_START})[^\n.!؟]*[.!؟]?"),
        # A line that is nothing but a credit: "فرانس24/ أ ف ب", "(أ ف ب)", "Getty Images".
        ("credit_line", "caption",
         rf"^[ \t\xa0]*\(?(?P<credit>{credit}(?:[ \t]*/[ \t]*{credit})*)\)?[ \t\xa0]*$"),
    ]


@functools.cache
def _compiled() -> tuple[re.Pattern[str], tuple[_Rule, ...]]:
    ag = _agencies()
    specs: list[tuple[str, str, bool, str]] = []  # name, kind, head_only, pattern
    for name, kind, pat in _caption_patterns():
        specs.append((name, kind, False, pat))
    for row in _rows("captions_datelines.tsv"):
        pat = row["pattern"].replace("{agency}", f"(?:{_alternation(ag['dateline'])})(?!\\w)")
        pat = pat.replace("{w}", _WORD)
        specs.append((row["name"], "dateline", row["where"].strip() == "head", pat))
    for row in _rows("boilerplate.tsv"):
        kind = row["kind"].strip()
        if kind not in ("boilerplate", "caption", "dateline"):
            raise ValueError(f"boilerplate.tsv: unknown kind {kind!r} in row {row['name']!r}")
        specs.append((row["name"], kind, False, row["pattern"]))

    branches: list[str] = []
    rules: list[_Rule] = []
    for i, (name, kind, head_only, pat) in enumerate(specs):
        # Group names must be unique in `re`: give each rule its own credit/span group.
        cg = f"c{i}" if "(?P<credit>" in pat else None
        sg = f"s{i}" if "(?P<span>" in pat else None
        pat = pat.replace("(?P<credit>", f"(?P<c{i}>").replace("(?P<span>", f"(?P<s{i}>")
        try:
            re.compile(pat)
        except re.error as e:
            raise ValueError(f"captions: bad pattern in rule {name!r}: {e}") from e
        branches.append(f"(?P<r{i}>{pat})")
        rules.append(_Rule(name, kind, head_only, cg, sg))
    return re.compile("|".join(branches), re.MULTILINE), tuple(rules)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def find_captions(text: str) -> list[Caption]:
    """Captions, credits, datelines and boilerplate in ``text``, sorted and non-overlapping."""
    if not isinstance(text, str):
        raise TypeError(f"find_captions: text must be str, not {type(text).__name__}")
    if not text:
        return []
    pattern, rules = _compiled()
    found: list[tuple[int, int, Caption]] = []
    for m in pattern.finditer(text):
        rule = rules[int(m.lastgroup[1:])]  # type: ignore[index]
        if rule.head_only and m.start() > _HEAD:
            continue
        s, e = m.span(rule.span_group) if rule.span_group else m.span()
        s, e = _trim(text, s, e)
        if s >= e:
            continue
        credit = None
        if rule.credit_group and m.group(rule.credit_group):
            credit = m.group(rule.credit_group).strip(_SPACE) or None
        found.append((s, e, Caption((s, e), credit, rule.kind)))
    # finditer never overlaps matches, but trimming and span groups can; keep the earliest, longest.
    found.sort(key=lambda t: (t[0], -t[1]))
    out: list[Caption] = []
    last_end = -1
    for s, e, cap in found:
        if s >= last_end:
            out.append(cap)
            last_end = e
    return out
