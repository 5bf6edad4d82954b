"""`qawl batch` on a real 2-worker LocalCluster: output equals single-process extraction, corrupt
lines are dead-lettered, a killed worker is survived, and a rerun skips finished shards."""

from __future__ import annotations

import gzip
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import cloudpickle
import orjson
import pyarrow.dataset as ds
import pytest
from batchdata import CORRUPT, PER_SHARD
from distributed.diagnostics.plugin import WorkerPlugin

from qawl.batch.manifest import load_manifest
from qawl.batch.records import document_from_article_row, month_of, partition_slug
from qawl.batch.runner import run_batch

# The worker-killing plugin below is defined here, not in an installed module: ship it by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

pytestmark = pytest.mark.timeout(150)


def read_table(out: Path, name: str) -> list[dict]:
    path = out / name
    if not path.exists():
        return []
    return ds.dataset(str(path), format="parquet", partitioning="hive").to_table().to_pylist()


def attribution_keys(atts: list[dict]) -> list[tuple]:
    return sorted(
        (a["id"], a["kind"], tuple(a["content"]["span"]), a["content"]["text"], tuple(a["cue"]["span"]),
         a["speaker"]["name"], tuple(a["speaker"]["span"]) if a["speaker"]["span"] else None,
         round(float(a["confidence"]), 3))
        for a in atts
    )


def statement_keys(rows: list[dict]) -> list[tuple]:
    return sorted(
        (r["attribution_id"], r["kind"], (r["content_start"], r["content_end"]), r["content_text"],
         (r["cue_start"], r["cue_end"]), r["speaker_name"],
         (r["speaker_start"], r["speaker_end"]) if r["speaker_start"] is not None else None,
         round(float(r["confidence"]), 3))
        for r in rows
    )


def check_against_reference(out: Path, reference: dict[str, dict]) -> None:
    articles = read_table(out, "articles")
    ids = Counter(r["article_id"] for r in articles)
    assert [i for i, n in ids.items() if n > 1] == [], "an article was written twice"
    assert set(ids) == set(reference), "every good document, and nothing else, is in the output"
    for row in articles:
        assert document_from_article_row(row) == reference[row["article_id"]]
    by_article: dict[str, list[dict]] = {}
    for r in read_table(out, "statements"):
        by_article.setdefault(r["article_id"], []).append(r)
    n_ref = 0
    for doc_id, doc in reference.items():
        assert statement_keys(by_article.get(doc_id, [])) == attribution_keys(doc["attributions"]), doc_id
        n_ref += len(doc["attributions"])
    assert sum(len(v) for v in by_article.values()) == n_ref


