"""Highlighting, escaping, bidi neutralisation, timeline geometry and colour contrast."""

from __future__ import annotations

import re
from pathlib import Path

from web_hostile import ATTR, IMG, SCRIPT, hostile_extraction

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


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _no_raw_markup(html: str) -> None:
    """Only our own tags: every `<` opens a known element, every attribute is quoted by us."""
    for tag in re.findall(r"<\s*/?\s*([a-zA-Z][\w-]*)", html):
        assert tag in {"div", "article", "aside", "h2", "span", "ol", "li", "details", "summary", "bdi", "dl", "dt",
                       "dd", "a", "p", "time", "sup", "blockquote"}, tag
    for c in BIDI:
        assert c not in html
    assert "<script" not in html and "<img" not in html and "onerror=\"" not in html and "onmouseover=\"" not in html


def test_reading_list_escapes_every_value() -> None:
    """The statement list is built in Python: hostile names, cues, links and times stay text."""
    ex = hostile_extraction()
    a = ex["attributions"]
    a[0]["addressee"] = {"span": None, "text": "للصحفيين " + ATTR}
    a[0]["channel"] = {"span": None, "text": "بيان\u202e" + SCRIPT}
    a[0]["source"] = {"span": None, "text": "مصدر " + IMG}
    a[0]["time"] = {"span": None, "text": "الأربعاء\u2067", "value": "2015-08-05" + ATTR}
    a[1]["cue"]["text"] = "وأضاف" + SCRIPT
    hl = render.highlight(ex, {"k_direct": "مباشر"})
    hl.items[0].links = {"ref": "1\" onclick=\"x", "statement": "/statement/1\"><script>",
                         "speaker": "/speaker/x\" onmouseover=\"y"}
    labels = render.reading_labels(lambda k: k + "<b>")  # even labels are escaped
    html = str(render.reading(hl, labels, "2015-08-05" + IMG))
    _no_raw_markup(html)
    assert "&lt;script&gt;window.__pwned" in html and "&lt;img src=x onerror=&#34;window" in html
    assert 'data-r="1&#34; onclick=&#34;x"' in html
    assert 'href="/statement/1&#34;&gt;&lt;script&gt;"' in html
    assert "بيان[RLO]&lt;script&gt;" in html and "الأربعاء[PDI]" not in html and "الأربعاء[RLI]" in html
    assert "speaker&lt;b&gt;" in html and "<b>" not in html
    # One <li> per statement, in reading order, each with its number, kind and confidence.
    assert re.findall(r'<li id="att-(A\d)" class="att k-(\w+)"', html) == [
        ("A1", "indirect"), ("A2", "direct"), ("A3", "according")]
    assert html.count("<details>") == 3 and "<dd>0.90</dd>" in html and "<dd>0.50</dd>" in html
    # No statements: the "none" message instead of an empty list.
    empty = str(render.reading(render.highlight({"text": "نص", "attributions": []}), labels))
    assert "no_statements&lt;b&gt;" in empty and "<li" not in empty


def test_hits_list_escapes_and_links() -> None:
    labels = render.reading_labels(lambda k: {"k_direct": "مباشر", "unknown_speaker": "؟"}.get(k, k))
    items = [
        {"statement_id": 7, "content": "نص " + SCRIPT + "\u202e" + "x" * 300, "kind": "direct", "speaker_id": "a/b c",
         "speaker_name": "فيصل " + IMG, "cue": "قال" + ATTR, "addressee": "للصحفيين\u2066", "article_id": 3,
         "attribution_id": 9, "outlet": "Okaz" + IMG, "published": "2015-08-05T10:00:00"},
        {"statement_id": 8, "content": "قصير", "kind": "weird\"><script>", "speaker_id": None, "speaker_name": None,
         "cue": None, "addressee": None, "article_id": 4, "attribution_id": 10, "outlet": None, "published": None},
    ]
    html = str(render.hits(items, labels))
    _no_raw_markup(html)
    assert html.count('<li class="hit">') == 2
    assert 'href="/speaker/a%2Fb%20c"' in html and 'href="/statement/7"' in html
    assert 'href="/article/3#r-9"' in html and "<time>2015-08-05</time>" in html
    assert "…</a>" in html  # long content cut with an ellipsis (280 characters)
    assert '<span class="kind k-direct">مباشر</span>' in html
    assert 'class="kind k-weird&#34;&gt;&lt;script&gt;">weird&#34;&gt;&lt;script&gt;</span>' in html
    assert '<span class="who"><bdi>؟</bdi></span>' in html  # unresolved speaker
    assert "[LRI]" in html and "[RLO]" in html
    no_speaker = str(render.hits(items, labels, show_speaker=False))
    assert 'class="who"' not in no_speaker and "cue-w" in no_speaker
