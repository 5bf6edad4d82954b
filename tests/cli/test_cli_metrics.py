"""qawl.metrics: matching and scoring on hand-made predictions."""

from __future__ import annotations

import copy

import pytest
from cli_helpers import TEXT, att, gold_atts, gold_doc, pred_doc, span_of

from qawl.metrics import evaluate, greedy_match, jaccard, score_document, speaker_correct, trim_span


def test_perfect_predictions_score_one():
    gold = gold_doc()
    rep = evaluate([gold], [pred_doc("g1", TEXT, gold["attributions"])])
    assert rep.content.f1 == 1.0 and rep.content.tp == 3
    assert rep.speaker.value == 1.0 and rep.speaker.total == 3
    assert rep.who_said_what.f1 == 1.0
    assert rep.cue_pairs.f1 == 1.0 and rep.cue_overall.f1 == 1.0
    assert rep.kind_accuracy.value == 1.0
    assert {k: r.value for k, r in rep.recall_by_kind.items() if r.total} == {
        "direct": 1.0, "indirect": 1.0, "according": 1.0}
    assert rep.recall_by_kind["mixed"].total == 0
    doc = rep.by_doc[0]
    assert not doc.missed and not doc.extras and not doc.wrong_speaker
    assert rep.summary_lines() == [
        "content P=1.000 R=1.000 F1=1.000",
        "speaker accuracy=1.000 (3/3 matched)",
        "who-said-what P=1.000 R=1.000 F1=1.000",
        "cue F1=1.000 (cues alone F1=1.000)",
    ]


def test_no_predictions_score_zero_and_list_missed():
    rep = evaluate([gold_doc()], {})
    assert rep.content.tp == 0 and rep.content.n_gold == 3 and rep.content.recall == 0.0
    assert rep.content.f1 == 0.0 and rep.speaker.total == 0
    assert rep.missing_predictions == ["g1"]
    assert len(rep.by_doc[0].missed) == 3


def test_trim_span_drops_quotes_spaces_and_punctuation():
    text = 'قال: « الوضع صعب »، ثم'
    s, e = trim_span(text, (4, 19))
    assert text[s:e] == "الوضع صعب"


def test_shifted_and_trimmed_spans_still_match():
    gold = gold_doc()
    g = gold["attributions"]
    moved = copy.deepcopy(g)
    # Direct quote predicted with its quotation marks and the closing full stop.
    s, e = g[0]["content"]["span"]
    moved[0]["content"]["span"] = [s - 1, e + 2]
    # Indirect content without the complementizer "أنه " and a few words short at the end.
    s, e = g[1]["content"]["span"]
    moved[1]["content"]["span"] = [s + 4, e - len(" النار")]
    # According content starting early, at the comma.
    s, e = g[2]["content"]["span"]
    moved[2]["content"]["span"] = [s - 2, e]
    rep = evaluate([gold], [pred_doc("g1", TEXT, moved)])
    assert rep.content.tp == 3 and rep.content.f1 == 1.0


