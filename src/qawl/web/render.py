"""Turn a `qawl/1` extraction into safe HTML: highlighted text, a statement list, a timeline.

Article text is hostile input. Every slice of it goes through ``html_text``, which
escapes it and replaces bidirectional-override controls by a visible, inert marker
(display only: offsets are computed on the original text and never shift).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import regex
from markupsafe import Markup, escape

# Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can reorder what
# the reader sees ("Trojan Source"), so they are shown as labels instead of being obeyed.
BIDI_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}
_BIDI_RE = regex.compile("[\u202a-\u202e\u2066-\u2069]")
ROLES = ("content", "cue", "speaker", "addressee", "channel", "source", "time")
KINDS = ("direct", "indirect", "mixed", "according")


def plain(s: Any) -> Any:
    """Neutralise bidi controls in a plain string (Jinja ``finalize``: it is escaped afterwards)."""
    # Exact str only (Markup is already safe HTML); ASCII cannot hold the controls: skip the regex.
    if s.__class__ is str and not s.isascii() and _BIDI_RE.search(s):
        return _BIDI_RE.sub(lambda m: f"[{BIDI_NAMES[m.group()]}]", s)
    return s


def html_text(s: str) -> str:
    """Escaped HTML for a slice of hostile text, bidi controls shown as inert labels."""
    if not _BIDI_RE.search(s):
        return str(escape(s))
    out: list[str] = []
    last = 0
    for m in _BIDI_RE.finditer(s):
        out.append(str(escape(s[last:m.start()])))
        c = m.group()
        out.append(f'<span class="ctl" title="U+{ord(c):04X}">{BIDI_NAMES[c]}</span>')
        last = m.end()
    out.append(str(escape(s[last:])))
    return "".join(out)


def _span(part: Any, n: int) -> tuple[int, int] | None:
    """A valid (start, end) within the text, or None (bad spans are ignored, never trusted)."""
    if not isinstance(part, dict):
        return None
    sp = part.get("span")
    if not isinstance(sp, list | tuple) or len(sp) != 2:
        return None
    try:
        s, e = int(sp[0]), int(sp[1])
    except (TypeError, ValueError):
        return None
    s, e = max(0, s), min(n, e)
    return (s, e) if s < e else None


@dataclass(slots=True)
class Item:
    """One attribution prepared for display."""

    aid: str
    num: int
    kind: str
    start: int
    content: str
    cue: str
    speaker_text: str | None
    speaker_name: str | None
    addressee: str | None
    addressee_name: str | None
    channel: str | None
    source: str | None
    source_name: str | None
    time: str | None
    time_value: str | None
    confidence: float
    links: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Highlighted:
    html: Markup
    items: list[Item]


def _clean_kind(k: Any) -> str:
    return k if k in KINDS else "direct"


def highlight(extraction: dict[str, Any], labels: dict[str, str] | None = None) -> Highlighted:
    """Highlight every attribution of a `qawl/1` dict; return HTML and the reading-order list."""
    text = extraction.get("text") or ""
    if not isinstance(text, str):
        text = str(text)
    n = len(text)
    labels = labels or {}
    ents = {e.get("id"): e for e in extraction.get("entities") or [] if isinstance(e, dict)}

    atts = [a for a in extraction.get("attributions") or [] if isinstance(a, dict)]
    # Reading order: by the earliest of its spans.
    prepared = []
    for i, a in enumerate(atts):
        spans = {r: _span(a.get(r), n) for r in ROLES}
        starts = [sp[0] for sp in spans.values() if sp]
        prepared.append((min(starts) if starts else n, i, a, spans))
    prepared.sort(key=lambda x: (x[0], x[1]))

    # intervals: (start, end, css class, aid or None)
    intervals: list[tuple[int, int, str, str | None]] = []
    badges: dict[int, list[tuple[str, int, str]]] = {}
    items: list[Item] = []
    for num, (start, _i, a, spans) in enumerate(prepared, 1):
        aid = str(a.get("id") or f"A{num}")
        kind = _clean_kind(a.get("kind"))
        for role, sp in spans.items():
            if sp:
                cls = f"r-{role} k-{kind}" if role == "content" else f"r-{role}"
                intervals.append((sp[0], sp[1], cls, aid))
        if spans["content"]:
            badges.setdefault(spans["content"][0], []).append((aid, num, kind))

        def txt(role: str, a: dict = a) -> str | None:
            p = a.get(role)
            return str(p.get("text")) if isinstance(p, dict) and p.get("text") is not None else None

        def ent_name(role: str, a: dict = a) -> str | None:
            p = a.get(role)
            if isinstance(p, dict) and p.get("entity") in ents:
                return str(ents[p["entity"]].get("name") or "") or None
            return None

        sp = a.get("speaker") if isinstance(a.get("speaker"), dict) else {}
        tm = a.get("time") if isinstance(a.get("time"), dict) else {}
        try:
            conf = float(a.get("confidence") or 0.0)
        except (TypeError, ValueError):
            conf = 0.0
        items.append(Item(
            aid=aid, num=num, kind=kind, start=start,
            content=txt("content") or "", cue=txt("cue") or "",
            speaker_text=sp.get("text"), speaker_name=sp.get("name") or ent_name("speaker"),
            addressee=txt("addressee"), addressee_name=ent_name("addressee"),
            channel=txt("channel"), source=txt("source"), source_name=ent_name("source"),
            time=txt("time"), time_value=tm.get("value") if tm else None, confidence=conf,
        ))
    for c in extraction.get("captions") or []:
        sp = _span(c, n)
        if sp:
            intervals.append((sp[0], sp[1], "cap", None))

    # Sweep: cut the text at every boundary; each piece carries the set of active classes.
    cuts = {0, n}
    for s, e, _c, _a in intervals:
        cuts.add(s)
        cuts.add(e)
    cuts.update(badges)
    points = sorted(cuts)
    starts_at: dict[int, list[int]] = {}
    for idx, (s, _e, _c, _a) in enumerate(intervals):
        starts_at.setdefault(s, []).append(idx)
    active: set[int] = set()
    out: list[str] = []
    for p, q in zip(points, points[1:], strict=False):
        active.update(starts_at.get(p, ()))
        active = {i for i in active if intervals[i][1] > p}
        for aid, num, kind in badges.get(p, ()):
            lab = labels.get(f"k_{kind}", kind)
            out.append(f'<sup class="badge k-{kind}" data-a="{escape(aid)}">{num}·{escape(lab)}</sup>')
        piece = html_text(text[p:q])
        if not active:
            out.append(piece)
            continue
        classes: list[str] = []
        aids: list[str] = []
        # Content first so a click on nested parts picks the innermost statement's id order.
        for i in sorted(active, key=lambda i: (intervals[i][1] - intervals[i][0])):
            _s, _e, cls, aid = intervals[i]
            for c in cls.split():
                if c not in classes:
                    classes.append(c)
            if aid and aid not in aids:
                aids.append(aid)
        data = f' data-a="{escape(" ".join(aids))}"' if aids else ""
        out.append(f'<span class="h {" ".join(classes)}"{data}>{piece}</span>')
    return Highlighted(Markup("".join(out)), items)


@dataclass(slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    count: int
    label: str


def timeline(weekly: list[dict[str, Any]], width: int = 640, height: int = 160) -> dict[str, Any]:
    """Geometry of a statements-per-week bar chart (rendered as SVG by the template).

    Empty weeks between the first and last are filled in with zero so gaps show.
    """
    counts: dict[dt.date, int] = {}
    for w in weekly or []:
        try:
            d = dt.date.fromisoformat(str(w.get("week"))[:10])
        except ValueError:
            continue
        d = d - dt.timedelta(days=d.weekday())
        counts[d] = counts.get(d, 0) + int(w.get("count") or 0)
    if not counts:
        return {"bars": [], "width": width, "height": height, "max": 0, "ticks": []}
    first, last = min(counts), max(counts)
    weeks = []
    d = first
    while d <= last and len(weeks) < 520:  # ten years at most on one chart
        weeks.append(d)
        d += dt.timedelta(days=7)
    top = max(counts.values())
    pad_l, pad_b, pad_t = 28, 22, 8
    plot_w, plot_h = width - pad_l - 8, height - pad_b - pad_t
    bw = plot_w / len(weeks)
    bars = []
    for i, wk in enumerate(weeks):
        c = counts.get(wk, 0)
        h = plot_h * c / top if top else 0
        w = min(max(bw * 0.8, 1), 48)  # one week on its own should not fill the chart
        bars.append(Bar(round(pad_l + i * bw + (bw - w) / 2, 2), round(pad_t + plot_h - h, 2),
                        round(w, 2), round(h, 2), c, wk.isoformat()))
    step = max(1, len(bars) // 6)
    ticks = [b for i, b in enumerate(bars) if i % step == 0]
    return {"bars": bars, "width": width, "height": height, "max": top, "ticks": ticks,
            "base": pad_t + plot_h, "left": pad_l}
