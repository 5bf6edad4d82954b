"""The store API on SQLite and PostgreSQL (same tests, both backends)."""

from __future__ import annotations

import random

import pytest
from store_docs import make_doc

from qawl import EXTRACTOR_VERSION, identity, provenance

WITKOFF_Q = "إن المحادثات مع الحكومة الروسية كانت مثمرة وبناءة وستستمر الأسبوع المقبل في موسكو"


def corpus_of_hand_docs() -> list[tuple[dict, dict]]:
    return [
        make_doc("bbc-1", [
            ("المبعوث الأمريكي ستيف ويتكوف", "قال", WITKOFF_Q, "بوتين"),
            ("زيلينسكي", "وأضاف", "لن نتنازل عن أي شبر من أراضينا مهما طال أمد الحرب ومهما كانت الضغوط", None),
        ], outlet="BBC Arabic", published="2025-11-26"),
        make_doc("arabiya-1", [
            ("ويتكوف", "وقال", "المحادثات مع الحكومة الروسية كانت مثمرة وبناءة وستستمر الأسبوع المقبل في موسكو", None),
            ("زيلنسكي", "قال", "لن نتنازل عن أي شبر من أراضينا مهما طال أمد الحرب ومهما كانت الضغوط", None),
        ], outlet="Al Arabiya", published="2025-11-25"),
        make_doc("cnn-1", [
            ("ستيف ويتكوف", "أكد", "إنّ المحادثاتِ مع الحكومة الروسيّة كانت مثمرةً وبنّاءة وستستمر الأسبوع المقبل في موسكو",
             None),
            ("دونالد ترامب", "قال", "سنفرض رسوما جمركية جديدة على الواردات الصينية اعتبارا من الشهر المقبل", "شي جين بينغ"),
            ("ميلانيا ترامب", "قالت", "أنا فخورة بالعمل الخيري الذي نقوم به من أجل الأطفال في كل مكان", None),
        ], outlet="CNN Arabic", published="2025-12-02"),
        make_doc("sky-1", [
            ("الرئيس الأمريكي دونالد ترامب", "صرح", "موسكو موسكو موسكو هي المفتاح", None),
            ("وزير الصحة", "قال", "افتتحنا مستشفى جديدا في المدينة وأكد الأطباء جاهزيته", None),
        ], outlet="Sky News Arabia", published="2025-12-03", kind="indirect"),
    ]


@pytest.fixture
def loaded(store):
    res = store.add_extracted(corpus_of_hand_docs(), batch_size=2)
    assert res["added"] == 4 and res["failed"] == 0
    return store


def test_add_extracted_is_idempotent_and_updates_changed_articles(store) -> None:
    docs = corpus_of_hand_docs()
    assert store.add_extracted(docs)["added"] == 4
    again = store.add_extracted(docs)
    assert (again["added"], again["unchanged"], again["updated"]) == (0, 4, 0)
    st = store.stats()
    assert st["articles"] == 4 and st["reports"] == 9
    meta, q = make_doc("bbc-1", [("ويتكوف", "قال", "لا جديد في المحادثات اليوم مع الجانب الروسي بخصوص وقف إطلاق النار",
                                  None)], outlet="BBC Arabic", published="2025-11-26")
    res = store.add_extracted([(meta, q)])
    assert res["updated"] == 1
    st = store.stats()
    assert st["articles"] == 4 and st["reports"] == 8  # 2 old reports of bbc-1 replaced by 1
    art = store.article("bbc-1")
    assert art["text"] == q["text"] and len(art["extraction"]["attributions"]) == 1
    assert store.search("شبر")[0]["outlet"] == "Al Arabiya"  # the removed report is no longer found


def test_search_normalises_arabic(loaded) -> None:
    # Query spellings differ from the stored ones by clitics, article, diacritics, ta marbuta, hamza, alef maqsura.
    for q in ("حكومة", "الحكومة", "والحكومة", "الحُكومة", "الحكومه", "بالحكومة"):
        hits = loaded.search(q)
        assert {h["article_id"] for h in hits} == {loaded.article(i)["article_id"]
                                                   for i in ("bbc-1", "arabiya-1", "cnn-1")}, q
    assert loaded.search("مستشفي")  # ى / ي
    assert loaded.search("اكد الاطباء")  # أ / ا, two words both required
    assert not loaded.search("الأطباء الروسية")  # both words, never in one statement


