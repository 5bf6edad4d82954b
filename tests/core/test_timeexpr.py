"""find_times on Arabic news clauses with a fixed publication date."""

from __future__ import annotations

import pytest

from qawl.timeexpr import find_times


def times(text, published, start=0, end=None):
    refs = find_times(text, start, len(text) if end is None else end, published)
    for r in refs:
        assert text[r.span[0]:r.span[1]] == r.text  # offsets point into the original text
    return [(r.text, r.value) for r in refs]


@pytest.mark.parametrize("clause, published, expected", [
    # Weekdays: the most recent such day on or before publication (2018-07-17 is a Tuesday).
    ("وقال ترامب الاثنين إن القمة كانت ناجحة", "2018-07-17", [("الاثنين", "2018-07-16")]),
    ("قالت في تغريدة على تويتر الثلاثاء إنها غضبت", "2018-07-17", [("الثلاثاء", "2018-07-17")]),
    ("أصابع الاتهام الجمعة لـ 12 من ضباط المخابرات", "2018-07-17", [("الجمعة", "2018-07-13")]),
    ("قال يوم الأربعاء إن", "2018-07-17", [("يوم الأربعاء", "2018-07-11")]),
    ("وقالت الوزارة أمس السبت إن السلطات أحبطت محاولة", "2015-08-02", [("أمس السبت", "2015-08-01")]),
    ("في بلاغ أصدرته اليوم الخميس، أن", "2016-10-06", [("اليوم الخميس", "2016-10-06")]),
    ("كشفت أمانة جدة أمس عن عزمها", "2015-08-11", [("أمس", "2015-08-10")]),
    ("كشفت الأمانة امس عن عزمها", "2015-08-11", [("امس", "2015-08-10")]),
    ("وسيعلن غداً ما توصل إليه", "2015-08-11", [("غداً", "2015-08-12")]),
    ("صرح أول أمس بأن", "2015-08-11", [("أول أمس", "2015-08-09")]),
    ("قال الوزير الجمعة الماضي إن", "2018-07-13", [("الجمعة الماضي", "2018-07-06")]),
    ("وسيزور الأربعاء المقبل", "2018-07-13", [("الأربعاء المقبل", "2018-07-18")]),
    # Periods: week -> its Monday, month -> YYYY-MM, year -> YYYY.
    ("قال الأسبوع الماضي إن", "2018-07-18", [("الأسبوع الماضي", "2018-07-09")]),
    ("سيعلن الأسبوع المقبل", "2018-07-18", [("الأسبوع المقبل", "2018-07-23")]),
    ("سيعلن الأسبوع القادم", "2018-07-18", [("الأسبوع القادم", "2018-07-23")]),
    ("أعلن الشهر الماضي", "2018-01-15", [("الشهر الماضي", "2017-12")]),
    ("سيعلن الشهر المقبل", "2018-12-15", [("الشهر المقبل", "2019-01")]),
    ("أعلن العام الماضي", "2018-01-15", [("العام الماضي", "2017")]),
    ("سيعلن العام المقبل وهذا العام وهذا الشهر", "2018-01-15",
     [("العام المقبل", "2019"), ("هذا العام", "2018"), ("هذا الشهر", "2018-01")]),
    # Absolute dates.
    ("في 14 أكتوبر/ تشرين الأول قال", "2018-11-02", [("في 14 أكتوبر/ تشرين الأول", "2018-10-14")]),
    ("في 14 أكتوبر/تشرين الأول قال", "2018-11-02", [("في 14 أكتوبر/تشرين الأول", "2018-10-14")]),
    ("في 14 تشرين الأول قال", "2018-11-02", [("في 14 تشرين الأول", "2018-10-14")]),
    ("في 19 من الشهر الجاري", "2018-05-09", [("في 19 من الشهر الجاري", "2018-05-19")]),
    ("يوم 25 يوليو/تموز 2018", "2018-07-30", [("يوم 25 يوليو/تموز 2018", "2018-07-25")]),
    ("اقترح في شهر سبتمبر/أيلول العام الماضي الإفراج", "2018-07-27",
     [("في شهر سبتمبر/أيلول العام الماضي", "2017-09")]),
    ("عن حظر روسيا في ديسمبر الماضي، قال", "2018-02-25", [("في ديسمبر الماضي", "2017-12")]),
    ("التدخل في الانتخابات الرئاسية عام 2016.", "2018-07-17", [("عام 2016", "2016")]),
    ("أواخر أكتوبر", "2018-11-20", [("أواخر أكتوبر", "2018-10")]),
    ("في ١٤ أكتوبر ٢٠١٧", "2018-01-01", [("في ١٤ أكتوبر ٢٠١٧", "2017-10-14")]),
    ("حددت يوم الأول من شهر أغسطس (آب) المقبل", "2015-07-25", [("شهر أغسطس (آب) المقبل", "2015-08")]),
    ("في يوليو - تموز الماضي", "2015-08-04", [("في يوليو - تموز الماضي", "2015-07")]),
    # Unresolvable expressions keep their span.
    ("كانت أعلنت قبل نحو شهرين العثور على", "2018-03-27", [("قبل نحو شهرين", None)]),
    ("وفي وقت لاحق، تراجعت الشركة", "2018-02-18", [("وفي وقت لاحق", None)]),
])
def test_cases(clause, published, expected):
    assert times(clause, published) == expected


