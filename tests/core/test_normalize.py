from hypothesis import given, settings
from hypothesis import strategies as st

from qawl.normalize import _FOLD_LIST, _KEY_LIST, fold, key_fold, name_words, shadow, strip_clitics


def test_fold_removes_diacritics_tatweel_and_unifies_letters():
    assert fold("قالَ الرئيسُ") == "قال الرئيس"
    assert fold("أإآٱ") == "اااا"
    assert fold("مستشفى الجامعة") == "مستشفي الجامعه"
    assert fold("بـ\u0640الإعلام") == "بالاعلام"
    assert fold("a\u00a0b") == "a b"
    assert fold("١٢٣") == "123"


def test_key_fold_folds_hamza_seats_and_latin_case():
    assert key_fold("مؤتمر") == "موتمر"
    assert key_fold("رئيس") == "رييس"
    assert key_fold("BBC") == "bbc"


def test_strip_clitics():
    assert strip_clitics(fold("وقال")) == "قال"
    assert strip_clitics(fold("والحكومة")) == "حكومه"
    assert strip_clitics(fold("للصحفيين")) == "لصحفيين" or strip_clitics(fold("للصحفيين")) == "صحفيين"
    assert strip_clitics("و") == "و"  # too short to strip


def test_name_words_compare_spelling_variants():
    assert name_words("الرئيس الأمريكي") == name_words("والرئيس الامريكى")
    assert "ترامب" in name_words("دونالد ترامب")


def test_shadow_maps_offsets_back_to_original():
    text = "وقالَ الوزيرُ\u00a0إنّ الحكومةَ ستعمل"
    sh = shadow(text)
    assert "ـ" not in sh.text and "َ" not in sh.text
    i = sh.text.index("الوزير")
    s, e = sh.span_to_orig(i, i + len("الوزير"))
    assert text[s:e] == "الوزيرُ"  # the word's last vowel mark stays with it
    j = sh.text.index("الحكومه")
    s, e = sh.span_to_orig(j, j + len("الحكومه"))
    assert fold(text[s:e]) == "الحكومه"


def test_shadow_identity_when_nothing_dropped():
    text = "قال المتحدث إن الاجتماع انتهى"
    sh = shadow(text)
    assert sh.text == fold(text) and len(sh.text) == len(text)
    assert sh.span_to_orig(4, 11) == (4, 11)


def test_underscore_folds_to_a_space_keeping_offsets():
    from qawl.normalize import shadow

    sh = shadow("#أمير_الكويت")
    assert sh.text == "#امير الكويت" and len(sh.text) == len("#أمير_الكويت")


_FOLDABLE = st.sampled_from(["أ", "إ", "آ", "ى", "ة", "ی", "ک", "\u064b", "\u0651", "\u0640", "\u200f", "\u00a0", "_",
                             "٣", "۵", "٫", "ا", "ب", " ", "a", "Z", "\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_FOLDABLE, min_size=0, max_size=600))
def test_long_text_folds_like_the_table(chars: list[str]) -> None:
    # from 256 characters fold() replaces character by character instead of translating; same result
    text = "".join(chars)
    assert fold(text) == text.translate(_FOLD_LIST)
    assert key_fold(text) == text.translate(_KEY_LIST).lower()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("أإآاىيةهؤئءکیـًٌ_ ٣AbCdقالوزير") + ["\u00a0"]), max_size=30))
def test_key_of_folded_text_is_key_fold(text):
    from qawl.entities import _key_of_folded

    folded = fold(text)
    assert _key_of_folded(folded) == key_fold(folded) == key_fold(text)