def test_search_ranks_and_filters(loaded) -> None:
    hits = loaded.search("موسكو")
    assert hits[0]["content"] == "موسكو موسكو موسكو هي المفتاح"
    assert all(hits[i]["score"] >= hits[i + 1]["score"] for i in range(len(hits) - 1))
    h = hits[0]
    for k in ("statement_id", "attribution_id", "article_id", "kind", "content", "cue", "speaker_id", "speaker_name",
              "outlet", "published", "title", "url", "addressee", "channel", "source", "time", "score"):
        assert k in h
    assert {x["outlet"] for x in loaded.search("موسكو", speaker="ويتكوف")} == {"BBC Arabic", "Al Arabiya",
                                                                              "CNN Arabic"}
    assert [x["outlet"] for x in loaded.search("موسكو", outlet="cnn arabic")] == ["CNN Arabic"]
    assert {x["kind"] for x in loaded.search(None, kind="indirect")} == {"indirect"}
    assert {x["published"] for x in loaded.search(None, since="2025-12-01")} == {"2025-12-02", "2025-12-03"}
    assert {x["published"] for x in loaded.search(None, until="2025-11-26")} == {"2025-11-25", "2025-11-26"}
    page1 = loaded.search(None, limit=3)
    page2 = loaded.search(None, limit=3, offset=3)
    assert len(page1) == 3 and not {x["attribution_id"] for x in page1} & {x["attribution_id"] for x in page2}
    assert loaded.search(None, speaker="لا أحد بهذا الاسم") == []
    latest = loaded.latest_statements(2)
    assert [x["published"] for x in latest] == ["2025-12-03", "2025-12-03"]


def test_one_speaker_across_articles(loaded) -> None:
    sp = {s["name"]: s for s in loaded.speakers()}
    w = sp["ستيف ويتكوف"]
    assert w["statements"] == 3 and w["articles"] == 3
    assert set(w["outlets"]) == {"BBC Arabic", "Al Arabiya", "CNN Arabic"}
    assert (w["first"], w["last"]) == ("2025-11-25", "2025-12-02")
    assert "ويتكوف" in w["aliases"] and "المبعوث الأمريكي" in w["titles"]
    z = [s for s in sp.values() if s["name"] in ("زيلينسكي", "زيلنسكي")]
    assert len(z) == 1 and z[0]["statements"] == 2
    assert "دونالد ترامب" in sp and "ميلانيا ترامب" in sp
    assert sp["دونالد ترامب"]["statements"] == 2  # with «الرئيس الأمريكي دونالد ترامب»
    assert sp["دونالد ترامب"]["speaker_id"] != sp["ميلانيا ترامب"]["speaker_id"]
    assert loaded.speakers(top=1)[0]["name"] == "ستيف ويتكوف"
    assert [s["name"] for s in loaded.speakers(query="ويتكوف")] == ["ستيف ويتكوف"]


def test_speaker_page(loaded) -> None:
    s = loaded.speaker("ويتكوف")
    assert s is not None and s["speaker_id"] == "ستيف-ويتكوف"
    assert loaded.speaker("ستيف-ويتكوف")["name"] == "ستيف ويتكوف"
    assert len(s["statements"]) == 3 and s["statement_count"] == 3
    assert s["addressees"] == [{"name": "بوتين", "count": 1}]
    assert s["weekly"] == [{"week": "2025-11-24", "count": 2}, {"week": "2025-12-01", "count": 1}]
    assert loaded.speaker("شخص غير موجود") is None


