from qawl.cues import find_cues, find_sourcing
from qawl.lexicon import generate_forms, lexicon
from qawl.normalize import fold


def lemmas(text: str) -> list[tuple[str, str]]:
    f = fold(text)
    return [(f[c.start:c.end], c.form.lemma) for c in find_cues(f)]


def test_forms_are_generated_from_lemmas():
    forms = generate_forms("قال", "قال", "قول", "قائل", ["قول"], frozenset({"that"}), "speech")
    for w in ("قال", "قالت", "قالوا", "يقول", "تقول", "يقولون", "قائلا", "قائله", "قول"):
        assert w in forms, w
    assert forms["قالت"].gender == "f"
    assert forms["قالوا"].number == "p"
    defective = generate_forms("دعا", "دعا", "دعو", "داع", [], frozenset({"إلى"}), "stance")
    for w in ("دعت", "دعوا", "يدعو", "يدعون", "داعيا", "داعيه"):
        assert w in defective, w


def test_clitics_are_recognised():
    got = lemmas("وقال الوزير، فأضافت المتحدثة، وطالبته بالرحيل، سألوه عن ذلك، مضيفاً أن")
    assert ("وقال", "قال") in got
    assert ("فاضافت", "أضاف") in got
    assert ("وطالبته", "طالب") in got
    assert ("سالوه", "سأل") in got
    assert ("مضيفا", "أضاف") in got


def test_stem_starting_with_waw_wins_over_conjunction():
    got = lemmas("ووعد الرئيس بالإصلاح ووصف الخطة بأنها جيدة")
    assert ("ووعد", "وعد") in got
    assert ("ووصف", "وصف") in got


def test_nouns_that_look_like_participles_are_not_cues():
    got = lemmas("قال كاتب ومتحدث ومعلم إن المؤتمر انتهى")
    assert [lemma for _, lemma in got] == ["قال"]


def test_sourcing_phrases():
    f = fold("وبحسب الوكالة، ووفقاً للنص المسرب، وحسب قول محاميه، ونقلاً عن مصادر")
    got = [h.lemma for h in find_sourcing(f)]
    assert got[:2] == ["بحسب", "وفقا"]
    assert "حسب" in got and "نقلا عن" in got


def test_lexicon_loads_once_and_has_every_data_file():
    lex = lexicon()
    assert lexicon() is lex
    assert len(lex.cue_forms) > 500
    assert "الرئيس" in lex.titles and "رييس" not in lex.titles
    assert "مصدر" in lex.sources
    assert lex.channels_re.search(fold("في مؤتمر صحفي"))
