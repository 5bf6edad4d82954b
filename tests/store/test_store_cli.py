"""The store commands: ingest (files, directories, globs, bad lines, kill -9 and resume), search, speakers,
speaker, export, reindex."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_docs import make_doc
from test_store_api import corpus_of_hand_docs
from typer.testing import CliRunner

from qawl.cli import app
from qawl.store import open_store

runner = CliRunner()


def _consistent(url: str) -> tuple[int, set[str]]:
    """Every stored article has exactly the reports its stored extraction lists (nothing half-written)."""
    with open_store(url) as s:
        st = s.stats()
        ids, total = set(), 0
        for a in s.articles(limit=10_000):
            full = s.article(a["article_id"])
            assert full["extraction"]["schema"] == "qawl/1"
            total += len(full["extraction"]["attributions"])
            ids.add(full["id"])
        assert st["reports"] == total
        assert len(ids) == st["articles"]  # no duplicate article
        return st["articles"], ids


def _jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def test_ingest_files_dirs_globs_and_bad_lines(tmp_path, corpus_docs) -> None:
    db = str(tmp_path / "q.db")
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    docs = corpus_docs[:6]
    lines = [json.dumps(x, ensure_ascii=False) for x in docs[:3]]
    lines.insert(1, '{"id": "broken", "text": "نص مقطوع')  # corrupt line 2
    (d / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(d / "sub" / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps(docs[3], ensure_ascii=False) + "\n")
        f.write(json.dumps(docs[4], ensure_ascii=False)[:40])  # truncated last line
    (tmp_path / "one.txt").write_text(docs[5]["text"], encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(d), str(tmp_path / "*.txt"), "--db", db, "--json", "-q"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["added"] == 5 and summary["failed"] == 2
    err = res.stderr
    assert "a.jsonl" in err and "line 2" in err
    assert "b.jsonl.gz" in err and "line 2" in err
    assert "added 5, unchanged 0, updated 0, failed 2" in err
    n, ids = _consistent(db)
    assert n == 5 and {x["id"] for x in docs[:4]} <= ids
    res = runner.invoke(app, ["ingest", str(d), str(tmp_path / "one.txt"), "--db", db, "-q"])
    assert "added 0, unchanged 5" in res.stderr
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing.jsonl"), "--db", db])
    assert res.exit_code == 2 and "missing.jsonl" in res.stderr


def _interrupt_ingest(store_url: str, tmp_path: Path, docs: list[dict], sig: int,
                     workers: str = "2") -> tuple[int, str]:
    """Run `qawl ingest -j workers` on a FIFO, feed it until batches are committed, leave a record
    half-written (for SIGKILL), then send ``sig``. Returns (articles stored afterwards, its stderr)."""
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A child inherits an ignored SIGINT from a background parent; give it the terminal's default back.
    proc = subprocess.Popen([sys.executable, "-m", "qawl.cli", "ingest", str(fifo), "--db", store_url,
                             "--batch-size", "2", "-q", "-j", workers], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        with open(fifo, "w", encoding="utf-8") as w:
            for x in docs[:7]:
                w.write(json.dumps(x, ensure_ascii=False) + "\n")
                w.flush()
            deadline = time.monotonic() + 120
            committed = 0
            while time.monotonic() < deadline and committed < 2:
                time.sleep(0.05)
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                try:
                    with open_store(store_url) as s:
                        committed = s.stats()["articles"]
                except Exception:
                    committed = 0
            assert committed >= 2, "no batch committed in time"
            if sig == signal.SIGKILL:
                w.write(json.dumps(docs[7], ensure_ascii=False)[:100])  # a half-written record in flight
                w.flush()
            assert proc.poll() is None
            proc.send_signal(sig)
            proc.wait(timeout=60)
    except BrokenPipeError:
        pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # The pipe closes only when every process holding it is gone: extraction workers must not outlive
    # a killed writer (a timeout here means one did).
    err = proc.communicate(timeout=30)[1].decode() if proc.stderr else ""
    n, _ = _consistent(store_url)
    return n, err if proc.returncode is None else f"rc={proc.returncode}\n{err}"


def _rerun_completes(store_url: str, tmp_path: Path, docs: list[dict], n_before: int) -> None:
    full = _jsonl(tmp_path / "all.jsonl", docs)
    res = subprocess.run([sys.executable, "-m", "qawl.cli", "ingest", str(full), "--db", store_url, "-q", "--json"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["unchanged"] == n_before and summary["added"] == len(docs) - n_before
    n, ids = _consistent(store_url)
    assert n == len(docs) and ids == {x["id"] for x in docs}


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_mid_ingest_then_rerun(store_url, tmp_path, corpus_docs, workers) -> None:
    """A real `qawl ingest` process (extracting in itself, or in 2 worker processes) is killed with SIGKILL
    while reading and extracting; the rerun completes the job with no duplicate and no lost article."""
    docs = corpus_docs[:12]
    n, out = _interrupt_ingest(store_url, tmp_path, docs, signal.SIGKILL, workers)
    assert out.startswith(f"rc={-signal.SIGKILL}")
    assert 2 <= n <= 7
    _rerun_completes(store_url, tmp_path, docs, n)


@pytest.mark.slow
def test_ctrl_c_mid_ingest_then_rerun(tmp_path, corpus_docs) -> None:
    db = str(tmp_path / "c.db")
    docs = corpus_docs[20:32]
    n, out = _interrupt_ingest(db, tmp_path, docs, signal.SIGINT)
    assert out.startswith("rc=130") and "interrupted; rerun the same command to resume" in out
    assert 2 <= n <= 7
    _rerun_completes(db, tmp_path, docs, n)


def _snapshot(url: str) -> dict:
    """What a store holds, ids included: every report as exported, the speakers, the counts."""
    with open_store(url) as s:
        st = s.stats()
        st.pop("db_bytes", None)
        st.pop("backend", None)
        return {"reports": list(s.iter_export()), "speakers": s.speakers(top=100_000), "stats": st,
                "articles": [(a["article_id"], a["id"], a["extractor_version"]) for a in s.articles(limit=10_000)]}


@pytest.mark.slow
def test_parallel_ingest_stores_exactly_what_serial_ingest_stores(store_url, second_store_url, tmp_path,
                                                                   corpus_docs) -> None:
    """`-j 2` (extraction in 2 processes while this one writes) and `-j 1` give the same database, ids
    included, with duplicates, an update and a bad record in the stream."""
    docs = [dict(d) for d in corpus_docs[100:136]]
    changed = dict(docs[3], text=docs[3]["text"] + "\n\nوقال المتحدث إن الاجتماع سيعقد غدا.")
    stream = [*docs[:20], docs[5], {"id": "no-text", "title": "x"}, *docs[20:], changed, docs[30]]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in stream), encoding="utf-8")
    summaries = []
    for url, j in ((store_url, "1"), (second_store_url, "2")):
        res = runner.invoke(app, ["ingest", str(path), "--db", url, "-q", "--json", "--batch-size", "7", "-j", j])
        assert res.exit_code == 0, res.output
        summaries.append(json.loads(res.stdout.strip().splitlines()[-1]))
    assert summaries[0] == summaries[1]
    assert summaries[0]["added"] == 36 and summaries[0]["updated"] == 1 and summaries[0]["unchanged"] == 2
    a, b = _snapshot(store_url), _snapshot(second_store_url)
    assert a["stats"] == b["stats"] and a["articles"] == b["articles"] and a["speakers"] == b["speakers"]
    assert len(a["reports"]) == len(b["reports"]) > 100
    for x, y in zip(a["reports"], b["reports"], strict=True):
        assert x == y


@pytest.fixture
def hand_db(tmp_path) -> str:
    db = str(tmp_path / "hand.db")
    with open_store(db) as s:
        s.add_extracted(corpus_of_hand_docs())
    return db


def test_search_command_formats(hand_db) -> None:
    res = runner.invoke(app, ["search", "الحكومة", "--db", hand_db, "--format", "json"])
    assert res.exit_code == 0, res.output
    hits = json.loads(res.stdout)
    assert len(hits) == 3 and all("الحكومة" in h["content"] for h in hits)
    res = runner.invoke(app, ["search", "حكومة", "--speaker", "ويتكوف", "--outlet", "BBC Arabic", "--db", hand_db,
                              "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 1 and rows[0]["outlet"] == "BBC Arabic" and rows[0]["speaker_name"] == "ستيف ويتكوف"
    res = runner.invoke(app, ["search", "--kind", "indirect", "--since", "2025-12-01", "--until", "2025-12-31",
                              "--limit", "1", "--db", hand_db, "-f", "json"])
    hits = json.loads(res.stdout)
    assert len(hits) == 1 and hits[0]["kind"] == "indirect"
    res = runner.invoke(app, ["search", "موسكو", "--db", hand_db])
    assert res.exit_code == 0 and "4 statements" in res.stdout and "المفتاح" in res.stdout
    res = runner.invoke(app, ["search", "x", "--kind", "rumour", "--db", hand_db])
    assert res.exit_code == 2


def test_speakers_and_speaker_commands(hand_db) -> None:
    res = runner.invoke(app, ["speakers", "--top", "2", "--db", hand_db, "-f", "json"])
    rows = json.loads(res.stdout)
    assert len(rows) == 2 and rows[0]["name"] == "ستيف ويتكوف" and rows[0]["statements"] == 3
    res = runner.invoke(app, ["speakers", "--db", hand_db])
    assert res.exit_code == 0 and "ميلانيا ترامب" in res.stdout
    res = runner.invoke(app, ["speaker", "ويتكوف", "--db", hand_db])
    assert res.exit_code == 0 and "ستيف ويتكوف" in res.stdout and "بوتين" in res.stdout
    res = runner.invoke(app, ["speaker", "ويتكوف", "--db", hand_db, "-f", "json"])
    assert json.loads(res.stdout)["weekly"][0]["week"] == "2025-11-24"
    res = runner.invoke(app, ["speaker", "لا أحد", "--db", hand_db])
    assert res.exit_code == 1


def test_export_formats(hand_db, tmp_path) -> None:
    res = runner.invoke(app, ["export", "--db", hand_db])
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(rows) == 9
    r = next(x for x in rows if x["speaker_name"] == "ميلانيا ترامب")
    assert r["outlet"] == "CNN Arabic" and r["article_doc_id"] == "cnn-1" and len(r["content_span"]) == 2
    assert r["statement_id"] and r["speaker_id"] == "ميلانيا-ترامب"
    out = tmp_path / "s.csv"
    res = runner.invoke(app, ["export", "-f", "csv", "-o", str(out), "--db", hand_db])
    assert res.exit_code == 0
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 9
    pq_out = tmp_path / "s.parquet"
    res = runner.invoke(app, ["export", "-f", "parquet", "-o", str(pq_out), "--db", hand_db])
    assert res.exit_code == 0, res.output
    import pyarrow.parquet as pq

    t = pq.read_table(pq_out)
    assert t.num_rows == 9 and {"speaker_name", "outlet", "content_span", "published"} <= set(t.column_names)
    assert runner.invoke(app, ["export", "-f", "parquet", "--db", hand_db]).exit_code == 2


def test_reindex_command(tmp_path) -> None:
    db = str(tmp_path / "r.db")
    with open_store(db) as s:
        s.add_extracted([make_doc("r1", [("ويتكوف", "قال", "المحادثات كانت مثمرة جدا", None)])],
                        extractor_version="old")
    res = runner.invoke(app, ["reindex", "--db", db, "-q"])
    assert res.exit_code == 0 and "reindexed 1, failed 0" in res.stderr
    with open_store(db) as s:
        assert s.stats()["pending_reindex"] == 0
    res = runner.invoke(app, ["reindex", "--db", db, "--identity"])
    assert res.exit_code == 0 and "speakers recomputed" in res.stderr


def test_qawl_db_env_and_bad_database(tmp_path, monkeypatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("QAWL_DB", str(db))
    with open_store() as s:
        s.add_extracted(corpus_of_hand_docs()[:1])
    res = runner.invoke(app, ["db", "status"])
    assert res.exit_code == 0 and "articles: 1" in res.stdout
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    res = runner.invoke(app, ["search", "x", "--db", str(junk)])
    assert res.exit_code == 2 and "junk.db" in res.stderr
