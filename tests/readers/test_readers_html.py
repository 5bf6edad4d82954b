"""HTML pages → documents: body without furniture, captions with credits, metadata, encodings, hostile input."""

from __future__ import annotations

import json
import re
import time

import pytest
from pagegen import DATE_STYLES, build_div_page, build_page
from readers_support import FIXTURES

from qawl.readers import ReaderError, detect_language, read_html, read_path
from qawl.readers.dates import parse_arabic_date, parse_date_value

_FORMAT_CHARS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _n(s: str) -> str:
    return " ".join(_FORMAT_CHARS.sub("", s).split())


def _lines(text: str) -> set[str]:
    return {_n(x) for x in text.split("\n")}


def test_corpus_pages_body_captions_metadata(articles):
    """40 real articles in news-site markup: every paragraph kept, no furniture, right metadata."""
    for i, a in enumerate(articles[:40]):
        style = DATE_STYLES[i % len(DATE_STYLES)]
        page, exp = build_page(a, date_style=style, caption_index=i)
        doc = read_html(page.encode("utf-8"), url=exp["url"] + "?utm_source=feed")
        body = _n(doc["text"])
        for p in exp["paragraphs"]:
            assert _n(p) in body, (a["id"], style, p[:80])
        lines = _lines(doc["text"])
        for junk in exp["furniture"]:
            assert (junk not in doc["text"]) if len(junk) > 20 else (junk not in lines), (a["id"], junk)
        # The caption is recorded with its credit and is not in the body.
        assert doc["captions"] == [{"text": exp["caption"], "credit": exp["credit"]}], a["id"]
        assert exp["caption"] not in doc["text"]
        assert exp["credit"] not in lines
        assert doc["title"] == exp["title"]
        assert doc["published"] == exp["published"], (a["id"], style)
        assert doc["outlet"] == exp["outlet"]
        assert doc["authors"] == exp["authors"]
        assert doc["url"] == doc["id"] == exp["url"]  # canonical, not the tracking URL we were given
        assert doc["lang"] == "ar"
        assert doc["encoding"] == "utf-8"
        assert not doc["text"].startswith(exp["title"])  # the headline is metadata, not body


def test_second_layout_inline_read_also_and_div_caption(articles):
    for a in articles[40:60]:
        page, exp = build_div_page(a)
        doc = read_html(page, url="https://www.sky.example/world/1")
        body = _n(doc["text"])
        for p in exp["paragraphs"]:
            assert _n(p) in body, (a["id"], p[:80])
        for junk in exp["furniture"]:
            assert junk not in doc["text"], (a["id"], junk)
        assert doc["captions"] == [{"text": exp["caption"], "credit": exp["credit"]}]
        assert (doc["title"], doc["published"], doc["outlet"], doc["authors"]) == (
            exp["title"], exp["published"], exp["outlet"], exp["authors"])


def test_date_sources_are_reported(articles):
    expected = {"meta": "meta:article:published_time", "jsonld": "json-ld", "time": "time",
                "arabic": "page-text"}
    for style, source in expected.items():
        page, exp = build_page(articles[0], date_style=style)
        doc = read_html(page, url=exp["url"])
        assert (doc["published"], doc["published_from"]) == (exp["published"], source)


def test_bbc_style_figure_and_arabic_date_in_text():
    """Credit and caption behind visually-hidden labels; date only as "11 فبراير/ شباط 2018" in the page."""
    exp = json.loads((FIXTURES / "expected.json").read_text("utf-8"))["bbc_arabic_figure.html"]
    doc = next(read_path(FIXTURES / "bbc_arabic_figure.html"))
    assert doc["captions"] == [{"text": "يوهانسون خلال حفل توزيع جوائز الأوسكار", "credit": "Getty Images"}]
    assert "Getty" not in doc["text"] and "التعليق على الصورة" not in doc["text"]
    assert "الأوسكار" not in doc["text"].split("\n")[0]
    assert doc["published"] == "2018-02-11" and doc["published_from"] == "page-text"
    assert doc["outlet"] == "BBC News عربي"
    assert doc["title"] == exp["title"]
    assert doc["url"] == "https://www.bbc.example/arabic/art-and-culture-43025341"
    body = _n(doc["text"])
    for p in exp["paragraphs"]:
        assert _n(p) in body
    for junk in ("قصص ذات صلة", "الأكثر قراءة", "ليست مسؤولة", "الشرق الأوسط"):
        assert junk not in doc["text"]


@pytest.mark.parametrize(("name", "encoding"), [("cnn_windows1256.html", "cp1256"),
                                                ("jawhara_iso8859_6.html", "iso8859-6")])
