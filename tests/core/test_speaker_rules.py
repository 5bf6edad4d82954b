"""Speaker and content rules on sentences written for these tests (one rule per test)."""

from qawl import extract
from qawl.normalize import strip_article


def atts(text: str, **kw):
    return extract(text, **kw).attributions


def test_definite_description_joins_the_organisation_named_earlier():
    # "ذكرت الهيئة في تقريرها" gives no report, but it names the organisation "الهيئة" refers to
    text = ("ذكرت هيئة الطيران المدني في تقريرها السنوي.\n"
            "وأوضحت الهيئة أن عدد المسافرين ارتفع بنسبة كبيرة هذا العام.")
    (a,) = atts(text)
    assert a.speaker.text == "الهيئة"
    assert a.speaker.name == "هيئة الطيران المدني"


def test_strip_article_keeps_a_word_initial_waw():
    assert strip_article("الوزاره") == strip_article("وزاره") == "وزاره"
    assert strip_article("بالوزاره") == "وزاره"
    assert strip_article("وليد") == "وليد"


def test_quantified_group_is_the_whole_phrase():
    (a,) = atts("وأكد عدد من الأطباء أن المستشفى يعاني نقصاً حاداً في الأدوية.")
    assert a.speaker.text == "عدد من الأطباء"


def test_definite_title_is_not_a_construct_head():
    (a,) = atts("وأوضح العقيد سالم الحربي المتحدث الرسمي لإدارة المرور أن الطريق سيفتح غداً.")
    assert "الحربي" in a.speaker.name
    assert "المرور" not in a.speaker.name


def test_prepositional_phrase_inside_a_description_before_the_name():
    text = "أكد رئيس النادي والمشرف على الفريق الأول خالد العتيبي أن المدرب باق حتى نهاية الموسم."
    (a,) = atts(text)
    assert a.speaker.name == "خالد العتيبي"
    assert a.content.text.startswith("أن المدرب")


def test_emphatic_al_qawl_opens_the_clause():
    (a,) = atts("وشدد الوزير على القول إن الحكومة لن تتراجع عن الإصلاحات.")
    assert a.content.text.startswith("إن الحكومة")


def test_kama_warada_is_a_parenthetical_not_a_reply():
    text = 'وقال الوزير، كما ورد في نص كلمته، إن "الاقتصاد يتعافى بسرعة".'
    (a,) = atts(text)
    assert a.cue.lemma == "قال"
    assert a.speaker.text == "الوزير"


def test_organisation_subject_then_bare_name_is_the_object():
    (a,) = atts("واتهمت النيابة العامة كارلوس بالتهرب من دفع الضرائب لسنوات.")
    assert a.speaker.name == "النيابة العامة"
    assert a.addressee is not None and a.addressee.text == "كارلوس"


def test_hal_participle_keeps_the_clause_subject():
    text = "وقال النائب المستقل جميل الحسن منتقدا الحكومة إن الميزانية لا تلبي حاجات الناس."
    (a,) = atts(text)
    assert "الحسن" in a.speaker.name


def test_coordinated_verb_keeps_the_subject_and_takes_an_object():
    text = 'وقال النائب محمود العلي إن "القرار خاطئ تماماً" وطالب الوزير بالاستقالة فوراً.'
    a, b = atts(text)
    assert b.cue.lemma == "طالب"
    assert b.speaker.name == a.speaker.name == "محمود العلي"
    assert b.addressee is not None and b.addressee.text == "الوزير"


def test_title_and_second_name_restart_the_speaker():
    text = "وكشف المنتقد لسياسة فهد السالم الأمير فيصل بن خالد أن اللجنة ستجتمع قريباً."
    (a,) = atts(text)
    assert a.speaker.name == "فيصل بن خالد"


def test_vacuous_prepositional_content_is_no_report():
    assert atts("وحث الإمام على ذلك.") == []


def test_sourcing_phrase_does_not_attach_to_the_next_sentence():
    text = ("انقطعت الكهرباء عن أحياء واسعة من المدينة مساء الأحد، وفق ما أعلنت شركة الكهرباء. "
            "وقالت مصادر محلية إن الانقطاع استمر ساعات.")
    kinds = sorted(a.kind for a in atts(text))
    assert kinds == ["according", "indirect"]


