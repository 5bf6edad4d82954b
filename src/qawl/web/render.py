"""Turn a `qawl/1` extraction into safe HTML: highlighted text, a statement list, a timeline.

Article text is hostile input. Every slice of it goes through ``html_text``, which
escapes it and replaces bidirectional-override controls by a visible, inert marker
(display only: offsets are computed on the original text and never shift). The lists built
here instead of in templates (``reading``, ``hits``, ``article_head``; Jinja macros were most
of a page's cost) pass every value through ``_h``: the same bidi labels, then escaping.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

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
_SEP = "\x00"  # joins the pieces of a text for one escape() call (see highlight)


def plain(s: Any) -> Any:
    """Neutralise bidi controls in a plain string (Jinja ``finalize``: it is escaped afterwards)."""
    # Exact str only (Markup is already safe HTML); ASCII cannot hold the controls: skip the regex.
    if s.__class__ is str and not s.isascii() and _BIDI_RE.search(s):
        return _BIDI_RE.sub(_bidi_label, s)
    return s


def _bidi_label(m: Any) -> str:
    return f"[{BIDI_NAMES[m.group()]}]"


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
    if sp.__class__ is list and len(sp) == 2:  # the usual case: two ints from JSON
        s, e = sp
        if s.__class__ is int and e.__class__ is int:
            s, e = max(0, s), min(n, e)
            return (s, e) if s < e else None
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
    """Highlight every attribution of a `qawl/1` dict; return HTML and the reading-order list.

    One sweep over the cut points (span boundaries); each piece of text between two cuts is
    escaped (``html_text``) and wrapped in one ``<span>`` naming every active role and statement.
    The opening tag of a set of active spans is built once per set (they repeat along the text).
    """
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
        spans: dict[str, tuple[int, int]] = {}  # valid spans only, in ROLES order
        first = n
        for r in ROLES:
            part = a.get(r)
            if part is not None:
                sp = _span(part, n)
                if sp:
                    spans[r] = sp
                    if sp[0] < first:
                        first = sp[0]
        prepared.append((first, i, a, spans))
    prepared.sort(key=lambda x: (x[0], x[1]))

    # intervals, in reading order: start, end, css classes, statement id (None for captions)
    i_start: list[int] = []
    i_end: list[int] = []
    i_cls: list[tuple[str, ...]] = []
    i_aid: list[str | None] = []
    badges: dict[int, list[str]] = {}
    items: list[Item] = []
    for num, (start, _i, a, spans) in enumerate(prepared, 1):
        aid = str(a.get("id") or f"A{num}")
        kind = _clean_kind(a.get("kind"))
        for role, sp in spans.items():
            i_start.append(sp[0])
            i_end.append(sp[1])
            i_cls.append((f"r-{role}", f"k-{kind}") if role == "content" else (f"r-{role}",))
            i_aid.append(aid)
        if "content" in spans:
            lab = labels.get(f"k_{kind}", kind)
            badges.setdefault(spans["content"][0], []).append(
                f'<sup class="badge k-{kind}" data-a="{_h(aid)}">{num}·{_h(lab)}</sup>')
        items.append(_item(a, aid, num, kind, start, ents))
    for c in extraction.get("captions") or []:
        sp = _span(c, n)
        if sp:
            i_start.append(sp[0])
            i_end.append(sp[1])
            i_cls.append(("cap",))
            i_aid.append(None)

    # Sweep: cut the text at every boundary; each piece carries the set of active intervals.
    starts_at: dict[int, list[int]] = {}
    ends_at: dict[int, list[int]] = {}
    for idx, s in enumerate(i_start):
        starts_at.setdefault(s, []).append(idx)
        ends_at.setdefault(i_end[idx], []).append(idx)
    cuts = set(i_start)
    cuts.update(i_end)
    cuts.update(badges)
    cuts.add(0)
    cuts.add(n)
    points = sorted(cuts)
    # Innermost (shortest) first, then reading order: a click on nested parts picks the innermost
    # statement (first id in data-a), and the order is the same on every run.
    order = [(i_end[i] - i_start[i], i) for i in range(len(i_start))]
    # Escape every piece in one call: join them with a character the text does not contain,
    # escape (and label bidi controls in) the whole, split again. Pieces are slices of the
    # original text, so offsets never move.
    bounds = list(zip(points, points[1:], strict=False))
    raw = [text[p:q] for p, q in bounds]
    if _SEP not in text:
        pieces = html_text(_SEP.join(raw)).split(_SEP)
    else:  # hostile text may hold the separator: escape piece by piece
        pieces = [html_text(r) for r in raw]
    tags: dict[tuple[int, ...], str] = {}
    active: list[int] = []
    out: list[str] = []
    for (p, _q), piece in zip(bounds, pieces, strict=True):
        gone = ends_at.get(p)
        if gone:
            for i in gone:
                active.remove(i)  # every interval is cut at its end: it was active until here
        new = starts_at.get(p)
        if new:
            active.extend(new)
        b = badges.get(p)
        if b:
            out.extend(b)
        if not active:
            out.append(piece)
            continue
        key = tuple(sorted(active, key=order.__getitem__)) if len(active) > 1 else (active[0],)
        tag = tags.get(key)
        if tag is None:
            classes: list[str] = []
            aids: list[str] = []
            for i in key:
                for c in i_cls[i]:
                    if c not in classes:
                        classes.append(c)
                aid = i_aid[i]
                if aid and aid not in aids:
                    aids.append(aid)
            data = f' data-a="{_h(" ".join(aids))}"' if aids else ""
            tag = tags[key] = f'<span class="h {" ".join(classes)}"{data}>'
        out.append(tag)
        out.append(piece)
        out.append("</span>")
    return Highlighted(Markup("".join(out)), items)


def _txt(p: Any) -> str | None:
    return str(p["text"]) if isinstance(p, dict) and p.get("text") is not None else None


def _ent_name(p: Any, ents: dict[Any, Any]) -> str | None:
    if isinstance(p, dict) and p.get("entity") in ents:
        return str(ents[p["entity"]].get("name") or "") or None
    return None


def _item(a: dict[str, Any], aid: str, num: int, kind: str, start: int, ents: dict[Any, Any]) -> Item:
    g = a.get
    sp = g("speaker")
    if not isinstance(sp, dict):
        sp = {}
    tm = g("time")
    try:
        conf = float(g("confidence") or 0.0)
    except (TypeError, ValueError):
        conf = 0.0
    return Item(
        aid=aid, num=num, kind=kind, start=start,
        content=_txt(g("content")) or "", cue=_txt(g("cue")) or "",
        speaker_text=sp.get("text"), speaker_name=sp.get("name") or _ent_name(sp, ents),
        addressee=_txt(g("addressee")), addressee_name=_ent_name(g("addressee"), ents),
        channel=_txt(g("channel")), source=_txt(g("source")), source_name=_ent_name(g("source"), ents),
        time=_txt(tm), time_value=tm.get("value") if isinstance(tm, dict) and tm else None, confidence=conf,
    )


# Labels of the statement list (message keys of ``qawl.web.i18n``).
READING_LABELS = {
    "speaker": "speaker", "kind": "kind", "cue": "cue", "addressee": "addressee", "channel": "channel",
    "source": "source", "time": "time", "date": "date", "confidence": "confidence",
    "unknown": "unknown_speaker", "stmt": "statement_page", "order": "in_reading_order",
    "none": "no_statements", "direct": "k_direct", "indirect": "k_indirect", "mixed": "k_mixed",
    "according": "k_according",
}


def reading_labels(t: Callable[[str], str]) -> dict[str, str]:
    """The statement list's labels in one interface language, escaped once (see ``reading``)."""
    return {k: _h(t(key)) for k, key in READING_LABELS.items()}


