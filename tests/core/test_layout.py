from hypothesis import given, settings
from hypothesis import strategies as st

from qawl.layout import paragraphs, sentences, tokens


def test_sentences_split_on_arabic_and_latin_punctuation():
    text = "قال الوزير إن الاجتماع انتهى. هل ستعود المفاوضات؟ نعم!\nسطر آخر"
    got = [text[s:e] for s, e in sentences(text)]
    assert got == ["قال الوزير إن الاجتماع انتهى.", "هل ستعود المفاوضات؟", "نعم!", "سطر آخر"]


def test_run_on_dot_starts_a_new_sentence():
    text = "وأعلنت الشركة نتائجها.وقال المدير إن الأرباح ارتفعت"
    got = [text[s:e] for s, e in sentences(text)]
    assert got == ["وأعلنت الشركة نتائجها.", "وقال المدير إن الأرباح ارتفعت"]


def test_abbreviations_and_numbers_do_not_split():
    text = "ذكرت شبكة سي.إن.بي.سي أن النمو بلغ 3.5 في المئة. وقال د. محمد إن ذلك جيد"
    got = [text[s:e] for s, e in sentences(text)]
    assert got[0] == "ذكرت شبكة سي.إن.بي.سي أن النمو بلغ 3.5 في المئة."
    assert got[1] == "وقال د. محمد إن ذلك جيد"


def test_wide_spaces_separate_paragraphs():
    text = "الفقرة الأولى هنا   الفقرة الثانية هنا"
    assert [text[s:e] for s, e in paragraphs(text)] == ["الفقرة الأولى هنا", "الفقرة الثانية هنا"]


def test_tokens_keep_offsets():
    text = "قال: «نعم»"
    toks = tokens(text, 0, len(text))
    assert [t.text for t in toks] == ["قال", ":", "«", "نعم", "»"]
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert toks[1].span() == (3, 4, ":") and repr(toks[1]) == "Tok(3, 4, ':')"


def test_empty_and_blank():
    assert sentences("") == []
    assert sentences(" \n\t ") == []


def test_sentence_ends_match_the_plain_pattern_on_the_corpus():
    # layout._SENT_END is this one pattern rewritten for speed; both must end sentences at the same places
    import gzip
    import json
    from pathlib import Path

    import regex

    from qawl import layout
    from qawl.normalize import shadow

    plain = regex.compile(r"(?:(?<!\d)[.](?!\d)|[!?؟…])+[\"”»“«']?(?=\s|$|\p{L}{2})|\n+|[ \u00a0]{3,}")

    def reference(text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        start = 0
        for m in plain.finditer(text):
            ms, me, g = m.start(), m.end(), m.group()
            if g[-1] == "." and me < len(text) and not text[me].isspace() \
                    and layout._ABBREV_BEFORE.search(text, max(0, ms - 4), ms):
                continue
            if g == "." and (layout._SINGLE_BEFORE.search(text, max(0, ms - 3), ms)
                             or layout._DOTTED_BEFORE.search(text, max(0, ms - 6), ms)):
                continue
            layout._add(text, start, me if not g.isspace() else ms, out)
            start = me
        layout._add(text, start, len(text), out)
        return out

    texts = ["a.   b", "قال.\u00a0\u00a0 وقال", "x \u00a0 \u00a0y. z", "؟؟  \n   .", "3.5 د. محمد", "U.S. قال"]
    path = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
    if not path.exists():
        path = Path("/work/shared/corpus/bench.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= 1500:
                break
            t = json.loads(line)["text"]
            texts += [t, shadow(t).text]
    for t in texts:
        assert layout.sentences(t) == reference(t)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("قال و.!?؟…\n 3\"«”\u00a0")), max_size=80))
def test_end_spans_as_the_sentence_regex_finds_them(text):
    from qawl import layout

    assert layout._end_spans(text) == [m.span() for m in layout._SENT_END.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("،, والذيقل\n")), max_size=60), st.integers(0, 10), st.integers(0, 70))
def test_matches_at_is_finditer_for_char_led_patterns(text, start, end):
    import re

    from qawl.layout import matches_at

    for rx in (re.compile(r"[،,]\s*(?:الذي|التي)\s"), re.compile(r"[،,]\s*و[^\W\d_]{1,}\s+([^\W\d_]+)"),
               re.compile(r"[،,]")):
        want = [(m.span(), m.groups()) for m in rx.finditer(text, start, end)]
        assert [(m.span(), m.groups()) for m in matches_at(rx, text, start, end, "،,")] == want