def test_fima_before_a_verb_means_while():
    text = "وارتفعت الأسعار بشكل حاد، فيما وعدت الحكومة بأن تتخذ إجراءات عاجلة لضبط السوق."
    (a,) = atts(text)
    assert a.cue.lemma == "وعد"
    assert a.content.text.startswith("بأن تتخذ")


def test_described_as_relative_clause_reports():
    text = "واستدعت الخارجية السفير بعد ما وصفته بالتدخل السافر في الشؤون الداخلية."
    (a,) = atts(text)
    assert a.cue.lemma == "وصف"
    assert a.content.text.startswith("بالتدخل السافر")


def test_plural_participle_before_a_verb_is_a_noun():
    text = "وقال الوزير إنه واثق من نجاح الخطة رغم منتقدين يقولون إنها مكلفة جداً."
    (a,) = atts(text)
    assert a.cue.lemma == "قال"
    assert a.content.text.endswith("مكلفة جداً")


def test_relative_report_ends_the_content_before_it():
    text = "وأعلنت الوزارة استدعاء سفيرها للتشاور بعد ما وصفته بالتصريحات العدائية المتكررة."
    a, b = atts(text)
    assert a.content.text == "استدعاء سفيرها للتشاور"
    assert b.cue.lemma == "وصف" and b.content.text.startswith("بالتصريحات")
    assert b.speaker.name == a.speaker.name


def test_between_pair_is_not_the_verb_bayyana():
    text = "وأشار المدرب إلى أن الاتصال كان مفتوحاً بينه وبين رئيس النادي طوال الفترة الماضية."
    (a,) = atts(text)
    assert a.content.text.endswith("طوال الفترة الماضية")


def test_clause_naming_the_speaker_resumes_the_narration():
    text = ("وكان الرئيس فرانسوا هولاند قد وعد بإجراء استفتاء على الدستور قبل نهاية العام، "
            "ويحاول هولاند إقناع البرلمان بالموافقة على ذلك.")
    (a,) = atts(text)
    assert a.content.text == "بإجراء استفتاء على الدستور قبل نهاية العام"


def test_retracting_a_statement_is_a_report_but_a_falling_index_is_not():
    (a,) = atts("ثم تراجعت الوزارة عن تصريحاتها السابقة بشأن موعد الامتحانات.")
    assert a.cue.lemma == "تراجع" and a.content.text.startswith("عن تصريحاتها")
    assert atts("وتراجع المؤشر الرئيسي عن مكاسبه المبكرة في نهاية التداول.") == []


def test_praise_and_belief_are_reports():
    (a,) = atts("وأشاد الرئيس بالدور الذي تقوم به فرق الإنقاذ في المناطق المنكوبة.")
    assert a.cue.lemma == "أشاد" and a.content.text.startswith("بالدور")
    (b,) = atts("ويعتقد الخبراء أن الأسعار ستواصل الارتفاع حتى نهاية العام.")
    assert b.cue.lemma == "اعتقد" and b.speaker.text == "الخبراء"


def test_preposition_with_pronoun_is_never_the_speaker():
    text = "وأصدرت وزارة الصحة بياناً.\nوقالت فيه إن عدد الإصابات تراجع بشكل ملحوظ."
    (a,) = atts(text)
    assert a.speaker.text is None or a.speaker.span is None
    assert a.speaker.name == "وزارة الصحة"


def test_according_to_his_words_is_the_last_speaker():
    text = "وأكد المخرج أن التصوير سيبدأ قريباً. وسيكون الفيلم مختلفاً عن تجاربه السابقة حسب قوله."
    a, b = atts(text)
    assert b.kind == "according"
    assert b.speaker.name == "المخرج" and b.speaker.span is None


def test_spelled_out_acronym_after_lam_is_the_addressee():
    (a,) = atts("لكن خبراء قانونيين قالوا لبي بي سي إن الإجراءات استغرقت وقتاً طويلاً.")
    assert a.speaker.text == "خبراء قانونيين"
    assert a.addressee is not None and a.addressee.text == "بي بي سي"