def _h(s: Any) -> str:
    """One value shown on a page: bidi controls as labels, then escaped (what the templates do)."""
    if s.__class__ is not str:
        return str(s) if s.__class__ is int else str(escape(plain(s)))
    if not s.isascii() and _BIDI_RE.search(s):
        s = _BIDI_RE.sub(_bidi_label, s)
    if "&" in s or "<" in s or ">" in s or '"' in s or "'" in s:  # most values need no escaping
        return str(escape(s))
    return s


@functools.lru_cache(maxsize=8192)
def quote_path(s: str) -> str:
    """One URL path segment, percent-encoded (``/`` too); speaker and statement ids repeat a lot."""
    return quote(s, safe="")


def html_value(s: Any) -> str:
    """A value shown on a page, as the templates show it: bidi controls as labels, escaped."""
    return str(_h(s))


def article_head(art: dict[str, Any], original: str) -> Markup:
    """The header of an article page: title, outlet (a search link), date, link to the original."""
    title = art.get("title") or art.get("id") or art.get("article_id")
    out = [f'<header class="art-head">\n<h1 lang="ar" dir="rtl">{_h(title)}</h1>\n<p class="muted">\n']
    outlet = art.get("outlet")
    if outlet:
        out.append(f'<a href="/search?outlet={_h(quote_path(str(outlet)))}"><bdi>{_h(outlet)}</bdi></a>')
    published = art.get("published")
    if published:
        out.append(f" · <time>{_h(str(published)[:10])}</time>")
    url = art.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):  # never javascript: or data:
        out.append(f' · <a href="{_h(url)}" rel="noopener noreferrer nofollow" class="orig">{_h(original)}</a>')
    out.append("\n</p>\n</header>\n")
    return Markup("".join(out))


