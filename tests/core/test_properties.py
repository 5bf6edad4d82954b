"""Properties of qawl.extract over arbitrary input (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qawl import extract

ARABIC_BITS = ["قال", "وقال", "وأضاف", "مضيفاً", "إن", "أن", "بأن", "الرئيس", "ترامب", "بحسب", "وفقاً لـ", "،",
               ".", ":", "«", "»", "“", "”", '"', "\n", " ", "\u00a0", "ـ", "َ", "ّ", "Reuters", "(CNN)--",
               "للصحفيين", "في بيان", "الأربعاء", "\u202e", "\x00", "\x1b", "؟", "يمكنكم تسلم إشعارات"]

texts = st.one_of(
    st.text(),
    st.lists(st.sampled_from(ARABIC_BITS), max_size=80).map(" ".join),
    st.lists(st.one_of(st.sampled_from(ARABIC_BITS), st.text(max_size=5)), max_size=60).map("".join),
)


def check_spans(doc) -> None:
    text = doc.text
    n = len(text)

    def ok(part) -> None:
        if part is None:
            return
        s, e = part.span
        assert 0 <= s <= e <= n
        assert text[s:e] == part.text

    for c in doc.captions:
        assert 0 <= c.span[0] <= c.span[1] <= n
    for ent in doc.entities:
        for s, e in ent.mentions:
            assert 0 <= s <= e <= n
    for a in doc.attributions:
        assert a.kind in ("direct", "indirect", "mixed", "according")
        ok(a.content)
        ok(a.cue)
        ok(a.addressee)
        ok(a.channel)
        ok(a.source)
        ok(a.time)
        if a.speaker.span is not None:
            s, e = a.speaker.span
            assert 0 <= s <= e <= n and text[s:e] == a.speaker.text
        assert 0.0 <= a.confidence <= 1.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
def test_any_text_is_handled_and_spans_are_exact(text, published):
    doc = extract(text, published=published)
    assert doc.text == text
    check_spans(doc)


@settings(max_examples=60, deadline=None)
@given(texts)
def test_output_is_deterministic(text):
    assert extract(text).to_dict() == extract(text).to_dict()


def test_one_megabyte_of_text():
    unit = ("وقال الرئيس الأمريكي في تصريح للصحفيين الأربعاء إن “المفاوضات تسير بشكل جيد”، مضيفاً أن "
            "الاتفاق قريب. Reuters \"لم يزر\n")
    text = unit * (1_000_000 // len(unit) + 1)
    doc = extract(text, published="2025-11-27")
    check_spans(doc)
    assert len(doc.attributions) > 1000


def test_non_str_input_is_rejected_clearly():
    import pytest

    with pytest.raises(TypeError, match="text must be str, not bytes"):
        extract(b"bytes")
    with pytest.raises(TypeError, match="published must be str or None, not int"):
        extract("قال الوزير إن الاجتماع مثمر", published=20250101)  # type: ignore[arg-type]  # type: ignore[arg-type]
