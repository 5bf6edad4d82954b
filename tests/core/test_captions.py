"""find_captions on real-shaped Arabic news text (sentences written for these tests or taken from
the bench corpus, /work/shared/corpus/bench.jsonl.gz)."""

from __future__ import annotations

import pytest

from qawl.captions import find_captions


def spans(text):
    return [(text[c.span[0]:c.span[1]], c.kind, c.credit) for c in find_captions(text)]


def test_bbc_body_with_glued_reuters_caption_line():
    text = (
        "قال الرئيس الأمريكي دونالد ترامب إن المحادثات مع روسيا \"تسير بشكل جيد\".\n"
        "Reuters لم يزر ويتكوف موسكو منذ أشهر\n"
        "وأضاف ترامب للصحفيين أن الاتفاق قريب.\n"
        "BBC وصف ترامب ما قام به ويتكوف بأنه \"الإجراء المعتاد\"\n"
    )
    got = spans(text)
    assert got == [
        ("Reuters لم يزر ويتكوف موسكو منذ أشهر", "caption", "Reuters"),
        ("BBC وصف ترامب ما قام به ويتكوف بأنه \"الإجراء المعتاد\"", "caption", "BBC"),
    ]


def test_getty_and_composite_credit():
    text = "نص الخبر الأول.\nAFP via Getty Images متظاهرون أمام البرلمان في لندن\nوتابع الوزير حديثه."
    assert spans(text) == [("AFP via Getty Images متظاهرون أمام البرلمان في لندن", "caption",
                            "AFP via Getty Images")]


@pytest.mark.parametrize("line", [
    "وقالت رويترز إن الحكومة ستعلن القرار غدا.",
    "ذكرت وكالة رويترز أن الاجتماع انتهى دون اتفاق.",
    "وحسب رويترز، تراجع خام القياس العالمي مزيج برنت.",
    "وأضاف لرويترز \"سيتمكن السعوديون الآن من الذهاب إلى دار سينما\".",
    "قرأت على BBC أنه يصعب قياس قوة الحركة السلفية في مصر.",
])
def test_agency_as_subject_or_source_is_not_a_caption(line):
    text = "بدأ الخبر بجملة عادية.\n" + line + "\nوانتهى الخبر."
    assert find_captions(text) == []


def test_cnn_dateline_only_the_dateline():
    text = ("دبي، الإمارات العربية المتحدة (CNN)-- أعلن المتحدث باسم الجيش المصري العقيد تامر الرفاعي، "
            "الخميس، مقتل عدد من المسلحين.")
    caps = find_captions(text)
    assert [(text[slice(*c.span)], c.kind, c.credit) for c in caps] == [
        ("دبي، الإمارات العربية المتحدة (CNN)--", "dateline", "CNN")]
    assert spans("(CNN)— قال مسؤول إن الاجتماع تأجل.") == [("(CNN)—", "dateline", "CNN")]


def test_spa_dateline_and_end_mark():
    text = (" الرياض 16 شوال 1436 هـ الموافق 01 أغسطس 2015 م واس\n"
            " أكد صاحب السمو الملكي الأمير سعود بن نايف أهمية المشروع.\n"
            " // انتهى //\n 20:26 ت م \n ")
    assert spans(text) == [
        ("الرياض 16 شوال 1436 هـ الموافق 01 أغسطس 2015 م واس", "dateline", "واس"),
        ("// انتهى //\n 20:26 ت م", "boilerplate", None),
    ]
    assert spans("الرياض - واس\nأعلنت الوزارة نتائج القبول.") == [("الرياض - واس", "dateline", "واس")]