def test_spokesperson_for_an_office_is_a_description_not_a_name():
    text = "ورفضت متحدثة باسم مكتب رئاسة الوزراء التعليق على هذه المعلومات، مشيرة إلى أن القرار لم يتخذ بعد."
    atts_ = atts(text)
    assert atts_, "the participle report is found"
    assert all("التعليق" not in (a.speaker.name or "") for a in atts_)


def test_qailan_introduces_the_speech_of_the_verb_before_it():
    (a,) = atts("وتابع المدير العام قائلا إن الشركة ستفتتح فرعاً جديداً في جدة.")
    assert a.speaker.text == "المدير العام"


def test_quoted_company_name_is_kept_for_later_mentions():
    text = ("رفعت شركة “نخيل” دعوى قضائية ضد أحد المقاولين.\n"
            "وقالت الشركة إن المقاول لم يلتزم بالعقد.")
    (a,) = atts(text)
    assert a.speaker.name.startswith("شركة") and "نخيل" in a.speaker.name


def test_given_name_inside_an_organisation_name_starts_no_person():
    (a,) = atts("وقالت مدرسة سانت ماري الثانوية إن الدراسة ستستأنف يوم الأحد.")
    assert a.speaker.name == "مدرسة سانت ماري الثانوية"


def test_radd_fil_is_a_reaction_not_a_reply():
    text = "وفي أول رد فعل يصدر عن الحكومة قالت الوزارة إن التحقيق مستمر."
    (a,) = atts(text)
    assert a.cue.lemma == "قال" and a.speaker.text == "الوزارة"


def test_weekday_ends_a_personal_name():
    (a,) = atts("وقال إيمانويل ماكرون الأربعاء في مؤتمر صحفي إن أوروبا تحتاج إلى الوحدة.")
    assert a.speaker.name == "إيمانويل ماكرون"


def test_hasbama_with_a_verb_takes_the_subject_after_it():
    text = "تعرض الكولونيل السابق لعملية تسميم في جنوب بريطانيا، حسبما أفادت وسائل إعلام بريطانية."
    (a,) = atts(text)
    assert a.kind == "according" and a.speaker.name == "وسائل إعلام بريطانية"


def test_closing_relative_clause_after_a_comma_is_the_writers_gloss():
    text = "وطالبت المنظمة بالإفراج عن الصحفي المعتقل، الذي اعتقل في العاصمة قبل عامين."
    (a,) = atts(text)
    assert a.content.text == "بالإفراج عن الصحفي المعتقل"


def test_dotted_abbreviation_in_parentheses_does_not_end_the_sentence():
    text = "وقالت الشركة إنها تريد معرفة عنوان المستخدم (آي.بي. أدرس) وتفاصيل حسابه كاملة."
    (a,) = atts(text)
    assert a.content.text.endswith("وتفاصيل حسابه كاملة")


def test_given_name_takes_its_family_name_before_an_object_content():
    (a,) = atts("أعلن الرئيس الأمريكي دونالد ترامب موافقته على استقبال مئات اللاجئين.")
    assert a.speaker.name == "دونالد ترامب"
    assert a.content.text.startswith("موافقته")


def test_fan_inside_a_name_is_not_fainna():
    (a,) = atts("كشف مينو رايولا وكيل أعمال فان مارفيك أن المدرب سيرحل في الصيف.")
    assert a.content.text.startswith("أن المدرب")


def test_statement_noun_bare_definite_and_possessed():
    from qawl.content import statement_noun

    assert statement_noun("التصريحات") and statement_noun("تاكيد")
    assert statement_noun("روايته", possessed=True) and statement_noun("تعبيرها", possessed=True)
    assert not statement_noun("قول", possessed=True)
    assert not statement_noun("مكاسبه") and not statement_noun("مكاسبه", possessed=True)