def _short(s: Any, n: int) -> Any:
    """The templates' ``short`` filter: at most n characters, an ellipsis when cut."""
    return s if len(s or "") <= n else (s or "")[: n - 1] + "…"


def hits(items: list[dict[str, Any]], labels: dict[str, str], show_speaker: bool = True) -> Markup:
    """Statement search results (``<li class="hit">`` each), as listed by ``Store.search``.

    Built here rather than in a Jinja macro: a results page shows 20–100 of them and the macro
    was most of its cost. Every value goes through ``_h`` (bidi labels + escaping).
    """
    L = labels
    kinds = {k: L[k] for k in KINDS}
    out = []
    for h in items:
        g = h.get
        kind = g("kind")
        kh = _h(kind)
        out.append(f'<li class="hit">\n<blockquote class="q k-{kh}" lang="ar" dir="rtl">\n'
                   f'<a href="/statement/{_h(g("statement_id"))}">{_h(_short(g("content"), 280))}</a>\n'
                   '</blockquote>\n<div class="meta">\n')
        if show_speaker:
            name = g("speaker_name")
            who = _h(name) if name else L["unknown"]
            sid = g("speaker_id")
            if sid is not None:
                out.append(f'<a class="who" href="/speaker/{_h(quote_path(str(sid)))}"><bdi>{who}</bdi></a>\n')
            else:
                out.append(f'<span class="who"><bdi>{who}</bdi></span>\n')
        cue = g("cue")
        if cue:
            out.append(f'<span class="cue-w">{_h(cue)}</span>\n')
        label = kinds.get(kind) if isinstance(kind, str) else None
        out.append(f'<span class="kind k-{kh}">{label or kh}</span>\n')
        addressee = g("addressee")
        if addressee:
            out.append(f"<span>← <bdi>{_h(addressee)}</bdi></span>\n")
        outlet = g("outlet")
        published = g("published")
        day = f" · <time>{_h(str(published)[:10])}</time>" if published else ""
        out.append(f'<span class="src"><a href="/article/{_h(g("article_id"))}#r-{_h(g("attribution_id"))}">'
                   f'<bdi>{_h(outlet) if outlet else ""}</bdi>{day}</a></span>\n</div>\n</li>\n')
    return Markup("".join(out))


