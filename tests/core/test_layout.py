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
    assert [t[2] for t in toks] == ["قال", ":", "«", "نعم", "»"]
    assert all(text[s:e] == w for s, e, w in toks)


def test_empty_and_blank():
    assert sentences("") == []
    assert sentences(" \n\t ") == []