def test_sabq_byline_in_text_without_line_breaks():
    text = (" عبدالله البرقاوي- سبق- الرياض: \xa0أكد وزير العدل رئيس المجلس الأعلى للقضاء الدكتور وليد "
            "بن محمد الصمعاني أن المحاكم ستعمل خلال الإجازة. \xa0 وقال الوزير إن العمل مستمر.")
    assert spans(text) == [("عبدالله البرقاوي- سبق- الرياض:", "dateline", "سبق")]
    assert spans(" واس- عدن: وصلت صباح اليوم سفينة إلى ميناء عدن.") == [("واس- عدن:", "dateline", "واس")]
    # A column title that starts with the outlet's name is not a byline.
    assert spans(" سبق تقول للمسؤول: ترتبط حركة المرور بعوامل التنمية.") == []


def test_weeam_footer_and_bbc_app_line():
    text = ("وذكر المتحدث باسم الجمارك أن الإجراءات تمت دون توقف .\n"
            "رابط الخبر بصحيفة الوئام: الجمارك السعودية تنهي اجراءات العديد من السلع \n")
    assert spans(text) == [("رابط الخبر بصحيفة الوئام: الجمارك السعودية تنهي اجراءات العديد من السلع",
                            "boilerplate", None)]
    bbc = ("وقالت لقناة أخرى : \"سأسجل الأغنيات\".\n---------------------------------------\n"
           "يمكنكم تسلم إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.")
    got = spans(bbc)
    assert [k for _, k, _ in got] == ["boilerplate", "boilerplate"]
    assert got[1][0].startswith("يمكنكم تسلم إشعارات")


def test_other_outlet_boilerplate():
    okaz = " شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك تقدمت قوات الجيش الوطني اليمني."
    assert spans(okaz) == [("شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك", "boilerplate", None)]
    madina = ("وحان الوقت لوضع حد لها . \n\nsbt@altayar.info\nللتواصل مع الكاتب ارسل رسالة SMS\n"
              "تبدأ بالرمز (73) ثم مسافة ثم نص الرسالة إلى\n88591 - Stc\n")
    got = spans(madina)
    assert got[0] == ("sbt@altayar.info", "boilerplate", None)
    assert got[1][0].startswith("للتواصل مع الكاتب") and got[1][0].endswith("88591 - Stc")
    arabiya = "نص المقال.\n*نقلاً عن \"الحياة\"\n** جميع المقالات المنشورة تمثل رأي كتابها فقط."
    assert [k for _, k, _ in spans(arabiya)] == ["boilerplate", "boilerplate"]
    awsat = "داعيا الجميع «إلى عدم الخوف من ذلك الاتفاق».\n\n ...المزيد"
    assert spans(awsat) == [("...المزيد", "boilerplate", None)]
    jazirah = "والسوري إلى العالم أجمع. \nمقالات أخرى للكاتبالاستحمام في الرياض أو كاليفورنيا !عطل مطار"
    assert spans(jazirah)[0][0].startswith("مقالات أخرى للكاتب")


def test_spans_sorted_trimmed_non_overlapping_and_offsets_exact():
    text = (" Next Previous حامد القرشي – عين اليوم\nأبدع المغردون الليلة في تطبيق سناب شات.\n"
            "Getty Images صورة للكعبة المشرفة\n-----\nرابط الخبر بصحيفة الوئام: عنوان\n")
    caps = find_captions(text)
    assert [c.kind for c in caps] == ["boilerplate", "dateline", "caption", "boilerplate", "boilerplate"]
    assert caps[1].credit == "عين اليوم"
    prev = -1
    for c in caps:
        s, e = c.span
        assert prev <= s < e
        assert text[s:e] == text[s:e].strip()
        prev = e


def test_crlf_line_ends():
    text = "الرياض - واس\r\nأعلنت الوزارة النتائج.\r\n-----\r\nفرانس24/ أ ف ب\r\n"
    assert spans(text) == [("الرياض - واس", "dateline", "واس"), ("-----", "boilerplate", None),
                           ("فرانس24/ أ ف ب", "caption", "فرانس24/ أ ف ب")]


