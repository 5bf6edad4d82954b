from hypothesis import given, settings
from hypothesis import strategies as st

from qawl.quotes import find_quotes


def inner(text: str) -> list[str]:
    return [text[q.inner[0]:q.inner[1]] for q in find_quotes(text)]


def test_curly_guillemets_and_straight_quotes():
    assert inner("قال “نحن مستعدون” ثم غادر") == ["نحن مستعدون"]
    assert inner("قال «نحن مستعدون» ثم غادر") == ["نحن مستعدون"]
    assert inner('قال "نحن مستعدون" ثم غادر') == ["نحن مستعدون"]


def test_reversed_and_mismatched_marks():
    assert inner("وصفه بـ”الإعلام التقليدي“ أمس") == ["الإعلام التقليدي"]
    assert inner("دعا لـ”ترويج” المنتج") == ["ترويج"]
    assert inner("قال ل»الرياض» إن") == ["الرياض"]


def test_nested_straight_quotes_of_the_same_kind():
    text = 'وقال: "أطلقنا هاتف "جالكسي" الجديد اليوم" ثم غادر'
    assert inner(text) == ['أطلقنا هاتف "جالكسي" الجديد اليوم']


def test_quote_running_over_paragraphs_reopened_by_a_mark():
    text = "وقال: “هذه الفقرة الأولى.\n“وهذه الفقرة الثانية.”\nانتهى"
    got = inner(text)
    assert len(got) == 1 and "الأولى" in got[0] and "الثانية" in got[0]


def test_unclosed_quote_closes_at_paragraph_end_and_odd_counts_do_not_crash():
    text = "قال “هذا كلام بلا نهاية\nفقرة جديدة بلا علامات"
    quotes = find_quotes(text)
    assert len(quotes) == 1 and not quotes[0].closed
    assert "فقرة" not in text[quotes[0].inner[0]:quotes[0].inner[1]]
    for odd in ['"', "«", "”“”", 'a"b"c"', "»»»«"]:
        find_quotes(odd)


_MARK_SET = __import__("re").compile(r"[\"“”«»„‟‹›\n]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("قال \"“”«»„‟‹›\n.x")), max_size=80))
def test_marks_found_as_the_regex_finds_them(text):
    from qawl.layout import char_positions
    from qawl.quotes import _MARKS

    assert char_positions(text, _MARKS, 0, len(text)) == [m.start() for m in _MARK_SET.finditer(text)]