def test_legacy_encodings(name, encoding):
    """Windows-1256 declared in a meta tag; ISO-8859-6 declared nowhere (detected)."""
    exp = json.loads((FIXTURES / "expected.json").read_text("utf-8"))[name]
    raw = (FIXTURES / name).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = next(read_path(FIXTURES / name))
    assert doc["encoding"] == encoding
    assert doc["lang"] == "ar"
    assert doc["title"] == exp["title"]
    body = _n(doc["text"])
    for p in exp["paragraphs"]:
        assert _n(p) in body


def test_http_charset_wins_over_detection():
    html = ("<html><head><title>خبر</title></head><body><p>قال وزير الخارجية إن المفاوضات ستستأنف "
            "الأسبوع المقبل في العاصمة بحضور الوسطاء من عدة دول عربية.</p></body></html>")
    doc = read_html(html.encode("cp1256"), http_charset="windows-1256", name="x")
    assert doc["encoding"] == "cp1256"
    assert "المفاوضات ستستأنف" in doc["text"]


def test_languages_and_skip_counts():
    assert detect_language("قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل")[0] == "ar"
    assert detect_language("The minister said talks would resume next week")[0] == "en"
    assert detect_language("وزیر امور خارجه گفت که مذاکرات هفته آینده از سر گرفته می‌شود")[0] == "fa"
    assert detect_language("12345 !!!") == ("und", 0.0)
    docs = {d["path"].rsplit("/", 1)[1]: d for d in read_path(FIXTURES, skip_unsupported=False)}
    assert docs["english.html"]["lang"] == "en"
    assert docs["french.html"]["lang"] == "fr"
    stats: dict = {}
    kept = list(read_path(FIXTURES, stats=stats))
    assert sorted(d["lang"] for d in kept) == ["ar", "ar", "ar", "en"]
    assert stats["unsupported_language"] == 1 and stats["documents"] == 4


@pytest.mark.parametrize(("text", "iso"), [
    ("نشر في 27 نوفمبر/ تشرين الثاني 2025", "2025-11-27"),
    ("الخميس ٢٧ تشرين الثاني ٢٠٢٥", "2025-11-27"),
    ("3 أيار 2018", "2018-05-03"),
    ("5 جويلية 2016", "2016-07-05"),
    ("1 كانون الثاني 2020", "2020-01-01"),
    ("27 نوفمبر/ تشرين الأول 2025", None),  # the two month names disagree
    ("31 فبراير 2020", None),
    ("في عام 2025", None),
])
def test_arabic_dates(text, iso):
    assert parse_arabic_date(text) == iso


def test_date_values():
    assert parse_date_value("2025-11-27T10:00:00+03:00") == "2025-11-27"
    assert parse_date_value("November 27, 2025") == "2025-11-27"
    assert parse_date_value("27/11/2025") == "2025-11-27"
    assert parse_date_value("not a date") is None


PARA = ("<p>قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة القطرية الدوحة "
        "بحضور الوسطاء من عدة دول.</p>")


@pytest.mark.parametrize("name", ["huge_attribute", "many_attributes", "scripts", "broken", "deep", "nul"])
def test_hostile_html_neither_crashes_nor_hangs(name):
    pages = {
        "huge_attribute": '<html><body><div data-x="' + "a" * 5_000_000 + '">' + PARA * 5 + "</div></body></html>",
        "many_attributes": "<html><body><div " + " ".join(f'a{i}="{i}"' for i in range(100_000)) + ">"
                           + PARA * 5 + "</div></body></html>",
        "scripts": "<html><body>" + "<script>while(1){}</script><style>p{}</style>" * 2000 + PARA * 5
                   + "</body></html>",
        "broken": "<html><body><p>قال <b>الرئيس <i>إن</b> الاتفاق</p></i><table><tr><td>" + PARA * 5 + "</x><<>>",
        "deep": "<html><body>" + PARA + "<div>" * 50_000 + "x" + "</div>" * 50_000 + "</body></html>",
        "nul": "<html><body>\x00" + PARA * 3 + "</body></html>",
    }
    t0 = time.monotonic()
    doc = read_html(pages[name].encode("utf-8"), name=name)
    assert time.monotonic() - t0 < 20
    assert "المفاوضات ستستأنف" in doc["text"]
    assert "while(1)" not in doc["text"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty input"),
    (b"   \n", "empty input"),
    ("قال الرئيس إن الاتفاق قريب".encode(), "does not look like HTML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
])
def test_bad_input_names_the_input(data, message):
    with pytest.raises(ReaderError, match=message) as e:
        read_html(data, name="page-17.html")
    assert "page-17.html" in str(e.value)