def test_too_little_overlap_is_no_match():
    gold = gold_doc()
    g = gold["attributions"]
    s, e = g[1]["content"]["span"]
    half = copy.deepcopy(g[1])
    half["content"]["span"] = [s, s + (e - s) // 3]  # a third of the content: Jaccard < 0.5
    rep = evaluate([gold], [pred_doc("g1", TEXT, [half])])
    assert rep.content.tp == 0 and rep.content.n_pred == 1
    assert len(rep.by_doc[0].extras) == 1 and len(rep.by_doc[0].missed) == 3


def test_wrong_speaker_lowers_speaker_and_who_said_what_not_content():
    gold = gold_doc()
    wrong = copy.deepcopy(gold["attributions"])
    wrong[1]["speaker"] = {"span": None, "text": None, "name": "فلاديمير بوتين"}
    rep = evaluate([gold], [pred_doc("g1", TEXT, wrong)])
    assert rep.content.f1 == 1.0
    assert rep.speaker.hit == 2 and rep.speaker.total == 3
    assert rep.who_said_what.tp == 2
    assert rep.who_said_what.precision == pytest.approx(2 / 3)
    ws = rep.by_doc[0].wrong_speaker
    assert len(ws) == 1 and ws[0].gold.speaker == "دونالد ترامب" and ws[0].pred.speaker == "فلاديمير بوتين"
    assert ws[0].gold.excerpt.startswith("أنه سيلتقي")


def test_one_to_one_two_predictions_over_one_gold():
    gold = gold_doc(atts=gold_atts()[:1])
    g = gold["attributions"][0]
    dup = copy.deepcopy(g)
    s, e = g["content"]["span"]
    dup["content"]["span"] = [s, e - 3]
    rep = evaluate([gold], [pred_doc("g1", TEXT, [dup, g])])
    assert rep.content.tp == 1 and rep.content.n_pred == 2
    assert rep.content.precision == 0.5 and rep.content.recall == 1.0
    # Greedy by overlap: the exact prediction wins, the shorter one is the extra.
    extras = rep.by_doc[0].extras
    assert len(extras) == 1 and extras[0].span == [s, e - 3]


def test_greedy_takes_best_overlap_first():
    # gold 0 fits pred 0 (0.6) and pred 1 (0.9); gold 1 fits only pred 0 (0.7).
    assert greedy_match([(0.6, 0, 0), (0.9, 0, 1), (0.7, 1, 0)]) == [(0, 1, 0.9), (1, 0, 0.7)]
    # Through score_document: the prediction that fits gold 1 exactly goes to gold 1,
    # although it also fits gold 0 well enough.
    text = "ا" * 40
    g = [{"kind": "indirect", "content": {"span": sp}, "cue": {"span": [0, 1]},
          "speaker": {"name": "سعيد", "keys": ["سعيد"]}} for sp in ([0, 20], [5, 25])]
    p = [{"kind": "indirect", "content": {"span": sp}, "cue": {"span": [0, 1]}, "speaker": {"name": "سعيد"}}
         for sp in ([5, 25], [0, 18])]
    rep, doc = score_document({"id": "x", "text": text, "attributions": g}, {"id": "x", "text": text, "attributions": p})
    assert rep.content.tp == 2 and not doc.missed and not doc.extras


@pytest.mark.parametrize(("keys", "name", "text", "ok"), [
    (["الرئيس الأمريكي"], "والرئيس الامريكى", None, True),     # clitic و, hamza, alef maqsura
    (["ترامب"], "دونالد ترامب", None, True),
    (["ترامب"], None, "ترامب", False),                           # only the resolved name counts (spec)
    (["ترامب"], "دونالد ترمب", None, False),
    (["وزارة الصحة"], "وزارة الصحة الفلسطينية", None, True),
    (["وزارة الصحة"], "وزارة الخارجية", None, False),           # every word of a key is needed
    (["المراسلة البرازيلية", "غيمارايش"], "جوليا غيمارايش", None, True),  # one of the keys is enough
    (["مصدر"], "مصدرٌ أمنيّ", None, True),                       # diacritics
    (["القادة"], "قادة", None, True),                            # article ال ignored
    (["الشركة"], "الشركه", None, True),                          # ta marbuta
    (["کریمی"], "كريمي", None, True),                            # Persian letter forms
    (["ترامب"], None, None, False),
])
def test_speaker_key_normalisation(keys, name, text, ok):
    assert speaker_correct({"name": "x", "keys": keys}, {"name": name, "text": text}) is ok


def test_speaker_without_keys_falls_back_to_name_and_null_speaker():
    assert speaker_correct({"name": "ستيف ويتكوف"}, {"name": "ويتكوف ستيف"})
    assert not speaker_correct({"name": "ستيف ويتكوف"}, {"name": "ويتكوف"})
    assert speaker_correct({"name": None, "keys": []}, {"name": None, "text": None})
    assert not speaker_correct(None, {"name": "ترامب"})


def test_cue_pairs_and_cues_alone():
    gold = gold_doc()
    moved = copy.deepcopy(gold["attributions"])
    # Cue of the second attribution predicted on the speaker instead: no overlap with وأضاف.
    moved[1]["cue"] = {"span": span_of(TEXT, "الرئيس الروسي"), "text": "الرئيس الروسي"}
    rep = evaluate([gold], [pred_doc("g1", TEXT, moved)])
    assert rep.cue_pairs.tp == 2 and rep.cue_pairs_accuracy.value == pytest.approx(2 / 3)
    assert rep.cue_overall.tp == 2
    assert rep.content.f1 == 1.0


def test_kind_accuracy_and_confusion():
    gold = gold_doc()
    moved = copy.deepcopy(gold["attributions"])
    moved[0]["kind"] = "indirect"
    rep = evaluate([gold], [pred_doc("g1", TEXT, moved)])
    assert rep.kind_accuracy.hit == 2 and rep.kind_accuracy.total == 3
    assert rep.kind_confusion["direct"] == {"indirect": 1}
    assert rep.recall_by_kind["direct"].value == 1.0  # recall by kind counts the content match
    assert rep.precision_by_kind["indirect"].total == 2
    assert len(rep.by_doc[0].wrong_kind) == 1


def test_corpus_sums_over_documents_and_reports_json():
    gold = [gold_doc("a"), gold_doc("b")]
    preds = {"a": pred_doc("a", TEXT, gold[0]["attributions"]), "b": pred_doc("b", TEXT, [])}
    rep = evaluate(gold, preds)
    assert rep.docs == 2
    assert rep.content.tp == 3 and rep.content.n_gold == 6 and rep.content.recall == 0.5
    d = rep.to_dict()
    assert d["content"]["recall"] == 0.5 and d["docs"] == 2
    assert [x["id"] for x in d["by_doc"]] == ["a", "b"]
    assert "by_doc" not in rep.to_dict(by_doc=False)


def test_extra_prediction_and_text_mismatch_flag():
    gold = gold_doc()
    extra = att(TEXT, "indirect", "عدد الضحايا", "وبحسب", "أحد")
    p = pred_doc("g1", TEXT + " ", gold["attributions"] + [extra])
    _, doc = score_document(gold, p)
    assert doc.text_mismatch
    assert doc.n_pred == 4 and doc.matched == 3 and len(doc.extras) == 1
    assert doc.extras[0].excerpt == "عدد الضحايا"


def test_jaccard_basics():
    assert jaccard((0, 10), (0, 10)) == 1.0
    assert jaccard((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert jaccard((0, 10), (10, 20)) == 0.0
    assert jaccard((3, 3), (0, 10)) == 0.0