def test_statement_provenance_first_seen_first(loaded) -> None:
    hits = loaded.search("محادثات", speaker="ويتكوف")
    sids = {h["statement_id"] for h in hits}
    assert len(sids) == 1, "one quotation carried by three outlets is one statement"
    st = loaded.statement(sids.pop())
    assert st["first_seen"] == "2025-11-25"
    assert [r["outlet"] for r in st["reports"]] == ["Al Arabiya", "BBC Arabic", "CNN Arabic"]
    assert st["speaker_name"] == "ستيف ويتكوف"
    # Zelensky's quote in two outlets: one statement; Trump's and Melania's: one each.
    z = loaded.search("شبر")
    assert len({h["statement_id"] for h in z}) == 1 and len(z) == 2
    assert loaded.stats()["statements"] == 6
    assert loaded.statement(999999) is None


def test_article_roundtrip_and_listing(loaded) -> None:
    arts = loaded.articles(limit=10)
    assert [a["id"] for a in arts] == ["sky-1", "cnn-1", "bbc-1", "arabiya-1"]
    a = loaded.article(arts[1]["article_id"])
    assert a["id"] == "cnn-1" and a["outlet"] == "CNN Arabic" and a["extractor_version"] == EXTRACTOR_VERSION
    for att in a["extraction"]["attributions"]:
        s, e = att["content"]["span"]
        assert a["text"][s:e] == att["content"]["text"]
    refs = a["statements"]
    assert [x["aid"] for x in refs] == [x["id"] for x in a["extraction"]["attributions"]]
    assert [x["speaker_id"] for x in refs] == ["ستيف-ويتكوف", "دونالد-ترامب", "ميلانيا-ترامب"]
    assert all(loaded.statement(x["statement_id"]) for x in refs)
    assert loaded.article(10**9) is None


def test_network(loaded) -> None:
    net = loaded.network()
    ids = {n["id"] for n in net["nodes"]}
    assert "ستيف-ويتكوف" in ids
    co = {(e["source"], e["target"]) for e in net["edges"] if e["kind"] == "co-quoted"}
    assert tuple(sorted(("دونالد-ترامب", "ميلانيا-ترامب"))) in co
    addr = [e for e in net["edges"] if e["kind"] == "addresses"]
    assert any(e["source"] == "ستيف-ويتكوف" and e["weight"] == 1 for e in addr)
    for e in net["edges"]:
        assert e["source"] in ids and e["target"] in ids
    focus = loaded.network(speaker="ميلانيا ترامب")
    assert all("ميلانيا-ترامب" in (e["source"], e["target"]) for e in focus["edges"])


def test_store_equals_pure_batch_functions_whatever_the_order(store) -> None:
    """Incremental ingest (any order, any batch size) == identity.resolve / provenance.group over everything."""
    docs = corpus_of_hand_docs()
    random.Random(7).shuffle(docs)
    store.add_extracted(docs[:1], batch_size=1)
    store.add_extracted(docs[1:], batch_size=2)
    recs, prov = [], []
    for meta, q in docs:
        ents = {e["id"]: e for e in q["entities"]}
        for a in q["attributions"]:
            e = ents[a["speaker"]["entity"]]
            recs.append({"name": a["speaker"]["name"], "type": e["type"], "titles": e["titles"], "article": meta["id"],
                         "content": a["content"]["text"]})
            m = identity.prepare(a["speaker"]["name"], e["type"])
            prov.append({"content": a["content"]["text"], "speaker_block": m.block if m else None})
    expected = {(r["article"], r["content"]): a.speaker_id for r, a in zip(recs, identity.resolve(recs), strict=True)}
    groups = provenance.group(prov)
    exp_part = {frozenset((r["article"], r["content"]) for r, g2 in zip(recs, groups, strict=True) if g2 == g)
                for g in set(groups)}
    got, by_stmt = {}, {}
    for h in store.search(None, limit=100):
        doc_id = store.article(h["article_id"])["id"]
        got[(doc_id, h["content"])] = h["speaker_id"]
        by_stmt.setdefault(h["statement_id"], set()).add((doc_id, h["content"]))
    assert got == expected
    assert {frozenset(v) for v in by_stmt.values()} == exp_part


