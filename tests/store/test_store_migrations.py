"""Schema migrations: a database made by schema 1 is moved to the current schema by `qawl db upgrade`."""

from __future__ import annotations

import json

import pytest
from store_docs import make_doc
from typer.testing import CliRunner

from qawl.cli import app
from qawl.store import StoreError, latest_version, open_store
from qawl.store.db import DB, current_version, migrate

QUOTE = "إن المحادثات مع الحكومة الروسية كانت مثمرة وبناءة وستستمر الأسبوع المقبل في موسكو"


def _write_v1(url: str) -> None:
    """Fill a schema-1 database the way qawl 1 stored articles (raw SQL: schema 1 has no statements/search)."""
    db = DB(url)
    assert migrate(db, target=1) == [1]
    assert current_version(db) == 1
    with db.tx():
        for i, (doc_id, outlet, pub, speaker) in enumerate([("v1-a", "BBC Arabic", "2025-11-20", "ستيف ويتكوف"),
                                                            ("v1-b", "Al Arabiya", "2025-11-21", "ويتكوف")], 1):
            meta, q = make_doc(doc_id, [(speaker, "قال", QUOTE, None)], outlet=outlet, published=pub)
            ext = {k: v for k, v in q.items() if k != "text"}
            db.execute("INSERT INTO articles (article_id, key, doc_id, url, content_hash, title, outlet, published, "
                       "lang, text, extraction, extractor_version, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (i, f"id:{doc_id}", doc_id, meta["url"], f"h{i}", meta["title"], outlet, pub, "ar", q["text"],
                        json.dumps(ext, ensure_ascii=False), "0.0.1", "2025-11-22T00:00:00Z"))
            key = "ستيف ويتكوف" if i == 1 else "ويتكوف"
            db.execute("INSERT INTO forms (form_id, block, key, type, n, displays, titles, speaker_id) "
                       "VALUES (?,?,?,?,?,?,?,?)", (i, "p:وتكف", key, "PERSON", 1, json.dumps({speaker: 1}), "{}",
                                                    "ستيف-ويتكوف"))
            a = q["attributions"][0]
            db.execute("INSERT INTO attributions (attribution_id, article_id, local_id, kind, content, cue, "
                       "speaker_name, form_id, confidence, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (i, i, "A1", "direct", QUOTE, "قال", speaker, i, 0.9, json.dumps(a, ensure_ascii=False)))
        db.execute("INSERT INTO speakers VALUES (?,?,?,?,?)", ("ستيف-ويتكوف", "ستيف ويتكوف", "PERSON", "p:وتكف",
                                                             "ستيف ويتكوف"))
    if db.is_pg:  # rows were inserted with explicit ids: move the identity sequences past them
        for t, c in (("articles", "article_id"), ("forms", "form_id"), ("attributions", "attribution_id")):
            db.execute(f"SELECT setval(pg_get_serial_sequence('{t}', '{c}'), (SELECT max({c}) FROM {t}))")
    db.close()


def test_old_database_is_upgraded_without_loss(store_url) -> None:
    _write_v1(store_url)
    with pytest.raises(StoreError, match="qawl db upgrade"):
        open_store(store_url)
    runner = CliRunner()
    res = runner.invoke(app, ["db", "status", "--db", store_url])
    assert res.exit_code == 0 and "schema version: 1" in res.output
    res = runner.invoke(app, ["db", "upgrade", "--db", store_url])
    assert res.exit_code == 0, res.output
    assert f"1 → {latest_version()}" in res.output
    with open_store(store_url) as s:
        st = s.stats()
        assert st["schema_version"] == latest_version()
        assert st["articles"] == 2 and st["reports"] == 2
        hits = s.search("الحكومة")  # the search index is built from the old rows
        assert {h["article_id"] for h in hits} == {1, 2}
        assert len({h["statement_id"] for h in hits}) == 1  # provenance backfilled
        stmt = s.statement(hits[0]["statement_id"])
        assert [r["outlet"] for r in stmt["reports"]] == ["BBC Arabic", "Al Arabiya"]
        assert s.speaker("ويتكوف")["statement_count"] == 2
        assert s.article(1)["extractor_version"] == "0.0.1"
        # The upgraded database keeps working: a new article joins the old statement.
        s.add_extracted([make_doc("new", [("ستيف ويتكوف", "قال", QUOTE, None)], outlet="CNN Arabic",
                                  published="2025-11-23")])
        assert len(s.statement(hits[0]["statement_id"])["reports"]) == 3
    res = runner.invoke(app, ["db", "upgrade", "--db", store_url])
    assert res.exit_code == 0 and "already at version" in res.output


def test_failed_migration_leaves_the_database_unchanged(store_url) -> None:
    db = DB(store_url)
    migrate(db, target=1)
    with pytest.raises(RuntimeError), db.tx():  # a step that fails halfway is rolled back whole
        db.execute("ALTER TABLE attributions ADD COLUMN norm TEXT")
        raise RuntimeError("crash during migration")
    assert current_version(db) == 1
    db.close()
    assert migrate(DB(store_url)) == list(range(2, latest_version() + 1))