def test_empty_plain_and_bad_input():
    assert find_captions("") == []
    assert find_captions("قال الوزير إن الاجتماع كان مثمرا.") == []
    with pytest.raises(TypeError, match="str"):  # the compiled core words it "str object expected"
        find_captions(None)  # type: ignore[arg-type]


def test_caption_stretch_in_text_without_line_breaks():
    text = (" محمد زامل- سبق- الرياض: أعلنت الوزارة بدء التسجيل. Getty Images طلاب في قاعة الامتحان. "
            "\xa0 وقال المتحدث إن التسجيل يستمر أسبوعا.")
    got = spans(text)
    assert got[0] == ("محمد زامل- سبق- الرياض:", "dateline", "سبق")
    assert got[1] == ("Getty Images طلاب في قاعة الامتحان.", "caption", "Getty Images")
    assert len(got) == 2


def test_spans_well_formed_on_corpus_sample():
    import gzip
    import json
    from pathlib import Path

    path = Path("/work/shared/corpus/bench.jsonl.gz")
    if not path.exists():
        pytest.skip("bench corpus not available")
    kinds = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 10:
                continue
            text = json.loads(line)["text"]
            prev = 0
            for c in find_captions(text):
                s, e = c.span
                assert prev <= s < e <= len(text)
                assert text[s:e].strip() == text[s:e]
                kinds.add(c.kind)
                prev = e
    assert kinds == {"caption", "dateline", "boilerplate"}


def _same_head_match(text: str, pos: int) -> None:
    from qawl.captions import _compiled, _head_match

    comp = _compiled()
    want = comp.head.match(text, pos)
    got = _head_match(comp, text, pos)
    def groups(m):
        return m and (m.span(), m.lastgroup, {k: v for k, v in m.groupdict().items() if v is not None})

    assert groups(got) == groups(want), (text[pos:pos + 80], pos)


def test_datelines_tried_apart_match_as_the_one_regex_on_the_corpus():
    """Each dateline rule runs only on lines holding a literal it `needs` (captions_datelines.tsv):
    the matches must be those of all line rules in one alternation, at every line start tried."""
    import gzip
    import json
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
    if not corpus.exists():
        corpus = Path("/work/shared/corpus/bench.jsonl.gz")
    if not corpus.exists():
        pytest.skip("bench corpus not available")
    matched = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            pos = 0
            while True:
                _same_head_match(text, pos)
                matched += _compiled_head(text, pos)
                nl = text.find("\n", pos, 200)
                if nl < 0:
                    break
                pos = nl + 1
    assert matched > 300  # CNN, SPA and Sabq datelines, captions and boilerplate were among them


def _compiled_head(text: str, pos: int) -> int:
    from qawl.captions import _compiled

    return _compiled().head.match(text, pos) is not None


DATELINE_LINES = [
    "دبي، الإمارات العربية المتحدة (CNN)-- أعلنت الشركة",
    "(CNN)-- قال المسؤول",
    "الرياض 16 شوال 1436 هـ الموافق 01 أغسطس 2015 م واس",
    "عبدالله البرقاوي- سبق- الرياض: أكد المسؤول",
    "عبدالله البرقاوي سبق-الرياض: أكد",
    "الرياض - واس",
    "الرياضـ واس",
    "عين اليوم – القاهرة",
    "القاهرة - محمد خليل",
    "Reuters لم يزر ويتكوف موسكو",
    "فرانس24/ أ ف ب",
    "قال الوزير: إن الاتفاق قريب - وأضاف",
    "",
]


@pytest.mark.parametrize("line", DATELINE_LINES)
def test_datelines_tried_apart_match_as_the_one_regex(line):
    for text in (line, line + "\nوتابع المسؤول حديثه: نعم", "\n" + line, "سطر أول\n" + line + "\n"):
        pos = 0
        while True:
            _same_head_match(text, pos)
            nl = text.find("\n", pos)
            if nl < 0:
                break
            pos = nl + 1