def test_month_wraparound_and_year_boundary():
    assert times("في ديسمبر الماضي", "2019-01-03") == [("في ديسمبر الماضي", "2018-12")]
    assert times("في ديسمبر الماضي", "2018-12-20") == [("في ديسمبر الماضي", "2017-12")]
    assert times("في يناير المقبل", "2018-12-20") == [("في يناير المقبل", "2019-01")]
    assert times("قال في 28 ديسمبر", "2018-01-05") == [("في 28 ديسمبر", "2017-12-28")]
    assert times("أعلن الشهر الماضي", "2018-01-02") == [("الشهر الماضي", "2017-12")]
    assert times("قال أمس", "2018-01-01") == [("أمس", "2017-12-31")]
    assert times("قال الأسبوع الماضي", "2018-01-03") == [("الأسبوع الماضي", "2017-12-25")]


def test_weekday_edges():
    # Sunday publication: "الأحد" is the publication day, "السبت" the day before, "الاثنين" six days back.
    assert times("الأحد", "2018-05-13") == [("الأحد", "2018-05-13")]
    assert times("السبت", "2018-05-13") == [("السبت", "2018-05-12")]
    assert times("الاثنين", "2018-05-13") == [("الاثنين", "2018-05-07")]
    # "أمس السبت" when the crawl date lags a day: the named weekday wins.
    assert times("أمس السبت", "2015-08-03") == [("أمس السبت", "2015-08-01")]
    # Spelling variants and a proclitic outside the span.
    assert times("والإثنين", "2018-05-13") == [("الإثنين", "2018-05-07")]


def test_no_published_date():
    assert times("قال أمس السبت إن", None) == [("أمس السبت", None)]
    assert times("قال الأسبوع الماضي", None) == [("الأسبوع الماضي", None)]
    assert times("في ديسمبر الماضي", None) == [("في ديسمبر الماضي", None)]
    assert times("يوم 25 يوليو/تموز 2018", None) == [("يوم 25 يوليو/تموز 2018", "2018-07-25")]
    assert times("عام 2016", None) == [("عام 2016", "2016")]


def test_hijri_is_not_read_as_gregorian():
    text = "الرياض 16 شوال 1436 هـ الموافق 01 أغسطس 2015 م واس"
    assert times(text, "2015-08-01") == [("16 شوال 1436 هـ", None), ("01 أغسطس 2015 م", "2015-08-01")]
    assert times("مهرجان صيف الباحة لعام 1436هـ", "2015-08-02") == [("1436هـ", None)]


def test_words_that_only_look_like_dates():
    assert times("مارس الضغط على الحكومة", "2018-02-18") == []
    assert times("احتفل العالم باليوم العالمي للمرأة", "2018-03-08") == []
    assert times("عين اليوم – الرياض", "2015-08-02") == []  # the outlet Ain Alyoum
    assert times("قال لـ«اليوم» إن المشروع تأخر", "2015-08-02") == []  # the newspaper Al-Yaum
    assert times("بعد عقد اجتماع اللجنة", "2015-08-02") == []
    assert times("في مارس الماضي", "2018-02-18") == [("في مارس الماضي", "2017-03")]


