"""Statement provenance rules (pure functions)."""

from __future__ import annotations

import random

from qawl.provenance import fingerprint, group, keys, same_statement, search_text, similarity

Q = "إن المحادثات مع الحكومة الروسية كانت مثمرة وبناءة وستستمر الأسبوع المقبل في موسكو"


def test_fingerprint_ignores_diacritics_hamza_and_clitics() -> None:
    variant = "إنّ المحادثاتِ مع حكومة الروسيّة كانت مثمرةً وبنّاءة وستستمر الاسبوع المقبل في موسكو"
    assert fingerprint(Q) == fingerprint(variant)
    assert keys(Q)[0] == keys(variant)[0]
    assert fingerprint(Q) != fingerprint("المحادثات مع الحكومة الأوكرانية كانت صعبة")


def test_search_text_strips_clitics_so_forms_meet() -> None:
    assert search_text("وقال") == search_text("قال")
    assert search_text("الحكومة") == search_text("حكومة") == search_text("والحكومة")


def test_near_duplicate_is_the_same_statement() -> None:
    longer = Q + " بحسب ما قال"
    assert similarity(Q, longer) >= 0.6
    assert same_statement(Q, longer)
    assert set(keys(Q)) & set(keys(longer))
    other = "لن نقبل بأي اتفاق لا يضمن انسحاب القوات من كامل الأراضي المحتلة منذ بداية الحرب"
    assert not same_statement(Q, other)


def test_different_speakers_are_different_statements() -> None:
    assert same_statement(Q, Q, "p:وتكف", None)
    assert not same_statement(Q, Q, "p:وتكف", "p:ترمب")


def test_short_quotes_need_the_same_known_speaker() -> None:
    short = "لا تعليق لدينا الآن"
    assert not same_statement(short, short)
    assert same_statement(short, short, "p:وتكف", "p:وتكف")


def test_group_is_order_independent() -> None:
    recs = [{"content": Q, "speaker_block": "p:وتكف"}, {"content": Q + " بحسب ما قال", "speaker_block": None},
            {"content": "الوضع الإنساني في غزة كارثي ويتطلب تدخلا دوليا عاجلا لوقف الحرب", "speaker_block": "p:غترس"},
            {"content": "إن الوضع الإنساني في غزة كارثي ويتطلب تدخلا دوليا عاجلا لوقف الحرب", "speaker_block": None},
            {"content": "سنفرض رسوما جمركية جديدة على الواردات الصينية اعتبارا من الشهر المقبل", "speaker_block": "p:ترمب"}]

    def partition(rs: list[dict]) -> set[frozenset[str]]:
        g = group(rs)
        out: dict[int, set[str]] = {}
        for r, k in zip(rs, g, strict=True):
            out.setdefault(k, set()).add(r["content"])
        return {frozenset(v) for v in out.values()}

    base = partition(recs)
    assert len(base) == 3
    for seed in range(5):
        rs = recs[:]
        random.Random(seed).shuffle(rs)
        assert partition(rs) == base


def test_short_and_empty_contents_have_no_shared_hot_key() -> None:
    assert keys("نعم", None) == []  # short, speaker unknown: can never match, so no key
    assert len(keys("نعم")) == 1  # without the speaker argument: the plain fingerprint
    assert keys("نعم", "p:وتكف") != keys("نعم", "p:ترمب")
    assert keys("في من على") == [] == keys("في من على", "p:وتكف")  # function words only


def test_shingle_hashes_are_those_of_the_joined_shingles() -> None:
    import zlib

    from qawl.provenance import _shingle_hashes, content_words, shingles

    for text in (Q, Q + " " + Q, "نعم", "قال إن الاتفاق سيوقع غدا 😀 é"):
        cw = content_words(text)
        assert _shingle_hashes(cw) == sorted({zlib.crc32(" ".join(sh).encode()) for sh in shingles(cw)})