def test_aliases_in_the_store(store_url, tmp_path) -> None:
    from qawl.store import open_store

    p = tmp_path / "aliases.tsv"
    p.write_text("!\tبلومبيرغ\tبلومبرغ\n", encoding="utf-8")
    docs = [make_doc("x1", [("بلومبيرغ", "قال", "الأسواق ستتعافى قريبا بعد موجة الهبوط الكبيرة هذا الشهر", None)]),
            make_doc("x2", [("بلومبرغ", "قال", "نتوقع نموا اقتصاديا معتدلا في الربع القادم من العام", None)])]
    with open_store(store_url) as s:
        s.add_extracted(docs)
        assert len(s.speakers()) == 1
    with open_store(store_url, aliases=str(p)) as s:
        assert s.recluster_all() == 2
        assert len(s.speakers()) == 2


def test_reindex_re_extracts_old_versions(store) -> None:
    docs = corpus_of_hand_docs()[:2]
    store.add_extracted(docs, extractor_version="0.0.0-old")
    assert store.stats()["pending_reindex"] == 2
    res = store.reindex()
    assert res["reindexed"] == 2 and res["failed"] == 0
    st = store.stats()
    assert st["pending_reindex"] == 0 and st["articles"] == 2
    total = sum(len(store.article(m["id"])["extraction"]["attributions"]) for m, _ in docs)
    assert st["reports"] == total  # whatever the current extractor finds, nothing stale is left
    assert store.reindex()["reindexed"] == 0


def test_ingest_real_articles_with_the_extractor(store, corpus_docs) -> None:
    docs = corpus_docs[:8]
    res = store.ingest(docs, batch_size=3)
    assert (res["added"], res["failed"]) == (8, 0)
    res = store.ingest(docs + [{"id": "broken", "text": None}])
    assert (res["added"], res["unchanged"], res["failed"]) == (0, 8, 1)
    st = store.stats()
    total = 0
    for d in docs:
        a = store.article(d["id"])
        assert a["text"] == d["text"] and a["outlet"] == d["source"] and a["published"] == d["date"]
        for att in a["extraction"]["attributions"]:
            s, e = att["content"]["span"]
            assert a["text"][s:e] == att["content"]["text"]
        total += len(a["extraction"]["attributions"])
    assert st["reports"] == total and st["articles"] == 8


def test_parallel_extraction_stores_the_same(tmp_path, corpus_docs) -> None:
    from qawl.store import open_store

    docs = corpus_docs[40:46]
    with open_store(str(tmp_path / "one.db")) as a, open_store(str(tmp_path / "two.db")) as b:
        assert a.ingest(docs, batch_size=3)["added"] == 6
        assert b.ingest(docs, batch_size=3, workers=2)["added"] == 6
        for d in docs:
            assert a.article(d["id"])["extraction"] == b.article(d["id"])["extraction"]
        assert a.stats()["reports"] == b.stats()["reports"]


def test_ingest_and_reindex_run_with_bulk_settings_and_restore_them(store, corpus_docs) -> None:
    import gc

    from qawl.store.core import _BULK_GC_THRESHOLD, _BULK_WAL_PAGES

    before = gc.get_threshold()
    assert before[0] < _BULK_GC_THRESHOLD  # Python's default: the test would prove nothing otherwise
    sqlite = store.db.dialect == "sqlite"
    wal = store.db.scalar("PRAGMA wal_autocheckpoint") if sqlite else None
    seen: dict[str, list[tuple[int, object]]] = {"ingest": [], "reindex": []}

    def progress(run: str):
        def record(_n: int) -> None:  # called between batches, while the run's settings are on
            seen[run].append((gc.get_threshold()[0], store.db.scalar("PRAGMA wal_autocheckpoint") if sqlite else None))
        return record

    store.ingest(corpus_docs[:3], batch_size=2, progress=progress("ingest"))
    with store.db.tx():
        store.db.execute("UPDATE articles SET extractor_version = 'old'")
    assert store.reindex(batch_size=2, progress=progress("reindex"))["reindexed"] == 3
    for run in ("ingest", "reindex"):
        assert seen[run], run
        assert all(g == _BULK_GC_THRESHOLD and (not sqlite or w == _BULK_WAL_PAGES) for g, w in seen[run]), run
    assert gc.get_threshold() == before
    if sqlite:
        assert store.db.scalar("PRAGMA wal_autocheckpoint") == wal