def test_read_path_errors(tmp_path):
    with pytest.raises(ReaderError, match="no such file"):
        list(read_path(tmp_path / "missing.html"))
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(ReaderError, match="not an HTML or WARC file"):
        list(read_path(tmp_path / "a.txt"))
    with pytest.raises(ReaderError, match="no .html"):
        list(read_path(tmp_path))
    (tmp_path / "good.html").write_text("<html><body>" + PARA + "</body></html>", "utf-8")
    (tmp_path / "bad.html").write_bytes(b"")
    with pytest.raises(ReaderError, match="bad.html: empty input"):
        list(read_path(tmp_path))
    stats: dict = {}
    docs = list(read_path(tmp_path, stats=stats, errors="skip"))
    assert len(docs) == 1 and stats["failed"] == 1 and "bad.html" in stats["errors"][0]


def test_captions_outside_figures_and_agency_tails():
    html = """<html><head><title>t</title></head><body><article>
    <p>قال رئيس الوزراء في كلمة أمام البرلمان إن الحكومة ستقدم موازنة جديدة خلال أسابيع قليلة.</p>
    <div class="wp-caption"><img src="a.jpg"><p class="wp-caption-text">متظاهرون أمام مبنى البرلمان (أ ف ب)</p></div>
    <p>وأضاف أن الموازنة ستتضمن زيادة في الإنفاق على التعليم والصحة خلال العام المقبل.</p>
    <p class="image-credit">حقوق الصورة: رويترز</p>
    <p>وأكد أن الحكومة لن تفرض ضرائب جديدة على الأسر محدودة الدخل في الموازنة المقبلة.</p>
    </article></body></html>"""
    doc = read_html(html, name="x")
    assert doc["captions"] == [{"text": "متظاهرون أمام مبنى البرلمان", "credit": "أ ف ب"},
                               {"text": "", "credit": "رويترز"}]
    assert "متظاهرون" not in doc["text"] and "رويترز" not in doc["text"]
    assert doc["text"].count("\n") == 2


_PIECES = ["<p>", "</p>", "<div class='caption'>", "</div>", "<figure>", "<figcaption>", "</figure>",
           "قال الوزير إن المفاوضات ستستأنف", " الأسبوع المقبل ", "\x00", "\x0b", "\ud800", "<script>", "</script>",
           "<time datetime='2025-13-45'>", "<meta property='article:published_time' content='99999'>",
           '<script type="application/ld+json">{"@type":"NewsArticle","author":[1,{"name":5}],"datePublished":{}}'
           "</script>", "<link rel=canonical href='javascript:alert(1)'>", "<title>", "</title>", "<h1>", "&#0;",
           "<![CDATA[", "<!--", "-->", "<?xml version='1.0' encoding='utf-16'?>", "مصدر الصورة، ",
           "27 نوفمبر/ تشرين الثاني 2025", "<a rel='author'>", "بقلم", "©", "<span class='credit'>", "</span>",
           "\u202b", "<svg><foreignObject><p>", "<table><tr><td>"]


def test_fuzzed_markup_gives_a_document_or_a_reader_error():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(_PIECES), max_size=60), st.sampled_from(["str", "utf8", "cp1256"]))
    def check(parts, form):
        s = "".join(parts)
        data = s if form == "str" else s.encode("utf-8" if form == "utf8" else "cp1256", "ignore")
        try:
            doc = read_html(data, name="fuzz")
        except ReaderError as e:
            assert str(e).startswith("fuzz: ")
            return
        assert len(doc["text"].split()) >= 5 and doc["lang"]
        for c in doc["captions"]:
            assert not c["text"] or c["text"] not in doc["text"].split("\n")

    check()


def test_dates_inside_prose_are_not_publication_dates():
    prose = ("<p>قال رئيس الوزراء إن الانتخابات ستجرى في 15 مارس/ آذار 2026 بعد أن وافق البرلمان على "
             "القانون الجديد، مضيفا أن الحكومة ستوفر كل الإمكانات اللازمة لإنجاحها في موعدها المحدد.</p>")
    doc = read_html(f"<html><body><article><h1>الانتخابات</h1>{prose * 2}</article></body></html>", name="x")
    assert doc["published"] is None
    doc = read_html(f"<html><body><article><h1>الانتخابات</h1><span>الأحد 1 شباط 2026</span>{prose}"
                    "</article></body></html>", name="x")
    assert (doc["published"], doc["published_from"]) == ("2026-02-01", "page-text")
    assert "شباط" not in doc["text"]  # the dateline is not body text
