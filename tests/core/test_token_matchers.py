"""The pipeline finds cues and sourcing phrases from the document's tokens, and cuts sentence tokens
from one token array. Each must give exactly what the reference matcher (one regex over the text)
gives: on every corpus article, on hand-made edge cases, and on generated text."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qawl.cues import find_cues, find_sourcing, hits_in_tokens
from qawl.layout import _CLASS, _TOKEN, Tok, _class, sentences, token_table, tokens, window
from qawl.lexicon import cue_words, lexicon, shape_bits, word_shape
from qawl.normalize import shadow

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
if not CORPUS.exists():  # CI lays shared/ beside the clone
    CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")


def _cues(hits):
    return [(h.start, h.end, h.word_start, h.form, h.enclitic) for h in hits]


def _sources(hits):
    return [(h.start, h.end, h.lemma) for h in hits]


def _regex_tokens(text: str, start: int, end: int):
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def _spans(toks: list[Tok]) -> list[tuple[int, int, str]]:
    return [t.span() for t in toks]


def _same(folded: str) -> None:
    toks, digit_toks = token_table(folded, 0, len(folded))
    assert _spans(toks) == _regex_tokens(folded, 0, len(folded))
    assert digit_toks == [k for k, t in enumerate(toks) if any(ch.isdecimal() for ch in t.text)]
    for given_digits in (digit_toks, None):  # as the pipeline calls it, and on its own
        cues, sources = hits_in_tokens(folded, toks, given_digits)
        assert _cues(cues) == _cues(find_cues(folded))
        assert _sources(sources) == _sources(find_sourcing(folded))


def test_character_classes_agree_with_the_regex() -> None:
    import re

    for o in range(0x10000):
        ch = chr(o)
        want = 3 if re.match(r"\d", ch) else 1 if re.match(r"\w", ch) else 0 if re.match(r"\s", ch) else 2
        assert _CLASS[o] == want == _class(ch), hex(o)
    assert _class("\U0001D7D8") == 3 and _class("\U00020000") == 1 and _class("\U0001F600") == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_tokenises_as_the_regex(text: str) -> None:
    toks, _ = token_table(text, 0, len(text))
    assert _spans(toks) == _regex_tokens(text, 0, len(text))
    for s in range(0, len(text), 7):  # windows and cut words too
        assert _spans(token_table(text, s, len(text) - 3)[0]) == _regex_tokens(text, s, len(text) - 3)


EDGE_CASES = [
    "ثم قال إن الاتفاق قريب",  # ثم + one space is taken into the cue
    "ثم  قال إنه",  # two spaces: not
    "ثم\nقالوا إنهم",
    "ثم لقال",
    "ثم وقال",  # the verb's own و wins over ثم
    "ثم بتأكيده أن",
    "2قال إنه",  # letters after digits: the boundary is inside the word
    "قال2 إن",
    "وقالها بحسبما أفاد",
    "وفقا للنص المسرب، وبحسب مصادر، ونقلا عن مسؤول",
    "3بحسب المصدر",
    "وفقا 2قال إن",  # letters after digits inside a sourcing phrase
    "«قال» و(أكد) أن: وأضافت،",
    "وصف الوزير القرار بأنه خاطئ ووصفه المعارضون",
    "سألوه عن الأمر فأجابهم",
    "",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_the_regex(text: str) -> None:
    _same(shadow(text).text)


def test_thumma_joins_the_cue() -> None:
    f = shadow("ثم قال إن").text
    [hit] = hits_in_tokens(f, tokens(f, 0, len(f)))[0]
    assert (hit.start, hit.word_start, hit.form.lemma) == (0, 3, "قال")


def test_cue_words_split_as_the_regex_prefers() -> None:
    words = lexicon().cue_words
    assert words["وقال"][0] == "و"
    # hits_in_tokens skips one-character tokens: no cue or phrase opener may be that short
    assert min(map(len, words)) >= 2 and min(map(len, lexicon().sourcing_openers)) >= 2
    assert words["وصف"][0] == ""  # the form وصف, not و + صف
    assert words["وطالبته"] == ("و", words["طالبت"][1], "ه")  # the longest form, طالبت (she), then ه
    assert cue_words({}) == {}


def test_shape_filter_admits_every_cue_word_and_few_others() -> None:
    lex = lexicon()

    def admitted(w: str) -> bool:
        h = word_shape(w)
        return bool(lex.cue_shapes[h >> 3] >> (h & 7) & 1)

    assert all(admitted(w) for w in lex.cue_words)  # a necessary condition: no cue word is turned away
    assert shape_bits([]) == bytes(1 << 17) and 0 <= word_shape("\U0010ffff" * 3) < 1 << 20
    f = shadow("وأكد وزير الخارجية في مؤتمر صحفي عقده مساء الثلاثاء في العاصمة أن المفاوضات مستمرة").text
    words = [t.text for t in tokens(f, 0, len(f)) if len(t.text) >= 2]
    assert admitted("واكد") and admitted("قالت")
    assert sum(not admitted(w) for w in words) >= len(words) // 2  # most other words stop at the bitmap


def test_corpus_matches_the_regex() -> None:
    if not CORPUS.exists():
        pytest.skip("bench corpus not available")
    n = cues = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            f = shadow(json.loads(line)["text"]).text
            _same(f)
            cues += len(find_cues(f))
            n += 1
    assert n >= 1000 and cues > 5 * n  # the comparison covered real cues, many of them


def test_sentence_windows_equal_tokenising_the_sentence() -> None:
    if not CORPUS.exists():
        pytest.skip("bench corpus not available")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= 300:
                break
            f = shadow(json.loads(line)["text"]).text
            toks = tokens(f, 0, len(f))
            for s, e in sentences(f):
                for end in (e, min(e, s + 110)):  # a cut inside a word keeps the cut word's part
                    assert _spans(window(toks, f, s, end)) == _regex_tokens(f, s, end)


_PIECES = st.sampled_from(["قال", "وقال", "ثم", "أكد", "أن", "بحسب", "وفقا", "ل", "للنص", "نقلا", "عن",
                           "وطالبته", "2", " ", "  ", "\n", "،", ".", "«", "»", '"', ":", "ـ", "x", "_", "٣", "²", "\U0001D7D8", "\u200b", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_generated_text_matches_the_regex(pieces: list[str]) -> None:
    _same(shadow("".join(pieces)).text)