def reading(hl: Highlighted, labels: dict[str, str], published: Any = None) -> Markup:
    """The reading view of an article: highlighted text beside the statement list (``<details>``).

    Built here rather than in a Jinja macro because it is the costly part of an article page
    (dozens of values per statement). Every value goes through ``_h`` (bidi labels + escaping),
    links through ``quote`` as well; ``labels`` comes from ``reading_labels``.
    """
    L = labels
    pub = _h(str(published)[:10]) if published else ""
    out = [
        '<div class="reading">\n<article class="text" lang="ar" dir="rtl" id="text">', str(hl.html),
        '</article>\n<aside class="side" aria-label="', L["order"], '">\n<h2>', L["order"],
        ' <span class="count">(', str(len(hl.items)), ")</span></h2>\n",
    ]
    if not hl.items:
        out.append(f'<p class="muted">{L["none"]}</p>\n')
    out.append('<ol class="atts" id="atts">\n')
    for it in hl.items:
        aid = _h(it.aid)
        kind = it.kind if it.kind in KINDS else "direct"
        links = it.links
        who = it.speaker_name or it.speaker_text
        ref = links.get("ref")
        data_r = f' data-r="{_h(ref)}"' if ref else ""
        out.append(f'<li id="att-{aid}" class="att k-{kind}" data-a="{aid}"{data_r}>\n<details>\n'
                   f'<summary><span class="num">{it.num}</span> <bdi class="who">'
                   f'{_h(who) if who else L["unknown"]}</bdi>: <span class="ex" lang="ar" dir="rtl">'
                   f'{_h(_short(it.content, 90))}</span></summary>\n<dl>\n<dt>{L["speaker"]}</dt><dd>')
        if who:
            href = links.get("speaker") or "/speaker/" + quote_path(str(who))
            out.append(f'<a class="speaker-link" href="{_h(href)}"><bdi>{_h(who)}</bdi></a>')
            if it.speaker_text and it.speaker_name and it.speaker_text != it.speaker_name:
                out.append(f' <span class="muted">(«<bdi>{_h(it.speaker_text)}</bdi>»)</span>')
        else:
            out.append(L["unknown"])
        out.append(f'</dd>\n<dt>{L["kind"]}</dt><dd><span class="kind k-{kind}">{L[kind]}</span></dd>\n'
                   f'<dt>{L["cue"]}</dt><dd><bdi>{_h(it.cue)}</bdi></dd>\n')
        if it.addressee:
            out.append(f'<dt>{L["addressee"]}</dt><dd><bdi>{_h(it.addressee_name or it.addressee)}</bdi>')
            if it.addressee_name and it.addressee_name != it.addressee:
                out.append(f' <span class="muted">(«<bdi>{_h(it.addressee)}</bdi>»)</span>')
            out.append("</dd>\n")
        if it.channel:
            out.append(f'<dt>{L["channel"]}</dt><dd><bdi>{_h(it.channel)}</bdi></dd>\n')
        if it.source:
            out.append(f'<dt>{L["source"]}</dt><dd><bdi>{_h(who) if who else "?"}</bdi> ← '
                       f'<bdi>{_h(it.source_name or it.source)}</bdi></dd>\n')
        if it.time:
            out.append(f'<dt>{L["time"]}</dt><dd><bdi>{_h(it.time)}</bdi>')
            if it.time_value:
                out.append(f" (<time>{_h(it.time_value)}</time>)")
            out.append("</dd>\n")
        if pub:
            out.append(f'<dt>{L["date"]}</dt><dd><time>{pub}</time></dd>\n')
        out.append(f'<dt>{L["confidence"]}</dt><dd>{it.confidence:.2f}</dd>\n</dl>\n')
        stmt = links.get("statement")
        if stmt:
            out.append(f'<p><a class="statement-link" href="{_h(stmt)}">{L["stmt"]}</a></p>\n')
        out.append("</details>\n</li>\n")
    out.append("</ol>\n</aside>\n</div>\n")
    return Markup("".join(out))


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
