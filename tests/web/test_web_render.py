"""Highlighting, escaping, bidi neutralisation, timeline geometry and colour contrast."""

from __future__ import annotations

import re
from pathlib import Path

from web_hostile import IMG, hostile_extraction

from qawl.web import render

CSS = Path(__file__).resolve().parents[2] / "src" / "qawl" / "web" / "static" / "app.css"


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _unescape(s: str) -> str:
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'")
            .replace("&quot;", '"').replace("&amp;", "&"))


def test_highlight_escapes_every_slice_and_keeps_text() -> None:
    ex = hostile_extraction()
    hl = render.highlight(ex)
    html = str(hl.html)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html
    # No raw quote from the text can close an attribute: every " of the text is escaped.
    assert 'onmouseover="' not in html
    # Removing our own tags and badges gives back the text (bidi controls shown as labels).
    no_badges = re.sub(r'<sup class="badge[^>]*>.*?</sup>', "", html)
    no_ctl = re.sub(r'<span class="ctl" title="U\+(\w+)">\w+</span>', lambda m: chr(int(m.group(1), 16)), no_badges)
    assert _unescape(_strip_tags(no_ctl)) == ex["text"]


def test_bidi_controls_are_shown_not_obeyed() -> None:
    ex = hostile_extraction()
    html = str(render.highlight(ex).html)
    for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert c not in html
    assert '<span class="ctl" title="U+202E">RLO</span>' in html
    assert '<span class="ctl" title="U+2067">RLI</span>' in html
    assert render.plain("a\u202eb") == "a[RLO]b"


def test_reading_order_roles_and_kinds() -> None:
    ex = hostile_extraction()
    hl = render.highlight(ex, {"k_direct": "مباشر", "k_indirect": "غير مباشر", "k_according": "بحسب"})
    assert [it.aid for it in hl.items] == ["A1", "A2", "A3"]
    assert [it.kind for it in hl.items] == ["indirect", "direct", "according"]
    html = str(hl.html)
    assert 'class="h r-speaker" data-a="A1">فيصل بن فرحان</span>' in html
    assert 'class="h r-cue" data-a="A2">وأضاف</span>' in html
    assert "r-content k-direct" in html and "r-content k-indirect" in html and "r-content k-according" in html
    assert '<sup class="badge k-direct" data-a="A2">2·مباشر</sup>' in html
    assert hl.items[0].speaker_name.endswith(IMG)  # raw here; the template escapes it


def test_overlapping_and_bad_spans() -> None:
    text = "قال أحمد إن الحكومة ستعمل، وأضاف أن الوضع جيد"
    ex = {"text": text, "captions": [{"span": [0, 3]}], "attributions": [
        {"id": "A1", "kind": "indirect", "content": {"span": [13, 26]}, "cue": {"span": [0, 3]},
         "speaker": {"span": [4, 8], "name": "أحمد"}},
        {"id": "A2", "kind": "weird", "content": {"span": [10, 45]}, "cue": {"span": [999, 5]},
         "speaker": {"span": ["x", None]}},
        {"id": "A3", "kind": "direct", "content": {"span": [40, 9999]}, "cue": "nonsense"},
    ]}
    hl = render.highlight(ex)
    html = str(hl.html)
    assert _unescape(_strip_tags(re.sub(r"<sup.*?</sup>", "", html))) == text
    # The nested piece belongs to both statements, innermost (shorter) first.
    assert 'data-a="A1 A2"' in html
    assert hl.items[1].kind == "direct"  # unknown kinds are shown as direct, never echoed into a class
    assert "weird" not in html
    assert "cap" in html


def test_timeline_fills_empty_weeks() -> None:
    ch = render.timeline([{"week": "2015-08-03", "count": 4}, {"week": "2015-08-24", "count": 2},
                          {"week": "bad", "count": 9}])
    assert [b.count for b in ch["bars"]] == [4, 0, 0, 2]
    assert ch["max"] == 4
    assert ch["bars"][0].h > ch["bars"][3].h > 0 == ch["bars"][1].h
    assert render.timeline([])["bars"] == []


def _lum(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_lum(a), _lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_highlight_colours_are_accessible() -> None:
    css = CSS.read_text()
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    fg = var["fg"]
    for name in ("c-speaker", "c-cue", "c-content", "c-addressee", "c-source", "c-channel", "c-time", "bg"):
        assert _contrast(fg, var[name]) >= 7.0, name  # WCAG AAA for body text
    assert _contrast(var["c-cap-fg"], var["c-cap-bg"]) >= 4.5  # greyed, still readable (AA)
    assert _contrast(var["muted"], var["bg"]) >= 4.5
    # Highlight colours must differ from each other (distinct roles).
    bgs = [var[n] for n in ("c-speaker", "c-cue", "c-content", "c-addressee", "c-source", "c-time")]
    assert len(set(bgs)) == len(bgs)
    # Kinds are told apart without colour: four different underline styles.
    styles = {k: re.search(r"\.r-content\.k-" + k + r" \{ text-decoration-style: (\w+)", css).group(1)
              for k in ("direct", "indirect", "mixed", "according")}
    assert len(set(styles.values())) == 4