def test_l_complement_belongs_to_an_organisation_name():
    (a,) = atts("وقالت الهيئة العامة للإحصاء إن معدل البطالة انخفض إلى 11 في المئة.")
    assert a.speaker.name == "الهيئة العامة للإحصاء"
    (b,) = atts("وأعلن الاتحاد الآسيوي لكرة القدم تأجيل المباراة إلى موعد لاحق.")
    assert b.speaker.name == "الاتحاد الآسيوي لكرة القدم"
    assert b.content.text.startswith("تأجيل المباراة")


def test_l_complement_of_a_title_is_not_a_name():
    (a,) = atts("وقال المتحدث الرسمي لوزارة الداخلية إن التحقيقات مستمرة.")
    assert a.speaker.name == "المتحدث الرسمي لوزارة الداخلية"
    (b,) = atts("وقال عضو المكتب السياسي للحزب رضا بوعلاق إن المستثمرين ينتظرون الإصلاحات.")
    assert b.speaker.name == "رضا بوعلاق"


def test_media_after_the_organisation_stays_the_addressee():
    (a,) = atts("وقال الاتحاد السعودي للصحفيين إن المباراة ستقام في موعدها.")
    assert a.speaker.name == "الاتحاد السعودي"
    assert a.addressee is not None and a.addressee.text == "للصحفيين"


def test_a_name_ends_before_l_plus_a_title():
    (a,) = atts("وفق ما ذكرته المديرة الجهوية سهام مبروك لمراسلة وكالة الأنباء، فإن المخزن أغلق بالكامل.")
    assert a.speaker.name == "سهام مبروك"


def test_sourcing_word_before_a_measure_is_no_source():
    assert atts("ويتم توزيع المساعدات حسب الحاجة على الأسر المتضررة في المنطقة الشرقية.") == []
    assert atts("وتختلف الأسعار وفقا للظروف المحلية في كل منطقة من مناطق البلاد.") == []
    (a,) = atts("وبحسب موقع الصحيفة، فإن الوزير سيستقيل الأسبوع المقبل من منصبه.")
    assert a.kind == "according" and "موقع الصحيفة" in a.speaker.name


def test_a_place_is_a_whole_subject_and_the_name_after_it_the_object():
    (a,) = atts("واتهمت دمشق إسرائيل بتكرار الخروقات لأجوائها.")
    assert a.speaker.name == "دمشق" and a.addressee is not None and a.addressee.text == "إسرائيل"
    (b,) = atts("ودعت موسكو واشنطن إلى وقف التصعيد في المنطقة فورا.")
    assert b.speaker.name == "موسكو" and b.addressee is not None and b.addressee.text == "واشنطن"
    assert b.content.text.startswith("إلى وقف التصعيد")


def test_a_place_after_a_personal_name_is_the_object():
    (a,) = atts("واتهم وزير الخارجية سامح شكري إثيوبيا بالمماطلة في المفاوضات.")
    assert a.speaker.name == "سامح شكري"
    assert a.addressee is not None and a.addressee.text == "إثيوبيا"
    (b,) = atts("وطالبت الحكومة واشنطن بتوضيح موقفها من الاتفاق.")
    assert b.speaker.name == "الحكومة" and b.content.text.startswith("بتوضيح")


def test_time_adverb_ends_a_name():
    (a,) = atts("وأعلنت إسرائيل وقتها أنها ضربت ثلاثة مواقع عسكرية في جنوب سوريا.")
    assert a.speaker.name == "إسرائيل"


def test_folded_ali_before_a_title_is_the_name_not_the_preposition():
    (a,) = atts("أكد فرج علي مدير عام النقل البري أن هناك أزمة في الشركات العمومية.")
    assert a.content.text.startswith("أن هناك أزمة")
    (b,) = atts("أكد الوزير على أهمية التعاون بين البلدين في مجال الطاقة.")
    assert b.content.text.startswith("على أهمية")


def test_aam_after_a_definite_noun_is_general_not_the_year():
    (a,) = atts("وقال مكتب النائب العام إن التحقيقات مستمرة في القضية.")
    assert a.speaker.name == "مكتب النائب العام"
    (b,) = atts("وأوضح رئيس لجنة التشريع العام، عبادة الكافي، لوكالة الأنباء، أن اللجنة توصلت إلى اتفاق.")
    assert b.speaker.name == "عبادة الكافي"
    (c,) = atts("وقال الوزير العام الماضي إن الأرباح ارتفعت كثيرا.")
    assert c.speaker.name == "الوزير" and c.time is not None and c.time.text == "العام الماضي"


