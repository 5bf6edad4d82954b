"""End-to-end behaviour of qawl.extract on sentences written for these tests."""

from qawl import extract


def atts(text: str, **kw):
    return extract(text, **kw).attributions


def test_verb_subject_order_with_apposition_and_indirect_content():
    text = "وصرح الرئيس الأوكراني، فولوديمير زيلينسكي، بأنه مستعد للقاء نظيره الروسي في أي وقت."
    (a,) = atts(text)
    assert a.kind == "indirect"
    assert a.cue.lemma == "صرح"
    assert "زيلينسكي" in a.speaker.name
    assert a.content.text.startswith("بأنه مستعد")


def test_direct_quote_after_colon_and_dropped_subject_keeps_speaker():
    text = ('وقال وزير الخارجية الأردني أيمن الصفدي للصحفيين: "لن نقبل بأي تهجير للفلسطينيين".\n'
            'وأضاف: "الحل الوحيد هو إقامة الدولة الفلسطينية".')
    a, b = atts(text)
    assert (a.kind, b.kind) == ("direct", "direct")
    assert a.content.text == "لن نقبل بأي تهجير للفلسطينيين"
    assert "الصفدي" in a.speaker.name and b.speaker.name == a.speaker.name
    assert b.speaker.span is None  # dropped subject
    assert a.addressee is not None and "صحفيين" in a.addressee.text


def test_participle_continues_the_same_speaker():
    text = "وأكدت وزارة الصحة أن الوضع تحت السيطرة، مشيرة إلى أن عدد الإصابات تراجع خلال الأسبوع."
    a, b = atts(text)
    assert a.content.text == "أن الوضع تحت السيطرة"
    assert b.cue.text == "مشيرة"
    assert b.speaker.name == a.speaker.name == "وزارة الصحة"


def test_subject_before_verb():
    text = "لكن ترامب قال إن المفاوضات تسير بشكل جيد."
    (a,) = atts(text)
    assert a.speaker.name == "ترامب"
    assert a.content.text == "إن المفاوضات تسير بشكل جيد"


def test_mixed_speech_and_channel():
    text = 'وقال المتحدث باسم الشرطة في بيان إن الحادث "مؤسف للغاية" وإن التحقيق مستمر.'
    (a,) = atts(text)
    assert a.kind == "mixed"
    assert a.channel is not None and "بيان" in a.channel.text


def test_according_phrase_with_content_after_it():
    text = "وبحسب وكالة رويترز، فإن المحادثات ستستأنف الأسبوع المقبل في جنيف."
    (a,) = atts(text)
    assert a.kind == "according"
    assert "رويترز" in a.speaker.name
    assert "المحادثات ستستأنف" in a.content.text


def test_passive_report_with_source():
    text = "ونقلت وكالة الأنباء الرسمية عن مصدر أمني قوله إن الهجوم أسفر عن سقوط ضحايا."
    (a,) = atts(text)
    assert "مصدر" in a.speaker.name
    assert a.source is not None and "وكالة" in a.source.text
    assert a.content.text.startswith("إن الهجوم")


def test_postposed_speaker_after_quote():
    text = '"سنواصل العمل حتى تحقيق أهدافنا كاملة"، قال رئيس الوزراء في كلمة متلفزة.'
    (a,) = atts(text)
    assert a.kind == "direct"
    assert a.content.text == "سنواصل العمل حتى تحقيق أهدافنا كاملة"
    assert "رئيس الوزراء" in (a.speaker.name or "")


def test_topic_without_content_and_impersonal_yudhkar_are_not_attributions():
    assert atts("وناقش الوزيران العلاقات الثنائية خلال الاجتماع.") == []
    assert atts("يذكر أن الاتفاق وقع العام الماضي في الرياض.") == []


def test_time_resolved_against_publication_date():
    text = "وقال وزير المالية الأربعاء إن الميزانية ستعلن قريبا."
    (a,) = atts(text, published="2025-11-27")
    assert a.time is not None and a.time.value == "2025-11-26"


def test_offsets_point_into_the_unchanged_text():
    text = "وقالَ المتحدثُ باسمِ الوزارة\u00a0إنّ الاجتماعَ سيُعقد غداً."
    doc = extract(text)
    assert doc.text == text
    for a in doc.attributions:
        for part in (a.content, a.cue):
            assert text[part.span[0]:part.span[1]] == part.text
        if a.speaker.span:
            assert text[a.speaker.span[0]:a.speaker.span[1]] == a.speaker.text


def test_captions_never_yield_attributions():
    text = ("وقال الرئيس إن الحكومة ستواصل الإصلاحات الاقتصادية.\n"
            "Reuters قال الرئيس إن الحكومة ستواصل الإصلاحات\n"
            "وأضاف أن النمو سيتحسن العام المقبل.")
    doc = extract(text)
    assert any(c.credit == "Reuters" for c in doc.captions)
    cap = next(c for c in doc.captions if c.credit == "Reuters")
    assert all(not (cap.span[0] <= a.cue.span[0] < cap.span[1]) for a in doc.attributions)
    assert len(doc.attributions) == 2


def test_entities_group_mentions_and_keep_fullest_name():
    text = ("وقال المبعوث الأمريكي ستيف ويتكوف إن الاتفاق قريب.\n"
            "وأضاف ويتكوف أن الطرفين وافقا على معظم البنود.")
    doc = extract(text)
    names = {a.speaker.name for a in doc.attributions}
    assert names == {"ستيف ويتكوف"}
    ent = next(e for e in doc.entities if e.name == "ستيف ويتكوف")
    assert len(ent.mentions) == 2
    assert any("المبعوث" in t for t in ent.titles)


def test_to_dict_is_qawl1_and_deterministic():
    text = "وقال المتحدث إن الاجتماع سيعقد غدا."
    d1 = extract(text, id="x", published="2025-01-01").to_dict()
    d2 = extract(text, id="x", published="2025-01-01").to_dict()
    assert d1 == d2
    assert d1["schema"] == "qawl/1" and d1["id"] == "x"
    assert set(d1["attributions"][0]) >= {"id", "kind", "content", "cue", "speaker", "addressee", "channel",
                                           "source", "time", "confidence"}