def test_batch_equals_single_process_and_dead_letters(client, shard_dir, docs, reference, tmp_path):
    out = tmp_path / "out"
    res = run_batch([str(shard_dir / "*.jsonl*")], str(out), client=client)
    assert (res.shards, res.done, res.failed) == (4, 4, [])
    assert res.articles == 4 * PER_SHARD
    assert res.dead == len(CORRUPT)
    check_against_reference(out, reference)

    # Each corrupt line is in the shard's dead-letter file with its line number and a reason.
    dead_files = list((out / "dead-letter").glob("*.jsonl"))
    assert len(dead_files) == 1 and dead_files[0].name.startswith("part-3-")
    dead = {d["line"]: d for d in map(orjson.loads, dead_files[0].read_bytes().splitlines())}
    assert sorted(dead) == sorted(CORRUPT)
    for line, (raw, reason) in CORRUPT.items():
        assert reason in dead[line]["error"], dead[line]
        assert dead[line]["shard"].endswith("part-3.jsonl")
        assert dead[line]["raw"] == raw.decode("utf-8", "replace")

    # Partitioned by outlet and month, ASCII directory names; the true outlet is a column.
    parts = {p.relative_to(out / "articles").parts[:2] for p in (out / "articles").rglob("*.parquet")}
    assert parts == {(f"outlet_key={partition_slug(d['source'])}", f"month={month_of(d['date'])}") for d in docs}
    assert (f"outlet_key={partition_slug('BBC Arabic')}",
                                                          f"month={month_of('2018-03-07')}") == ("outlet_key=BBC_Arabic", "month=2018-03")
    assert all(o.isascii() for o, _m in parts)
    assert not (out / "_tmp").exists()

    manifest = load_manifest(str(out))
    assert len(manifest) == 4
    assert sum(e["articles"] for e in manifest.values()) == 4 * PER_SHARD
    assert all(e["content_sha256"] and e["fingerprint"]["size"] for e in manifest.values())

    # Rerun: every shard is in the manifest, nothing is redone or rewritten.
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    res2 = run_batch([str(shard_dir)], str(out), client=client)
    assert (res2.shards, res2.skipped, res2.done, res2.articles) == (4, 4, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == before

    # A changed shard is redone, and only that one.
    changed = shard_dir.parent / "changed"
    changed.mkdir(exist_ok=True)
    for p in shard_dir.iterdir():
        (changed / p.name).write_bytes(p.read_bytes())
    out2 = tmp_path / "out2"
    run_batch([str(changed)], str(out2), client=client)
    with gzip.open(changed / "part-0.jsonl.gz", "rb") as fh:
        first = fh.readlines()[: PER_SHARD - 5]
    with gzip.open(changed / "part-0.jsonl.gz", "wb") as fh:
        fh.writelines(first)
    res3 = run_batch([str(changed)], str(out2), client=client)
    assert (res3.skipped, res3.done, res3.articles) == (3, 1, PER_SHARD - 5)
    assert len(read_table(out2, "articles")) == 4 * PER_SHARD - 5


class KillOnce(WorkerPlugin):
    """SIGKILLs the worker process running a matching task, once per marker file: once when the
    task starts, once right after it finished (files written, result not yet reported)."""

    def __init__(self, marker_dir: str, start_key: str, finish_key: str) -> None:
        self.marker_dir = marker_dir
        self.start_key = start_key
        self.finish_key = finish_key

    def _once(self, name: str) -> bool:
        try:
            os.close(os.open(os.path.join(self.marker_dir, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def transition(self, key, start, finish, **kwargs):
        k = str(key)
        if finish == "executing" and self.start_key in k and self._once("killed-at-start"):
            os.kill(os.getpid(), signal.SIGKILL)
        if start == "executing" and finish == "memory" and self.finish_key in k and self._once("killed-at-end"):
            os.kill(os.getpid(), signal.SIGKILL)


def test_worker_killed_mid_run_loses_nothing(client, shard_dir, reference, tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    out = tmp_path / "out"
    client.register_plugin(KillOnce(str(markers), "part-0-", "part-1-"), name="kill-once")
    try:
        res = run_batch([str(shard_dir)], str(out), client=client)
    finally:
        client.unregister_worker_plugin("kill-once")
    assert (markers / "killed-at-start").exists() and (markers / "killed-at-end").exists()
    assert (res.done, res.failed, res.articles) == (4, [], 4 * PER_SHARD)
    check_against_reference(out, reference)
    client.wait_for_workers(2, timeout=60)


def test_split_shards_then_unsplit(client, shard_dir, reference, tmp_path):
    out = tmp_path / "out"
    # Small spills too: each task writes several Parquet chunks per partition.
    res = run_batch([str(shard_dir)], str(out), client=client, split_lines=5, spill_bytes=3000)
    # 12 lines -> 3 ranges per gzip shard; the plain shard has 17 lines -> 4 ranges.
    assert res.shards == 13 and res.done == 13
    check_against_reference(out, reference)
    dead = [orjson.loads(x) for p in (out / "dead-letter").glob("*.jsonl") for x in p.read_bytes().splitlines()]
    assert sorted(d["line"] for d in dead) == sorted(CORRUPT)  # line numbers are of the whole file
    assert any("-c1.parquet" in p.name for p in (out / "articles").rglob("*.parquet"))
    # Changing the split retires the old ranges' files instead of keeping both copies.
    res2 = run_batch([str(shard_dir)], str(out), client=client)
    assert (res2.shards, res2.done) == (4, 4)
    check_against_reference(out, reference)
    assert len(list((out / "dead-letter").glob("*.jsonl"))) == 1


def test_truncated_gzip_shard_keeps_what_was_readable(client, docs, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    data = gzip.compress(b"".join(orjson.dumps(d) + b"\n" for d in docs[:20]))
    (src / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    out = tmp_path / "out"
    res = run_batch([str(src)], str(out), client=client)
    assert res.done == 1 and res.failed == []
    assert 0 < res.articles < 20
    ids = [r["article_id"] for r in read_table(out, "articles")]
    assert ids and set(ids) <= {d["id"] for d in docs[:20]}
    (dead,) = [orjson.loads(x) for x in next((out / "dead-letter").glob("*.jsonl")).read_bytes().splitlines()]
    assert "unreadable input after line" in dead["error"] and dead["line"] == res.articles + 1


def test_partition_values_are_safe():
    assert partition_slug("Sky News Arabia") == "Sky_News_Arabia"
    ar = partition_slug("الشرق الأوسط")
    assert ar.startswith("x-") and ar.isascii() and ar != partition_slug("الشرق")
    assert partition_slug("a/../b") != partition_slug("a_b") and "/" not in partition_slug("a/../b")
    assert partition_slug(None) == "unknown"
    assert month_of("2016-12-03") == "2016-12" and month_of("2016-13-01") == "unknown"
    assert month_of("03/12/2016") == "unknown" and month_of(None) == "unknown"


def write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, title, body in pages:
            html = (f"<html lang='ar'><head><meta charset='utf-8'><title>{title}</title></head><body><article>"
                    f"<h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in body.split("\n")) + "</article></body></html>")
            hd = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                                http_headers=hd))


def test_warc_shard_equals_reader_then_extract(client, docs, tmp_path):
    import qawl
    from qawl.readers import read_warc

    src = tmp_path / "in"
    src.mkdir()
    warc = src / "crawl-0.warc.gz"
    write_warc(warc, [(f"https://news.example/{d['id']}", d["title"], d["text"]) for d in docs[:4]])
    out = tmp_path / "out"
    res = run_batch([str(src)], str(out), client=client)
    assert (res.done, res.articles, res.dead) == (1, 4, 0)
    expected = {}
    for d in read_warc(warc):
        meta = {k: d[k] for k in ("title", "url", "outlet") if d.get(k) is not None}
        expected[d["id"]] = qawl.extract(d["text"], published=d.get("published"), lang=d.get("lang"), id=d["id"],
                                         meta=meta).to_dict()
    rows = read_table(out, "articles")
    assert {r["article_id"] for r in rows} == {f"https://news.example/{d['id']}" for d in docs[:4]} == set(expected)
    for row in rows:
        assert document_from_article_row(row) == expected[row["article_id"]]
        assert row["outlet"] == "news.example"