def test_a_place_starting_with_b_is_not_b_plus_a_verbal_noun():
    (a,) = atts("دعت باكستان مجلس الأمن الدولي إلى اتخاذ خطوات جادة لمعالجة قضايا المنطقة.")
    assert a.speaker.name == "باكستان" and a.content.text.startswith("إلى اتخاذ")


def test_l_complement_inside_a_title_apposition_is_not_the_addressee():
    (a,) = atts("وقال مصطفى وزيري، الأمين العام للمجلس الأعلى للآثار، إن البعثة ستعلن النتائج قريبا.")
    assert a.speaker.name == "مصطفى وزيري" and a.addressee is None
    (b,) = atts("وقال محمد العلي، رئيس الوزراء، للصحفيين إن الاتفاق قريب.")
    assert b.addressee is not None and b.addressee.text == "للصحفيين"


def test_counterpart_is_an_addressee():
    (a,) = atts("وقال الوزير أحمد العلي لنظيره الأمريكي إن الاتفاق قريب.")
    assert a.speaker.name == "أحمد العلي"
    assert a.addressee is not None and a.addressee.text == "نظيره الأمريكي"


def test_organisation_with_a_title_complement_takes_the_name_in_apposition():
    (a,) = atts("وصف مكتب رئيسة الوزراء البريطانية، تيريزا ماي، الزيارة بأنها فصل جديد في العلاقات.")
    assert a.speaker.name == "تيريزا ماي"
    assert a.content.text.startswith("بأنها")


def test_plural_verb_never_takes_a_single_nearest_mention():
    text = "وكان في استقبال الوفد محمد الأحمد. وأعربوا عن ارتياحهم للنتائج التي تحققت في المدينة."
    (a,) = atts(text)
    assert a.speaker.name is None
    (b,) = atts(text.replace("وأعربوا", "وأعرب"))
    assert b.speaker.name == "محمد الأحمد"


def test_object_place_after_a_full_name():
    (a,) = atts("واتهم الرئيس الأمريكي دونالد ترامب الصين بسرقة الوظائف الأمريكية.")
    assert a.speaker.name == "دونالد ترامب"


def test_awrada_reports_and_more_than_is_a_group_or_a_count():
    (a,) = atts("وأورد التقرير أن حركة الرياح السطحية على البحر الأحمر ستكون غربية.")
    assert a.speaker.name == "التقرير" and a.cue.lemma == "أورد"
    (b,) = atts("وأعرب أكثر من نصف مليون صيني عن تأثرهم عبر شبكة التواصل.")
    assert b.speaker.name == "أكثر من نصف مليون صيني"
    c = atts("وقال الوزير إن المؤتمر مهم. وشدد أكثر من مرة على أن المؤتمر ليس امتدادا لما سبقه.")
    assert c[-1].speaker.name == "الوزير"


def test_ala_before_a_medium_or_the_sidelines_is_not_the_content():
    (a,) = atts("أكد المعهد الوطني للرصد الجوي عبر موقعه على الإنترنت أنه لا يمكن رؤية الهلال الثلاثاء.")
    assert a.content.text.startswith("أنه لا يمكن")
    (b,) = atts("وأكد الوزير على هامش المؤتمر أن المفاوضات مستمرة بين الطرفين.")
    assert b.content.text.startswith("أن المفاوضات")
    (c,) = atts("أكد الوزير على أن المفاوضات مستمرة بين الطرفين.")
    assert c.content.text.startswith("على أن")


def test_hashtag_words_are_read_as_words():
    (a,) = atts("وأعلنت #وزارة_الصحة أن عدد الإصابات ارتفع إلى مئة حالة.")
    assert a.speaker.name == "وزارة_الصحة"  # the original text, unchanged
    assert a.content.text.startswith("أن عدد")
