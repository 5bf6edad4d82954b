"""Speaker identity and provenance as Dask group-bys equal the single-machine procedure."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from crossdata import Q_NONE, Q_TALKS, documents

from qawl import provenance
from qawl.batch.cross import run_cross, speaker_of
from qawl.batch.records import ARTICLES_SCHEMA, STATEMENTS_SCHEMA, article_row, statement_rows
from qawl.identity import block_key, resolve

pytestmark = pytest.mark.timeout(120)


def write_output(out: Path, pairs: list[tuple[dict, dict]], files: int = 3) -> None:
    """Lay out already-extracted documents as `qawl batch` does, spread over several files."""
    arts, stmts = [], []
    for i, (meta, doc) in enumerate(pairs):
        art = {k: meta.get(k) for k in ("id", "text", "outlet", "published", "url", "title", "lang")}
        arts.append((i % files, article_row(art, doc, "test", "handmade", i + 1)))
        stmts += [(i % files, r) for r in statement_rows(art, doc, "test")]
    for name, rows, schema in (("articles", arts, ARTICLES_SCHEMA), ("statements", stmts, STATEMENTS_SCHEMA)):
        for f in range(files):
            part = [r for j, r in rows if j == f]
            (out / name / f"month=m{f}").mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(part, schema=schema), out / name / f"month=m{f}" / "part-0.parquet")


def read(out: Path, name: str) -> list[dict]:
    return ds.dataset(str(out / name), format="parquet").to_table().to_pylist()


def single_machine(out: Path) -> tuple[dict[str, str], set[frozenset[str]]]:
    """Speaker per statement and statement groups computed in one process by the shared functions."""
    rows = sorted(read(out, "statements"), key=lambda r: r["statement_id"])
    recs, ids = [], []
    for r in rows:
        n = speaker_of(r["speaker_name"], r["speaker_entity_name"])
        if n:
            recs.append({"name": n, "type": r["speaker_type"], "titles": r["speaker_titles"] or [],
                         "article": r["article_id"]})
            ids.append(r["statement_id"])
    speaker = {sid: a.speaker_id for sid, a in zip(ids, resolve(recs), strict=True) if a.speaker_id}
    prov_recs = []
    for r in rows:
        n = speaker_of(r["speaker_name"], r["speaker_entity_name"])
        prov_recs.append({"content": r["content_text"], "speaker_block": block_key(n, r["speaker_type"]) if n else None})
    comp: dict[int, set[str]] = {}
    for r, g in zip(rows, provenance.group(prov_recs), strict=True):
        comp.setdefault(g, set()).add(r["statement_id"])
    return speaker, {frozenset(v) for v in comp.values()}


def test_cross_article_equals_single_machine(client, tmp_path):
    out = tmp_path / "out"
    write_output(out, documents())
    stats = run_cross(str(out), client=client)
    exp_speaker, exp_groups = single_machine(out)

    got_speaker = {r["statement_id"]: r["speaker_id"] for r in read(out, "statement_speakers")}
    assert got_speaker == exp_speaker
    groups = read(out, "provenance")
    assert {frozenset(g["statement_ids"]) for g in groups} == exp_groups
    assert stats["statements"] == 14 and stats["provenance_groups"] == len(exp_groups)

    # What the procedure must find on these reports, so equality above is not two empty results.
    sp = {r["statement_id"]: r["speaker_id"] for r in read(out, "statement_speakers")}
    assert sp["x-bbc-1#A1"] == sp["x-sky-1#A1"] == sp["x-f24-1#A2"]  # دونالد ترامب = ترامب
    assert sp["x-bbc-1#A2"] != sp["x-bbc-1#A1"]  # ميلانيا ترامب is someone else
    assert sp["x-sky-1#A2"] == sp["x-cnn-1#A1"]  # المبعوث الأمريكي ستيف ويتكوف = ويتكوف
    assert sp["x-cnn-1#A2"] == sp["x-arabiya-1#A1"]  # زيلينسكي = زيلنسكي
    speakers = {s["speaker_id"]: s for s in read(out, "speakers")}
    trump = speakers[sp["x-bbc-1#A1"]]
    assert trump["statements"] == 5 and trump["name"] == "دونالد ترامب"
    assert set(trump["outlets"]) == {"BBC Arabic", "Sky News Arabia", "France 24 Arabic", "Al Arabiya",
                                     "Asharq Al-Awsat"}
    plan = next(g for g in groups if "x-sky-1#A2" in g["statement_ids"])
    assert sorted(plan["statement_ids"]) == ["x-cnn-1#A1", "x-sky-1#A2"]  # not Trump's identical words

    talks = next(g for g in groups if "x-bbc-1#A1" in g["statement_ids"])
    assert sorted(talks["statement_ids"]) == ["x-bbc-1#A1", "x-f24-1#A2", "x-sky-1#A1"]
    assert talks["first_seen"] == "2025-11-20" and talks["first_article"] == "x-bbc-1"
    assert talks["content"] == Q_TALKS
    # A short "لا تعليق" joins only reports whose speakers share a block (provenance compares speaker
    # block keys, i.e. family names): سلمان's stays apart from the two Trumps'.
    none = {frozenset(g["statement_ids"]) for g in groups if g["content"] == Q_NONE}
    assert none == {frozenset({"x-bbc-1#A2", "x-arabiya-1#A2"}), frozenset({"x-asharq-1#A3"})}

    # Rerun replaces the results instead of adding to them.
    run_cross(str(out), client=client)
    assert len(read(out, "provenance")) == len(groups)
    assert len(read(out, "speakers")) == len(speakers)


def test_load_into_store_is_idempotent_and_agrees_with_batch(client, tmp_path):
    """`qawl load` of a batch output: the store's own speakers and statements equal the batch's."""
    from qawl.batch.load import count_articles, load_output
    from qawl.store import open_store

    out = tmp_path / "out"
    pairs = documents()
    write_output(out, pairs)
    run_cross(str(out), client=client)
    db = str(tmp_path / "store.db")
    first = load_output(str(out), db, batch_size=4)
    assert (first["added"], first["failed"]) == (len(pairs), 0) == (count_articles(str(out)), 0)
    again = load_output(str(out), db, batch_size=4)
    assert (again["added"], again["unchanged"], again["updated"]) == (0, len(pairs), 0)

    with open_store(db) as store:
        rows = list(store.iter_export())
        assert store.stats()["articles"] == len(pairs)
    assert len(rows) == 14
    store_speaker = {f"{r['article_doc_id']}#{r['attribution']['id']}": r["speaker_id"] for r in rows}
    store_groups: dict[int, set[str]] = {}
    for r in rows:
        store_groups.setdefault(r["statement_id"], set()).add(f"{r['article_doc_id']}#{r['attribution']['id']}")
    batch_speaker = {r["statement_id"]: r["speaker_id"] for r in read(out, "statement_speakers")}
    assert {k: v for k, v in store_speaker.items() if v} == batch_speaker
    assert {frozenset(v) for v in store_groups.values()} == {frozenset(g["statement_ids"])
                                                            for g in read(out, "provenance")}
    # The stored extraction is exactly the one in the batch output.
    with open_store(db) as store:
        art = store.article("x-cnn-1")
    assert art is not None
    assert art["extraction"] == next(doc for meta, doc in pairs if meta["id"] == "x-cnn-1")
    assert (art["outlet"], art["published"]) == ("CNN Arabic", "2025-11-22")