def test_window_and_offsets():
    text = "قال الوزير الأربعاء إن الاجتماع تأجل. وأعلن الخميس أن الموعد الجديد سيعلن."
    end = text.index(".")
    refs = find_times(text, 0, end, "2018-07-19")
    assert [(r.text, r.value) for r in refs] == [("الأربعاء", "2018-07-18")]
    start = end + 1
    refs = find_times(text, start, len(text), "2018-07-19")
    assert [(r.text, r.value, text[r.span[0]:r.span[1]]) for r in refs] == [("الخميس", "2018-07-19", "الخميس")]


def test_garbage_and_empty():
    assert find_times("", 0, 0, "2018-01-01") == []
    assert find_times("قال", 5, 2, "2018-01-01") == []
    assert find_times("@@@ ### 12345 !!!", 0, 17, "2018-01-01") == []
    assert find_times("abc def", 0, 7, None) == []
    with pytest.raises(ValueError, match="published must be YYYY-MM-DD"):
        find_times("قال أمس", 0, 7, "yesterday")


def test_offsets_on_random_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("أمس اليوم الأربعاء 2018 عام في ديسمبر الماضي ١٤ أكتوبر/ تشرين الأول هـ،.\n"))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(alphabet, max_size=80).map("".join), st.integers(-5, 90), st.integers(-5, 90))
    def check(text, start, end):
        prev = max(0, start)
        for r in find_times(text, start, end, "2018-07-18"):
            s, e = r.span
            assert prev <= s < e <= min(end, len(text))
            assert text[s:e] == r.text
            prev = e

    check()


def test_anchor_tokens_never_skip_a_time():
    """The pipeline skips find_times where no token could hold an anchor, and otherwise looks for
    anchors only before those tokens (``at``). Over corpus sentences and their halves, the times are
    the same as from the plain search."""
    import gzip
    import json
    from pathlib import Path

    from qawl.layout import sentences, tokens, window
    from qawl.normalize import shadow
    from qawl.timeexpr import anchor_starts

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
    if not corpus.exists():
        corpus = Path("/work/shared/corpus/bench.jsonl.gz")
    if not corpus.exists():
        pytest.skip("bench corpus not available")
    refused = found = several = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= 1500:
                break
            text = json.loads(line)["text"]
            sh = shadow(text)
            toks = tokens(sh.text, 0, len(sh.text))
            for s, e in sentences(sh.text):
                for end in (e, (s + e) // 2 + 1):
                    s0, e0 = sh.span_to_orig(s, end)
                    times = find_times(text, s0, e0, "2025-11-28")
                    at = anchor_starts(window(toks, sh.text, s, end))
                    if not at:
                        refused += 1
                        assert times == [], (text[s0:e0], times)
                    else:
                        assert find_times(text, s0, e0, "2025-11-28", at=[sh.to_orig(a) for a in at]) == times
                        several += len(at) > 1
                    found += bool(times)
    assert refused > 1000 and found > 300 and several > 300  # every side was exercised


@pytest.mark.parametrize("text", ["وقال الأربعاء إن", "قال أمس", "في 14 أكتوبر/ تشرين الأول", "بعد غدٍ",
                                  "وفي 2020 قال", "عام ٢٠٢٠", "أول من أمس", "الأربعاءَ الماضي",
                                  "وقال \u200fالأربعاء إنه", "وقال «الثلاثاء» إنه", "وقال، والخميس"])
def test_anchor_starts_on_times(text):
    from qawl.layout import tokens
    from qawl.normalize import shadow
    from qawl.timeexpr import anchor_starts

    sh = shadow(text)
    f = sh.text
    times = find_times(text, 0, len(text), "2025-11-28")
    assert times
    at = anchor_starts(tokens(f, 0, len(f)))
    assert at
    assert find_times(text, 0, len(text), "2025-11-28", at=[sh.to_orig(a) for a in at]) == times
